import Foundation

/// `ImagePruner/cluster`: the retention policy that the `image-pruner` CronJob applies.
public struct ImagePruner: Codable, Hashable, Sendable {
    public var apiVersion: String = RegistryNames.apiVersion
    public var kind: String = "ImagePruner"
    public var metadata: ObjectMeta
    public var spec: ImagePrunerSpec
    public var status: ImagePrunerStatus?

    public init(
        metadata: ObjectMeta = ObjectMeta(name: RegistryNames.singleton), spec: ImagePrunerSpec = .bootstrap,
        status: ImagePrunerStatus? = nil
    ) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `ImagePruner.spec` (domain.md, "ImagePruner/cluster"); nil fields take the defaults below.
public struct ImagePrunerSpec: Codable, Hashable, Sendable {
    public var schedule: String?
    public var suspend: Bool?
    public var keepTagRevisions: Int?
    /// Deprecated: nanoseconds; read only when `keepYoungerThanDuration` is absent.
    public var keepYoungerThan: Int64?
    public var keepYoungerThanDuration: String?
    public var successfulJobsHistoryLimit: Int?
    public var failedJobsHistoryLimit: Int?
    public var ignoreInvalidImageReferences: Bool?
    public var logLevel: String?
    public var resources: ResourceRequirements?
    public var nodeSelector: [String: String]?
    public var tolerations: [Toleration]?
    public var affinity: JSONValue?

    public init(
        schedule: String? = nil, suspend: Bool? = nil, keepTagRevisions: Int? = nil, keepYoungerThan: Int64? = nil,
        keepYoungerThanDuration: String? = nil, successfulJobsHistoryLimit: Int? = nil, failedJobsHistoryLimit: Int? = nil,
        ignoreInvalidImageReferences: Bool? = nil, logLevel: String? = nil, resources: ResourceRequirements? = nil,
        nodeSelector: [String: String]? = nil, tolerations: [Toleration]? = nil, affinity: JSONValue? = nil
    ) {
        self.schedule = schedule
        self.suspend = suspend
        self.keepTagRevisions = keepTagRevisions
        self.keepYoungerThan = keepYoungerThan
        self.keepYoungerThanDuration = keepYoungerThanDuration
        self.successfulJobsHistoryLimit = successfulJobsHistoryLimit
        self.failedJobsHistoryLimit = failedJobsHistoryLimit
        self.ignoreInvalidImageReferences = ignoreInvalidImageReferences
        self.logLevel = logLevel
        self.resources = resources
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
        self.affinity = affinity
    }

    /// What the operator creates when ImagePruner/cluster is missing.
    public static let bootstrap = ImagePrunerSpec(
        schedule: "0 0 * * *", suspend: false, keepTagRevisions: 3, keepYoungerThanDuration: "60m", successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3, ignoreInvalidImageReferences: true, logLevel: "Normal"
    )

    public var effectiveSchedule: String { schedule.flatMap { $0.isEmpty ? nil : $0 } ?? "0 0 * * *" }
    public var effectiveSuspend: Bool { suspend ?? false }
    public var effectiveKeepTagRevisions: Int { keepTagRevisions ?? 3 }
    public var effectiveSuccessfulJobsHistoryLimit: Int { successfulJobsHistoryLimit ?? 3 }
    public var effectiveFailedJobsHistoryLimit: Int { failedJobsHistoryLimit ?? 3 }
    public var effectiveIgnoreInvalidImageReferences: Bool { ignoreInvalidImageReferences ?? true }
    public var effectiveLogLevel: String { logLevel.flatMap { $0.isEmpty ? nil : $0 } ?? "Normal" }

    /// `keepYoungerThanDuration`, else the deprecated nanoseconds, else 60 minutes. Nil only when
    /// the duration text is invalid (validation reports it).
    public var effectiveKeepYoungerThan: GoDuration? {
        if let text = keepYoungerThanDuration, !text.isEmpty { return try? GoDuration(parsing: text) }
        if let nanoseconds = keepYoungerThan { return GoDuration(nanoseconds: nanoseconds) }
        return GoDuration(nanoseconds: 3_600_000_000_000)
    }
}

/// `ImagePruner.status`, written by the operator.
public struct ImagePrunerStatus: Codable, Hashable, Sendable {
    public var observedGeneration: Int64?
    public var conditions: [Condition]?
    /// The latest prune report, read from the pruner's result ConfigMap.
    public var lastRun: PruneReport?

    public init(observedGeneration: Int64? = nil, conditions: [Condition]? = nil, lastRun: PruneReport? = nil) {
        self.observedGeneration = observedGeneration
        self.conditions = conditions
        self.lastRun = lastRun
    }
}

/// Condition types on ImagePruner.
public enum PrunerConditionType {
    public static let available = "Available"
    public static let scheduled = "Scheduled"
    public static let failed = "Failed"
    public static let degraded = "Degraded"
}
