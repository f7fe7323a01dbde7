import FleetClient
import FleetHub
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// The hub's API for clusters that are about to enroll: a retried enrollment, and a policy staged first.
@Suite struct HubStagingAndRetryTests {
    /// An agent whose enrollment answer was lost asks again with the same token and key and gets a working
    /// certificate; the same token with another key is still refused (409), and so is a cluster's second token.
    @Test func retriedEnrollmentWithTheSameKeyIsAnswered() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let token = try await hub.admin.createToken(TokenRequest(cluster: "edge-1"))
            let key = FleetPrivateKey()
            let csr = try SigningRequest(identity: .cluster("edge-1"), key: key)
            let request = EnrollRequest(cluster: "edge-1", token: token.token, csr: csr.pem)
            let first = try await hub.anonymous.call(.POST, "/v1/enroll", body: request, as: CertificateResponse.self)
            let again = try await hub.anonymous.call(.POST, "/v1/enroll", body: request, as: CertificateResponse.self)
            #expect(again.certificate != first.certificate, "a new serial for the same key")
            let agent = try HubConnection(
                baseURL: hub.baseURL, caCertificatePEM: try hub.pki.loadCACertificatePEM(), clientCertificatePEM: again.certificate, clientKeyPEM: key.pem)
            #expect(try await agent.call(.GET, "/v1/agent/desired?after=-1&timeout=0", as: PolicyDocument.self).cluster == "edge-1")
            await agent.shutdown()

            let other = try SigningRequest(identity: .cluster("edge-1"), key: FleetPrivateKey())
            let (status, body) = try await hub.anonymous.send(
                .POST, "/v1/enroll", body: try JSONCoding.encode(EnrollRequest(cluster: "edge-1", token: token.token, csr: other.pem)))
            #expect(status == 409, "\(String(decoding: body, as: UTF8.self))")
            #expect(try await hub.admin.clusters().map(\.name) == ["edge-1"])
        }
    }

    /// A policy set for a cluster that has not enrolled is staged (answered with `staged`, readable back),
    /// Removed needs the acknowledgement as for an enrolled one, and the enrolled agent's first desired state
    /// is the staged policy as generation 1.
    @Test func policySetBeforeEnrollmentIsStaged() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let staged = try await hub.admin.putPolicy(
                "pending-1", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 3), pruner: PrunerPolicy(schedule: "15 3 * * *"))))
            #expect(staged.staged == true && staged.generation == 0)
            #expect(try await hub.admin.policy("pending-1").registry?.replicas == 3)

            let removed = PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(managementState: .removed)))
            let (status, body) = try await hub.admin.connection.send(.PUT, "/v1/clusters/pending-1/policy", body: try JSONCoding.encode(removed))
            #expect(status == 422)
            #expect(HubConnection.error(status: status, body: body).field == "acknowledgeDataLoss")
            #expect(try await hub.admin.policy("pending-1").registry?.replicas == 3, "the refused change staged nothing")

            let agent = try await hub.enroll("pending-1")
            let desired = try await agent.connection.call(.GET, "/v1/agent/desired?after=-1&timeout=0", as: PolicyDocument.self)
            #expect(desired.generation == 1)
            #expect(desired.registry?.replicas == 3 && desired.pruner?.schedule == "15 3 * * *")
            #expect(desired.staged == nil)
            #expect(try await hub.admin.audit(limit: 100).contains { $0.action == "policy.stage" && $0.target == "pending-1" })
        }
    }

    /// A name that is not a DNS-1123 label is refused before anything is staged.
    @Test func stagingValidatesTheName() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let (status, _) = try await hub.admin.connection.send(
                .PUT, "/v1/clusters/Not_A_Name/policy", body: try JSONCoding.encode(PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2)))))
            #expect(status == 422 || status == 400)
            #expect(try await hub.admin.audit(limit: 100).allSatisfy { $0.action != "policy.stage" })
        }
    }
}
