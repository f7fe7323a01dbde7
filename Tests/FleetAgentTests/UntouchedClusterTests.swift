import FleetAgent
import Foundation
import KubeSimulator
import RegistryModel
import Testing

/// An agent changes a cluster only on its hub's word: until it has enrolled and holds a desired state (from the
/// hub, or cached after an earlier sync) it makes no request at all to the cluster's API server.
struct UntouchedClusterTests {
    /// A token the hub refuses ends `run()` with `enrollmentRefused`, and the cluster was never touched: no
    /// Config/cluster, no Deployment, no PVC, no CronJob, not even a read.
    @Test func refusedTokenLeavesTheClusterUntouched() async throws {
        let harness = try await AgentHarness()
        let running = harness.start(harness.configuration(token: "tok-not-issued-by-this-hub"))
        let outcome = await running.task.value
        guard case .failure(let error) = outcome else { Issue.record("ran with a token the hub never issued"); return }
        #expect(error.code == .enrollmentRefused)
        #expect(await harness.cluster.requestCount(Set(APIVerb.allCases)) == 0)
        #expect(try await harness.cluster.getIfExists(Config.self, name: RegistryNames.singleton) == nil)
        #expect(await running.status.phase == .enrolling)
        await harness.tearDown()
    }

    /// While the hub cannot be reached the agent keeps retrying enrollment and leaves the cluster alone.
    @Test func unreachableHubLeavesTheClusterUntouched() async throws {
        let harness = try await AgentHarness()
        let token = try await harness.hub.createToken(cluster: "edge-1")
        await harness.hub.stop()
        let running = harness.start(harness.configuration(token: token))
        try await waitUntil("enrollment to fail against the stopped hub") { await running.status.lastError != nil }
        #expect(await running.status.phase == .enrolling)
        #expect(await harness.cluster.requestCount(Set(APIVerb.allCases)) == 0)
        #expect(try await harness.cluster.getIfExists(Config.self, name: RegistryNames.singleton) == nil)
        #expect(try await running.stop().get() == ())
        await harness.tearDown()
    }

    /// Enrolled earlier but without a cached desired state (the file was lost) and with the hub down, the agent
    /// waits in `waitingForDesiredState` and a fresh cluster sees no request; once the hub answers, the agent
    /// reconciles it from generation 0 (the operator's defaults).
    @Test func enrolledAgentWaitsForTheDesiredState() async throws {
        let harness = try await AgentHarness()
        let first = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        try await waitUntil("the first agent to reconcile") { await first.status.phase == .reconciling }
        _ = await first.stop()
        try FileManager.default.removeItem(atPath: AgentState(directory: harness.stateDirectory).desiredPath)

        let fresh = SimulatedCluster(
            name: "edge-1", options: SimulationOptions(podReadyDelay: .milliseconds(200), seed: 3, controllerTick: .milliseconds(50)),
            logger: quietLogger)
        await fresh.startControllers()
        await harness.hub.stop()
        let second = RunningAgent(FleetAgent(configuration: harness.configuration(token: nil), kubernetes: fresh, logger: quietLogger))
        try await waitUntil("failed long polls") { (await second.status.lastError ?? "").contains("desired") }
        #expect(await second.status.phase == .waitingForDesiredState)
        #expect(await fresh.requestCount(Set(APIVerb.allCases)) == 0)

        try await harness.hub.start()
        try await waitUntil("the operator to bootstrap Config/cluster") {
            try await fresh.getIfExists(Config.self, name: RegistryNames.singleton) != nil
        }
        #expect(await second.status.phase == .reconciling)
        #expect(await second.status.desiredGeneration == 0)
        _ = await second.stop()
        await fresh.stopControllers()
        await harness.tearDown()
    }
}
