import KubeClient

/// What a resource request asks to do, in the terms RBAC rules are written in.
struct RequestAttributes: Sendable, Hashable {
    /// `get`, `list`, `watch`, `create`, `update`, `patch` or `delete`.
    var verb: String
    var resource: ResourceType
    /// `status` for the status subresource.
    var subresource: String?
    /// The namespace of a namespaced request; nil for cluster-scoped ones and all-namespace lists.
    var namespace: String?
    /// The object's name; empty for create and for list/watch of a collection.
    var name: String

    /// The resource as rules name it (`configs/status`).
    var rbacResource: String { resource.rbacResource(subresource: subresource) }

    /// The API server's Forbidden message for `user`.
    func forbidden(_ user: UserInfo) -> KubeError {
        let object = name.isEmpty ? resource.qualifiedPlural : "\(resource.qualifiedPlural) \"\(name)\""
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        return KubeError(
            code: .forbidden, status: 403,
            message:
                "\(object) is forbidden: User \"\(user.name)\" cannot \(verb) resource \"\(rbacResource)\" in API group \"\(resource.group)\" \(scope)"
        )
    }
}
