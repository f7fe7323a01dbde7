import FleetModel
import FleetStore
import Foundation
import RegistryModel
import Testing

@Suite struct ReportIngestTests {
    /// The same sequence sent twice is stored once; the second acknowledgement says duplicate.
    @Test(arguments: StoreKind.allCases) func sameSequenceTwiceIsStoredOnce(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        let first = try await store.ingest(cluster: "edge-1", report: Fixtures.report(1))
        fixture.clock.advance(by: 30)
        let retry = try await store.ingest(cluster: "edge-1", report: Fixtures.report(1))
        #expect(first == ReportAck(sequence: 1, duplicate: false))
        #expect(retry == ReportAck(sequence: 1, duplicate: true))
        #expect(try await store.reportHistory(cluster: "edge-1").count == 1)
        let latest = try #require(try await store.latestReport(cluster: "edge-1"))
        #expect(latest.receivedAt == fixture.clock.now().addingTimeInterval(-30))
        #expect(latest.report == Fixtures.report(1))
        #expect(try await store.cluster("edge-1").lastReportAt == fixture.clock.now())
        #expect(store.ingestStatistics.stored == 1 && store.ingestStatistics.duplicates == 1)
        try await store.close()
    }

    /// Reports that land in one group commit keep every rule: a copy of a report in the same group is the
    /// duplicate (exactly one of the two is new), the latest moves to the highest sequence of the group, each
    /// cluster's arrival time is its newest, and a cluster that is not enrolled fails alone.
    @Test(arguments: StoreKind.allCases) func oneGroupKeepsEveryRule(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open(FleetStoreConfiguration(reportBatchDelay: .milliseconds(300)))
        try await store.enrollCluster("edge-1")
        try await store.enrollCluster("edge-2")
        let sends: [(String, Int64)] = [("edge-1", 4), ("edge-1", 2), ("edge-1", 4), ("edge-2", 1), ("ghost", 1), ("edge-1", 3)]
        let outcomes = await withTaskGroup(of: (Int, Result<ReportAck, StoreError>).self) { group in
            for (index, (cluster, sequence)) in sends.enumerated() {
                group.addTask {
                    do throws(StoreError) {
                        return (index, .success(try await store.ingest(cluster: cluster, report: Fixtures.report(sequence))))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var all: [Int: Result<ReportAck, StoreError>] = [:]
            for await (index, outcome) in group { all[index] = outcome }
            return all
        }
        #expect(store.ingestStatistics.transactions <= 2, "the six reports were grouped: \(store.ingestStatistics.transactions) transactions")
        let twins = [0, 2].compactMap { try? outcomes[$0]?.get() }
        #expect(twins.count == 2 && twins.filter { !$0.duplicate }.count == 1, "exactly one copy of edge-1/4 is new: \(twins)")
        #expect((try? outcomes[1]?.get())?.duplicate == false && (try? outcomes[5]?.get())?.duplicate == false)
        guard case .failure(let error)? = outcomes[4] else {
            Issue.record("a report of a cluster that is not enrolled was accepted")
            return
        }
        #expect(error.code == .notFound)
        #expect(try await store.reportHistory(cluster: "edge-1").map(\.sequence) == [4, 3, 2])
        #expect(try await store.latestReport(cluster: "edge-1")?.sequence == 4)
        #expect(try await store.latestReport(cluster: "edge-2")?.sequence == 1)
        #expect(try await store.cluster("edge-2").lastReportAt == fixture.clock.now())
        try await store.close()
    }

    /// Reports arriving out of order are all kept, but the latest report only moves to a higher sequence.
    @Test(arguments: StoreKind.allCases) func latestMovesOnlyForward(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        var latestAfterEach: [Int64] = []
        for sequence: Int64 in [5, 3, 7, 6] {
            _ = try await store.ingest(cluster: "edge-1", report: Fixtures.report(sequence))
            latestAfterEach.append(try #require(try await store.latestReport(cluster: "edge-1")).sequence)
        }
        #expect(latestAfterEach == [5, 5, 7, 7])
        #expect(try await store.reportHistory(cluster: "edge-1").map(\.sequence) == [7, 6, 5, 3])
        try await store.close()
    }

    /// History keeps the configured number of highest sequences per cluster.
    @Test(arguments: StoreKind.allCases) func historyIsBoundedPerCluster(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open(FleetStoreConfiguration(reportHistoryLimit: 5))
        try await store.enrollCluster("edge-1")
        try await store.enrollCluster("edge-2")
        for sequence: Int64 in 1...12 {
            _ = try await store.ingest(cluster: "edge-1", report: Fixtures.report(sequence))
        }
        _ = try await store.ingest(cluster: "edge-2", report: Fixtures.report(1))
        #expect(try await store.reportHistory(cluster: "edge-1").map(\.sequence) == [12, 11, 10, 9, 8])
        #expect(try await store.reportHistory(cluster: "edge-1", limit: 2).map(\.sequence) == [12, 11])
        #expect(try await store.reportHistory(cluster: "edge-2").map(\.sequence) == [1])
        try await store.close()
    }

    /// 2,000 concurrent reports from 50 clusters are all durable after close and reopen, and
    /// were committed in far fewer transactions than reports.
    @Test(arguments: StoreKind.allCases) func concurrentIngestIsGroupCommitted(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open(FleetStoreConfiguration(reportBatchSize: 100, reportBatchDelay: .milliseconds(20)))
        let clusters = (0..<50).map { "edge-\($0)" }
        for name in clusters { try await store.enrollCluster(name) }
        let acks = try await withThrowingTaskGroup(of: ReportAck.self) { group in
            for name in clusters {
                for sequence: Int64 in 1...40 {
                    group.addTask { try await store.ingest(cluster: name, report: Fixtures.report(sequence)) }
                }
            }
            return try await group.reduce(into: [ReportAck]()) { $0.append($1) }
        }
        #expect(acks.count == 2000)
        #expect(acks.allSatisfy { !$0.duplicate })
        let statistics = store.ingestStatistics
        #expect(statistics.stored == 2000)
        #expect(statistics.failedTransactions == 0)
        #expect(statistics.transactions * 4 < 2000, "\(statistics.transactions) transactions for 2000 reports")
        try await store.close()

        let reopened = try await fixture.open()
        for name in clusters {
            #expect(try await reopened.reportHistory(cluster: name).count == 40, "\(name)")
            #expect(try await reopened.latestReport(cluster: name)?.sequence == 40, "\(name)")
        }
        try await reopened.close()
    }

    /// A prune run forwarded in several reports is stored once, and the queries filter by cluster and time.
    @Test(arguments: StoreKind.allCases) func pruneResultsAreStoredOncePerRun(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        try await store.enrollCluster("edge-2")
        let monday = fixture.clock.now()
        let tuesday = monday.addingTimeInterval(86_400)
        _ = try await store.ingest(cluster: "edge-1", report: Fixtures.report(1, pruneRuns: ["run-a"], at: monday))
        _ = try await store.ingest(cluster: "edge-1", report: Fixtures.report(2, pruneRuns: ["run-a", "run-b"], at: tuesday))
        _ = try await store.ingest(cluster: "edge-1", report: Fixtures.report(2, pruneRuns: ["run-b"], at: tuesday))
        _ = try await store.ingest(cluster: "edge-2", report: Fixtures.report(1, pruneRuns: ["run-c"], at: monday))

        let all = try await store.pruneResults()
        #expect(all.map(\.report.runID).sorted() == ["run-a", "run-b", "run-c"])
        #expect(try await store.pruneResults(cluster: "edge-1").map(\.report.runID) == ["run-b", "run-a"])
        #expect(try await store.pruneResults(since: tuesday).map(\.report.runID) == ["run-b"])
        #expect(try await store.pruneResults(cluster: "edge-2", since: tuesday).isEmpty)
        let runA = try #require(all.first { $0.report.runID == "run-a" })
        #expect(runA.cluster == "edge-1")
        #expect(runA.report == Fixtures.pruneRun("run-a", finishedAt: monday))
        #expect(PruneTotals(records: all).manifestsDeleted == 30)
        try await store.close()
    }

    /// A report from a cluster that is not enrolled is refused alone; reports in the same batch still commit.
    @Test(arguments: StoreKind.allCases) func reportFromUnknownClusterIsRefusedAlone(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open(FleetStoreConfiguration(reportBatchSize: 2, reportBatchDelay: .seconds(30)))
        try await store.enrollCluster("edge-1")
        let known = Task { try await store.ingest(cluster: "edge-1", report: Fixtures.report(1)) }
        let unknown = Task { try await store.ingest(cluster: "ghost", report: Fixtures.report(1)) }
        #expect(try await known.value == ReportAck(sequence: 1, duplicate: false))
        let error = await #expect(throws: StoreError.self) { _ = try await unknown.value }
        #expect(error?.code == .notFound)
        #expect(error?.cluster == "ghost")
        #expect(store.ingestStatistics.transactions == 1)
        #expect(store.ingestStatistics.refused == 1)
        try await store.close()
    }
}
