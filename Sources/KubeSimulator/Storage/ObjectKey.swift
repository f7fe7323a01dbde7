import KubeClient

/// An object's place within its resource: namespace (empty for cluster-scoped kinds) and name.
/// Ordered by namespace, then name, which is the order lists return.
struct ObjectKey: Hashable, Comparable, Sendable {
    /// The namespace, empty for cluster-scoped kinds.
    var namespace: String
    /// The object's name.
    var name: String

    /// Namespace first, then name: the order lists return.
    static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}

/// An object's full address: resource and key.
struct ObjectAddress: Hashable, Sendable {
    /// The object's resource.
    var resource: ResourceType
    /// The object's namespace and name.
    var key: ObjectKey
}
