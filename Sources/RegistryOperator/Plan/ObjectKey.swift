import KubeClient

/// Names one object: its resource, namespace and name.
public struct ObjectKey: Hashable, Sendable, CustomStringConvertible {
    public var resource: ResourceType
    public var namespace: String?
    public var name: String

    public init(_ resource: ResourceType, namespace: String?, name: String) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
    }

    /// The key of an object of a known kind.
    public init?(_ object: KubeObject) {
        guard let resource = object.resourceType else { return nil }
        self.init(resource, namespace: object.metadata.namespace, name: object.metadata.name)
    }

    public var description: String {
        "\(resource.kind.lowercased())/\(namespace.map { "\($0)/" } ?? "")\(name)"
    }
}
