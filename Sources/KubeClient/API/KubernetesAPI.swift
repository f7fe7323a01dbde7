import RegistryModel

/// The Kubernetes API as RegistryFleet uses it.
///
/// Two implementations share these semantics: `RESTClient` talks to a real API server and
/// `SimulatedCluster` is an in-memory API server with controllers. Code written against this
/// protocol (the operator, the agent, the pruner) runs unchanged against either.
///
/// `namespace` is nil for cluster-scoped kinds, and for `list`/`watch` of a namespaced kind it
/// means all namespaces.
public protocol KubernetesAPI: Sendable {
    /// Reads one object; `KubeError.notFound` when absent.
    func get(_ resource: ResourceType, namespace: String?, name: String) async throws -> KubeObject

    /// Lists objects, optionally filtered and paginated.
    func list(_ resource: ResourceType, namespace: String?, options: ListOptions) async throws -> KubeObjectList

    /// Creates an object; the server assigns uid, resourceVersion, generation and
    /// creationTimestamp. `alreadyExists` when the name is taken, `invalid` for a bad object.
    func create(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject

    /// Replaces an object. When `metadata.resourceVersion` is set and stale: `conflict`. With a
    /// status subresource, changes to `.status` are ignored.
    func update(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject

    /// Replaces only `.status` (the status subresource).
    func updateStatus(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject

    /// Applies an RFC 7386 JSON merge patch.
    func patch(_ resource: ResourceType, namespace: String?, name: String, mergePatch: JSONValue) async throws -> KubeObject

    /// Deletes an object; dependents are handled per `options.propagationPolicy`.
    func delete(_ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions) async throws

    /// Streams changes after `options.resourceVersion`. Fails with `gone` when that version is
    /// too old; the stream ends when the connection does, and the caller resumes from the last
    /// version it saw.
    func watch(_ resource: ResourceType, namespace: String?, options: WatchOptions) async throws -> AsyncThrowingStream<WatchEvent, any Error>
}

extension KubernetesAPI {
    /// Lists everything, following continue tokens.
    public func listAll(_ resource: ResourceType, namespace: String?, labelSelector: LabelSelector? = nil) async throws -> KubeObjectList {
        var options = ListOptions(labelSelector: labelSelector, limit: 500)
        var items: [KubeObject] = []
        while true {
            let page = try await list(resource, namespace: namespace, options: options)
            items.append(contentsOf: page.items)
            guard let next = page.continueToken, !next.isEmpty else {
                return KubeObjectList(items: items, resourceVersion: page.resourceVersion)
            }
            options.continueToken = next
        }
    }

    /// Reads one object, or nil when it does not exist.
    public func getIfExists(_ resource: ResourceType, namespace: String?, name: String) async throws -> KubeObject? {
        do {
            return try await get(resource, namespace: namespace, name: name)
        } catch let error as KubeError where error.code == .notFound {
            return nil
        }
    }

    /// Deletes with background propagation, treating "already gone" as success.
    public func deleteIfExists(_ resource: ResourceType, namespace: String?, name: String) async throws -> Bool {
        do {
            try await delete(resource, namespace: namespace, name: name, options: DeleteOptions())
            return true
        } catch let error as KubeError where error.code == .notFound {
            return false
        }
    }
}
