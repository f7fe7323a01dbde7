import Foundation
import KubeClient
import RegistryModel
import Synchronization

/// One kind of API call, in RBAC terms: verb, API group, resource (with subresource) and the
/// namespace it was made in (nil for cluster-scoped kinds and all-namespace lists).
struct APICall: Hashable, Comparable, CustomStringConvertible {
    var verb: String
    var group: String
    var resource: String
    var namespace: String?

    var description: String { "\(verb) \(group.isEmpty ? "core" : group)/\(resource)" + (namespace.map { " in \($0)" } ?? " cluster-wide") }

    static func < (lhs: APICall, rhs: APICall) -> Bool { lhs.description < rhs.description }
}

/// A `KubernetesAPI` that records every call it forwards, so a test can derive exactly which
/// permissions the code needs.
final class RecordingAPI: KubernetesAPI {
    let base: any KubernetesAPI
    private let recorded = Mutex<Set<APICall>>([])

    init(_ base: any KubernetesAPI) { self.base = base }

    var calls: Set<APICall> { recorded.withLock { $0 } }

    private func record(_ verb: String, _ resource: ResourceType, _ namespace: String?, subresource: String? = nil) {
        let call = APICall(
            verb: verb, group: resource.group, resource: resource.rbacResource(subresource: subresource),
            namespace: resource.namespaced ? namespace : nil)
        recorded.withLock { _ = $0.insert(call) }
    }

    func get(_ resource: ResourceType, namespace: String?, name: String) async throws -> KubeObject {
        record("get", resource, namespace)
        return try await base.get(resource, namespace: namespace, name: name)
    }

    func list(_ resource: ResourceType, namespace: String?, options: ListOptions) async throws -> KubeObjectList {
        record("list", resource, namespace)
        return try await base.list(resource, namespace: namespace, options: options)
    }

    func create(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        record("create", resource, object.metadata.namespace)
        return try await base.create(resource, object)
    }

    func update(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        record("update", resource, object.metadata.namespace)
        return try await base.update(resource, object)
    }

    func updateStatus(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        record("update", resource, object.metadata.namespace, subresource: "status")
        return try await base.updateStatus(resource, object)
    }

    func patch(_ resource: ResourceType, namespace: String?, name: String, mergePatch: JSONValue) async throws -> KubeObject {
        record("patch", resource, namespace)
        return try await base.patch(resource, namespace: namespace, name: name, mergePatch: mergePatch)
    }

    func delete(_ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions) async throws {
        record("delete", resource, namespace)
        try await base.delete(resource, namespace: namespace, name: name, options: options)
    }

    func watch(_ resource: ResourceType, namespace: String?, options: WatchOptions) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        record("watch", resource, namespace)
        return try await base.watch(resource, namespace: namespace, options: options)
    }
}
