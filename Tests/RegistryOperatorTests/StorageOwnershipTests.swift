import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing
@testable import RegistryOperator

/// The storage claim's ownership follows storage.managementState: the garbage collector never
/// deletes image data with Config/cluster; only the operator deletes Managed storage.
@Suite struct StorageOwnershipTests {
    private func claim(_ harness: ReconcilerHarness) async throws -> PersistentVolumeClaim? {
        try await harness.cluster.getIfExists(PersistentVolumeClaim.self, namespace: RegistryNames.namespace, name: RegistryNames.managedPVC)
    }

    /// Deleting Config/cluster keeps the claim image-registry-storage when storage is Unmanaged (the GC does not take it).
    @Test func unmanagedStorageSurvivesConfigDeletion() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let before = try #require(try await claim(harness))
        try await harness.editConfig { $0.storage?.managementState = .unmanaged }
        try await harness.converge { $0?.isSettledHealthy == true && $0?.status?.storageManaged == false }
        try await harness.cluster.delete(Config.self, name: RegistryNames.singleton)
        _ = try await harness.reconciler.reconcile()
        await harness.cluster.step()
        #expect(try await harness.config() == nil)
        let after = try #require(try await claim(harness), "the Unmanaged claim was garbage-collected with Config/cluster")
        #expect(after.metadata.uid == before.metadata.uid)
    }

    /// The operator-made claim carries no owner reference at all.
    @Test func managedClaimHasNoOwnerReference() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let claim = try #require(try await claim(harness))
        #expect(claim.metadata.ownerReferences == nil)
        #expect(claim.metadata.labels?[RegistryNames.managedByLabel] == RegistryNames.managedByValue)
    }

    /// A controller owner reference to Config/cluster left by an older operator is removed, so deleting the Config keeps the data.
    @Test func legacyOwnerReferenceIsRemoved() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let config = try #require(try await harness.config())
        try await harness.editConfig { $0.storage?.managementState = .unmanaged }
        _ = try await harness.cluster.modify(PersistentVolumeClaim.self, namespace: RegistryNames.namespace, name: RegistryNames.managedPVC) { claim in
            claim.metadata.ownerReferences = [
                OwnerReference(apiVersion: config.apiVersion, kind: config.kind, name: config.metadata.name, uid: config.metadata.uid ?? "", controller: true, blockOwnerDeletion: true)
            ]
        }
        _ = try await harness.reconciler.reconcile()
        #expect(try await claim(harness)?.metadata.ownerReferences == nil)
        try await harness.cluster.delete(Config.self, name: RegistryNames.singleton)
        _ = try await harness.reconciler.reconcile()
        await harness.cluster.step()
        #expect(try await claim(harness) != nil)
    }

    /// Managed storage is still deleted, by the operator's finalizer, when Config/cluster is deleted.
    @Test func managedStorageIsDeletedByTheFinalizer() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.cluster.delete(Config.self, name: RegistryNames.singleton)
        #expect(try await claim(harness) != nil)
        _ = try await harness.reconciler.reconcile()
        #expect(try await claim(harness) == nil)
    }
}
