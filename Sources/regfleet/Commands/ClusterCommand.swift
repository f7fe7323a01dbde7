import ArgumentParser
import FleetClient
import FleetModel
import Foundation
import RegistryModel

/// `regfleet cluster ls|get|describe|label|delete`.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "List, inspect, label and delete clusters.",
        subcommands: [List.self, Get.self, Describe.self, Label.self, Delete.self])

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One cluster for people: state and why, conditions, workloads, policy, rollouts, prune runs, recent events.")

        @Argument(help: "Cluster name.", completion: HubCompletion.clusters)
        var name: String

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let text = try await HubAdminClient.with(connection) { client in
                let detail = try await client.cluster(name)
                let rollouts = try await client.rollouts().filter { $0.clusters.contains { $0.name == name } }
                let prunes = try await client.pruneResults(cluster: name).results
                let events = try await client.audit(limit: 500).filter { $0.target == name }
                let effective = try await client.effectivePolicy(name)
                return ClusterDescription(detail: detail, rollouts: rollouts, pruneRuns: prunes, events: events, effective: effective, now: Date()).text
            }
            print(text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "Clusters with their state and generations.", aliases: ["list"])

        @Option(name: [.customShort("l"), .long], help: "Label selector, e.g. env=prod,region in (eu,us).")
        var selector: String?

        @Option(name: [.short, .long], help: "Output: table, wide (with agent, enrolled and message), name, json or yaml.")
        var output: OutputFormat = .table

        @Option(name: .long, help: "At most this many clusters, by name (the hub is read a page at a time).")
        var limit: Int?

        @OptionGroup var connection: HubConnectionOptions

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        }

        func run() async throws {
            var clusters = try await HubAdminClient.with(connection) { client in
                guard let limit else { return try await client.clusters(selector: selector) }
                return try await client.clusterPage(selector: selector, limit: limit).clusters
            }
            if let limit { clusters = Array(clusters.prefix(limit)) }
            switch output {
            case .table: print(ClusterTable.render(clusters))
            case .wide: print(ClusterTable.render(clusters, wide: true))
            default: print(try DocumentFile.render(ClusterList(clusters: clusters), as: output))
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One cluster: state, policy, latest report, certificates.")

        @Argument(help: "Cluster name.", completion: HubCompletion.clusters)
        var name: String

        @Option(name: [.short, .long], help: "Output: yaml or json.")
        var output: OutputFormat = .yaml

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let detail = try await HubAdminClient.with(connection) { try await $0.cluster(name) }
            print(try DocumentFile.render(detail, as: output.isTable ? .yaml : output))
        }
    }

    struct Label: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set (k=v) or remove (k-) labels of a cluster.")

        @Argument(help: "Cluster name.", completion: HubCompletion.clusters)
        var name: String

        @Argument(help: "KEY=VALUE to set, KEY- to remove.")
        var changes: [String]

        @Flag(name: .long, help: "Allow changing the value of a label the cluster already has (as kubectl label --overwrite).")
        var overwrite = false

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let summary = try await HubAdminClient.with(connection) { client in
                var labels = try await client.cluster(name).summary.labels
                for change in changes {
                    if change.hasSuffix("-"), !change.contains("=") {
                        labels.removeValue(forKey: String(change.dropLast()))
                    } else {
                        for (key, value) in try LabelArguments.parse([change]) {
                            if let existing = labels[key], existing != value, !overwrite {
                                throw ValidationFailure("cluster \(name) already has \(key)=\(existing); pass --overwrite to change it to \(value)")
                            }
                            labels[key] = value
                        }
                    }
                }
                return try await client.setLabels(name, labels: labels)
            }
            print("\(summary.name): \(summary.labels.keys.sorted().map { "\($0)=\(summary.labels[$0]!)" }.joined(separator: ","))")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a cluster: its certificates are revoked and its agent can no longer connect.")

        @Argument(help: "Cluster name.", completion: HubCompletion.clusters)
        var name: String

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let revoked = try await HubAdminClient.with(connection) { try await $0.deleteCluster(name) }
            print("deleted cluster \(name); revoked \(revoked.count) certificate(s)")
        }
    }
}

/// The fleet table shared by `cluster ls` and the demo.
enum ClusterTable {
    /// `cluster ls`; `wide` adds the agent's version, the enrollment's age and the health message.
    static func render(_ clusters: [ClusterSummary], wide: Bool = false) -> String {
        TextTable.render(
            header: ["NAME", "STATE", "REASON", "MGMT", "GEN (OBS/DESIRED)", "LAST REPORT", "LABELS"] + (wide ? ["AGENT", "ENROLLED", "MESSAGE"] : []),
            rows: clusters.map { cluster in
                [
                    cluster.name, cluster.health.state.rawValue + (cluster.health.prunerFailing ? " (pruner failing)" : ""), cluster.health.reason,
                    cluster.managementState?.rawValue ?? "-", "\(cluster.observedGeneration.map(String.init) ?? "-")/\(cluster.desiredGeneration)",
                    cluster.lastReportAt.map { ago($0) } ?? "never",
                    cluster.labels.keys.sorted().map { "\($0)=\(cluster.labels[$0]!)" }.joined(separator: ","),
                ] + (wide ? [cluster.agentVersion ?? "-", cluster.enrolledAt.map { ago($0) } ?? "-", cluster.health.message] : [])
            })
    }

    static func ago(_ date: Date, now: Date = Date()) -> String {
        let seconds = Int(now.timeIntervalSince(date))
        if seconds < 60 { return "\(max(seconds, 0))s ago" }
        if seconds < 3600 { return "\(seconds / 60)m ago" }
        if seconds < 86_400 { return "\(seconds / 3600)h ago" }
        return "\(seconds / 86_400)d ago"
    }
}
