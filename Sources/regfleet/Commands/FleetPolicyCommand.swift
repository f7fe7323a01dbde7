import ArgumentParser
import FleetClient
import FleetModel
import Foundation
import RegistryModel

/// `regfleet fleet-policy apply|ls|get|describe|delete`.
struct FleetPolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet-policy",
        abstract: "Standing policies by label selector: clusters that match now, enroll later or are relabelled get them.",
        subcommands: [Apply.self, List.self, Get.self, Describe.self, Delete.self])

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace a fleet policy from a file (YAML or JSON, - for standard input).",
            discussion: """
                The file names the policy (name) and gives selector, priority, template, overrides, strategy and \
                maintenanceWindows (see fleet-examples/). What `fleet-policy get -o yaml` prints is accepted too. \
                The clusters change later, through a rollout with the policy's strategy, in their maintenance windows. \
                --dry-run shows which clusters would change and how.
                """)

        @Option(name: .shortAndLong, help: "Fleet policy file; - reads standard input.")
        var file: String

        @Flag(name: .long, help: "Show which clusters would change and how; write nothing.")
        var dryRun = false

        @Flag(name: .long, help: "Confirm that switching clusters to Removed deletes operator-managed storage and its image data.")
        var acknowledgeDataLoss = false

        @Option(name: [.short, .long], help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            var (name, spec) = try FleetPolicyFile.load(file)
            if acknowledgeDataLoss { spec.acknowledgeDataLoss = true }
            if dryRun {
                let preview = try await HubAdminClient.with(connection) { try await $0.previewFleetPolicy(name, spec) }
                return print(output.isTable ? PolicyText.preview(preview, name: name) : try DocumentFile.render(preview, as: output))
            }
            let stored = try await HubAdminClient.with(connection) { try await $0.applyFleetPolicy(name, spec) }
            if !output.isTable { return print(try DocumentFile.render(stored, as: output)) }
            print("fleet policy \(stored.name) applied (generation \(stored.generation)); follow it with: regfleet fleet-policy describe \(stored.name)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "Fleet policies with their clusters and last rollout.", aliases: ["list"])

        @Option(name: [.short, .long], help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let policies = try await HubAdminClient.with(connection) { try await $0.fleetPolicies() }
            print(output.isTable ? PolicyText.list(policies) : try DocumentFile.render(FleetPolicyList(fleetPolicies: policies), as: output))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One fleet policy with its status.")

        @Argument(help: "Fleet policy name.", completion: HubCompletion.fleetPolicies)
        var name: String

        @Option(name: [.short, .long], help: "Output: yaml, json or table.")
        var output: OutputFormat = .yaml

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let policy = try await HubAdminClient.with(connection) { try await $0.fleetPolicy(name) }
            print(output.isTable ? PolicyText.list([policy]) : try DocumentFile.render(policy, as: output))
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One fleet policy for people: what it sets, where, how, and how far it got.")

        @Argument(help: "Fleet policy name.", completion: HubCompletion.fleetPolicies)
        var name: String

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            print(PolicyText.describe(try await HubAdminClient.with(connection) { try await $0.fleetPolicy(name) }))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a fleet policy.",
            discussion: "Fields it gave pass to the fleet policies that still select each cluster; a field no other policy sets keeps its value.")

        @Argument(help: "Fleet policy name.", completion: HubCompletion.fleetPolicies)
        var name: String

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            _ = try await HubAdminClient.with(connection) { try await $0.deleteFleetPolicy(name) }
            print("fleet policy \(name) deleted")
        }
    }
}

/// A fleet policy file: `name` and the spec's fields side by side, or the `name` + `spec` shape that
/// `fleet-policy get -o yaml` prints (its read-only fields are ignored).
enum FleetPolicyFile {
    struct Flat: Codable {
        var name: String
        var selector: String
        var priority: Int?
        var template: FleetPolicy?
        var overrides: [FleetPolicyOverride]?
        var strategy: RolloutStrategy?
        var maintenanceWindows: [MaintenanceWindow]?
        var acknowledgeDataLoss: Bool?
    }

    struct Stored: Codable {
        var name: String
        var spec: FleetPolicySpec
        var generation: Int64?
        var createdBy: String?
        var createdAt: Date?
        var updatedBy: String?
        var updatedAt: Date?
        var lastRollout: String?
        var status: FleetPolicyStatus?
    }

    static func load(_ path: String) throws -> (name: String, spec: FleetPolicySpec) {
        let text = try DocumentFile.read(path)
        let source = path == "-" ? "standard input" : path
        if text.range(of: #"(?m)^spec:"#, options: .regularExpression) != nil {
            let stored = try DocumentFile.decode(Stored.self, text: text, source: source)
            return (stored.name, stored.spec)
        }
        let flat = try DocumentFile.decode(Flat.self, text: text, source: source)
        return (
            flat.name,
            FleetPolicySpec(
                selector: flat.selector, priority: flat.priority, template: flat.template, overrides: flat.overrides, strategy: flat.strategy,
                maintenanceWindows: flat.maintenanceWindows, acknowledgeDataLoss: flat.acknowledgeDataLoss)
        )
    }
}
