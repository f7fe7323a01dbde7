import ArgumentParser
import FleetClient
import Foundation
import RegistryModel

/// `regfleet policy get|set`.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Read and change a cluster's desired registry and pruner policy.", subcommands: [Get.self, Set.self])

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a cluster's policy and generation.")

        @Argument(help: "Cluster name.")
        var name: String

        @Option(name: .long, help: "Output: yaml or json.")
        var output: OutputFormat = .yaml

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let policy = try await HubAdminClient.with(connection) { try await $0.policy(name) }
            print(try DocumentFile.render(policy, as: output == .table ? .yaml : output))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the policy from a file, or change single fields with flags.",
            discussion: """
                With -f the file (YAML or JSON: registry, pruner, acknowledgeDataLoss, generation) replaces the policy. \
                With flags, the named fields are changed on top of the current policy, guarded by its generation \
                (a concurrent change makes the command fail rather than overwrite it).
                """)

        @Argument(help: "Cluster name.")
        var name: String

        @Option(name: .shortAndLong, help: "Policy file (YAML or JSON).")
        var file: String?

        @Option(name: .long, help: "Managed, Removed or Unmanaged.")
        var managementState: String?
        @Option(name: .long, help: "Registry replicas.")
        var replicas: Int?
        @Option(name: .long, help: "Registry log level: Normal, Debug, Trace, TraceAll.")
        var logLevel: String?
        @Option(name: .long, help: "Storage management state: Managed or Unmanaged.")
        var storageManagementState: String?
        @Option(name: .long, help: "Pruner cron schedule.")
        var schedule: String?
        @Option(name: .long, help: "Suspend the pruner: true or false.")
        var suspend: Bool?
        @Option(name: .long, help: "Pruner: newest revisions kept per repository.")
        var keepTagRevisions: Int?
        @Option(name: .long, help: "Pruner: keep images younger than this Go duration.")
        var keepYoungerThan: String?

        @Flag(name: .long, help: "Confirm that switching to Removed deletes operator-managed storage and its image data.")
        var acknowledgeDataLoss = false

        @Flag(name: .long, help: "Change a cluster that an active rollout holds (its later waves or rollback may overwrite this; audited).")
        var force = false

        @Option(name: .long, help: "Output: yaml or json.")
        var output: OutputFormat = .yaml

        @OptionGroup var connection: HubConnectionOptions

        var flagChange: FleetPolicy {
            var registry = RegistryPolicy(
                managementState: managementState.map(ManagementState.init(rawValue:)), replicas: replicas, logLevel: logLevel,
                storage: storageManagementState.map { StoragePolicy(managementState: ManagementState(rawValue: $0)) })
            if registry == RegistryPolicy() { registry = RegistryPolicy() }
            let pruner = PrunerPolicy(schedule: schedule, suspend: suspend, keepTagRevisions: keepTagRevisions, keepYoungerThanDuration: keepYoungerThan)
            return FleetPolicy(registry: registry == RegistryPolicy() ? nil : registry, pruner: pruner == PrunerPolicy() ? nil : pruner)
        }

        func validate() throws {
            if file != nil && flagChange != FleetPolicy() { throw ValidationError("use either -f FILE or field flags, not both") }
            if file == nil && flagChange == FleetPolicy() { throw ValidationError("nothing to set: give -f FILE or at least one field flag") }
        }

        func run() async throws {
            let document = try await HubAdminClient.with(connection) { client -> PolicyDocument in
                var request: PolicyUpdateRequest
                if let file {
                    request = try DocumentFile.load(PolicyUpdateRequest.self, path: file)
                } else {
                    let current = try await client.policy(name)
                    request = PolicyUpdateRequest(policy: current.policy.merging(flagChange), generation: current.generation)
                }
                if acknowledgeDataLoss { request.acknowledgeDataLoss = true }
                if force { request.force = true }
                return try await client.putPolicy(name, request)
            }
            print(try DocumentFile.render(document, as: output == .table ? .yaml : output))
        }
    }
}
