import RegistryModel

/// A typed Kubernetes object. Typed models cover the fields RegistryFleet reads and writes; the
/// rest of an object lives on in `KubeObject`.
public protocol KubeResource: Codable, Sendable {
    /// Which API resource this type is.
    static var resourceType: ResourceType { get }
    var metadata: ObjectMeta { get set }
}

extension KubernetesAPI {
    /// Reads a typed object.
    public func get<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String) async throws -> T {
        try await get(T.resourceType, namespace: namespace, name: name).decode(as: T.self)
    }

    /// Reads a typed object, or nil when it does not exist.
    public func getIfExists<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String) async throws -> T? {
        try await getIfExists(T.resourceType, namespace: namespace, name: name)?.decode(as: T.self)
    }

    /// Lists typed objects (all pages).
    public func list<T: KubeResource>(_ type: T.Type, namespace: String? = nil, labelSelector: LabelSelector? = nil) async throws -> [T] {
        try await listAll(T.resourceType, namespace: namespace, labelSelector: labelSelector).items.map { try $0.decode(as: T.self) }
    }

    /// Creates a typed object.
    public func create<T: KubeResource>(_ resource: T) async throws -> T {
        try await create(T.resourceType, KubeObject(resource)).decode(as: T.self)
    }

    /// Replaces a typed object. Fields the type does not model are lost, so read-modify-write of
    /// objects owned by others should go through `KubeObject` or a merge patch instead.
    public func update<T: KubeResource>(_ resource: T) async throws -> T {
        try await update(T.resourceType, KubeObject(resource)).decode(as: T.self)
    }

    /// Replaces the status of a typed object.
    public func updateStatus<T: KubeResource>(_ resource: T) async throws -> T {
        try await updateStatus(T.resourceType, KubeObject(resource)).decode(as: T.self)
    }

    /// Deletes a typed object.
    public func delete<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String, options: DeleteOptions = DeleteOptions()) async throws {
        try await delete(T.resourceType, namespace: namespace, name: name, options: options)
    }
}

extension Config: KubeResource {
    public static var resourceType: ResourceType { .configs }
}

extension ImagePruner: KubeResource {
    public static var resourceType: ResourceType { .imagePruners }
}
