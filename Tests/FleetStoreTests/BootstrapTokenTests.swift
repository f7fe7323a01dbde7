import FleetStore
import Foundation
import RegistryModel
import Testing

@Suite struct BootstrapTokenTests {
    /// One way of presenting a token issued for `edge-1` with a 10-minute lifetime.
    enum Presentation: String, CaseIterable, CustomTestStringConvertible {
        case valid, reused, expired, wrongCluster, unknown
        var testDescription: String { rawValue }

        /// The code the store answers with; nil for success.
        var expectedCode: StoreError.Code? {
            switch self {
            case .valid: nil
            case .reused: .tokenUsed
            case .expired: .tokenExpired
            case .wrongCluster: .tokenWrongCluster
            case .unknown: .tokenUnknown
            }
        }
    }

    /// Each presentation gets its own code, and a refused one leaves tokens and audit log as they were.
    @Test(arguments: StoreKind.allCases, Presentation.allCases)
    func tokenLifecycle(_ kind: StoreKind, _ presentation: Presentation) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let issued = try await store.createToken(cluster: "edge-1", labels: ["env": "prod"], ttl: 600, createdBy: "admin/alice")
        var secret = issued.token
        var cluster = "edge-1"
        switch presentation {
        case .valid: break
        case .reused: try await store.consumeToken(secret, cluster: cluster)
        case .expired: fixture.clock.advance(by: 600)
        case .wrongCluster: cluster = "edge-2"
        case .unknown: secret = "bm90LWEtdG9rZW4tYXQtYWxsLW5vdC1hLXRva2VuLWF0LWFsbA"
        }
        let tokensBefore = try await store.tokens()
        let auditBefore = try await store.audit()

        if let code = presentation.expectedCode {
            let error = await #expect(throws: StoreError.self) { try await store.consumeToken(secret, cluster: cluster) }
            #expect(error?.code == code)
            #expect(error?.message.contains(cluster) == true || code == .tokenUnknown)
            #expect(try await store.tokens() == tokensBefore)
            #expect(try await store.audit() == auditBefore)
            await #expect(throws: StoreError(code: .notFound, message: "")) { _ = try await store.cluster(cluster) }
        } else {
            let consumed = try await store.consumeToken(secret, cluster: cluster)
            #expect(consumed.usedAt == fixture.clock.now())
            #expect(consumed.labels == ["env": "prod"])
            #expect(try await store.tokens().first?.usedAt == fixture.clock.now())
        }
        try await store.close()
    }

    /// A refused enrollment creates no cluster and leaves the token usable.
    @Test(arguments: StoreKind.allCases) func refusedEnrollmentWritesNothing(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let issued = try await store.createToken(cluster: "edge-1", ttl: 600, createdBy: "admin/alice")
        await #expect(throws: StoreError(code: .tokenWrongCluster, message: "")) {
            _ = try await store.enroll(token: issued.token, cluster: "edge-2")
        }
        #expect(try await store.clusters(includeDeleted: true).isEmpty)
        #expect(try await store.tokens().first?.usedAt == nil)
        let enrolled = try await store.enroll(token: issued.token, cluster: "edge-1")
        #expect(enrolled.isActive)
        try await store.close()
    }

    /// Of many concurrent consumers of one token exactly one wins; the rest get `tokenUsed`.
    @Test(arguments: StoreKind.allCases) func concurrentConsumeHasExactlyOneWinner(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let issued = try await store.createToken(cluster: "edge-1", ttl: 600, createdBy: "admin/alice")
        let outcomes = await withTaskGroup(of: StoreError.Code?.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do throws(StoreError) {
                        _ = try await store.enroll(token: issued.token, cluster: "edge-1")
                        return nil
                    } catch {
                        return error.code
                    }
                }
            }
            return await group.reduce(into: [StoreError.Code?]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == nil }.count == 1)
        #expect(outcomes.filter { $0 == .tokenUsed }.count == 7)
        try await store.close()
    }

    /// The secret is 32 random bytes in base64url and never reaches the database file; only its hash does.
    @Test func secretIsStoredOnlyHashed() async throws {
        let fixture = try await StoreFixture()
        let store = try await fixture.open()
        let issued = try await store.createToken(cluster: "edge-1", ttl: 600, createdBy: "admin/alice")
        #expect(issued.token.count == 43)
        #expect(issued.token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(issued.expiresAt == fixture.clock.now().addingTimeInterval(600))
        let other = try await store.createToken(cluster: "edge-2", ttl: 600, createdBy: "admin/alice")
        #expect(other.token != issued.token)
        try await store.close()
        let contents = try fixture.fileContents()
        #expect(contents.range(of: Data(issued.token.utf8)) == nil)
        #expect(contents.range(of: Data("edge-1".utf8)) != nil)
    }

    /// A token for a cluster that is enrolled is refused with `alreadyExists`: delete it first.
    @Test(arguments: StoreKind.allCases) func tokenForEnrolledClusterIsRefused(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        let error = await #expect(throws: StoreError.self) {
            _ = try await store.createToken(cluster: "edge-1", ttl: 600, createdBy: "admin/alice")
        }
        #expect(error?.code == .alreadyExists)
        #expect(error?.cluster == "edge-1")
        #expect(try await store.tokens(cluster: "edge-1").count == 1)
        try await store.close()
    }

    /// An unused token is revoked by its id (gone, audited); a used one and an unknown id are refused.
    @Test(arguments: StoreKind.allCases) func revokeByID(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        _ = try await store.createToken(cluster: "edge-1", ttl: 600, createdBy: "admin/alice")
        let used = try await store.createToken(cluster: "edge-2", ttl: 600, createdBy: "admin/alice")
        _ = try await store.enroll(token: used.token, cluster: "edge-2")
        let ids = Dictionary(uniqueKeysWithValues: try await store.tokens().map { ($0.cluster, $0.id) })
        let refused = await #expect(throws: StoreError.self) { try await store.revokeToken(id: ids["edge-2"] ?? "", actor: "admin/bob") }
        #expect(refused?.code == .conflict)
        let unknown = await #expect(throws: StoreError.self) { try await store.revokeToken(id: "000000000000", actor: "admin/bob") }
        #expect(unknown?.code == .notFound)
        let revoked = try await store.revokeToken(id: ids["edge-1"] ?? "", actor: "admin/bob")
        #expect(revoked.cluster == "edge-1")
        #expect(try await store.tokens().map(\.cluster) == ["edge-2"])
        #expect(try await store.audit().contains { $0.action == "token.revoke" && $0.actor == "admin/bob" })
        try await store.close()
    }
}
