import Foundation
import KubeClient
import RegistryModel

/// Writes made by the simulated controllers: the same storage path as clients (resourceVersion,
/// watch events) but only when something actually changes, and without bumping `generation`.
extension APIServer {
    /// Replaces `.status` when it differs from the stored one; returns whether it wrote.
    @discardableResult
    mutating func writeStatus(_ resource: ResourceType, _ objectKey: ObjectKey, _ status: JSONValue) -> Bool {
        guard var object = store.object(resource, objectKey) else { return false }
        if let current = object.status, current.semanticallyEquals(status) { return false }
        object.status = status
        store.replace(resource, object)
        return true
    }

    /// Stores a controller's change to an existing object when it differs; returns whether it wrote.
    @discardableResult
    mutating func writeObject(_ resource: ResourceType, _ object: KubeObject) -> Bool {
        guard let stored = store.object(resource, object.key) else { return false }
        if object.metadata == stored.metadata && Self.fieldsEqual(object.fields, stored.fields) { return false }
        store.replace(resource, object)
        return true
    }
}
