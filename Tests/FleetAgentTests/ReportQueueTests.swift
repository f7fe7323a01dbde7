import FleetAgent
import FleetModel
import Foundation
import RegistryModel
import Testing

struct ReportQueueTests {
    static func report(pruneRuns: [String] = []) -> AgentReport {
        let runs = pruneRuns.map {
            PruneReport(runID: $0, registryURL: RegistryNames.internalRegistryURL, dryRun: false, startedAt: Date(timeIntervalSince1970: 0), finishedAt: Date(timeIntervalSince1970: 60))
        }
        return AgentReport(
            sequence: 0, observedGeneration: 1, agentVersion: "test", collectedAt: Date(timeIntervalSince1970: 1_790_000_000),
            registry: RegistryObservation(managementState: .managed), pruneResults: runs.isEmpty ? nil : runs)
    }

    /// Sequences increase strictly, and keep increasing after the file is closed and reopened.
    @Test func sequencesIncreaseAcrossReopen() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory.root, withIntermediateDirectories: true)
            let path = directory.path("agent.sqlite")
            var queue = try ReportQueue(path: path, limit: 10)
            #expect(try permissions(of: path) == 0o600)
            #expect(try await queue.enqueue(Self.report()).sequence == 1)
            #expect(try await queue.enqueue(Self.report()).sequence == 2)
            try await queue.acknowledge(sequence: 1)
            try await queue.acknowledge(sequence: 2)
            try queue.close()
            queue = try ReportQueue(path: path, limit: 10)
            #expect(try await queue.count() == 0)
            #expect(try await queue.enqueue(Self.report()).sequence == 3)
            try queue.close()
        }
    }

    /// Queued reports survive a reopen and leave only when acknowledged, oldest first.
    @Test func reportsStayUntilAcknowledged() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory.root, withIntermediateDirectories: true)
            let path = directory.path("agent.sqlite")
            var queue = try ReportQueue(path: path, limit: 10)
            for _ in 1...3 { try await queue.enqueue(Self.report()) }
            try queue.close()
            queue = try ReportQueue(path: path, limit: 10)
            #expect(try await queue.oldest()?.sequence == 1)
            #expect(try await queue.oldest()?.sequence == 1)
            try await queue.acknowledge(sequence: 1)
            #expect(try await queue.oldest()?.sequence == 2)
            try await queue.acknowledge(sequence: 1)
            #expect(try await queue.all().map(\.sequence) == [2, 3])
            try queue.close()
        }
    }

    /// A full queue drops its oldest reports and the new report stands for them, including those they stood for.
    @Test func overflowIsSummarizedIntoTheNewestReport() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory.root, withIntermediateDirectories: true)
            let queue = try ReportQueue(path: directory.path("agent.sqlite"), limit: 3)
            for _ in 1...3 { try await queue.enqueue(Self.report()) }
            let fourth = try await queue.enqueue(Self.report())
            #expect(fourth.summarizedReports == 1)
            #expect(try await queue.all().map(\.sequence) == [2, 3, 4])
            try await queue.enqueue(Self.report())
            try await queue.enqueue(Self.report())
            #expect(try await queue.all().map(\.sequence) == [4, 5, 6])
            let seventh = try await queue.enqueue(Self.report())
            #expect(seventh.summarizedReports == 2, "report 4 stood for 1 and is itself dropped")
            #expect(try await queue.count() == 3)
            #expect(try await queue.all().last == seventh)
            try queue.close()
        }
    }

    /// A prune run is queued once however often it is observed, and a dropped report's runs move to the newest.
    @Test func pruneRunsAreForwardedOnce() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory.root, withIntermediateDirectories: true)
            let queue = try ReportQueue(path: directory.path("agent.sqlite"), limit: 2)
            let first = try await queue.enqueue(Self.report(pruneRuns: ["run-a"]))
            #expect(first.pruneResults?.map(\.runID) == ["run-a"])
            let second = try await queue.enqueue(Self.report(pruneRuns: ["run-a"]))
            #expect(second.pruneResults == nil)
            #expect(try await queue.hasForwarded(runID: "run-a"))
            let third = try await queue.enqueue(Self.report(pruneRuns: ["run-a", "run-b"]))
            #expect(third.pruneResults?.map(\.runID) == ["run-a", "run-b"], "run-a carried from the dropped first report")
            #expect(third.summarizedReports == 1)
            try queue.close()
        }
    }
}
