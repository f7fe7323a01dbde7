import Foundation
import KubeClient
import RegistryModel
import Synchronization

/// The cluster as the agent's in-process operator sees it: the same API, except that when the operator creates a
/// missing Config/cluster or ImagePruner/cluster (its bootstrap), the held policy's hub-owned fields are written
/// into the object it creates.
///
/// Without this, deleting Config/cluster while the hub says Removed lets the operator re-create it Managed with
/// its defaults and start the registry's Deployments before the agent's repair turns it back to Removed. Every
/// other request passes through unchanged.
final class PolicyBootstrappingAPI: KubernetesAPI {
    /// The real cluster API.
    let base: any KubernetesAPI
    /// The policy the agent holds; nil creates the operator's defaults unchanged.
    private let held = Mutex<FleetPolicy?>(nil)

    /// Wraps `base`.
    init(_ base: any KubernetesAPI) {
        self.base = base
    }

    /// Makes `policy` the one bootstraps carry.
    func hold(_ policy: FleetPolicy?) {
        held.withLock { $0 = policy }
    }

    func create(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        guard object.metadata.name == RegistryNames.singleton, let policy = held.withLock({ $0 }) else {
            return try await base.create(resource, object)
        }
        var bootstrap = object
        switch resource {
        case .configs: bootstrap.spec = try Self.applying(ConfigSpec.self, to: object.spec) { $0.applying(policy.registry) }
        case .imagePruners: bootstrap.spec = try Self.applying(ImagePrunerSpec.self, to: object.spec) { $0.applying(policy.pruner) }
        default: break
        }
        return try await base.create(resource, bootstrap)
    }

    /// `raw` with the members that `change` alters on its typed form written over it; others stay as they are.
    static func applying<Spec: Codable>(_ type: Spec.Type, to raw: JSONValue?, _ change: (Spec) -> Spec) throws -> JSONValue {
        let raw = raw ?? .object([:])
        let current = try JSONCoding.value(Spec.self, from: raw)
        guard let patch = try JSONCoding.tree(current).mergePatch(to: JSONCoding.tree(change(current))) else { return raw }
        return raw.applyingMergePatch(patch)
    }

    func get(_ resource: ResourceType, namespace: String?, name: String) async throws -> KubeObject {
        try await base.get(resource, namespace: namespace, name: name)
    }

    func list(_ resource: ResourceType, namespace: String?, options: ListOptions) async throws -> KubeObjectList {
        try await base.list(resource, namespace: namespace, options: options)
    }

    func update(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        try await base.update(resource, object)
    }

    func updateStatus(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        try await base.updateStatus(resource, object)
    }

    func patch(_ resource: ResourceType, namespace: String?, name: String, mergePatch: JSONValue) async throws -> KubeObject {
        try await base.patch(resource, namespace: namespace, name: name, mergePatch: mergePatch)
    }

    func delete(_ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await base.delete(resource, namespace: namespace, name: name, options: options)
    }

    func watch(_ resource: ResourceType, namespace: String?, options: WatchOptions) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        try await base.watch(resource, namespace: namespace, options: options)
    }
}
