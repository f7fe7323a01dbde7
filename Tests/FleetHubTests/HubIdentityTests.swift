import FleetClient
import FleetHub
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

@Suite struct HubIdentityTests {
    /// Without a client certificate admin and agent routes answer 401; health and the OpenAPI document are open.
    @Test func noClientCertificateIsRefused() async throws {
        try await withHub { (hub: HubFixture) async throws in
            #expect(try await hub.anonymous.send(.GET, "/v1/clusters").status == 401)
            #expect(try await hub.anonymous.send(.GET, "/v1/agent/desired?after=0").status == 401)
            #expect(try await hub.anonymous.send(.GET, "/healthz").status == 200)
            #expect(try await hub.anonymous.send(.GET, "/readyz").status == 200)
            #expect(try await hub.anonymous.send(.GET, "/v1/openapi.yaml").status == 200)
        }
    }

    /// A certificate from another CA fails the TLS handshake: no HTTP answer at all.
    @Test func foreignCertificateAuthorityFailsHandshake() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let foreignDirectory = hub.directory.appendingPathComponent("foreign")
            let foreign = PKIDirectory(path: foreignDirectory.path)
            try foreign.initialize(hubSANs: ["localhost"], adminName: "admin", now: Date().addingTimeInterval(-60))
            let credential = try foreign.loadAdminCredential(name: "admin")
            let connection = hub.track(
                try HubConnection(
                    baseURL: hub.baseURL, caCertificatePEM: try hub.pki.loadCACertificatePEM(), clientCertificatePEM: credential.certificatePEM,
                    clientKeyPEM: credential.privateKeyPEM))
            let error = await failureStatus { _ = try await connection.send(.GET, "/v1/clusters") }
            #expect(error?.status == 0)
            #expect(error?.code == "transport")
        }
    }

    /// An agent may not call admin routes, so it cannot read another cluster's policy (403); its own desired state comes from its certificate.
    @Test func agentCannotReachAnotherCluster() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let alpha = try await hub.enroll("alpha")
            _ = try await hub.enroll("beta")
            _ = try await hub.admin.putPolicy("beta", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 3))))
            #expect(try await alpha.connection.send(.GET, "/v1/clusters/beta/policy").status == 403)
            #expect(try await alpha.connection.send(.GET, "/v1/clusters").status == 403)
            #expect(try await alpha.connection.send(.GET, "/v1/agent/desired?after=0&cluster=beta&timeout=0").status == 304)
            let admin = hub.admin.connection
            #expect(try await admin.send(.GET, "/v1/agent/desired?after=0").status == 403)
            await alpha.connection.shutdown()
        }
    }

    /// Deleting a cluster revokes its certificate: its agent is refused from then on, also after a hub restart of the revocation cache.
    @Test func deletedClusterIsRefused() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("gamma")
            #expect(try await agent.report(HubFixture.report(sequence: 1)).sequence == 1)
            let revoked = try await hub.admin.deleteCluster("gamma")
            #expect(revoked == [agent.certificate.serial])
            #expect(hub.services.store.isRevoked(agent.certificate.serial))
            let error = await failureStatus { _ = try await agent.report(HubFixture.report(sequence: 2)) }
            #expect(error?.status == 401)
            #expect(error?.message.contains("revoked") == true)
            await agent.connection.shutdown()
        }
    }

    /// Renewal issues a new certificate for the caller's own cluster.
    @Test func renewalKeepsIdentity() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("delta")
            let key = FleetPrivateKey()
            let csr = try SigningRequest(identity: .cluster("someone-else"), key: key)
            let renewed = try await agent.connection.call(.POST, "/v1/agent/renew", body: RenewRequest(csr: csr.pem), as: CertificateResponse.self)
            #expect(renewed.cluster == "delta")
            #expect(renewed.serial != agent.certificate.serial)
            #expect(try PeerCertificate(pem: renewed.certificate).identity == .cluster("delta"))
            await agent.connection.shutdown()
        }
    }
}
