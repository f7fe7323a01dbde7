import KubeClient

/// An object's place within its resource: namespace (empty for cluster-scoped kinds) and name.
/// Ordered by namespace, then name, which is the order lists return.
struct ObjectKey: Hashable, Comparable, Sendable {
    var namespace: String
    var name: String

    static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}

/// An object's full address: resource and key.
struct ObjectAddress: Hashable, Sendable {
    var resource: ResourceType
    var key: ObjectKey
}
