import Foundation
import KubeClient
import RegistryModel

/// Client writes: create, update, updateStatus and merge patch, with the API server's rules.
extension APIServer {
    /// `create`: admission (namespace, service account), defaults, validation, then storage.
    mutating func create(_ resource: ResourceType, _ object: KubeObject, now: Date) throws(KubeError) -> KubeObject {
        var body = try prepareBody(resource, object)
        if let version = body.metadata.resourceVersion, !version.isEmpty {
            throw Self.badRequest("resourceVersion should not be set on objects to be created")
        }
        try admitNamespace(resource, body)
        if resource == .pods { try admitServiceAccount(&body) }
        ObjectDefaults.apply(to: &body, resource, options: options)
        if resource == .persistentVolumeClaims, body.field("spec", "storageClassName") == nil {
            body.setField(.string(options.defaultStorageClass), at: "spec", "storageClassName")
        }
        if let problem = ObjectValidation.decodingProblem(body, resource) { throw Self.badRequest(problem) }
        let causes = ObjectValidation.causes(for: body, resource, old: nil)
        if !causes.isEmpty { throw KubeError.invalid(resource, body.metadata.name, causes: causes) }
        guard store.object(resource, body.key) == nil else { throw KubeError.alreadyExists(resource, body.metadata.name) }
        if resource.hasStatusSubresource && resource != .nodes { body.status = nil }
        return insertNew(resource, body, now: now)
    }

    /// `update`: replaces everything but the server-owned metadata (and `.status` where status is
    /// a subresource); a stale resourceVersion is a conflict; an unchanged object is not written.
    mutating func update(_ resource: ResourceType, _ object: KubeObject, now: Date) throws(KubeError) -> KubeObject {
        var body = try prepareBody(resource, object)
        guard let stored = store.object(resource, body.key) else { throw KubeError.notFound(resource, body.metadata.name) }
        try checkPreconditions(resource, body.metadata, stored)
        if resource.hasStatusSubresource { body.status = stored.status }
        ObjectDefaults.apply(to: &body, resource, options: options)
        keepAllocatedFields(resource, &body, stored)
        return try commit(resource, body, replacing: stored, now: now)
    }

    /// `updateStatus`: takes only `.status` from the body; 404 for kinds without the subresource.
    mutating func updateStatus(_ resource: ResourceType, _ object: KubeObject, now: Date) throws(KubeError) -> KubeObject {
        guard resource.hasStatusSubresource else {
            throw KubeError(code: .notFound, status: 404, message: "the server could not find the requested resource")
        }
        let body = try prepareBody(resource, object)
        guard let stored = store.object(resource, body.key) else { throw KubeError.notFound(resource, body.metadata.name) }
        try checkPreconditions(resource, body.metadata, stored)
        var updated = stored
        updated.status = body.status
        return try commit(resource, updated, replacing: stored, now: now)
    }

    /// `patch`: an RFC 7386 merge patch on the stored object, then the update rules.
    mutating func patch(
        _ resource: ResourceType, namespace: String?, name: String, mergePatch: JSONValue, now: Date
    ) throws(KubeError) -> KubeObject {
        let objectKey = key(resource, namespace, name)
        guard let stored = store.object(resource, objectKey) else { throw KubeError.notFound(resource, name) }
        let patched: KubeObject
        do {
            patched = try KubeObject(objectTree: stored.objectTree.applyingMergePatch(mergePatch))
        } catch {
            throw Self.badRequest("the patched object cannot be decoded as a \(resource.kind): \(error)")
        }
        guard patched.metadata.name == name else {
            throw Self.badRequest("the name of the object (\(patched.metadata.name)) does not match the name on the URL (\(name))")
        }
        var body = try prepareBody(resource, patched)
        guard body.key == objectKey else {
            throw Self.badRequest(
                "the namespace of the object (\(body.key.namespace)) does not match the namespace on the URL (\(objectKey.namespace))")
        }
        try checkPreconditions(resource, body.metadata, stored)
        if resource.hasStatusSubresource { body.status = stored.status }
        ObjectDefaults.apply(to: &body, resource, options: options)
        keepAllocatedFields(resource, &body, stored)
        return try commit(resource, body, replacing: stored, now: now)
    }

    /// Applies the shared update rules and stores the result, or returns `stored` when nothing
    /// changed. Removing the last finalizer of a terminating object deletes it.
    private mutating func commit(
        _ resource: ResourceType, _ body: KubeObject, replacing stored: KubeObject, now: Date
    ) throws(KubeError) -> KubeObject {
        var updated = body
        updated.metadata.uid = stored.metadata.uid
        updated.metadata.creationTimestamp = stored.metadata.creationTimestamp
        updated.metadata.generation = stored.metadata.generation
        updated.metadata.deletionTimestamp = stored.metadata.deletionTimestamp
        updated.metadata.resourceVersion = stored.metadata.resourceVersion
        updated.metadata.namespace = stored.metadata.namespace
        if let problem = ObjectValidation.decodingProblem(updated, resource) { throw Self.badRequest(problem) }
        let causes = ObjectValidation.causes(for: updated, resource, old: stored)
        if !causes.isEmpty { throw KubeError.invalid(resource, updated.metadata.name, causes: causes) }
        if updated.metadata == stored.metadata && Self.fieldsEqual(updated.fields, stored.fields) { return stored }
        if let generation = stored.metadata.generation, Self.specChanged(updated, stored) {
            updated.metadata.generation = generation + 1
        }
        if updated.isTerminating && (updated.metadata.finalizers ?? []).isEmpty {
            return removeAndCollect(resource, updated.key, finalState: updated, now: now) ?? updated
        }
        return store.replace(resource, updated)
    }

    /// True when anything outside metadata and status differs: what bumps `metadata.generation`.
    static func specChanged(_ lhs: KubeObject, _ rhs: KubeObject) -> Bool {
        var left = lhs.fields
        var right = rhs.fields
        left["status"] = nil
        right["status"] = nil
        return !fieldsEqual(left, right)
    }

    /// Field maps compared as JSON readers compare them (`1` equals `1.0`).
    static func fieldsEqual(_ lhs: [String: JSONValue], _ rhs: [String: JSONValue]) -> Bool {
        JSONValue.object(lhs).semanticallyEquals(.object(rhs))
    }

    private func checkPreconditions(_ resource: ResourceType, _ metadata: ObjectMeta, _ stored: KubeObject) throws(KubeError) {
        if let version = metadata.resourceVersion, !version.isEmpty, version != stored.metadata.resourceVersion {
            throw KubeError.conflict(resource, stored.metadata.name)
        }
        if let uid = metadata.uid, !uid.isEmpty, uid != stored.metadata.uid {
            throw KubeError(
                code: .conflict, status: 409,
                message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(stored.metadata.uid ?? "")")
        }
    }

    /// Fields the server allocated that an update may omit: a Service keeps its cluster IPs.
    private func keepAllocatedFields(_ resource: ResourceType, _ body: inout KubeObject, _ stored: KubeObject) {
        guard resource == .services else { return }
        for field in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"] where body.field("spec", field) == nil {
            body.setField(stored.field("spec", field), at: "spec", field)
        }
    }

    /// The NamespaceLifecycle admission plugin: the namespace must exist and not be terminating.
    private func admitNamespace(_ resource: ResourceType, _ body: KubeObject) throws(KubeError) {
        guard resource.namespaced, let namespace = body.metadata.namespace else { return }
        guard let owner = store.object(.namespaces, ObjectKey(namespace: "", name: namespace)) else {
            throw KubeError.notFound(.namespaces, namespace)
        }
        if owner.isTerminating {
            throw KubeError(
                code: .forbidden, status: 403,
                message:
                    "\(resource.qualifiedPlural) \"\(body.metadata.name)\" is forbidden: "
                    + "unable to create new content in namespace \(namespace) because it is being terminated"
            )
        }
    }

    /// The ServiceAccount admission plugin: pods run as `default` unless told otherwise, and the
    /// account must exist.
    private func admitServiceAccount(_ body: inout KubeObject) throws(KubeError) {
        let account = body.field("spec", "serviceAccountName")?.stringValue ?? body.field("spec", "serviceAccount")?.stringValue ?? "default"
        body.setField(.string(account), at: "spec", "serviceAccountName")
        body.setField(.string(account), at: "spec", "serviceAccount")
        let namespace = body.metadata.namespace ?? ""
        guard store.object(.serviceAccounts, ObjectKey(namespace: namespace, name: account)) != nil else {
            throw KubeError(
                code: .forbidden, status: 403,
                message:
                    "pods \"\(body.metadata.name)\" is forbidden: "
                    + "error looking up service account \(namespace)/\(account): serviceaccount \"\(account)\" not found"
            )
        }
    }
}
