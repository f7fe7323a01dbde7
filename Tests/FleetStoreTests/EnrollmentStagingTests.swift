import FleetModel
import FleetStore
import Foundation
import RegistryModel
import Testing

/// What enrollment brings along, on both backends: a policy staged before the cluster existed, and the key
/// that lets the same agent retry an enrollment whose answer it never got.
@Suite struct EnrollmentStagingTests {
    /// A staged policy is readable before enrollment and becomes generation 1 in the enrollment's
    /// transaction, written by whoever staged it; staging again replaces it; an enrolled cluster refuses it.
    @Test(arguments: StoreKind.allCases) func stagedPolicyBecomesTheFirstGeneration(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        #expect(try await store.stagedPolicy(cluster: "pending-1") == nil)
        try await store.stagePolicy(cluster: "pending-1", policy: FleetPolicy(registry: RegistryPolicy(replicas: 2)), actor: "admin/alice")
        let staged = try await store.stagePolicy(
            cluster: "pending-1", policy: FleetPolicy(registry: RegistryPolicy(replicas: 3)), actor: "admin/bob")
        #expect(staged.staged == true && staged.generation == 0)
        #expect(try await store.stagedPolicy(cluster: "pending-1")?.registry?.replicas == 3)
        let notEnrolled = await #expect(throws: StoreError.self) { _ = try await store.policy(cluster: "pending-1") }
        #expect(notEnrolled?.code == .notFound)

        let token = try await store.createToken(cluster: "pending-1", ttl: 600, createdBy: "admin/alice")
        _ = try await store.enroll(token: token.token, cluster: "pending-1")
        let policy = try await store.policy(cluster: "pending-1")
        #expect(policy.generation == 1)
        #expect(policy.registry?.replicas == 3)
        #expect(policy.updatedBy == "admin/bob")
        #expect(policy.staged == nil)
        #expect(try await store.stagedPolicy(cluster: "pending-1") == nil, "enrollment consumed it")
        let actions = try await store.audit().filter { $0.target == "pending-1" }.map(\.action)
        #expect(actions.filter { $0 == "policy.stage" }.count == 2)
        #expect(actions.contains("policy.update") && actions.contains("cluster.enroll"))

        let refused = await #expect(throws: StoreError.self) {
            _ = try await store.stagePolicy(cluster: "pending-1", policy: FleetPolicy(registry: RegistryPolicy(replicas: 4)), actor: "admin/alice")
        }
        #expect(refused?.code == .conflict)
        #expect(try await store.policy(cluster: "pending-1").generation == 1)
        try await store.close()
    }

    /// A cluster enrolled without anything staged starts at generation 0 as before.
    @Test(arguments: StoreKind.allCases) func enrollmentWithoutStagingLeavesGenerationZero(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let token = try await store.createToken(cluster: "edge-1", ttl: 600, createdBy: "admin/alice")
        _ = try await store.enroll(token: token.token, cluster: "edge-1")
        #expect(try await store.policy(cluster: "edge-1").generation == 0)
        try await store.close()
    }

    /// Only the key that consumed the token, before the token's expiry and while the cluster is enrolled,
    /// counts as a retry of that enrollment.
    @Test(arguments: StoreKind.allCases) func enrollmentRetryNeedsTheSameKey(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let token = try await store.createToken(cluster: "edge-1", ttl: 600, createdBy: "admin/alice")
        #expect(try await store.isEnrollmentRetry(token: token.token, cluster: "edge-1", keyFingerprint: "aa") == false, "unused token")
        _ = try await store.enroll(token: token.token, cluster: "edge-1", keyFingerprint: "aa")
        #expect(try await store.isEnrollmentRetry(token: token.token, cluster: "edge-1", keyFingerprint: "aa"))
        #expect(try await store.isEnrollmentRetry(token: token.token, cluster: "edge-1", keyFingerprint: "bb") == false, "another key")
        #expect(try await store.isEnrollmentRetry(token: token.token, cluster: "edge-2", keyFingerprint: "aa") == false, "another cluster")
        fixture.clock.advance(by: 600)
        #expect(try await store.isEnrollmentRetry(token: token.token, cluster: "edge-1", keyFingerprint: "aa") == false, "expired")
        try await store.close()
    }
}
