import Foundation
import KubeClient
import RegistryModel

/// Dynamic provisioning reduced to its outcome: a claim whose StorageClass is one of
/// `SimulationOptions.storageClasses` is Bound (capacity = its request), any other stays Pending.
/// No PersistentVolume objects are created.
enum VolumeBinder {
    /// Updates the phase of every claim.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        for claim in server.store.items(.persistentVolumeClaims) where !claim.isTerminating {
            let storageClass = claim.field("spec", "storageClassName")?.stringValue
            let bindable = storageClass.map { round.options.storageClasses.contains($0) } ?? true
            var status: JSONValue = ["phase": bindable ? "Bound" : "Pending"]
            if bindable {
                status["accessModes"] = claim.field("spec", "accessModes")
                status["capacity"] = claim.field("spec", "resources", "requests", "storage").map { ["storage": $0] }
            }
            server.writeStatus(.persistentVolumeClaims, claim.key, status)
        }
    }
}
