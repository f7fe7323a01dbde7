import Foundation
import KubeClient
import RegistryModel

/// Deletion as the API server and the garbage collector perform it together: finalizers,
/// propagation policies, owner-reference cascades and namespace termination.
///
/// The simulation runs the garbage collector's work synchronously inside the delete, so by the
/// time `delete` returns every dependent that can go is gone, each with its own DELETED event.
extension APIServer {
    /// `delete` from a client: 404 when missing, 409 on a stale precondition, 403 for the
    /// namespaces that may never be deleted.
    mutating func delete(_ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions, now: Date) throws(KubeError) {
        let objectKey = key(resource, namespace, name)
        guard let stored = store.object(resource, objectKey) else { throw KubeError.notFound(resource, name) }
        if let version = options.preconditionResourceVersion, !version.isEmpty, version != stored.metadata.resourceVersion {
            throw KubeError(
                code: .conflict, status: 409,
                message:
                    "Operation cannot be fulfilled on \(resource.qualifiedPlural) \"\(name)\": Precondition failed: "
                    + "ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(stored.metadata.resourceVersion ?? "")"
            )
        }
        if resource == .namespaces && Self.immortalNamespaces.contains(name) {
            throw KubeError(code: .forbidden, status: 403, message: "namespaces \"\(name)\" is forbidden: this namespace may not be deleted")
        }
        delete(resource, objectKey, propagation: options.propagationPolicy, now: now)
    }

    /// Deletes an object with a propagation policy; used by clients and controllers alike.
    mutating func delete(_ resource: ResourceType, _ objectKey: ObjectKey, propagation: PropagationPolicy, now: Date) {
        guard var object = store.object(resource, objectKey) else { return }
        let uid = object.metadata.uid ?? ""
        if object.isTerminating {
            if propagation == .orphan { orphanDependents(of: uid) }
            return
        }
        if resource == .namespaces {
            terminateNamespace(object, now: now)
            return
        }
        if resource == .customResourceDefinitions {
            terminateDefinition(object, now: now)
            return
        }
        switch propagation {
        case .orphan:
            orphanDependents(of: uid)
        case .foreground where !store.dependents(of: uid).isEmpty:
            object.metadata.deletionTimestamp = now.wholeSeconds
            object.metadata.finalizers = (object.metadata.finalizers ?? []) + [Self.foregroundFinalizer]
            store.replace(resource, object)
            for dependent in store.dependents(of: uid) {
                collect(dependent, ownerUID: uid, propagation: .foreground, now: now)
            }
            completeForegroundDeletion(of: uid, now: now)
            return
        default:
            break
        }
        if let finalizers = object.metadata.finalizers, !finalizers.isEmpty {
            object.metadata.deletionTimestamp = now.wholeSeconds
            store.replace(resource, object)
            return
        }
        removeAndCollect(resource, objectKey, finalState: nil, now: now)
    }

    /// Removes an object for good, then lets the garbage collector act on its dependents, on
    /// owners waiting for it in foreground deletion and on its terminating namespace.
    @discardableResult
    mutating func removeAndCollect(_ resource: ResourceType, _ objectKey: ObjectKey, finalState: KubeObject?, now: Date) -> KubeObject? {
        guard let removed = store.remove(resource, objectKey, finalState: finalState) else { return nil }
        let uid = removed.metadata.uid ?? ""
        for dependent in store.dependents(of: uid) {
            collect(dependent, ownerUID: uid, propagation: .background, now: now)
        }
        for reference in removed.metadata.ownerReferences ?? [] {
            completeForegroundDeletion(of: reference.uid, now: now)
        }
        if resource.namespaced { finishNamespaceIfEmpty(objectKey.namespace, now: now) }
        if resource.isCustomResource { finishDefinitionIfEmpty(resource, now: now) }
        if resource == .apiServices {
            for namespace in store.items(.namespaces) where namespace.isTerminating {
                finishNamespaceIfEmpty(namespace.metadata.name, now: now)
            }
        }
        return removed
    }

    /// A dependent whose owner is going: deleted when no other owner remains, otherwise it just
    /// loses the reference (what the garbage collector does with multi-owner objects).
    mutating func collect(_ dependent: ObjectAddress, ownerUID: String, propagation: PropagationPolicy, now: Date) {
        guard var object = store.object(dependent.resource, dependent.key) else { return }
        let otherOwners = (object.metadata.ownerReferences ?? []).filter { reference in
            guard reference.uid != ownerUID, let owner = store.object(uid: reference.uid)?.object else { return false }
            return !(owner.isTerminating && (owner.metadata.finalizers ?? []).contains(Self.foregroundFinalizer))
        }
        if otherOwners.isEmpty {
            delete(dependent.resource, dependent.key, propagation: propagation, now: now)
        } else {
            object.metadata.ownerReferences?.removeAll { $0.uid == ownerUID }
            object.metadata = Self.normalized(object.metadata)
            store.replace(dependent.resource, object)
        }
    }

    /// Finishes a foreground deletion once the owner has no dependents left.
    mutating func completeForegroundDeletion(of uid: String, now: Date) {
        guard let (address, owner) = store.object(uid: uid), owner.isTerminating,
            (owner.metadata.finalizers ?? []).contains(Self.foregroundFinalizer), store.dependents(of: uid).isEmpty
        else { return }
        var updated = owner
        updated.metadata.finalizers?.removeAll { $0 == Self.foregroundFinalizer }
        updated.metadata = Self.normalized(updated.metadata)
        if updated.metadata.finalizers == nil {
            removeAndCollect(address.resource, address.key, finalState: updated, now: now)
        } else {
            store.replace(address.resource, updated)
        }
    }

    /// Deletes everything still in a terminating namespace, then the namespace once it is empty.
    mutating func continueNamespaceTermination(_ namespace: String, now: Date) {
        for resource in ResourceType.all where resource.namespaced {
            for object in store.items(resource, namespace: namespace) where !object.isTerminating {
                delete(resource, object.key, propagation: .background, now: now)
            }
        }
        finishNamespaceIfEmpty(namespace, now: now)
    }

    private mutating func orphanDependents(of uid: String) {
        for dependent in store.dependents(of: uid) {
            guard var object = store.object(dependent.resource, dependent.key) else { continue }
            object.metadata.ownerReferences?.removeAll { $0.uid == uid }
            object.metadata = Self.normalized(object.metadata)
            store.replace(dependent.resource, object)
        }
    }

    private mutating func terminateNamespace(_ namespace: KubeObject, now: Date) {
        var terminating = namespace
        terminating.metadata.deletionTimestamp = now.wholeSeconds
        terminating.status = ["phase": "Terminating"]
        store.replace(.namespaces, terminating)
        continueNamespaceTermination(namespace.metadata.name, now: now)
    }

    private mutating func finishNamespaceIfEmpty(_ namespace: String, now: Date) {
        let namespaceKey = ObjectKey(namespace: "", name: namespace)
        guard let object = store.object(.namespaces, namespaceKey), object.isTerminating, store.objectCount(inNamespace: namespace) == 0,
            (object.metadata.finalizers ?? []).isEmpty
        else { return }
        // The namespace controller must discover every API group to know the namespace is
        // empty; an aggregated API without a ready backend fails discovery and holds it.
        let failing = unavailableAggregatedAPIs()
        guard failing.isEmpty else {
            recordDiscoveryFailure(object, failing: failing, now: now)
            return
        }
        var finished = object
        finished.setField([], at: "spec", "finalizers")
        removeAndCollect(.namespaces, namespaceKey, finalState: finished, now: now)
    }

    /// `group/version` of every APIService backed by a Service that has no ready endpoint.
    func unavailableAggregatedAPIs() -> [String] {
        store.items(.apiServices).filter { apiService in
            apiService.field("spec", "service")?["name"]?.stringValue != nil && APIServiceController.availability(of: apiService, self).0 != "True"
        }.map { apiService in
            "\(apiService.field("spec", "group")?.stringValue ?? "")/\(apiService.field("spec", "version")?.stringValue ?? "")"
        }.sorted()
    }

    /// NamespaceDeletionDiscoveryFailure=True with the namespace controller's message, written
    /// only when it changes.
    private mutating func recordDiscoveryFailure(_ namespace: KubeObject, failing: [String], now: Date) {
        let message =
            "Discovery failed for some groups, \(failing.count) failing: unable to retrieve the complete list of server APIs: "
            + failing.map { "\($0): stale GroupVersion discovery: \($0)" }.joined(separator: ", ")
        var conditions = ConditionList(namespace.field("status", "conditions"))
        conditions.set("NamespaceDeletionDiscoveryFailure", "True", reason: "DiscoveryFailed", message: message, now: now)
        guard conditions.json != namespace.field("status", "conditions") ?? .array([]) else { return }
        var updated = namespace
        updated.setField(conditions.json, at: "status", "conditions")
        store.replace(.namespaces, updated)
    }
}
