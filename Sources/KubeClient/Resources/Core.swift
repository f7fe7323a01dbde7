import Foundation
import RegistryModel

/// core/v1 Namespace.
public struct Namespace: KubeResource, Hashable {
    public static var resourceType: ResourceType { .namespaces }
    public var apiVersion = "v1"
    public var kind = "Namespace"
    public var metadata: ObjectMeta
    public init(metadata: ObjectMeta) { self.metadata = metadata }
}

/// core/v1 Service.
public struct Service: KubeResource, Hashable {
    public static var resourceType: ResourceType { .services }
    public var apiVersion = "v1"
    public var kind = "Service"
    public var metadata: ObjectMeta
    public var spec: ServiceSpec
    public init(metadata: ObjectMeta, spec: ServiceSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// Service spec.
public struct ServiceSpec: Codable, Hashable, Sendable {
    public struct Port: Codable, Hashable, Sendable {
        public var name: String?
        public var port: Int
        public var targetPort: IntOrString?
        public var `protocol`: String?
        public init(name: String? = nil, port: Int, targetPort: IntOrString? = nil, protocol: String? = nil) {
            self.name = name
            self.port = port
            self.targetPort = targetPort
            self.protocol = `protocol`
        }
    }
    public var selector: [String: String]?
    public var ports: [Port]
    public var type: String?
    public init(selector: [String: String]?, ports: [Port], type: String? = nil) {
        self.selector = selector
        self.ports = ports
        self.type = type
    }
}

/// core/v1 ServiceAccount.
public struct ServiceAccount: KubeResource, Hashable {
    public static var resourceType: ResourceType { .serviceAccounts }
    public var apiVersion = "v1"
    public var kind = "ServiceAccount"
    public var metadata: ObjectMeta
    public init(metadata: ObjectMeta) { self.metadata = metadata }
}

/// core/v1 ConfigMap.
public struct ConfigMap: KubeResource, Hashable {
    public static var resourceType: ResourceType { .configMaps }
    public var apiVersion = "v1"
    public var kind = "ConfigMap"
    public var metadata: ObjectMeta
    public var data: [String: String]?
    public init(metadata: ObjectMeta, data: [String: String]? = nil) {
        self.metadata = metadata
        self.data = data
    }
}

/// core/v1 Secret; `data` values are base64.
public struct Secret: KubeResource, Hashable {
    public static var resourceType: ResourceType { .secrets }
    public var apiVersion = "v1"
    public var kind = "Secret"
    public var metadata: ObjectMeta
    public var type: String?
    public var data: [String: String]?
    public init(metadata: ObjectMeta, type: String? = "Opaque", data: [String: String]? = nil) {
        self.metadata = metadata
        self.type = type
        self.data = data
    }
}

/// core/v1 PersistentVolumeClaim.
public struct PersistentVolumeClaim: KubeResource, Hashable {
    public static var resourceType: ResourceType { .persistentVolumeClaims }
    public var apiVersion = "v1"
    public var kind = "PersistentVolumeClaim"
    public var metadata: ObjectMeta
    public var spec: PersistentVolumeClaimSpec
    public var status: PersistentVolumeClaimStatus?
    public init(metadata: ObjectMeta, spec: PersistentVolumeClaimSpec, status: PersistentVolumeClaimStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// PVC spec.
public struct PersistentVolumeClaimSpec: Codable, Hashable, Sendable {
    public var accessModes: [String]
    public var resources: ResourceRequirements
    public var storageClassName: String?
    public init(accessModes: [String], resources: ResourceRequirements, storageClassName: String? = nil) {
        self.accessModes = accessModes
        self.resources = resources
        self.storageClassName = storageClassName
    }
}

/// PVC status.
public struct PersistentVolumeClaimStatus: Codable, Hashable, Sendable {
    /// Pending, Bound or Lost.
    public var phase: String?
    public init(phase: String? = nil) { self.phase = phase }
}

/// policy/v1 PodDisruptionBudget.
public struct PodDisruptionBudget: KubeResource, Hashable {
    public static var resourceType: ResourceType { .podDisruptionBudgets }
    public var apiVersion = "policy/v1"
    public var kind = "PodDisruptionBudget"
    public var metadata: ObjectMeta
    public var spec: PodDisruptionBudgetSpec
    public init(metadata: ObjectMeta, spec: PodDisruptionBudgetSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// PDB spec.
public struct PodDisruptionBudgetSpec: Codable, Hashable, Sendable {
    public var minAvailable: IntOrString?
    public var selector: LabelSelectorSpec
    public init(minAvailable: IntOrString?, selector: LabelSelectorSpec) {
        self.minAvailable = minAvailable
        self.selector = selector
    }
}

/// apiregistration.k8s.io/v1 APIService.
public struct APIService: KubeResource, Hashable {
    public static var resourceType: ResourceType { .apiServices }
    public var apiVersion = "apiregistration.k8s.io/v1"
    public var kind = "APIService"
    public var metadata: ObjectMeta
    public var spec: APIServiceSpec
    public var status: APIServiceStatus?
    public init(metadata: ObjectMeta, spec: APIServiceSpec, status: APIServiceStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// APIService spec.
public struct APIServiceSpec: Codable, Hashable, Sendable {
    public struct ServiceReference: Codable, Hashable, Sendable {
        public var namespace: String
        public var name: String
        public var port: Int?
        public init(namespace: String, name: String, port: Int? = nil) {
            self.namespace = namespace
            self.name = name
            self.port = port
        }
    }
    public var group: String
    public var version: String
    public var service: ServiceReference?
    public var groupPriorityMinimum: Int
    public var versionPriority: Int
    public var insecureSkipTLSVerify: Bool?
    /// Base64 of the PEM CA certificate(s) the aggregator trusts for the backend's serving certificate.
    public var caBundle: String?
    public init(
        group: String, version: String, service: ServiceReference?, groupPriorityMinimum: Int, versionPriority: Int,
        insecureSkipTLSVerify: Bool? = nil, caBundle: String? = nil
    ) {
        self.group = group
        self.version = version
        self.service = service
        self.groupPriorityMinimum = groupPriorityMinimum
        self.versionPriority = versionPriority
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.caBundle = caBundle
    }
}

/// APIService status.
public struct APIServiceStatus: Codable, Hashable, Sendable {
    public var conditions: [Condition]?
    public init(conditions: [Condition]? = nil) { self.conditions = conditions }
}
