/// Identifies a kind of Kubernetes object and how it is addressed: group, version, kind, plural,
/// scope, and whether status is a separate subresource.
public struct ResourceType: Hashable, Sendable, CustomStringConvertible {
    public let group: String
    public let version: String
    public let kind: String
    public let plural: String
    public let namespaced: Bool
    /// When true, `update` ignores changes to `.status` and `updateStatus` changes only `.status`.
    public let hasStatusSubresource: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool, hasStatusSubresource: Bool) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
        self.hasStatusSubresource = hasStatusSubresource
    }

    /// `v1` for the core group, else `group/version`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `deployments.apps`, the name RBAC rules and error messages use.
    public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }

    public var description: String { qualifiedPlural }
}

extension ResourceType {
    public static let namespaces = ResourceType(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, hasStatusSubresource: true)
    public static let nodes = ResourceType(group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false, hasStatusSubresource: true)
    public static let pods = ResourceType(group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true, hasStatusSubresource: true)
    public static let services = ResourceType(group: "", version: "v1", kind: "Service", plural: "services", namespaced: true, hasStatusSubresource: true)
    public static let serviceAccounts = ResourceType(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true, hasStatusSubresource: false)
    public static let configMaps = ResourceType(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true, hasStatusSubresource: false)
    public static let secrets = ResourceType(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true, hasStatusSubresource: false)
    public static let persistentVolumeClaims = ResourceType(group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true, hasStatusSubresource: true)
    public static let deployments = ResourceType(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true, hasStatusSubresource: true)
    public static let daemonSets = ResourceType(group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", namespaced: true, hasStatusSubresource: true)
    public static let statefulSets = ResourceType(group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", namespaced: true, hasStatusSubresource: true)
    public static let replicaSets = ResourceType(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true, hasStatusSubresource: true)
    public static let jobs = ResourceType(group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true, hasStatusSubresource: true)
    public static let cronJobs = ResourceType(group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", namespaced: true, hasStatusSubresource: true)
    public static let roles = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true, hasStatusSubresource: false)
    public static let roleBindings = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true, hasStatusSubresource: false)
    public static let clusterRoles = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false, hasStatusSubresource: false)
    public static let clusterRoleBindings = ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false, hasStatusSubresource: false)
    public static let podDisruptionBudgets = ResourceType(group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", namespaced: true, hasStatusSubresource: true)
    public static let apiServices = ResourceType(group: "apiregistration.k8s.io", version: "v1", kind: "APIService", plural: "apiservices", namespaced: false, hasStatusSubresource: true)
    public static let customResourceDefinitions = ResourceType(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false, hasStatusSubresource: true)
    public static let configs = ResourceType(group: "imageregistry.operator.alauda.io", version: "v1", kind: "Config", plural: "configs", namespaced: false, hasStatusSubresource: true)
    public static let imagePruners = ResourceType(group: "imageregistry.operator.alauda.io", version: "v1", kind: "ImagePruner", plural: "imagepruners", namespaced: false, hasStatusSubresource: true)

    /// Every kind RegistryFleet reads or writes.
    public static let all: [ResourceType] = [
        .namespaces, .nodes, .pods, .services, .serviceAccounts, .configMaps, .secrets, .persistentVolumeClaims, .deployments,
        .daemonSets, .statefulSets, .replicaSets, .jobs, .cronJobs, .roles, .roleBindings, .clusterRoles, .clusterRoleBindings,
        .podDisruptionBudgets, .apiServices, .customResourceDefinitions, .configs, .imagePruners,
    ]

    /// The kinds served only while their CustomResourceDefinition exists.
    public static let customResources: [ResourceType] = [.configs, .imagePruners]

    /// True for a kind defined by a CustomResourceDefinition.
    public var isCustomResource: Bool { Self.customResources.contains(self) }

    /// The name of the CustomResourceDefinition that defines this kind (`configs.imageregistry.operator.alauda.io`).
    public var definitionName: String { "\(plural).\(group)" }

    /// The known resource for an object's apiVersion and kind.
    public static func forKind(apiVersion: String, kind: String) -> ResourceType? {
        all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    /// The known resource for a group and plural (how REST paths name it).
    public static func forPlural(group: String, plural: String) -> ResourceType? {
        all.first { $0.group == group && $0.plural == plural }
    }
}
