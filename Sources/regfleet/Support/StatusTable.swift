import Foundation
import RegistryModel
import RegistryOperator

/// Renders tables for the terminal: aligned columns, and a redraw in place when stdout is a TTY.
enum TextTable {
    /// Columns padded to their widest cell.
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// True when standard output is a terminal.
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Clears the screen before a redraw (interactive only).
    static func clearScreen() {
        if isInteractive { print("\u{1B}[H\u{1B}[2J", terminator: "") }
    }
}

/// The operator's live status as text.
enum OperatorStatusText {
    static func render(_ summary: OperatorStatusSummary, title: String) -> String {
        var lines = [title]
        let state = summary.managementState?.rawValue ?? "-"
        lines.append(
            "Config/cluster: \(state)  replicas \(summary.readyReplicas ?? 0)/\(summary.replicas ?? 0)  generation \(summary.observedGeneration ?? 0)/\(summary.generation ?? 0)  storage \(summary.storageManagementState?.rawValue ?? "-")"
        )
        lines.append("")
        lines.append(
            TextTable.render(
                header: ["CONDITION", "STATUS", "REASON", "MESSAGE"],
                rows: summary.conditions.sorted { $0.type < $1.type }.map { [$0.type, $0.status.rawValue, $0.reason ?? "", $0.message ?? ""] }))
        lines.append("")
        lines.append(
            TextTable.render(
                header: ["KIND", "NAME", "PRESENT", "READY", "DETAIL"],
                rows: summary.workloads.map { workload in
                    let counts = workload.desired.map { "\(workload.readyCount ?? 0)/\($0)" } ?? (workload.ready ? "yes" : "no")
                    return [workload.kind, workload.name, workload.present ? "yes" : "no", workload.present ? counts : "-", workload.message ?? ""]
                }))
        lines.append("")
        let prunerConditions = summary.prunerConditions.sorted { $0.type < $1.type }.map { "\($0.type)=\($0.status.rawValue)" }.joined(separator: " ")
        lines.append("ImagePruner/cluster: schedule \"\(summary.prunerSchedule ?? "-")\"\(summary.prunerSuspended == true ? " (suspended)" : "")  \(prunerConditions)")
        return lines.joined(separator: "\n")
    }
}
