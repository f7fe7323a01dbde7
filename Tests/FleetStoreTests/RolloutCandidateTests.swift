import FleetModel
import FleetStore
import Foundation
import RegistryModel
import Testing

@Suite struct RolloutCandidateTests {
    /// Planning input comes from one statement: labels, the stored policy (or generation 0), the reported storage state, and no deleted cluster.
    @Test func candidatesJoinPolicyAndReportedStorageInOneStatement() async throws {
        let fixture = try await StoreFixture()
        let store = try await fixture.open(FleetStoreConfiguration(countsStatements: true))
        try await store.enrollCluster("a", labels: ["env": "prod"])
        try await store.enrollCluster("b", labels: ["env": "prod"])
        try await store.enrollCluster("c", labels: ["env": "dev"])
        try await store.enrollCluster("gone", labels: ["env": "prod"])
        try await store.putPolicy(cluster: "a", policy: FleetPolicy(registry: RegistryPolicy(replicas: 2)), actor: "admin/alice")
        var report = Fixtures.report(1)
        report.registry.storageManagementState = .unmanaged
        _ = try await store.ingest(cluster: "b", report: report)
        try await store.deleteCluster("gone", actor: "admin/alice")
        let before = store.statementsExecuted
        let candidates = try await store.rolloutCandidates(matching: try LabelSelector(parsing: "env=prod"))
        #expect(store.statementsExecuted - before == 1)
        #expect(candidates.map(\.name) == ["a", "b"])
        #expect(candidates[0].policy.generation == 1)
        #expect(candidates[0].policy.policy == FleetPolicy(registry: RegistryPolicy(replicas: 2)))
        #expect(candidates[0].observedStorageState == nil)
        #expect(candidates[1].policy.generation == 0)
        #expect(candidates[1].observedStorageState == .unmanaged)
        try await store.close()
    }

    /// A lookup by many names is one statement whatever the count, and returns only enrolled, not deleted clusters.
    @Test func lookupByNamesIsOneStatement() async throws {
        let fixture = try await StoreFixture()
        let store = try await fixture.open(FleetStoreConfiguration(countsStatements: true))
        for index in 0..<40 { try await store.enrollCluster(String(format: "n%02d", index)) }
        try await store.deleteCluster("n03", actor: "admin/alice")
        try await store.putPolicy(cluster: "n01", policy: FleetPolicy(registry: RegistryPolicy(replicas: 4)), actor: "admin/alice")
        let before = store.statementsExecuted
        let records = try await store.clusters(named: ["n01", "n02", "n03", "unknown"])
        #expect(store.statementsExecuted - before == 1)
        #expect(records.map(\.name) == ["n01", "n02"])
        #expect(records.first?.policyGeneration == 1)
        let policies = try await store.policies(clusters: ["n01", "n02", "unknown"])
        #expect(store.statementsExecuted - before == 2)
        #expect(policies.keys.sorted() == ["n01", "n02"])
        #expect(policies["n01"]?.policy.registry?.replicas == 4)
        #expect(policies["n02"]?.generation == 0)
        #expect(try await store.clusters(named: [String]()).isEmpty)
        #expect(store.statementsExecuted - before == 2, "an empty lookup runs no statement")
        try await store.close()
    }
}
