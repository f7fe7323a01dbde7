import KubeClient
import Logging
import RegistryModel

extension RegistryReconciler {
    /// Removes every owner reference from the storage claim to Config/cluster, whatever the
    /// management states, so Kubernetes' garbage collector can never delete image data when
    /// Config/cluster is deleted (claims made by older versions carried a controller reference).
    ///
    /// Runs before anything else acts on the Config, including while it is being finalized, so
    /// the reference is gone before the finalizer is released. Returns the number of writes.
    func releaseStorageOwnership(_ config: Config) async throws -> Int {
        guard let uid = config.metadata.uid, !uid.isEmpty else { return 0 }
        let storage = config.spec.storage ?? StorageSpec(pvc: PVCStorage())
        guard let pvc = storage.pvc else { return 0 }
        let name = (pvc.claim ?? "").isEmpty ? RegistryNames.managedPVC : pvc.claim!
        // Raw objects, not a typed round trip, so no field the model does not know is lost.
        for _ in 0..<3 {
            guard var claim = try await api.getIfExists(.persistentVolumeClaims, namespace: RegistryNames.namespace, name: name),
                let references = claim.metadata.ownerReferences, references.contains(where: { $0.uid == uid })
            else { return 0 }
            let remaining = references.filter { $0.uid != uid }
            claim.metadata.ownerReferences = remaining.isEmpty ? nil : remaining
            do {
                _ = try await api.update(.persistentVolumeClaims, claim)
            } catch let error as KubeError where error.code == .conflict {
                continue
            } catch let error as KubeError where error.code == .notFound {
                return 0
            }
            logger.info("released the storage claim from Config/cluster's ownership", metadata: ["claim": "\(name)"])
            return 1
        }
        throw OperatorError(code: .apply, message: "cannot release PVC \(name) from Config/cluster's ownership: it keeps changing")
    }
}
