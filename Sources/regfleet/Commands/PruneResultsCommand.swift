import ArgumentParser
import FleetClient
import Foundation
import RegistryModel

/// `regfleet prune-results`: pruning runs across the fleet.
struct PruneResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune-results", abstract: "Pruning runs per cluster and fleet totals.")

    @Option(name: .long, help: "Only this cluster.")
    var cluster: String?

    @Option(name: .long, help: "Only runs received since then: a Go duration ago (1h, 30m) or an RFC 3339 time.")
    var since: String?

    @Option(name: .long, help: "The newest this many runs (1-1000).")
    var limit = 100

    @Option(name: [.short, .long], help: "Output: table, json or yaml.")
    var output: OutputFormat = .table

    @OptionGroup var connection: HubConnectionOptions

    func run() async throws {
        let sinceDate = try since.map { text -> Date in
            if let date = RFC3339.parse(text) { return date }
            guard let ago = try? GoDuration(parsing: text), ago.nanoseconds > 0 else {
                throw ValidationError("--since must be a duration such as 1h or an RFC 3339 time, got \"\(text)\"")
            }
            return Date().addingTimeInterval(-ago.seconds)
        }
        let response = try await HubAdminClient.with(connection) { try await $0.pruneResults(cluster: cluster, since: sinceDate, limit: limit) }
        if !output.isTable { return print(try DocumentFile.render(response, as: output)) }
        print(
            TextTable.render(
                header: ["CLUSTER", "FINISHED", "MODE", "SCANNED", "KEPT", "DELETED", "RECLAIMABLE", "ERRORS"],
                rows: response.results.map { record in
                    let report = record.report
                    return [
                        record.cluster, RFC3339.format(report.finishedAt), report.dryRun ? "dry-run" : "confirm", String(report.manifestsScanned),
                        String(report.kept), String(report.deleted), ByteCountFormatter.string(fromByteCount: report.reclaimableBytes, countStyle: .binary),
                        String(report.errors.count),
                    ]
                }))
        let totals = response.totals
        print(
            "\n\(totals.runs) run(s) on \(totals.clusters) cluster(s): \(totals.manifestsDeleted) manifest(s) deleted, "
                + "\(ByteCountFormatter.string(fromByteCount: totals.reclaimableBytes, countStyle: .binary)) reclaimable, \(totals.failedRuns) failed run(s)")
    }
}

/// `regfleet audit`: who changed what.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit log of admin writes, newest first.")

    @Option(name: .long, help: "How many entries.")
    var limit = 50

    @Option(name: .long, help: "Only this actor, e.g. admin/alice.")
    var actor: String?

    @Option(name: [.short, .long], help: "Output: table, json or yaml.")
    var output: OutputFormat = .table

    @OptionGroup var connection: HubConnectionOptions

    func run() async throws {
        let entries = try await HubAdminClient.with(connection) { try await $0.audit(limit: limit, actor: actor) }
        if !output.isTable { return print(try DocumentFile.render(entries, as: output)) }
        print(
            TextTable.render(
                header: ["TIME", "ACTOR", "ACTION", "TARGET", "GENERATION"],
                rows: entries.map { entry in
                    let generation = entry.generationAfter.map { "\(entry.generationBefore.map(String.init) ?? "-")→\($0)" } ?? ""
                    return [RFC3339.format(entry.at), entry.actor, entry.action, entry.target, generation]
                }))
    }
}
