import FleetModel
import FleetStore
import Foundation
import RegistryModel
import Testing

@Suite struct PolicyTests {
    /// A new cluster's policy is generation 0 and empty; an unknown cluster's is `notFound`.
    @Test(arguments: StoreKind.allCases) func newClusterStartsAtGenerationZero(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        let document = try await store.policy(cluster: "edge-1")
        #expect(document.generation == 0)
        #expect(document.policy == FleetPolicy())
        #expect(document.updatedBy == nil)
        await #expect(throws: StoreError(code: .notFound, message: "")) { _ = try await store.policy(cluster: "ghost") }
        await #expect(throws: StoreError(code: .notFound, message: "")) {
            _ = try await store.putPolicy(cluster: "ghost", policy: Fixtures.policy(replicas: 1), actor: "admin/alice")
        }
        try await store.close()
    }

    /// The generation goes up only when the content changes; an identical put writes nothing.
    @Test(arguments: StoreKind.allCases) func generationIncrementsOnlyOnChange(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        let first = try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: 2), actor: "admin/alice")
        #expect(first.changed && first.previousGeneration == 0 && first.document.generation == 1)
        #expect(first.document.updatedBy == "admin/alice")
        #expect(first.document.updatedAt == fixture.clock.now())

        fixture.clock.advance(by: 5)
        let same = try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: 2), expectedGeneration: 1, actor: "admin/bob")
        #expect(!same.changed && same.document.generation == 1)
        #expect(same.document.updatedBy == "admin/alice")
        #expect(try await store.policyHistory(cluster: "edge-1").count == 1)
        #expect(try await store.audit().filter { $0.action == AuditAction.policyUpdate }.count == 1)

        let second = try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: 3), actor: "rollout/r1")
        #expect(second.changed && second.previousGeneration == 1 && second.document.generation == 2)
        #expect(try await store.policy(cluster: "edge-1") == second.document)
        #expect(try await store.cluster("edge-1").policyGeneration == 2)
        try await store.close()
    }

    /// A stale expected generation is a `conflict` on field `generation`, and policy, history and audit stay as they were.
    @Test(arguments: StoreKind.allCases) func staleExpectedGenerationConflictsAndChangesNothing(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: 2), actor: "admin/alice")
        let before = try await store.policy(cluster: "edge-1")
        let auditBefore = try await store.audit()

        let error = await #expect(throws: StoreError.self) {
            _ = try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: 5), expectedGeneration: 0, actor: "admin/bob")
        }
        #expect(error?.code == .conflict)
        #expect(error?.field == "generation")
        #expect(error?.message.contains("edge-1") == true)
        #expect(try await store.policy(cluster: "edge-1") == before)
        #expect(try await store.policyHistory(cluster: "edge-1").count == 1)
        #expect(try await store.audit() == auditBefore)
        try await store.close()
    }

    /// Every change leaves a history row, newest first, so a rollback can find the previous policy.
    @Test(arguments: StoreKind.allCases) func historyKeepsEveryGeneration(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        for (replicas, actor) in [(1, "admin/alice"), (2, "rollout/r1"), (3, "admin/bob")] {
            fixture.clock.advance(by: 60)
            try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: replicas), actor: actor)
        }
        let history = try await store.policyHistory(cluster: "edge-1")
        #expect(history.map(\.generation) == [3, 2, 1])
        #expect(history.map(\.updatedBy) == ["admin/bob", "rollout/r1", "admin/alice"])
        #expect(history[1].policy == Fixtures.policy(replicas: 2))
        #expect(history[0].updatedAt == fixture.clock.now())
        #expect(try await store.policyHistory(cluster: "edge-1", limit: 1).map(\.generation) == [3])
        try await store.close()
    }
}
