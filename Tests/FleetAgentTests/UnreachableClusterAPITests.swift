import FleetAgent
import FleetClient
import FleetHub
import FleetModel
import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// A live agent whose cluster API server cannot be reached, against the real hub: the hub must tell "agent up,
/// cluster API down" apart from a dead agent.
struct UnreachableClusterAPITests {
    /// While the cluster's API server is unreachable the agent keeps reporting, so past the lease the hub shows the
    /// cluster Unreachable (ClusterAPIUnreachable) in ls/get, the health counts, metrics and the dashboard, never
    /// Offline; a rollout started meanwhile waits on the cluster, saying why; once the API is back the state
    /// leaves Unreachable.
    @Test func agentReportsAnUnreachableClusterAPI() async throws {
        // 6 s: a heartbeat every 0.2 s, each a durable write to the agent's queue; on a loaded CI disk those
        // fsyncs have stalled reports for 4 s, which is not what this test is about.
        let lease: TimeInterval = 6
        let harness = try await AgentHarness(lease: lease)
        let running = harness.start(harness.configuration(token: try await harness.hub.createToken(cluster: "edge-1")))
        try await waitUntil("a first report") { (try? await harness.hub.services.clusterDetail("edge-1").latestReport) != nil }

        await harness.cluster.makeAPIUnreachable(reason: "connection refused")
        let cutAt = Date()
        try await waitUntil("the hub to show the cluster Unreachable") {
            try await harness.hub.services.clusterDetail("edge-1").summary.health.state.rawValue == "Unreachable"
        }
        // Past the lease, still Unreachable: the agent is alive and says so.
        try await waitUntil("the lease to pass", timeout: lease * 4) { Date().timeIntervalSince(cutAt) > lease * 2 }
        let summary = try #require(try await harness.hub.services.clusterSummaries().first { $0.name == "edge-1" })
        #expect(summary.health.state.rawValue == "Unreachable")
        #expect(summary.health.reason == "ClusterAPIUnreachable")
        #expect(summary.health.message.contains("connection refused"), "\(summary.health.message)")
        let health = try await harness.hub.services.health()
        #expect(health.counts["Unreachable"] == 1)
        #expect(health.counts["Offline"] == 0)
        #expect(health.unhealthy.map(\.cluster) == ["edge-1"])
        let admin = try harness.hub.pki.loadAdminCredential(name: "admin")
        let connection = try HubConnection(
            baseURL: harness.hub.url, caCertificatePEM: try harness.hub.pki.loadCACertificatePEM(), clientCertificatePEM: admin.certificatePEM,
            clientKeyPEM: admin.privateKeyPEM)
        // Each read is a snapshot taken a little later; a report delayed on a loaded machine may briefly make the
        // cluster look stale, so each waits (within the lease) for the state the hub shows everywhere else.
        try await waitUntil("the metrics to count the cluster Unreachable", timeout: lease) {
            String(decoding: try await connection.send(.GET, "/metrics").body, as: UTF8.self).contains(#"regfleet_clusters{state="Unreachable"} 1"#)
        }
        try await waitUntil("the dashboard to show ClusterAPIUnreachable", timeout: lease) {
            String(decoding: try await connection.send(.GET, "/").body, as: UTF8.self).contains("ClusterAPIUnreachable")
        }
        await connection.shutdown()

        // A rollout cannot confirm the cluster: it stays Applying, saying why, and does not succeed.
        let plan = RolloutPlan(
            name: "while-unreachable", selector: RolloutPlan.allClusters, change: FleetPolicy(registry: RegistryPolicy(replicas: 2)),
            strategy: RolloutStrategy(maxConcurrency: .count(1), soakSeconds: 0, progressDeadlineSeconds: 600))
        guard case .created(let rollout) = try await harness.hub.rollouts.create(plan, actor: "admin/test") else {
            Issue.record("the rollout was not created")
            return
        }
        try await waitUntil("the rollout to show the cluster cannot be confirmed") {
            let cluster = try await harness.hub.rollouts.get(rollout.id).clusters.first
            return cluster?.state == .applying && cluster?.message?.contains("cannot confirm: Unreachable (ClusterAPIUnreachable)") == true
        }
        #expect(try await harness.hub.rollouts.get(rollout.id).phase.isActive)

        await harness.cluster.restoreAPIReachability()
        try await waitUntil("the state to leave Unreachable for a state of an observed registry") {
            let state = try await harness.hub.services.clusterDetail("edge-1").summary.health.state
            return ![.unreachable, .offline, .unknown].contains(state)
        }
        _ = await running.stop()
        await harness.tearDown()
    }
}
