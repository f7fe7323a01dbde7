import Foundation
import RegistryModel

extension PruneReport {
    /// The report as an aligned, human-readable block for `--output table`.
    public var tableDescription: String {
        var lines: [String] = []
        let mode = dryRun ? "dry run: nothing was deleted, add --confirm to delete" : "confirmed"
        lines.append("Prune of \(registryURL) (\(mode))")
        func row(_ label: String, _ value: String) { lines.append(label.padding(toLength: 26, withPad: " ", startingAt: 0) + value) }
        row("Repositories scanned", "\(repositoriesScanned)")
        row("Manifests scanned", "\(manifestsScanned)")
        row("Kept", "\(kept)")
        let ruleOrder = PruneRule.allCases.map(\.rawValue)
        let rules = keptByRule.keys.sorted { (ruleOrder.firstIndex(of: $0) ?? ruleOrder.count, $0) < (ruleOrder.firstIndex(of: $1) ?? ruleOrder.count, $1) }
        for rule in rules { row("  \(rule)", "\(keptByRule[rule] ?? 0)") }
        row(dryRun ? "Would delete" : "Deleted", "\(deleted)")
        row("Unreferenced blobs", "\(unreferencedBlobs), \(Self.formatBytes(reclaimableBytes)) reclaimable by registry GC")
        row("Duration", String(format: "%.1f s", durationSeconds))
        row("Errors", "\(errors.count)")
        for error in errors { lines.append("  " + (error.repository.map { "\($0): " } ?? "") + error.message) }
        return lines.joined(separator: "\n")
    }

    /// `1.5 MiB (1572864 bytes)`.
    static func formatBytes(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " \(units[unit]) (\(bytes) bytes)"
    }
}
