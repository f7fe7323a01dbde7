import Foundation
import ImagePruning
import RegistryModel
import Testing

/// The human-readable report of `regfleet prune --output table`.
@Suite struct PruneReportTableTests {
    /// A partial confirmed run shows its counts, rules in rule order, reclaimable bytes and each
    /// error with its repository.
    @Test func tableShowsCountsRulesAndErrors() {
        let report = PruneReport(
            registryURL: "https://reg.local:5000", dryRun: false, startedAt: Fixtures.now, finishedAt: Fixtures.now.addingTimeInterval(12.34),
            repositoriesScanned: 2, manifestsScanned: 10, keptByRule: ["tagInUse": 1, "young": 2, "revisions": 3, "retagged": 1], deleted: 3,
            unreferencedBlobs: 4, reclaimableBytes: 3 * 1024 * 1024 / 2,
            errors: [PruneError(repository: "team/app", message: "registry unreachable; run stopped while deleting, the report is partial")])
        let lines = report.tableDescription.split(separator: "\n").map(String.init)
        #expect(lines.first == "Prune of https://reg.local:5000 (confirmed)")
        #expect(lines.contains("Kept                      7"))
        let ruleLines = lines.filter { $0.hasPrefix("  ") && !$0.contains(":") }.map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first! }
        #expect(ruleLines == ["young", "revisions", "tagInUse", "retagged"])
        #expect(lines.contains("Deleted                   3"))
        #expect(lines.contains("Unreferenced blobs        4, 1.5 MiB (1572864 bytes) reclaimable by registry GC"))
        #expect(lines.contains("Duration                  12.3 s"))
        #expect(lines.last == "  team/app: registry unreachable; run stopped while deleting, the report is partial")
    }

    /// A dry run says so and says how to delete.
    @Test func dryRunSaysNothingWasDeleted() {
        let report = PruneReport(registryURL: "http://r:5000", dryRun: true, startedAt: Fixtures.now, finishedAt: Fixtures.now, deleted: 2)
        #expect(report.tableDescription.hasPrefix("Prune of http://r:5000 (dry run: nothing was deleted, add --confirm to delete)"))
        #expect(report.tableDescription.contains("Would delete              2"))
    }
}
