import KubeClient
import RegistryModel

/// Metadata for objects the operator owns: the managed-by label that lets it find (and only ever
/// delete) its own objects, an `app` label, and an owner reference so that deleting the custom
/// resource garbage-collects them.
enum OwnedMetadata {
    static func make(name: String, namespace: String?, app: String, owner: OwnerReference?, extraLabels: [String: String] = [:]) -> ObjectMeta {
        var labels = [RegistryNames.managedByLabel: RegistryNames.managedByValue, "app": app]
        labels.merge(extraLabels) { $1 }
        return ObjectMeta(name: name, namespace: namespace, labels: labels, ownerReferences: owner.map { [$0] })
    }

    /// An owner reference to a Config or ImagePruner.
    static func owner(apiVersion: String, kind: String, name: String, uid: String?) -> OwnerReference? {
        guard let uid, !uid.isEmpty else { return nil }
        return OwnerReference(apiVersion: apiVersion, kind: kind, name: name, uid: uid, controller: true, blockOwnerDeletion: nil)
    }
}
