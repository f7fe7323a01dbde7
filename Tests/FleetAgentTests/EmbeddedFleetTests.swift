import FleetClient
import FleetEmbedded
import FleetModel
import Foundation
import KubeSimulator
import Logging
import RegistryModel
import Testing

/// The whole system in one process: a hub, agents on simulated clusters, real mutual TLS.
@Suite(.serialized) struct EmbeddedFleetTests {
    private func withFleet(lease: TimeInterval = 60, _ body: (EmbeddedFleet) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = quietLogger
        let hub = try await EmbeddedHub.start(directory: directory, lease: lease, logger: logger)
        let fleet = EmbeddedFleet(hub: hub, logger: logger)
        do {
            try await body(fleet)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }

    private static let faulty = "edge-07"

    /// 20 clusters converge to Healthy with the desired generation applied; the one whose image cannot be pulled shows Degraded with the reason from its condition.
    @Test func twentyClustersConverge() async throws {
        try await withFleet { fleet in
            for index in 1...20 {
                let name = String(format: "edge-%02d", index)
                try await fleet.addCluster(name, labels: ["env": index % 2 == 0 ? "prod" : "staging"]) { cluster in
                    if name == Self.faulty {
                        await cluster.injectImagePullFailure(namespace: RegistryNames.namespace, deployment: RegistryNames.registryDeployment, message: "manifest unknown")
                    }
                }
            }
            try await waitUntil("all 20 enrolled", timeout: 60) { try await fleet.hub.admin.clusters().count == 20 }
            for cluster in try await fleet.hub.admin.clusters() {
                _ = try await fleet.hub.admin.putPolicy(cluster.name, PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(managementState: .managed, replicas: 1))))
            }
            try await waitUntil("the fleet converges", timeout: 120) {
                let clusters = try await fleet.hub.admin.clusters()
                return clusters.allSatisfy { cluster in
                    cluster.observedGeneration == cluster.desiredGeneration
                        && cluster.health.state == (cluster.name == Self.faulty ? .degraded : .healthy)
                }
            }
            let clusters = try await fleet.hub.admin.clusters()
            #expect(clusters.filter { $0.health.state == .healthy }.count == 19)
            let degraded = try #require(clusters.first { $0.name == Self.faulty })
            #expect(degraded.health.reason == "ImagePullFailed")
            #expect(degraded.health.message.contains("Deployment image-registry"))
            #expect(clusters.allSatisfy { $0.desiredGeneration == 1 && $0.agentVersion == RegistryFleetVersion.current })
        }
    }

    /// A cluster whose agent stops shows Offline after the lease and never Healthy again.
    @Test func stoppedAgentGoesOffline() async throws {
        try await withFleet(lease: 4) { fleet in
            try await fleet.addCluster("quiet", labels: [:])
            try await waitUntil("healthy", timeout: 60) { try await fleet.hub.admin.clusters().first?.health.state == .healthy }
            await fleet.stopAgent("quiet")
            let stopped = Date()
            var states: [ClusterState] = []
            try await waitUntil("offline", timeout: 30) {
                let state = try await fleet.hub.admin.clusters().first?.health.state
                if let state, Date().timeIntervalSince(stopped) > 5 { states.append(state) }
                return state == .offline
            }
            for _ in 0..<5 {
                states.append(try await fleet.hub.admin.clusters().first?.health.state ?? .unknown)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(!states.contains(.healthy))
            #expect(states.last == .offline)
        }
    }

    /// A rollout over 50 simulated clusters with a canary and 3 waves reaches every cluster through its agent.
    @Test func rolloutOverFiftyClusters() async throws {
        try await withFleet { fleet in
            for index in 1...50 {
                try await fleet.addCluster(String(format: "c%02d", index), labels: ["canary": index == 1 ? "true" : "false"])
            }
            try await waitUntil("all 50 healthy", timeout: 240) {
                let clusters = try await fleet.hub.admin.clusters()
                return clusters.count == 50 && clusters.allSatisfy { $0.health.state == .healthy }
            }
            let rollout = try await fleet.hub.admin.createRollout(
                RolloutPlan(
                    name: "replicas", selector: RolloutPlan.allClusters, change: FleetPolicy(registry: RegistryPolicy(replicas: 2), pruner: PrunerPolicy(keepTagRevisions: 5)),
                    strategy: RolloutStrategy(canary: CanarySpec(selector: "canary=true"), maxConcurrency: .count(17), soakSeconds: 1, progressDeadlineSeconds: 180)))
            #expect(rollout.waves == ["canary", "wave-1", "wave-2", "wave-3"])
            var done = rollout
            try await waitUntil("rollout finished", timeout: 300) {
                done = try await fleet.hub.admin.rollout(rollout.id)
                return !done.phase.isActive
            }
            #expect(done.phase == .succeeded, "\(done.message ?? "")")
            let clusters = try await fleet.hub.admin.clusters()
            #expect(clusters.allSatisfy { $0.desiredGeneration == 1 && $0.observedGeneration == 1 && $0.health.state == .healthy })
            let member = try #require(fleet.member("c33"))
            let config = try await member.cluster.get(Config.self, name: RegistryNames.singleton)
            #expect(config.spec.replicas == 2)
            let pruner = try await member.cluster.get(ImagePruner.self, name: RegistryNames.singleton)
            #expect(pruner.spec.keepTagRevisions == 5)
        }
    }
}
