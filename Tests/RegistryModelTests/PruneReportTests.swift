import FleetModel
import Foundation
import RegistryModel
import Testing

/// Prune reports and the fleet totals summed from them.
@Suite struct PruneReportTests {
    private static let start = Fixtures.time("2026-03-14T00:00:00Z")

    private static func report(dryRun: Bool = false, deleted: Int, bytes: Int64, errors: [PruneError] = []) -> PruneReport {
        PruneReport(
            registryURL: RegistryNames.internalRegistryURL, dryRun: dryRun, startedAt: start, finishedAt: start.addingTimeInterval(30),
            keptByRule: ["young": 1, "revisions": 2], deleted: deleted, reclaimableBytes: bytes, errors: errors)
    }

    /// Derived fields: kept sums the rules, success means no errors, duration from the timestamps.
    @Test func derivedFields() {
        let clean = Self.report(deleted: 1, bytes: 10)
        #expect(clean.kept == 3)
        #expect(clean.succeeded)
        #expect(clean.durationSeconds == 30)
        #expect(!Self.report(deleted: 0, bytes: 0, errors: [PruneError(message: "x")]).succeeded)
        #expect(Self.report(deleted: 0, bytes: 0).runID != Self.report(deleted: 0, bytes: 0).runID)
    }

    /// Totals count every run and cluster and failures, but deletions and bytes only from real runs.
    @Test func totalsSkipDryRuns() {
        let records = [
            PruneResultRecord(cluster: "a", receivedAt: Self.start, report: Self.report(deleted: 3, bytes: 100)),
            PruneResultRecord(cluster: "a", receivedAt: Self.start, report: Self.report(dryRun: true, deleted: 50, bytes: 5_000)),
            PruneResultRecord(
                cluster: "b", receivedAt: Self.start, report: Self.report(deleted: 2, bytes: 20, errors: [PruneError(repository: "r", message: "x")])),
        ]
        #expect(PruneTotals(records: records) == PruneTotals(runs: 3, clusters: 2, manifestsDeleted: 5, reclaimableBytes: 120, failedRuns: 1))
        #expect(PruneTotals(records: []) == PruneTotals())
    }
}
