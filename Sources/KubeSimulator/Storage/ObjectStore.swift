import Foundation
import KubeClient
import RegistryModel

/// The API server's storage: objects by resource and key, the cluster-wide resourceVersion
/// counter, each resource's retained change history and the open watches.
///
/// Every write in the simulation, from a client or a controller, ends in `insert`, `replace` or
/// `remove`, so each one bumps the counter, records an event and reaches the watches in order.
struct ObjectStore: Sendable {
    private var objects: [ResourceType: [ObjectKey: KubeObject]] = [:]
    private var history: [ResourceType: EventHistory] = [:]
    private var addressesByUID: [String: ObjectAddress] = [:]
    private var dependentsByOwnerUID: [String: Set<ObjectAddress>] = [:]
    private var countsByNamespace: [String: Int] = [:]
    /// The newest resourceVersion handed out.
    private(set) var revision: UInt64 = 0
    /// The revision of the newest write the controllers may react to: a write to one of
    /// `controllerInputs`, or of any object with owner references (the garbage collector's input).
    private(set) var controllerInputRevision: UInt64 = 0
    /// The resources the simulated controllers read.
    let controllerInputs: Set<ResourceType>
    /// The open watches.
    var watches = WatchRegistry()
    /// Events retained per resource.
    let historyCapacity: Int

    /// An empty store.
    init(historyCapacity: Int, controllerInputs: Set<ResourceType>) {
        self.historyCapacity = historyCapacity
        self.controllerInputs = controllerInputs
    }

    // MARK: Reading

    /// The stored object, if any.
    func object(_ resource: ResourceType, _ key: ObjectKey) -> KubeObject? {
        objects[resource]?[key]
    }

    /// The stored object with this uid, and where it lives.
    func object(uid: String) -> (address: ObjectAddress, object: KubeObject)? {
        guard let address = addressesByUID[uid], let object = object(address.resource, address.key) else { return nil }
        return (address, object)
    }

    /// True when an object with this uid exists.
    func exists(uid: String) -> Bool { addressesByUID[uid] != nil }

    /// Objects whose ownerReferences name this uid, in a stable order.
    func dependents(of uid: String) -> [ObjectAddress] {
        (dependentsByOwnerUID[uid] ?? []).sorted { ($0.resource.plural, $0.key) < ($1.resource.plural, $1.key) }
    }

    /// Owner uids that some object references, whether or not the owner exists.
    var referencedOwnerUIDs: [String] { Array(dependentsByOwnerUID.keys) }

    /// How many namespaced objects of any kind live in a namespace.
    func objectCount(inNamespace namespace: String) -> Int { countsByNamespace[namespace] ?? 0 }

    /// The objects of a resource in list order (namespace, then name); `namespace` nil means all.
    func items(_ resource: ResourceType, namespace: String? = nil) -> [KubeObject] {
        guard let stored = objects[resource] else { return [] }
        let selected = namespace.map { wanted in stored.filter { $0.key.namespace == wanted } } ?? stored
        return selected.sorted { $0.key < $1.key }.map(\.value)
    }

    /// How many objects a resource holds (in one namespace, or in all).
    func count(_ resource: ResourceType, namespace: String? = nil) -> Int {
        guard let stored = objects[resource] else { return 0 }
        guard let namespace else { return stored.count }
        return stored.keys.count(where: { $0.namespace == namespace })
    }

    /// The retained history of a resource.
    func history(_ resource: ResourceType) -> EventHistory {
        history[resource] ?? EventHistory(capacity: historyCapacity)
    }

    // MARK: Writing

    /// Stores a new object (metadata already assigned by the caller) under the next revision and
    /// announces it as ADDED.
    @discardableResult
    mutating func insert(_ resource: ResourceType, _ object: KubeObject) -> KubeObject {
        var stored = object
        revision += 1
        stored.metadata.resourceVersion = String(revision)
        objects[resource, default: [:]][stored.key] = stored
        let address = ObjectAddress(resource: resource, key: stored.key)
        if let uid = stored.metadata.uid { addressesByUID[uid] = address }
        if resource.namespaced { countsByNamespace[stored.key.namespace, default: 0] += 1 }
        index(address, owners: stored.metadata.ownerReferences, previousOwners: nil)
        record(StoredEvent(revision: revision, type: .added, object: stored, previous: nil), resource)
        return stored
    }

    /// Replaces an existing object under the next revision and announces it as MODIFIED.
    @discardableResult
    mutating func replace(_ resource: ResourceType, _ object: KubeObject) -> KubeObject {
        var stored = object
        revision += 1
        stored.metadata.resourceVersion = String(revision)
        let previous = objects[resource]?[stored.key]
        objects[resource, default: [:]][stored.key] = stored
        if previous?.metadata.ownerReferences != stored.metadata.ownerReferences {
            index(
                ObjectAddress(resource: resource, key: stored.key), owners: stored.metadata.ownerReferences,
                previousOwners: previous?.metadata.ownerReferences)
        }
        record(StoredEvent(revision: revision, type: .modified, object: stored, previous: previous), resource)
        return stored
    }

    /// Removes an object and announces its last state, under a new revision, as DELETED.
    /// `finalState` replaces the stored state in the event (an update that removed the last
    /// finalizer deletes the object as updated).
    @discardableResult
    mutating func remove(_ resource: ResourceType, _ key: ObjectKey, finalState: KubeObject? = nil) -> KubeObject? {
        guard let stored = objects[resource]?.removeValue(forKey: key) else { return nil }
        var removed = finalState ?? stored
        if let uid = stored.metadata.uid { addressesByUID.removeValue(forKey: uid) }
        if resource.namespaced { countsByNamespace[key.namespace, default: 1] -= 1 }
        index(ObjectAddress(resource: resource, key: key), owners: nil, previousOwners: stored.metadata.ownerReferences)
        revision += 1
        removed.metadata.resourceVersion = String(revision)
        record(StoredEvent(revision: revision, type: .deleted, object: removed, previous: nil), resource)
        return removed
    }

    private mutating func index(_ address: ObjectAddress, owners: [OwnerReference]?, previousOwners: [OwnerReference]?) {
        for reference in previousOwners ?? [] {
            dependentsByOwnerUID[reference.uid]?.remove(address)
            if dependentsByOwnerUID[reference.uid]?.isEmpty == true { dependentsByOwnerUID.removeValue(forKey: reference.uid) }
        }
        for reference in owners ?? [] { dependentsByOwnerUID[reference.uid, default: []].insert(address) }
    }

    private mutating func record(_ event: StoredEvent, _ resource: ResourceType) {
        if controllerInputs.contains(resource) || event.object.metadata.ownerReferences != nil { controllerInputRevision = event.revision }
        history[resource, default: EventHistory(capacity: historyCapacity)].append(event)
        watches.dispatch(event, resource: resource)
    }
}
