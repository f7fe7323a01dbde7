import RegistryModel

/// An integer or a string, as in `maxUnavailable: 1` or `maxUnavailable: 25%`.
public enum IntOrString: Codable, Hashable, Sendable {
    case int(Int)
    case string(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) { self = .int(value) } else { self = .string(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}

/// Labels and annotations of a template (templates have no name).
public struct TemplateMetadata: Codable, Hashable, Sendable {
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public init(labels: [String: String]? = nil, annotations: [String: String]? = nil) {
        self.labels = labels
        self.annotations = annotations
    }
}

/// `matchLabels` + `matchExpressions`, the structured selector of workloads.
public struct LabelSelectorSpec: Codable, Hashable, Sendable {
    public struct Expression: Codable, Hashable, Sendable {
        public var key: String
        public var `operator`: String
        public var values: [String]?
        public init(key: String, operator: String, values: [String]? = nil) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }
    }
    public var matchLabels: [String: String]?
    public var matchExpressions: [Expression]?
    public init(matchLabels: [String: String]? = nil, matchExpressions: [Expression]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// The same selector in RegistryModel's form.
    public var selector: LabelSelector {
        var requirements = LabelSelector(matchLabels: matchLabels ?? [:]).requirements
        for expression in matchExpressions ?? [] {
            let values = Set(expression.values ?? [])
            switch expression.operator {
            case "In": requirements.append(.in(expression.key, values))
            case "NotIn": requirements.append(.notIn(expression.key, values))
            case "Exists": requirements.append(.exists(expression.key))
            case "DoesNotExist": requirements.append(.doesNotExist(expression.key))
            default: continue
            }
        }
        return LabelSelector(requirements: requirements)
    }
}

/// A pod template.
public struct PodTemplateSpec: Codable, Hashable, Sendable {
    public var metadata: TemplateMetadata?
    public var spec: PodSpec
    public init(metadata: TemplateMetadata? = nil, spec: PodSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// The pod fields RegistryFleet sets or reads.
public struct PodSpec: Codable, Hashable, Sendable {
    public var containers: [Container]
    public var initContainers: [Container]?
    public var serviceAccountName: String?
    public var nodeSelector: [String: String]?
    public var nodeName: String?
    public var tolerations: [Toleration]?
    public var affinity: JSONValue?
    public var restartPolicy: String?
    public var priorityClassName: String?
    public var terminationGracePeriodSeconds: Int?
    public var volumes: [Volume]?

    public init(
        containers: [Container], initContainers: [Container]? = nil, serviceAccountName: String? = nil, nodeSelector: [String: String]? = nil,
        nodeName: String? = nil, tolerations: [Toleration]? = nil, affinity: JSONValue? = nil, restartPolicy: String? = nil,
        priorityClassName: String? = nil, terminationGracePeriodSeconds: Int? = nil, volumes: [Volume]? = nil
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.serviceAccountName = serviceAccountName
        self.nodeSelector = nodeSelector
        self.nodeName = nodeName
        self.tolerations = tolerations
        self.affinity = affinity
        self.restartPolicy = restartPolicy
        self.priorityClassName = priorityClassName
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.volumes = volumes
    }

    /// Every image the pod runs, init containers included.
    public var allImages: [String] { (initContainers ?? []).map(\.image) + containers.map(\.image) }
}

/// One container.
public struct Container: Codable, Hashable, Sendable {
    public var name: String
    public var image: String
    public var command: [String]?
    public var args: [String]?
    public var env: [EnvVar]?
    public var ports: [ContainerPort]?
    public var resources: ResourceRequirements?
    public var volumeMounts: [VolumeMount]?
    public var readinessProbe: JSONValue?
    public var livenessProbe: JSONValue?
    public var securityContext: JSONValue?

    public init(
        name: String, image: String, command: [String]? = nil, args: [String]? = nil, env: [EnvVar]? = nil, ports: [ContainerPort]? = nil,
        resources: ResourceRequirements? = nil, volumeMounts: [VolumeMount]? = nil, readinessProbe: JSONValue? = nil,
        livenessProbe: JSONValue? = nil, securityContext: JSONValue? = nil
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.env = env
        self.ports = ports
        self.resources = resources
        self.volumeMounts = volumeMounts
        self.readinessProbe = readinessProbe
        self.livenessProbe = livenessProbe
        self.securityContext = securityContext
    }
}

/// An environment variable with a literal value.
public struct EnvVar: Codable, Hashable, Sendable {
    public var name: String
    public var value: String?
    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// A container port.
public struct ContainerPort: Codable, Hashable, Sendable {
    public var name: String?
    public var containerPort: Int
    public var `protocol`: String?
    public init(name: String? = nil, containerPort: Int, protocol: String? = nil) {
        self.name = name
        self.containerPort = containerPort
        self.protocol = `protocol`
    }
}

/// A volume mount.
public struct VolumeMount: Codable, Hashable, Sendable {
    public var name: String
    public var mountPath: String
    public var readOnly: Bool?
    public init(name: String, mountPath: String, readOnly: Bool? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
    }
}

/// A pod volume (the kinds the operator uses).
public struct Volume: Codable, Hashable, Sendable {
    public struct ClaimSource: Codable, Hashable, Sendable {
        public var claimName: String
        public init(claimName: String) { self.claimName = claimName }
    }
    public struct NamedSource: Codable, Hashable, Sendable {
        public var name: String?
        public var secretName: String?
        public init(name: String? = nil, secretName: String? = nil) {
            self.name = name
            self.secretName = secretName
        }
    }
    public var name: String
    public var persistentVolumeClaim: ClaimSource?
    public var emptyDir: EmptyDirStorage?
    public var configMap: NamedSource?
    public var secret: NamedSource?

    public init(
        name: String, persistentVolumeClaim: ClaimSource? = nil, emptyDir: EmptyDirStorage? = nil, configMap: NamedSource? = nil,
        secret: NamedSource? = nil
    ) {
        self.name = name
        self.persistentVolumeClaim = persistentVolumeClaim
        self.emptyDir = emptyDir
        self.configMap = configMap
        self.secret = secret
    }
}
