import FleetClient
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// `regfleet rollout status` as a pipeline uses it.
struct RolloutStatusCommandTests {
    /// `status --watch` of a rollout that ended Aborted exits non-zero, says why on stderr, and shows the
    /// clusters it never started as not started; the rollout is found by its name, and `describe` tells the
    /// plan, each cluster's state and the control events.
    @Test func watchFailsUnlessTheRolloutSucceeded() async throws {
        let directory = try temporaryDirectory("rollout-status")
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
        let anonymous = try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: nil, clientKeyPEM: nil)
        for name in ["edge-1", "edge-2"] {
            let token = try await admin.createToken(TokenRequest(cluster: name))
            let csr = try SigningRequest(identity: .cluster(name), key: FleetPrivateKey())
            _ = try await anonymous.call(.POST, "/v1/enroll", body: EnrollRequest(cluster: name, token: token.token, csr: csr.pem), as: CertificateResponse.self)
        }
        await anonymous.shutdown()
        let rollout = try await admin.createRollout(
            RolloutPlan(
                name: "two-replicas", selector: RolloutPlan.allClusters, change: FleetPolicy(registry: RegistryPolicy(replicas: 2)),
                strategy: RolloutStrategy(canary: CanarySpec(count: 1), maxConcurrency: .count(1), progressDeadlineSeconds: 600)))
        _ = try await admin.controlRollout(rollout.id, action: "abort")
        await admin.connection.shutdown()

        let watched = try await RegFleetProcess.run(
            ["rollout", "status", "two-replicas", "-w", "--interval", "0.2", "--hub", baseURL, "--pki-dir", "pki"], in: directory)
        #expect(watched.status != 0, "\(watched.stdout)")
        #expect(watched.stderr.contains("rollout \(rollout.id) ended Aborted"), "\(watched.stderr)")
        #expect(watched.stdout.contains("not started"), "\(watched.stdout)")
        #expect(!watched.stdout.contains("in progress"), "\(watched.stdout)")

        let described = try await RegFleetProcess.run(["rollout", "describe", "two-replicas", "--hub", baseURL, "--pki-dir", "pki"], in: directory)
        #expect(described.status == 0, "\(described.stderr)")
        for expected in ["Name:       two-replicas (\(rollout.id))", "Phase:      Aborted", "Selector:   * (every cluster)", "canary:", "edge-1", "edge-2",
            "rollout.control  by admin/admin"] {
            #expect(described.stdout.contains(expected), "\(expected) in:\n\(described.stdout)")
        }

        let once = try await RegFleetProcess.run(["rollout", "status", rollout.id, "--hub", baseURL, "--pki-dir", "pki"], in: directory)
        #expect(once.status == 0, "without --watch the status is only shown: \(once.stderr)")
        hub.signal(SIGTERM)
        #expect(try await hub.wait() == 0)
    }
}
