import FleetClient
import FleetHub
import FleetModel
import Foundation
import RegistryModel
import Testing

@Suite struct HubPolicyTests {
    /// The generation moves only when the content changes, and the audit log records who and before/after.
    @Test func generationIncrementsOnChangeOnly() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            let policy = FleetPolicy(registry: RegistryPolicy(managementState: .managed, replicas: 2), pruner: PrunerPolicy(schedule: "0 3 * * *"))
            let first = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: policy))
            #expect(first.generation == 1)
            #expect(first.updatedBy == "admin/admin")
            let same = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: policy))
            #expect(same.generation == 1)
            let changed = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: policy.merging(FleetPolicy(registry: RegistryPolicy(replicas: 3)))))
            #expect(changed.generation == 2)
            #expect(changed.registry?.managementState == .managed)
            let entries = try await hub.admin.audit(limit: 10, actor: "admin/admin").filter { $0.action == "policy.update" }
            #expect(entries.map(\.generationAfter) == [2, 1])
            #expect(entries.first?.generationBefore == 1)
            await agent.connection.shutdown()
        }
    }

    /// A stale generation gets 409 and changes nothing.
    @Test func staleGenerationConflicts() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            _ = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2))))
            let error = await failureStatus {
                _ = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 5)), generation: 0))
            }
            #expect(error?.status == 409)
            #expect(try await hub.admin.policy("edge").registry?.replicas == 2)
            let ok = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 5)), generation: 1))
            #expect(ok.generation == 2)
            await agent.connection.shutdown()
        }
    }

    /// Removed on a cluster with operator-managed storage needs the data-loss acknowledgement; Unmanaged storage does not.
    @Test func removedNeedsAcknowledgement() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agent = try await hub.enroll("edge")
            _ = try await agent.report(HubFixture.report(sequence: 1))
            let removed = FleetPolicy(registry: RegistryPolicy(managementState: .removed))
            let error = await failureStatus { _ = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: removed)) }
            #expect(error?.status == 422)
            #expect(error?.field == "acknowledgeDataLoss")
            #expect(error?.message.contains("image data") == true)
            #expect(try await hub.admin.policy("edge").generation == 0)
            let acknowledged = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: removed, acknowledgeDataLoss: true))
            #expect(acknowledged.registry?.managementState == .removed)
            let unmanaged = FleetPolicy(registry: RegistryPolicy(managementState: .removed, storage: StoragePolicy(managementState: .unmanaged)))
            _ = try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(managementState: .managed))))
            #expect(try await hub.admin.putPolicy("edge", PolicyUpdateRequest(policy: unmanaged)).generation == 3)
            await agent.connection.shutdown()
        }
    }
}
