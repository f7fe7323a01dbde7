import FleetClient
import FleetHub
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// Listing and revoking bootstrap tokens through the admin API.
@Suite struct HubTokenTests {
    /// Tokens are listed without secrets and with their state; an unused one is revoked (audited) and can no
    /// longer enroll; a used one is 409, an unknown id 404, a malformed id 422; a cluster filter applies.
    @Test func listAndRevoke() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let unused = try await hub.admin.createToken(TokenRequest(cluster: "edge-1", labels: ["env": "prod"]))
            _ = try await hub.enroll("edge-2")
            let tokens = try await hub.admin.tokens()
            #expect(Set(tokens.map(\.cluster)) == ["edge-1", "edge-2"])
            #expect(Dictionary(uniqueKeysWithValues: tokens.map { ($0.cluster, $0.state) }) == ["edge-1": "Unused", "edge-2": "Used"])
            #expect(tokens.first { $0.cluster == "edge-1" }?.labels == ["env": "prod"])
            let listing = String(decoding: try await hub.admin.connection.send(.GET, "/v1/tokens").body, as: UTF8.self)
            #expect(!listing.contains(unused.token), "no secret in the listing")
            #expect(try await hub.admin.tokens(cluster: "edge-2").map(\.cluster) == ["edge-2"])

            let used = try #require(tokens.first { $0.cluster == "edge-2" })
            let (usedStatus, _) = try await hub.admin.connection.send(.DELETE, "/v1/tokens/\(used.id)")
            #expect(usedStatus == 409)
            #expect(try await hub.admin.connection.send(.DELETE, "/v1/tokens/0123456789ab").status == 404)
            #expect(try await hub.admin.connection.send(.DELETE, "/v1/tokens/not-an-id").status == 422)

            let id = try #require(tokens.first { $0.cluster == "edge-1" }?.id)
            try await hub.admin.revokeToken(id: id)
            #expect(try await hub.admin.tokens().map(\.cluster) == ["edge-2"])
            #expect(try await hub.admin.audit(limit: 100).contains { $0.action == "token.revoke" && $0.target == "edge-1" })
            let csr = try SigningRequest(identity: .cluster("edge-1"), key: FleetPrivateKey())
            let (status, _) = try await hub.anonymous.send(
                .POST, "/v1/enroll", body: try JSONCoding.encode(EnrollRequest(cluster: "edge-1", token: unused.token, csr: csr.pem)))
            #expect(status == 401, "a revoked token is unknown")
        }
    }
}
