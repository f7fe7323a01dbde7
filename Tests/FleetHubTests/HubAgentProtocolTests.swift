import FleetClient
import FleetHub
import FleetModel
import Foundation
import RegistryModel
import Testing

@Suite struct HubAgentProtocolTests {
    /// A report sequence sent twice is stored once; the second answer says duplicate.
    @Test func retriedReportStoredOnce() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            let report = HubFixture.report(sequence: 7)
            #expect(try await agent.report(report) == ReportAck(sequence: 7, duplicate: false))
            #expect(try await agent.report(report) == ReportAck(sequence: 7, duplicate: true))
            #expect(try await hub.services.store.reportHistory(cluster: "edge").count == 1)
            await agent.connection.shutdown()
        }
    }

    /// The long poll answers at once when the policy is newer, and a change wakes a held poll in one round trip.
    @Test func longPollWakesOnChange() async throws {
        try await withHub(longPoll: .seconds(20)) { hub in
            let agent = try await hub.enroll("edge")
            _ = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 1))))
            let immediate = try await agent.connection.call(.GET, "/v1/agent/desired?after=0", as: PolicyDocument.self)
            #expect(immediate.generation == 1)
            async let held = agent.connection.call(.GET, "/v1/agent/desired?after=1", as: PolicyDocument.self)
            try await waitUntil { hub.services.notifier.heldCount == 1 }
            let started = ContinuousClock.now
            _ = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2))))
            let woken = try await held
            #expect(woken.generation == 2)
            #expect(woken.registry?.replicas == 2)
            #expect(ContinuousClock.now - started < .seconds(10))
            await agent.connection.shutdown()
        }
    }

    /// Without a change the poll ends with 304 at the timeout.
    @Test func longPollTimesOutWith304() async throws {
        try await withHub(longPoll: .milliseconds(300)) { hub in
            let agent = try await hub.enroll("edge")
            #expect(try await agent.connection.send(.GET, "/v1/agent/desired?after=0").status == 304)
            #expect(hub.services.notifier.heldCount == 0)
            await agent.connection.shutdown()
        }
    }

    /// A cluster whose reports stop shows Offline after the lease, never Healthy.
    @Test func silentClusterGoesOffline() async throws {
        try await withHub(lease: 60) { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            _ = try await agent.report(HubFixture.report(sequence: 1))
            #expect(try await hub.admin.clusters().first?.health.state == .healthy)
            hub.clock.advance(by: 61)
            let summary = try #require(try await hub.admin.clusters().first)
            #expect(summary.health.state == .offline)
            let health = try await hub.admin.health()
            #expect(health.counts["Offline"] == 1)
            #expect(health.unhealthy.first?.cluster == "edge")
            await agent.connection.shutdown()
        }
    }

    /// The metrics endpoint exposes cluster states, reports and request durations.
    @Test func metricsAreExposed() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            _ = try await agent.report(HubFixture.report(sequence: 1))
            let (status, body) = try await hub.anonymous.send(.GET, "/metrics")
            let text = String(decoding: body, as: UTF8.self)
            #expect(status == 200)
            #expect(text.contains("regfleet_reports_ingested_total 1"))
            #expect(text.contains(#"regfleet_clusters{state="Healthy"} 1"#))
            #expect(text.contains("regfleet_http_request_duration_seconds"))
            await agent.connection.shutdown()
        }
    }
}

/// Polls `condition` until it holds or the deadline passes.
func waitUntil(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("condition not met within \(timeout)")
    throw CancellationError()
}

@Suite struct HubPruneResultsTests {
    /// Prune runs carried by reports appear in /v1/prune-results with fleet totals; a run forwarded twice counts once.
    @Test func pruneResultsAndTotals() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let alpha = try await hub.enroll("alpha")
            let beta = try await hub.enroll("beta")
            let start = hub.clock.now()
            func run(_ id: String, deleted: Int, bytes: Int64, errors: [PruneError] = []) -> PruneReport {
                PruneReport(runID: id, registryURL: "https://r", dryRun: false, startedAt: start, finishedAt: start.addingTimeInterval(2), manifestsScanned: 100, deleted: deleted, reclaimableBytes: bytes, errors: errors)
            }
            var first = HubFixture.report(sequence: 1)
            first.pruneResults = [run("a-1", deleted: 5, bytes: 1000)]
            _ = try await alpha.report(first)
            var retried = HubFixture.report(sequence: 2)
            retried.pruneResults = [run("a-1", deleted: 5, bytes: 1000)]
            _ = try await alpha.report(retried)
            var failed = HubFixture.report(sequence: 1)
            failed.pruneResults = [run("b-1", deleted: 2, bytes: 500, errors: [PruneError(repository: "team/app", message: "registry unreachable")])]
            _ = try await beta.report(failed)
            let all = try await hub.admin.pruneResults()
            #expect(all.results.count == 2)
            #expect(all.totals == PruneTotals(runs: 2, clusters: 2, manifestsDeleted: 7, reclaimableBytes: 1500, failedRuns: 1))
            let onlyBeta = try await hub.admin.pruneResults(cluster: "beta")
            #expect(onlyBeta.results.map(\.report.runID) == ["b-1"])
            #expect(try await hub.admin.pruneResults(since: start.addingTimeInterval(3600)).results.isEmpty)
            #expect(try await hub.admin.pruneResults(limit: 1).results.count == 1, "the newest run only")
            let unknown = try await hub.admin.connection.send(.GET, "/v1/prune-results?cluster=gamma")
            #expect(unknown.status == 404, "a cluster that never enrolled is not an empty list")
            #expect(try await hub.admin.connection.send(.GET, "/v1/prune-results?limit=0").status == 400)
        }
    }
}
