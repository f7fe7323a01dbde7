import FleetAgent
import FleetHub
import FleetModel
import Foundation
import KubeClient
import RegistryModel
import RegistryOperator
import Testing

/// The agent reports when the operator has finished a pass, not only at its heartbeat: every test sets the
/// heartbeat to an hour, so only pass-driven reports can make them pass.
struct PassReportTests {
    /// A configuration whose heartbeat never fires during the test.
    static func configuration(_ harness: AgentHarness, token: String) -> AgentConfiguration {
        var configuration = harness.configuration(token: token)
        configuration.reportInterval = 3600
        return configuration
    }

    /// A new policy is confirmed by a report carrying the operator's post-pass conditions (the registry's status
    /// observed the new Config generation, Healthy with the new replica count) long before the next heartbeat.
    @Test func newPolicyIsConfirmedAfterTheOperatorPass() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(Self.configuration(harness, token: try await harness.hub.createToken(cluster: "edge-1")))
        try await waitUntil("the long poll to be held") { try harness.hub.services.notifier.heldCount == 1 }
        let generation = try await harness.hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 2)))
        try await waitUntil("the hub to store the confirming report") {
            let detail = try await harness.hub.services.clusterDetail("edge-1")
            guard let registry = detail.latestReport?.registry, detail.summary.observedGeneration == generation else { return false }
            return detail.summary.health.state == .healthy && registry.replicas == 2 && registry.readyReplicas == 2
                && registry.generation != nil && registry.observedGeneration == registry.generation
        }
        #expect(await running.status.appliedGeneration == generation)
        _ = await running.stop()
        await harness.tearDown()
    }

    /// A condition change the operator makes without any new policy (the registry turns Degraded once its pods
    /// have failed to pull their image for a while) reaches the hub with the pass that made it.
    @Test func conditionChangeIsReportedAfterThePass() async throws {
        let harness = try await AgentHarness()
        await harness.cluster.injectImagePullFailure(namespace: RegistryNames.namespace, deployment: RegistryNames.registryDeployment)
        var configuration = Self.configuration(harness, token: try await harness.hub.createToken(cluster: "edge-1"))
        configuration.operatorOptions.imagePullDegradedAfter = 1
        let running = harness.start(configuration)
        try await waitUntil("a first report stored") { try await harness.hub.services.store.latestReport(cluster: "edge-1") != nil }
        try await waitUntil("the hub to see the cluster Degraded") {
            let health = try await harness.hub.services.clusterDetail("edge-1").summary.health
            return health.state == .degraded && health.reason == "ImagePullFailed"
        }
        _ = await running.stop()
        await harness.tearDown()
    }
}
