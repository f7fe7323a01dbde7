import RegistryModel

/// One RBAC rule.
public struct PolicyRule: Codable, Hashable, Sendable {
    public var apiGroups: [String]?
    public var resources: [String]?
    public var resourceNames: [String]?
    public var verbs: [String]
    public init(apiGroups: [String]?, resources: [String]?, resourceNames: [String]? = nil, verbs: [String]) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.verbs = verbs
    }
}

/// The role a binding grants.
public struct RoleRef: Codable, Hashable, Sendable {
    public var apiGroup: String
    public var kind: String
    public var name: String
    public init(apiGroup: String = "rbac.authorization.k8s.io", kind: String, name: String) {
        self.apiGroup = apiGroup
        self.kind = kind
        self.name = name
    }
}

/// Who a binding grants it to.
public struct Subject: Codable, Hashable, Sendable {
    public var kind: String
    public var name: String
    public var namespace: String?
    public init(kind: String, name: String, namespace: String? = nil) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }
}

/// rbac/v1 ClusterRole.
public struct ClusterRole: KubeResource, Hashable {
    public static var resourceType: ResourceType { .clusterRoles }
    public var apiVersion = "rbac.authorization.k8s.io/v1"
    public var kind = "ClusterRole"
    public var metadata: ObjectMeta
    public var rules: [PolicyRule]
    public init(metadata: ObjectMeta, rules: [PolicyRule]) {
        self.metadata = metadata
        self.rules = rules
    }
}

/// rbac/v1 Role.
public struct Role: KubeResource, Hashable {
    public static var resourceType: ResourceType { .roles }
    public var apiVersion = "rbac.authorization.k8s.io/v1"
    public var kind = "Role"
    public var metadata: ObjectMeta
    public var rules: [PolicyRule]
    public init(metadata: ObjectMeta, rules: [PolicyRule]) {
        self.metadata = metadata
        self.rules = rules
    }
}

/// rbac/v1 ClusterRoleBinding.
public struct ClusterRoleBinding: KubeResource, Hashable {
    public static var resourceType: ResourceType { .clusterRoleBindings }
    public var apiVersion = "rbac.authorization.k8s.io/v1"
    public var kind = "ClusterRoleBinding"
    public var metadata: ObjectMeta
    public var roleRef: RoleRef
    public var subjects: [Subject]?
    public init(metadata: ObjectMeta, roleRef: RoleRef, subjects: [Subject]?) {
        self.metadata = metadata
        self.roleRef = roleRef
        self.subjects = subjects
    }
}

/// rbac/v1 RoleBinding.
public struct RoleBinding: KubeResource, Hashable {
    public static var resourceType: ResourceType { .roleBindings }
    public var apiVersion = "rbac.authorization.k8s.io/v1"
    public var kind = "RoleBinding"
    public var metadata: ObjectMeta
    public var roleRef: RoleRef
    public var subjects: [Subject]?
    public init(metadata: ObjectMeta, roleRef: RoleRef, subjects: [Subject]?) {
        self.metadata = metadata
        self.roleRef = roleRef
        self.subjects = subjects
    }
}
