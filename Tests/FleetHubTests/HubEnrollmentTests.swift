import FleetClient
import FleetHub
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

@Suite struct HubEnrollmentTests {
    private func enroll(_ hub: HubFixture, cluster: String, token: String) async -> HubClientError? {
        await failureStatus {
            let csr = try SigningRequest(identity: .cluster(cluster), key: FleetPrivateKey())
            _ = try await hub.anonymous.call(.POST, "/v1/enroll", body: EnrollRequest(cluster: cluster, token: token, csr: csr.pem), as: CertificateResponse.self)
        }
    }

    /// A token cannot be used twice.
    @Test func reusedTokenIsRefused() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let token = try await hub.admin.createToken(TokenRequest(cluster: "edge-1"))
            #expect(await enroll(hub, cluster: "edge-1", token: token.token) == nil)
            let error = await enroll(hub, cluster: "edge-1", token: token.token)
            #expect(error?.status == 409)
            #expect(error?.code == "conflict")
        }
    }

    /// An expired token is refused and enrolls nothing.
    @Test func expiredTokenIsRefused() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let token = try await hub.admin.createToken(TokenRequest(cluster: "edge-2", ttlSeconds: 60))
            hub.clock.advance(by: 61)
            let error = await enroll(hub, cluster: "edge-2", token: token.token)
            #expect(error?.status == 401)
            #expect(try await hub.admin.clusters().isEmpty)
        }
    }

    /// A token made for another cluster is refused (403), and an unknown one (401); neither burns the real token.
    @Test func wrongClusterAndUnknownTokens() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let token = try await hub.admin.createToken(TokenRequest(cluster: "edge-3"))
            #expect(await enroll(hub, cluster: "edge-4", token: token.token)?.status == 403)
            #expect(await enroll(hub, cluster: "edge-3", token: "not-a-token")?.status == 401)
            #expect(await enroll(hub, cluster: "edge-3", token: token.token) == nil)
        }
    }

    /// A CSR that is not a valid request is 422 naming the field, and the token survives.
    @Test func badCSRIsRefused() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let token = try await hub.admin.createToken(TokenRequest(cluster: "edge-5"))
            let (status, body) = try await hub.anonymous.send(
                .POST, "/v1/enroll", body: try JSONCoding.encode(EnrollRequest(cluster: "edge-5", token: token.token, csr: "garbage")))
            #expect(status == 422)
            #expect(HubConnection.error(status: status, body: body).field == "csr")
            #expect(await enroll(hub, cluster: "edge-5", token: token.token) == nil)
        }
    }

    /// Labels from the token are the cluster's labels.
    @Test func tokenLabelsBecomeClusterLabels() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge-6", labels: ["env": "prod"])
            #expect(try await hub.admin.cluster("edge-6").summary.labels == ["env": "prod"])
            #expect(try await hub.admin.clusters(selector: "env=prod").map(\.name) == ["edge-6"])
            #expect(try await hub.admin.clusters(selector: "env=dev").isEmpty)
            await agent.connection.shutdown()
        }
    }
}
