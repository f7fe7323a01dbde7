import FleetModel
import FleetStore
import Foundation
import RegistryModel
import Testing

@Suite struct PolicyBatchTests {
    /// A batch writes each cluster's policy as putPolicy would, in one transaction; a deleted cluster gets its error and the rest commit; repeating the batch moves no generation.
    @Test(arguments: StoreKind.allCases) func batchWritesEachClusterOnceAndIsIdempotent(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        for name in ["a", "b", "gone"] { try await store.enrollCluster(name) }
        try await store.deleteCluster("gone", actor: "admin/alice")
        let policy = FleetPolicy(registry: RegistryPolicy(replicas: 3))
        let changes = ["a", "b", "gone"].map { PolicyWrite(cluster: $0, policy: policy) }
        let first = try await store.putPolicies(changes, actor: "rollout/ro-1")
        #expect(try first["a"]?.get().document.generation == 1)
        #expect(try first["b"]?.get().changed == true)
        guard case .failure(let error)? = first["gone"] else {
            Issue.record("expected the deleted cluster to fail")
            return
        }
        #expect(error.code == .notFound)
        let again = try await store.putPolicies(changes.filter { $0.cluster != "gone" }, actor: "rollout/ro-1")
        #expect(try again["a"]?.get().changed == false)
        #expect(try await store.policy(cluster: "b").generation == 1)
        let writes = try await store.audit(actor: "rollout/ro-1").filter { $0.action == "policy.update" }
        #expect(writes.map(\.target).sorted() == ["a", "b"])
        #expect(try await store.policyHistory(cluster: "a").count == 1)
        try await store.close()
    }
}
