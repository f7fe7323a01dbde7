import FleetModel
import FleetStore
import Foundation
import RegistryModel
import Testing

/// Fleet policies, freezes and fleet layers on both backends.
@Suite struct FleetPolicyStoreTests {
    static let spec = FleetPolicySpec(selector: "env=prod", priority: 5, template: FleetPolicy(pruner: PrunerPolicy(schedule: "0 3 * * *")))

    /// Applying stores generation 1 with its audit row; the same spec again changes nothing; a changed one is
    /// generation 2; delete removes it (audited) and a second delete is notFound. The rollout it started is kept.
    @Test(arguments: StoreKind.allCases) func fleetPoliciesAreVersionedAndAudited(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let first = try await store.putFleetPolicy(name: "prod", spec: Self.spec, actor: "admin/alice")
        #expect(first.changed && first.policy.generation == 1 && first.policy.createdBy == "admin/alice")
        let same = try await store.putFleetPolicy(name: "prod", spec: Self.spec, actor: "admin/bob")
        #expect(!same.changed && same.policy.generation == 1 && same.policy.updatedBy == "admin/alice")
        var changedSpec = Self.spec
        changedSpec.priority = 9
        let second = try await store.putFleetPolicy(name: "prod", spec: changedSpec, actor: "admin/bob")
        #expect(second.changed && second.policy.generation == 2 && second.policy.createdBy == "admin/alice" && second.policy.updatedBy == "admin/bob")
        try await store.recordFleetPolicyRollout("prod", rollout: "ro-12345678")
        let read = try await store.fleetPolicy("prod")
        #expect(read.spec == changedSpec && read.lastRollout == "ro-12345678")
        #expect(try await store.fleetPolicies().map(\.name) == ["prod"])
        try await store.deleteFleetPolicy("prod", actor: "admin/carol")
        #expect(try await store.fleetPolicies().isEmpty)
        let missing = await #expect(throws: StoreError.self) { try await store.deleteFleetPolicy("prod", actor: "admin/carol") }
        #expect(missing?.code == .notFound)
        let actions = try await store.audit().filter { $0.target == "prod" }.map(\.action)
        #expect(actions.filter { $0 == AuditAction.fleetPolicyApply }.count == 2)
        #expect(actions.contains(AuditAction.fleetPolicyDelete))
        try await store.close()
    }

    /// An enrolling cluster gets the fleet policies its token's labels match in the enrollment's transaction,
    /// with the layer that says where each field came from; a staged field wins over the fleet's; a cluster
    /// that matches nothing stays at generation 0.
    @Test(arguments: StoreKind.allCases) func enrollmentAppliesTheMatchingFleetPolicies(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        _ = try await store.putFleetPolicy(name: "prod", spec: Self.spec, actor: "admin/alice")
        _ = try await store.putFleetPolicy(
            name: "all", spec: FleetPolicySpec(selector: "*", template: FleetPolicy(registry: RegistryPolicy(replicas: 2))), actor: "admin/alice")
        try await store.stagePolicy(cluster: "p1", policy: FleetPolicy(registry: RegistryPolicy(replicas: 6)), actor: "admin/alice")
        _ = try await store.enrollCluster("p1", labels: ["env": "prod"])
        _ = try await store.enrollCluster("d1", labels: ["env": "dev"])
        let p1 = try await store.policy(cluster: "p1")
        #expect(p1.registry?.replicas == 6, "the staged value wins")
        #expect(p1.pruner?.schedule == "0 3 * * *")
        let layers = try await store.fleetLayers(clusters: ["p1", "d1", "nobody"])
        #expect(layers["p1"]?.sources["pruner.schedule"] == FieldSource(fleetPolicy: "prod"))
        #expect(layers["p1"]?.sources["registry.replicas"] == FieldSource(fleetPolicy: "all"))
        #expect(try await store.policy(cluster: "d1").registry?.replicas == 2)
        #expect(layers["nobody"] == nil)
        let candidates = try await store.rolloutCandidates()
        #expect(candidates.first { $0.name == "p1" }?.fleetLayer == layers["p1"])
        // A layer-only write moves no generation.
        let before = try await store.policy(cluster: "d1")
        _ = try await store.putPolicies([PolicyWrite(cluster: "d1", policy: before.policy, fleetLayer: .empty)], actor: "fleet-policy")
        #expect(try await store.policy(cluster: "d1").generation == before.generation)
        #expect(try await store.fleetLayers(clusters: ["d1"])["d1"] == .empty)
        try await store.close()
    }

    /// Freezes are set, replaced, listed and lifted, each audited.
    @Test(arguments: StoreKind.allCases) func freezesAreStoredAndAudited(_ kind: StoreKind) async throws {
        let fixture = try await StoreFixture(kind)
        let store = try await fixture.open()
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        try await store.putFreeze(ChangeFreeze(name: "release", selector: "*", reason: "release", until: nil, createdBy: "admin/alice", createdAt: now))
        try await store.putFreeze(
            ChangeFreeze(name: "release", selector: "env=prod", reason: "incident", until: now.addingTimeInterval(3600), createdBy: "admin/bob", createdAt: now))
        let freezes = try await store.freezes()
        #expect(freezes.count == 1)
        #expect(freezes.first?.selector == "env=prod" && freezes.first?.reason == "incident" && freezes.first?.until == now.addingTimeInterval(3600))
        #expect(try await store.deleteFreeze("release", actor: "admin/carol").name == "release")
        #expect(try await store.freezes().isEmpty)
        let missing = await #expect(throws: StoreError.self) { try await store.deleteFreeze("release", actor: "admin/carol") }
        #expect(missing?.code == .notFound)
        let actions = try await store.audit().filter { $0.target == "release" }.map(\.action)
        #expect(actions == [AuditAction.freezeDelete, AuditAction.freezeSet, AuditAction.freezeSet])
        try await store.close()
    }
}
