import KubeClient
import KubeSimulator
import RegistryModel

/// Authorizes requests with the RBAC objects stored in the simulated cluster, like
/// kube-apiserver's RBAC authorizer: the rules of every ClusterRoleBinding naming the user apply
/// everywhere, those of RoleBindings only in their namespace. Writes of roles and bindings are
/// refused when they would grant more than the requester holds (unless it may `escalate`/`bind`).
struct RBACAuthorizer: Sendable {
    let cluster: SimulatedCluster

    /// nil when `user` may make the request, else the 403.
    func authorize(_ user: UserInfo, _ attributes: RequestAttributes) async -> KubeError? {
        if user.isSuperUser { return nil }
        let rules = await rules(for: user, namespace: attributes.namespace)
        let allowed = rules.contains {
            $0.allows(verb: attributes.verb, group: attributes.resource.group, resource: attributes.rbacResource, name: attributes.name)
        }
        return allowed ? nil : attributes.forbidden(user)
    }

    /// The escalation check for a Role, ClusterRole or binding about to be written by `user`.
    func checkEscalation(_ user: UserInfo, resource: ResourceType, object: KubeObject) async -> KubeError? {
        if user.isSuperUser { return nil }
        let namespace = resource.namespaced ? object.metadata.namespace : nil
        let held = await rules(for: user, namespace: namespace)
        let requested: [PolicyRule]
        let exemptingVerb: String
        let exemptingResource: ResourceType
        let exemptingName: String
        switch resource {
        case .roles, .clusterRoles:
            requested = (try? object.decode(as: Role.self).rules) ?? []
            exemptingVerb = "escalate"
            exemptingResource = resource
            exemptingName = object.metadata.name
        case .roleBindings, .clusterRoleBindings:
            guard let reference = try? object.decode(as: RoleBinding.self).roleRef else { return nil }
            let roleResource: ResourceType = reference.kind == "Role" ? .roles : .clusterRoles
            guard let role = await cluster.storedObject(roleResource, namespace: namespace, name: reference.name) else { return nil }
            requested = (try? role.decode(as: Role.self).rules) ?? []
            exemptingVerb = "bind"
            exemptingResource = roleResource
            exemptingName = reference.name
        default:
            return nil
        }
        if held.contains(where: {
            $0.allows(verb: exemptingVerb, group: exemptingResource.group, resource: exemptingResource.plural, name: exemptingName)
        }) {
            return nil
        }
        let missing = requested.flatMap(\.atomicRules).filter { !$0.isCovered(by: held) }
        guard !missing.isEmpty else { return nil }
        let groups = user.effectiveGroups.map { "\"\($0)\"" }.joined(separator: " ")
        return KubeError(
            code: .forbidden, status: 403,
            message:
                "\(resource.qualifiedPlural) \"\(object.metadata.name)\" is forbidden: user \"\(user.name)\" (groups=[\(groups)]) is attempting to grant RBAC permissions not currently held:\n"
                + missing.map(\.escalationDescription).joined(separator: "\n"))
    }

    /// The rules that apply to `user` cluster-wide, plus those bound in `namespace`.
    func rules(for user: UserInfo, namespace: String?) async -> [PolicyRule] {
        var rules: [PolicyRule] = []
        for object in await cluster.storedObjects(.clusterRoleBindings) {
            guard let binding = try? object.decode(as: ClusterRoleBinding.self), binding.roleRef.kind == "ClusterRole",
                Self.names(user, binding.subjects ?? [], bindingNamespace: nil)
            else { continue }
            rules += await roleRules(.clusterRoles, namespace: nil, name: binding.roleRef.name)
        }
        guard let namespace else { return rules }
        for object in await cluster.storedObjects(.roleBindings, namespace: namespace) {
            guard let binding = try? object.decode(as: RoleBinding.self), Self.names(user, binding.subjects ?? [], bindingNamespace: namespace)
            else { continue }
            if binding.roleRef.kind == "Role" {
                rules += await roleRules(.roles, namespace: namespace, name: binding.roleRef.name)
            } else {
                rules += await roleRules(.clusterRoles, namespace: nil, name: binding.roleRef.name)
            }
        }
        return rules
    }

    private func roleRules(_ resource: ResourceType, namespace: String?, name: String) async -> [PolicyRule] {
        guard let object = await cluster.storedObject(resource, namespace: namespace, name: name) else { return [] }
        return (try? object.decode(as: Role.self).rules) ?? []
    }

    /// Whether a binding's subjects include `user`.
    static func names(_ user: UserInfo, _ subjects: [Subject], bindingNamespace: String?) -> Bool {
        subjects.contains { subject in
            switch subject.kind {
            case "User": return subject.name == user.name
            case "Group": return user.effectiveGroups.contains(subject.name)
            case "ServiceAccount":
                guard let account = user.serviceAccount else { return false }
                return account.name == subject.name && account.namespace == (subject.namespace ?? bindingNamespace)
            default: return false
            }
        }
    }
}
