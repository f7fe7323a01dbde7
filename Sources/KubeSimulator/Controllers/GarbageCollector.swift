import Foundation
import KubeClient
import RegistryModel

/// The garbage collector's sweep for dependents whose owners do not exist (for example an object
/// created with an ownerReference to a deleted uid). Cascades at delete time happen inside
/// `APIServer.delete`; this catches what they cannot.
enum GarbageCollector {
    /// Deletes (or detaches) dependents of owners that are gone.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        for ownerUID in server.store.referencedOwnerUIDs.sorted() where !server.store.exists(uid: ownerUID) {
            for dependent in server.store.dependents(of: ownerUID) {
                server.collect(dependent, ownerUID: ownerUID, propagation: .background, now: round.now)
            }
        }
    }
}
