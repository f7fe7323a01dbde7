import FleetClient
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// `regfleet cluster describe|label` through the real CLI and hub.
struct ClusterCommandTests {
    /// describe shows state, labels, policy fields, conditions, workloads and the audit events of the cluster;
    /// label refuses to change an existing value without --overwrite.
    @Test func describeAndLabel() async throws {
        let fixture = try await CLIHub("cluster-cli")
        let admin = fixture.admin
        let agent = try await fixture.enroll("edge-1", labels: ["env": "prod"])
        _ = try await admin.putPolicy("edge-1", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2))))
        let report = AgentReport(
            sequence: 1, observedGeneration: 1, agentVersion: "test", collectedAt: Date(),
            registry: RegistryObservation(
                managementState: .managed, storageManagementState: .managed, replicas: 2, readyReplicas: 2, generation: 1, observedGeneration: 1,
                conditions: [Condition(type: "Available", status: .true, reason: "Ready", message: "2 replicas ready")]),
            workloads: [WorkloadStatus(kind: "Deployment", name: "image-registry", present: true, ready: true, desired: 2, readyCount: 2)])
        _ = try await agent.call(.POST, "/v1/agent/reports", body: report, as: ReportAck.self)
        await agent.shutdown()

        let described = try await fixture.run(["cluster", "describe", "edge-1"])
        #expect(described.status == 0, "\(described.stderr)")
        for expected in ["Name:             edge-1", "env=prod", "generation 1, observed 1", "registry.replicas: 2", "Available", "2 replicas ready",
            "image-registry", "2/2", "Events:", "policy.update", "cluster.enroll"] {
            #expect(described.stdout.contains(expected), "\(expected) in:\n\(described.stdout)")
        }

        let refused = try await fixture.run(["cluster", "label", "edge-1", "env=staging"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("already has env=prod; pass --overwrite"), "\(refused.stderr)")
        let added = try await fixture.run(["cluster", "label", "edge-1", "tier=gold"])
        #expect(added.status == 0 && added.stdout.contains("env=prod,tier=gold"), "\(added.stdout)\(added.stderr)")
        let overwritten = try await fixture.run(["cluster", "label", "edge-1", "env=staging", "--overwrite"])
        #expect(overwritten.status == 0 && overwritten.stdout.contains("env=staging"), "\(overwritten.stdout)\(overwritten.stderr)")
        try await fixture.stop()
    }
}
