import FleetClient
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// `regfleet cluster describe|label` through the real CLI and hub.
struct ClusterCommandTests {
    /// describe shows state, labels, policy fields, conditions, workloads and the audit events of the cluster;
    /// label refuses to change an existing value without --overwrite.
    @Test func describeAndLabel() async throws {
        let directory = try temporaryDirectory("cluster-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await RegFleetProcess.run(["pki", "init", "--dir", "pki", "--hub-san", "127.0.0.1"], in: directory).status == 0)
        let (hub, port) = try await RegFleetProcess.startHub(in: directory)
        defer { hub.signal(SIGKILL) }
        let baseURL = "https://127.0.0.1:\(port)"
        let pki = PKIDirectory(path: directory.appendingPathComponent("pki").path)
        let caPEM = try pki.loadCACertificatePEM()
        let credential = try pki.loadAdminCredential(name: "admin")
        let admin = HubAdminClient(
            connection: try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: credential.certificatePEM, clientKeyPEM: credential.privateKeyPEM))
        let token = try await admin.createToken(TokenRequest(cluster: "edge-1", labels: ["env": "prod"]))
        let key = FleetPrivateKey()
        let anonymous = try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: nil, clientKeyPEM: nil)
        let issued = try await anonymous.call(
            .POST, "/v1/enroll", body: EnrollRequest(cluster: "edge-1", token: token.token, csr: try SigningRequest(identity: .cluster("edge-1"), key: key).pem),
            as: CertificateResponse.self)
        await anonymous.shutdown()
        _ = try await admin.putPolicy("edge-1", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2))))
        let agent = try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: issued.certificate, clientKeyPEM: key.pem)
        let report = AgentReport(
            sequence: 1, observedGeneration: 1, agentVersion: "test", collectedAt: Date(),
            registry: RegistryObservation(
                managementState: .managed, storageManagementState: .managed, replicas: 2, readyReplicas: 2, generation: 1, observedGeneration: 1,
                conditions: [Condition(type: "Available", status: .true, reason: "Ready", message: "2 replicas ready")]),
            workloads: [WorkloadStatus(kind: "Deployment", name: "image-registry", present: true, ready: true, desired: 2, readyCount: 2)])
        _ = try await agent.call(.POST, "/v1/agent/reports", body: report, as: ReportAck.self)
        await agent.shutdown()
        await admin.connection.shutdown()

        let connection = ["--hub", baseURL, "--pki-dir", "pki"]
        let described = try await RegFleetProcess.run(["cluster", "describe", "edge-1"] + connection, in: directory)
        #expect(described.status == 0, "\(described.stderr)")
        for expected in ["Name:             edge-1", "env=prod", "generation 1, observed 1", "registry.replicas: 2", "Available", "2 replicas ready",
            "image-registry", "2/2", "Events:", "policy.update", "cluster.enroll"] {
            #expect(described.stdout.contains(expected), "\(expected) in:\n\(described.stdout)")
        }

        let refused = try await RegFleetProcess.run(["cluster", "label", "edge-1", "env=staging"] + connection, in: directory)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("already has env=prod; pass --overwrite"), "\(refused.stderr)")
        let added = try await RegFleetProcess.run(["cluster", "label", "edge-1", "tier=gold"] + connection, in: directory)
        #expect(added.status == 0 && added.stdout.contains("env=prod,tier=gold"), "\(added.stdout)\(added.stderr)")
        let overwritten = try await RegFleetProcess.run(["cluster", "label", "edge-1", "env=staging", "--overwrite"] + connection, in: directory)
        #expect(overwritten.status == 0 && overwritten.stdout.contains("env=staging"), "\(overwritten.stdout)\(overwritten.stderr)")
        hub.signal(SIGTERM)
        #expect(try await hub.wait() == 0)
    }
}
