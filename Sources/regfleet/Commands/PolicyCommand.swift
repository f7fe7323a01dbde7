import ArgumentParser
import FleetClient
import FleetModel
import Foundation
import RegistryModel

/// `regfleet policy get|set`.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Read and change a cluster's desired registry and pruner policy.", subcommands: [Get.self, Set.self, Patch.self, Edit.self])

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a cluster's policy and generation.")

        @Argument(help: "Cluster name.", completion: HubCompletion.clusters)
        var name: String

        @Option(name: [.short, .long], help: "Output: yaml or json (table too, with --effective).")
        var output: OutputFormat?

        @Flag(name: .long, help: "Show every field with where it comes from (the cluster's own policy or a fleet policy) and the fleet policy changes still to reach it.")
        var effective = false

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            if effective {
                let policy = try await HubAdminClient.with(connection) { try await $0.effectivePolicy(name) }
                let format = output ?? .table
                return print(format.isTable ? PolicyText.effective(policy) : try DocumentFile.render(policy, as: format))
            }
            let policy = try await HubAdminClient.with(connection) { try await $0.policy(name) }
            let format = output ?? .yaml
            print(try DocumentFile.render(policy, as: format.isTable ? .yaml : format))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the policy from a file, or change single fields with flags.",
            discussion: """
                With -f the file (YAML or JSON, `-` for standard input) replaces the policy: what `policy get -o yaml` \
                prints, edited, is accepted (cluster, updatedBy, updatedAt and staged are read-only and ignored; \
                generation, when present, guards against a concurrent change). Fields the file leaves out are unset: \
                use `policy patch` to change only the fields a file names. With flags, the named fields are changed \
                on top of the current policy, guarded by its generation. --dry-run prints the change and writes nothing.
                """)

        @Argument(help: "Cluster name.", completion: HubCompletion.clusters)
        var name: String

        @Option(name: .shortAndLong, help: "Policy file (YAML or JSON); - reads standard input.")
        var file: String?

        @Option(name: .long, help: "Managed, Removed or Unmanaged.")
        var managementState: String?
        @Option(name: .long, help: "Registry replicas.")
        var replicas: Int?
        @Option(name: .customLong("registry-log-level"), help: "The registry's log level: Normal, Debug, Trace, TraceAll (--log-level is regfleet's own, on the long-running commands).")
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

        @OptionGroup var write: PolicyWriteOptions

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
            try await HubAdminClient.with(write.connection) { client in
                let current = try await PolicyFile.current(name, client: client)
                let request =
                    if let file {
                        try PolicyFile.load(file, cluster: name).request
                    } else {
                        PolicyUpdateRequest(policy: current.policy.merging(flagChange), generation: current.generation)
                    }
                try await write.send(request, to: name, current: current, client: client)
            }
        }
    }

    struct Patch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change only the fields a file names, keeping the rest of the policy.",
            discussion: """
                The file (YAML or JSON, `-` for standard input; the shape `policy get -o yaml` prints) is merged into \
                the current policy as a JSON merge patch: a field it names is set, null removes it, fields it leaves out \
                keep their values. Guarded by the current generation (or the file's).
                """)

        @Argument(help: "Cluster name.", completion: HubCompletion.clusters)
        var name: String

        @Option(name: .shortAndLong, help: "Patch file (YAML or JSON); - reads standard input.")
        var file: String

        @OptionGroup var write: PolicyWriteOptions

        func run() async throws {
            try await HubAdminClient.with(write.connection) { client in
                let current = try await PolicyFile.current(name, client: client)
                let patch = try PolicyFile.load(file, cluster: name)
                let request = PolicyUpdateRequest(
                    policy: current.policy.merging(patch.request.policy), generation: patch.generation ?? current.generation,
                    acknowledgeDataLoss: patch.acknowledgeDataLoss, force: patch.force)
                try await write.send(request, to: name, current: current, client: client)
            }
        }
    }
}

/// The flags `policy set` and `policy patch` share: how the write is confirmed, tried and shown.
struct PolicyWriteOptions: ParsableArguments {
    @Flag(name: .long, help: "Confirm that switching to Removed deletes operator-managed storage and its image data.")
    var acknowledgeDataLoss = false

    @Flag(name: .long, help: "Change a cluster that an active rollout holds (its later waves or rollback may overwrite this; audited).")
    var force = false

    @Flag(name: .long, help: "Print the fields that would change; write nothing.")
    var dryRun = false

    @Option(name: [.short, .long], help: "Output: yaml or json.")
    var output: OutputFormat = .yaml

    @OptionGroup var connection: HubConnectionOptions

    /// Sends `request` with these flags, or with --dry-run prints what it would change; prints the stored policy.
    func send(_ request: PolicyUpdateRequest, to name: String, current: PolicyDocument, client: HubAdminClient) async throws {
        var request = request
        if acknowledgeDataLoss { request.acknowledgeDataLoss = true }
        if force { request.force = true }
        try await PolicyFile.write(request, to: name, current: current, dryRun: dryRun, output: output, client: client)
    }
}

/// What `policy set -f` and `policy patch -f` read: the shape `policy get -o yaml` prints (so its output can be
/// edited and applied back) plus the request's own fields. Unknown fields are refused, as everywhere.
struct PolicyFile: Codable {
    var cluster: String?
    var generation: Int64?
    var registry: RegistryPolicy?
    var pruner: PrunerPolicy?
    /// Read-only fields of `policy get`, accepted and ignored.
    var updatedBy: String?
    var updatedAt: Date?
    var staged: Bool?
    var acknowledgeDataLoss: Bool?
    var force: Bool?

    /// The cluster's policy; for a cluster with neither a policy nor a staged one (it has not enrolled),
    /// generation 0 and nothing set, so that a write stages one.
    static func current(_ name: String, client: HubAdminClient) async throws -> PolicyDocument {
        do {
            return try await client.policy(name)
        } catch let error as HubClientError where error.status == 404 {
            return PolicyDocument(cluster: name, generation: 0, policy: FleetPolicy())
        }
    }

    /// Loads `path` (or standard input for `-`); a file that names another cluster is refused.
    static func load(_ path: String, cluster: String) throws -> PolicyFile {
        let file = try DocumentFile.load(PolicyFile.self, path: path)
        if let named = file.cluster, named != cluster {
            throw ValidationFailure("\(path == "-" ? "standard input" : path) holds the policy of cluster \"\(named)\", not \"\(cluster)\"")
        }
        return file
    }

    /// The request that replaces the policy with this file's.
    var request: PolicyUpdateRequest {
        PolicyUpdateRequest(
            policy: FleetPolicy(registry: registry, pruner: pruner), generation: generation, acknowledgeDataLoss: acknowledgeDataLoss, force: force)
    }

    /// Sends `request`, or with `dryRun` prints what it would change; prints the stored policy after a write.
    static func write(
        _ request: PolicyUpdateRequest, to name: String, current: PolicyDocument, dryRun: Bool, output: OutputFormat, client: HubAdminClient
    ) async throws {
        if dryRun {
            let changes = current.policy.diff(to: request.policy)
            print("dry run — nothing written; policy of \(name) at generation \(current.generation):")
            if changes.isEmpty { print("  no change") }
            for change in changes {
                print("  \(change.path): \(change.from.map(RolloutText.describe) ?? "(unset)") → \(change.to.map(RolloutText.describe) ?? "(unset)")")
            }
            return
        }
        let document = try await client.putPolicy(name, request)
        print(try DocumentFile.render(document, as: output.isTable ? .yaml : output))
    }
}
