import Foundation
import KubeClient
import RegistryModel

/// The namespace and service account controllers: a terminating namespace keeps deleting its
/// content and disappears once empty; an active one always has a `default` ServiceAccount.
enum NamespaceController {
    /// Reconciles every namespace.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        for namespace in server.store.items(.namespaces) {
            if namespace.isTerminating {
                server.continueNamespaceTermination(namespace.metadata.name, now: round.now)
            } else {
                server.ensureDefaultServiceAccount(in: namespace.metadata.name, now: round.now)
            }
        }
    }
}
