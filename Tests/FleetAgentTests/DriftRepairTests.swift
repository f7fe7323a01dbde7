import FleetAgent
import FleetModel
import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Hand edits and deletions of Config/cluster and ImagePruner/cluster are repaired from the watch within seconds
/// (the harness's resync is an hour), and reports claim a generation only while the live objects carry it.
struct DriftRepairTests {
    /// Seconds a repair may take; far below the harness's one-hour resync.
    static let repairDeadline: TimeInterval = 10

    /// Deleting Config/cluster while the hub says Removed brings it back Removed, not the operator's Managed default,
    /// and the registry is never re-created in between (the operator bootstraps with the hub's policy).
    @Test func deletedConfigComesBackWithTheHubsPolicy() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        let generation = try await harness.hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(managementState: .removed)))
        try await waitUntil("the policy to be applied") { await running.status.appliedGeneration == generation }
        let original = try await harness.cluster.get(Config.self, name: RegistryNames.singleton)
        #expect(original.spec.managementState == .removed)
        // The operator may have started on its defaults before the policy came; let it finish removing first.
        try await waitUntil("the operator to have removed the registry", timeout: 30) {
            let config = try await harness.cluster.get(Config.self, name: RegistryNames.singleton)
            let deployments = try await harness.cluster.list(Deployment.self, namespace: RegistryNames.namespace)
            return config.status?.observedGeneration == config.metadata.generation
                && config.status?.conditions?.has(ConfigConditionType.removed, .true) == true && deployments.isEmpty
        }

        let beforeDeletion = await harness.cluster.resourceVersion
        try await harness.cluster.delete(Config.self, name: RegistryNames.singleton)
        try await waitUntil("Config/cluster to be re-created Removed", timeout: Self.repairDeadline) {
            guard let config = try await harness.cluster.getIfExists(Config.self, name: RegistryNames.singleton) else { return false }
            return config.metadata.uid != original.metadata.uid && config.spec.managementState == .removed
        }
        // The operator's status on the new object is not part of the repair deadline (it is slow on a loaded machine).
        try await waitUntil("the re-created Config/cluster to be reconciled", timeout: 30) {
            guard let config = try await harness.cluster.getIfExists(Config.self, name: RegistryNames.singleton) else { return false }
            return config.metadata.uid != original.metadata.uid && config.status?.observedGeneration == config.metadata.generation
                && config.status?.conditions?.has(ConfigConditionType.removed, .true) == true
        }
        #expect(try await harness.cluster.getIfExists(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.registryDeployment) == nil)
        // Every Deployment change since the deletion, replayed from the watch history; ending the streams ends the replay.
        let replay = try await harness.cluster.watch(
            .deployments, namespace: RegistryNames.namespace, options: WatchOptions(resourceVersion: beforeDeletion))
        await harness.cluster.dropWatches()
        var created: [String] = []
        for try await event in replay where event.type == .added { created.append(event.object.metadata.name) }
        #expect(created.isEmpty, "Deployments created while Config/cluster was back on the operator's defaults: \(created)")
        _ = await running.stop()
        await harness.tearDown()
    }

    /// A hand edit of a hub-owned field of Config/cluster is reverted within seconds.
    @Test func handEditOfConfigIsReverted() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        let generation = try await harness.hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 3)))
        try await waitUntil("the policy to be applied") { await running.status.appliedGeneration == generation }
        try await harness.editReplicas(1)
        try await waitUntil("replicas to be 3 again", timeout: Self.repairDeadline) { try await harness.replicas() == 3 }
        _ = await running.stop()
        await harness.tearDown()
    }

    /// Deleting ImagePruner/cluster brings it back with the hub's pruner fields.
    @Test func deletedPrunerComesBackWithTheHubsPolicy() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        let generation = try await harness.hub.setPolicy(cluster: "edge-1", FleetPolicy(pruner: PrunerPolicy(schedule: "15 3 * * *", suspend: true)))
        try await waitUntil("the policy to be applied") { await running.status.appliedGeneration == generation }
        let original = try await harness.cluster.get(ImagePruner.self, name: RegistryNames.singleton)

        try await harness.cluster.delete(ImagePruner.self, name: RegistryNames.singleton)
        try await waitUntil("ImagePruner/cluster to be re-created with the policy", timeout: Self.repairDeadline) {
            guard let pruner = try await harness.cluster.getIfExists(ImagePruner.self, name: RegistryNames.singleton) else { return false }
            return pruner.metadata.uid != original.metadata.uid && pruner.spec.schedule == "15 3 * * *" && pruner.spec.suspend == true
        }
        _ = await running.stop()
        await harness.tearDown()
    }

    /// While a hand edit cannot be repaired (every update of Config fails), reports stop claiming the generation;
    /// once the repair goes through they claim it again.
    @Test func reportsClaimTheGenerationOnlyWhileTheClusterAgrees() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        let generation = try await harness.hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 3)))
        try await waitUntil("the hub to see the generation applied") { try await Self.newest(harness)?.observedGeneration == generation }

        await harness.cluster.injectAPIErrors(rate: 1, status: 500, verbs: [.update], resources: [.configs])
        let edited = try await harness.cluster.patch(
            .configs, namespace: nil, name: RegistryNames.singleton, mergePatch: ["spec": ["replicas": 1]])
        let editedAt = Date()
        try await waitUntil("a report that does not claim the generation", timeout: Self.repairDeadline) {
            guard let newest = try await Self.newest(harness), newest.collectedAt > editedAt else { return false }
            return newest.observedGeneration != generation
        }
        #expect(try await harness.replicas() == 1, "the repair really failed: \(edited.metadata.resourceVersion ?? "")")

        await harness.cluster.clearAPIErrors()
        try await waitUntil("the repair", timeout: Self.repairDeadline) { try await harness.replicas() == 3 }
        try await waitUntil("a report claiming the generation again", timeout: Self.repairDeadline) {
            try await Self.newest(harness)?.observedGeneration == generation
        }
        _ = await running.stop()
        await harness.tearDown()
    }

    /// The newest report the hub stored for edge-1.
    static func newest(_ harness: AgentHarness) async throws -> AgentReport? {
        let stored = try await harness.hub.storedReports(cluster: "edge-1")
        return stored.keys.max().flatMap { stored[$0] }
    }
}
