import Foundation

/// `Config/cluster`: the desired state of the cluster's image registry.
public struct Config: Codable, Hashable, Sendable {
    public var apiVersion: String = RegistryNames.apiVersion
    public var kind: String = "Config"
    public var metadata: ObjectMeta
    public var spec: ConfigSpec
    public var status: ConfigStatus?

    public init(metadata: ObjectMeta = ObjectMeta(name: RegistryNames.singleton), spec: ConfigSpec = ConfigSpec(), status: ConfigStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// The fields of `Config.spec` that RegistryFleet implements (domain.md, "Config/cluster").
public struct ConfigSpec: Codable, Hashable, Sendable {
    public var managementState: ManagementState
    public var replicas: Int
    public var storage: StorageSpec?
    public var logLevel: String?
    public var httpSecret: String?
    public var readOnly: Bool?
    public var disableRedirect: Bool?
    public var proxy: ProxySpec?
    public var requests: RequestsSpec?
    public var rolloutStrategy: String?
    public var resources: ResourceRequirements?
    public var nodeSelector: [String: String]?
    public var tolerations: [Toleration]?

    public init(
        managementState: ManagementState = .managed, replicas: Int = 1, storage: StorageSpec? = StorageSpec(pvc: PVCStorage()),
        logLevel: String? = nil, httpSecret: String? = nil, readOnly: Bool? = nil, disableRedirect: Bool? = nil, proxy: ProxySpec? = nil,
        requests: RequestsSpec? = nil, rolloutStrategy: String? = nil, resources: ResourceRequirements? = nil,
        nodeSelector: [String: String]? = nil, tolerations: [Toleration]? = nil
    ) {
        self.managementState = managementState
        self.replicas = replicas
        self.storage = storage
        self.logLevel = logLevel
        self.httpSecret = httpSecret
        self.readOnly = readOnly
        self.disableRedirect = disableRedirect
        self.proxy = proxy
        self.requests = requests
        self.rolloutStrategy = rolloutStrategy
        self.resources = resources
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
    }

    enum CodingKeys: String, CodingKey {
        case managementState, replicas, storage, logLevel, httpSecret, readOnly, disableRedirect, proxy, requests, rolloutStrategy,
            resources, nodeSelector, tolerations
    }

    /// `managementState` defaults to Managed when absent, as the operator bootstraps it; `replicas`
    /// is required as in the CRD.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        managementState = try container.decodeIfPresent(ManagementState.self, forKey: .managementState) ?? .managed
        replicas = try container.decode(Int.self, forKey: .replicas)
        storage = try container.decodeIfPresent(StorageSpec.self, forKey: .storage)
        logLevel = try container.decodeIfPresent(String.self, forKey: .logLevel)
        httpSecret = try container.decodeIfPresent(String.self, forKey: .httpSecret)
        readOnly = try container.decodeIfPresent(Bool.self, forKey: .readOnly)
        disableRedirect = try container.decodeIfPresent(Bool.self, forKey: .disableRedirect)
        proxy = try container.decodeIfPresent(ProxySpec.self, forKey: .proxy)
        requests = try container.decodeIfPresent(RequestsSpec.self, forKey: .requests)
        rolloutStrategy = try container.decodeIfPresent(String.self, forKey: .rolloutStrategy)
        resources = try container.decodeIfPresent(ResourceRequirements.self, forKey: .resources)
        nodeSelector = try container.decodeIfPresent([String: String].self, forKey: .nodeSelector)
        tolerations = try container.decodeIfPresent([Toleration].self, forKey: .tolerations)
    }

    /// The registry log level with its default applied.
    public var effectiveLogLevel: String { logLevel.flatMap { $0.isEmpty ? nil : $0 } ?? "Normal" }
    /// The rollout strategy with its default applied.
    public var effectiveRolloutStrategy: String { rolloutStrategy.flatMap { $0.isEmpty ? nil : $0 } ?? "RollingUpdate" }
}

/// Where the registry keeps blobs; exactly one backend is set.
public struct StorageSpec: Codable, Hashable, Sendable {
    /// `Managed` when the operator created the storage (and deletes it on Removed), `Unmanaged` when
    /// the user supplied it. Filled by the operator when empty.
    public var managementState: ManagementState?
    public var emptyDir: EmptyDirStorage?
    public var pvc: PVCStorage?
    public var s3: S3Storage?

    public init(managementState: ManagementState? = nil, emptyDir: EmptyDirStorage? = nil, pvc: PVCStorage? = nil, s3: S3Storage? = nil) {
        self.managementState = managementState
        self.emptyDir = emptyDir
        self.pvc = pvc
        self.s3 = s3
    }

    /// The names of the configured backends.
    public var configuredBackends: [String] {
        [emptyDir.map { _ in "emptyDir" }, pvc.map { _ in "pvc" }, s3.map { _ in "s3" }].compactMap { $0 }
    }

    /// What the operator fills into an empty `managementState`: a PVC without a claim (the operator
    /// creates `image-registry-storage`) and emptyDir are Managed, a user claim or bucket Unmanaged.
    public var defaultManagementState: ManagementState {
        if let pvc { return (pvc.claim ?? "").isEmpty ? .managed : .unmanaged }
        if let s3 { return (s3.bucket ?? "").isEmpty ? .managed : .unmanaged }
        return .managed
    }

    /// `managementState` or, when empty, its default.
    public var effectiveManagementState: ManagementState {
        if let state = managementState, !state.rawValue.isEmpty { return state }
        return defaultManagementState
    }

    /// The backends only, without `managementState`; compared with `status.storage` to detect a
    /// storage change.
    public var backendOnly: StorageSpec { StorageSpec(emptyDir: emptyDir, pvc: pvc, s3: s3) }
}

/// Ephemeral storage; data is lost when the pod goes away.
public struct EmptyDirStorage: Codable, Hashable, Sendable {
    public init() {}
}

/// A PersistentVolumeClaim; empty `claim` makes the operator create `image-registry-storage`.
public struct PVCStorage: Codable, Hashable, Sendable {
    public var claim: String?
    public init(claim: String? = nil) { self.claim = claim }
}

/// An S3 bucket.
public struct S3Storage: Codable, Hashable, Sendable {
    public var bucket: String?
    public var region: String?
    public var regionEndpoint: String?
    public var encrypt: Bool?
    public init(bucket: String? = nil, region: String? = nil, regionEndpoint: String? = nil, encrypt: Bool? = nil) {
        self.bucket = bucket
        self.region = region
        self.regionEndpoint = regionEndpoint
        self.encrypt = encrypt
    }
}

/// Proxy settings passed to the registry's environment.
public struct ProxySpec: Codable, Hashable, Sendable {
    public var http: String?
    public var https: String?
    public var noProxy: String?
    public init(http: String? = nil, https: String? = nil, noProxy: String? = nil) {
        self.http = http
        self.https = https
        self.noProxy = noProxy
    }
}

/// Limits on concurrent registry requests.
public struct RequestsSpec: Codable, Hashable, Sendable {
    public var read: RequestLimits?
    public var write: RequestLimits?
    public init(read: RequestLimits? = nil, write: RequestLimits? = nil) {
        self.read = read
        self.write = write
    }
}

/// `maxRunning`, `maxInQueue` and `maxWaitInQueue` (a Go duration) for one request kind.
public struct RequestLimits: Codable, Hashable, Sendable {
    public var maxRunning: Int?
    public var maxInQueue: Int?
    public var maxWaitInQueue: String?
    public init(maxRunning: Int? = nil, maxInQueue: Int? = nil, maxWaitInQueue: String? = nil) {
        self.maxRunning = maxRunning
        self.maxInQueue = maxInQueue
        self.maxWaitInQueue = maxWaitInQueue
    }
}

/// Container resource requests and limits as Kubernetes quantities.
public struct ResourceRequirements: Codable, Hashable, Sendable {
    public var requests: [String: String]?
    public var limits: [String: String]?
    public init(requests: [String: String]? = nil, limits: [String: String]? = nil) {
        self.requests = requests
        self.limits = limits
    }
    /// The operator's default: requests cpu 100m, memory 256Mi.
    public static let registryDefault = ResourceRequirements(requests: ["cpu": "100m", "memory": "256Mi"])
}

/// A pod toleration.
public struct Toleration: Codable, Hashable, Sendable {
    public var key: String?
    public var `operator`: String?
    public var value: String?
    public var effect: String?
    public var tolerationSeconds: Int64?
    public init(key: String? = nil, operator: String? = nil, value: String? = nil, effect: String? = nil, tolerationSeconds: Int64? = nil) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }
}

/// `Config.status`, written by the operator.
public struct ConfigStatus: Codable, Hashable, Sendable {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    public var readyReplicas: Int?
    public var storageManaged: Bool?
    /// The storage configuration actually applied; cleared after storage removal.
    public var storage: StorageSpec?

    public init(
        observedGeneration: Int64? = nil, conditions: [Condition]? = nil, readyReplicas: Int? = nil, storageManaged: Bool? = nil,
        storage: StorageSpec? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.conditions = conditions
        self.readyReplicas = readyReplicas
        self.storageManaged = storageManaged
        self.storage = storage
    }
}

/// Condition types on Config.
public enum ConfigConditionType {
    public static let available = "Available"
    public static let progressing = "Progressing"
    public static let degraded = "Degraded"
    public static let removed = "Removed"
    public static let storageExists = "StorageExists"
    public static let nodeCADaemonAvailable = "NodeCADaemonAvailable"
    public static let nodeCADaemonProgressing = "NodeCADaemonProgressing"
    public static let imageAPIAvailable = "ImageAPIAvailable"
}
