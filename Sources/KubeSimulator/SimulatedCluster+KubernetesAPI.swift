import Foundation
import KubeClient
import RegistryModel

/// The `KubernetesAPI` requests. Each one waits the injected latency, is counted, may fail by
/// injection, and then runs atomically on the actor against the simulated API server.
extension SimulatedCluster {
    /// Reads one object; 404 when absent.
    public func get(_ resource: ResourceType, namespace: String?, name: String) async throws -> KubeObject {
        try await serve(.get, resource, namespace, name) { () throws(KubeError) in
            try server.get(resource, namespace: namespace, name: name)
        }
    }

    /// Lists objects by namespace and label selector, in namespace/name order, paginated.
    public func list(_ resource: ResourceType, namespace: String?, options: ListOptions) async throws -> KubeObjectList {
        try await serve(.list, resource, namespace, nil) { () throws(KubeError) in
            try server.list(resource, namespace: namespace, options: options)
        }
    }

    /// Creates an object after admission, defaulting and validation; 409 when the name is taken.
    public func create(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        try await serve(.create, resource, object.metadata.namespace, object.metadata.name) { () throws(KubeError) in
            try server.create(resource, object, now: clock.now())
        }
    }

    /// Replaces an object; 409 on a stale resourceVersion; `.status` ignored for status kinds.
    public func update(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        try await serve(.update, resource, object.metadata.namespace, object.metadata.name) { () throws(KubeError) in
            try server.update(resource, object, now: clock.now())
        }
    }

    /// Replaces only `.status`; 404 for kinds without a status subresource.
    public func updateStatus(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        try await serve(.updateStatus, resource, object.metadata.namespace, object.metadata.name) { () throws(KubeError) in
            try server.updateStatus(resource, object, now: clock.now())
        }
    }

    /// Applies an RFC 7386 merge patch, then the update rules.
    public func patch(_ resource: ResourceType, namespace: String?, name: String, mergePatch: JSONValue) async throws -> KubeObject {
        try await serve(.patch, resource, namespace, name) { () throws(KubeError) in
            try server.patch(resource, namespace: namespace, name: name, mergePatch: mergePatch, now: clock.now())
        }
    }

    /// Deletes an object with its finalizers and propagation policy; 404 when absent.
    public func delete(_ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await serve(.delete, resource, namespace, name) { () throws(KubeError) in
            try server.delete(resource, namespace: namespace, name: name, options: options, now: clock.now())
        }
    }

    /// Streams changes: replayed from `options.resourceVersion`, or ADDED for what exists; 410 when too old.
    public func watch(_ resource: ResourceType, namespace: String?, options: WatchOptions) async throws -> AsyncThrowingStream<WatchEvent, any Error>
    {
        try await serve(.watch, resource, namespace, options.name) { () throws(KubeError) in
            let filter = WatchFilter(namespace: resource.namespaced ? namespace : nil, labelSelector: options.labelSelector, name: options.name)
            let initial = try server.initialWatchEvents(resource, filter: filter, resourceVersion: options.resourceVersion)
            let capacity = initial.count + max(1, self.options.watchHistorySize)
            let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self, bufferingPolicy: .bufferingOldest(capacity))
            for event in initial { continuation.yield(event) }
            let id = server.store.watches.add(WatchRegistry.Watcher(resource: resource, filter: filter, continuation: continuation))
            continuation.onTermination = { [weak self] _ in
                Task { await self?.closeWatch(id) }
            }
            return stream
        }
    }

    /// Ends every open watch as a dropped connection would; clients resume from the last
    /// resourceVersion they saw.
    public func dropWatches() {
        server.store.watches.finishAll()
    }

    private func closeWatch(_ id: Int) {
        server.store.watches.remove(id)
    }

    /// Runs one client request: latency, counting, injected errors, then the request itself.
    private func serve<Result>(
        _ verb: APIVerb, _ resource: ResourceType, _ namespace: String?, _ name: String?, _ body: () throws(KubeError) -> Result
    ) async throws -> Result {
        let latency = faults.latency
        if latency > .zero { try await Task.sleep(for: latency) }
        requestCounts[verb, default: 0] += 1
        do throws(KubeError) {
            if let injected = faults.apiError(verb, resource) { throw injected }
            try server.checkServed(verb, resource)
            return try body()
        } catch {
            var described = error
            let target = [resource.namespaced ? namespace : nil, name].compactMap { $0 }.joined(separator: "/")
            described.operation = "\(verb.rawValue) \(resource.qualifiedPlural)" + (target.isEmpty ? "" : " \(target)")
            logger.debug("request failed", metadata: ["verb": "\(verb.rawValue)", "resource": "\(resource)", "error": "\(error.message)"])
            throw described
        }
    }
}
