import ArgumentParser
import FleetClient
import FleetModel
import Foundation
import RegistryModel

/// `regfleet health`: the fleet at a glance.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "health", abstract: "Fleet health: counts per state and the clusters that need attention.")

    @Option(name: [.customShort("l"), .long], help: "Label selector.")
    var selector: String?

    @Option(name: [.short, .long], help: "Output: table, json or yaml.")
    var output: OutputFormat = .table

    @OptionGroup var connection: HubConnectionOptions

    func run() async throws {
        let report = try await HubAdminClient.with(connection) { try await $0.health(selector: selector) }
        if !output.isTable { return print(try DocumentFile.render(report, as: output)) }
        print(HealthText.render(report))
    }
}

/// The health report as text.
enum HealthText {
    static func render(_ report: FleetHealthReport) -> String {
        let order = ClusterState.allCases.map(\.rawValue)
        if report.total == 0 { return "no clusters enrolled" }
        var lines = ["\(report.total) cluster(s): " + order.compactMap { state in report.counts[state].flatMap { $0 > 0 ? "\($0) \(state)" : nil } }.joined(separator: ", ")]
        if !report.groups.isEmpty {
            lines.append("")
            lines.append(
                TextTable.render(
                    header: ["GROUP"] + order.map { $0.uppercased() },
                    rows: report.groups.map { group in ["\(group.label)=\(group.value)"] + order.map { String(group.counts[$0] ?? 0) } }))
        }
        if !report.unhealthy.isEmpty {
            lines.append("")
            lines.append(
                TextTable.render(
                    header: ["CLUSTER", "STATE", "REASON", "SINCE", "MESSAGE"],
                    rows: report.unhealthy.map { [$0.cluster, $0.state.rawValue, $0.reason, $0.since.map(RFC3339.format) ?? "-", $0.message] }))
        }
        if !report.prunerFailing.isEmpty { lines.append("\npruner failing on: \(report.prunerFailing.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }
}
