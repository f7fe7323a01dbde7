import Foundation
import RegistryModel

/// batch/v1 CronJob.
public struct CronJob: KubeResource, Hashable {
    public static var resourceType: ResourceType { .cronJobs }
    public var apiVersion = "batch/v1"
    public var kind = "CronJob"
    public var metadata: ObjectMeta
    public var spec: CronJobSpec
    public var status: CronJobStatus?
    public init(metadata: ObjectMeta, spec: CronJobSpec, status: CronJobStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// CronJob spec.
public struct CronJobSpec: Codable, Hashable, Sendable {
    public var schedule: String
    public var suspend: Bool?
    /// Allow, Forbid or Replace.
    public var concurrencyPolicy: String?
    public var startingDeadlineSeconds: Int?
    public var successfulJobsHistoryLimit: Int?
    public var failedJobsHistoryLimit: Int?
    public var jobTemplate: JobTemplateSpec
    public init(
        schedule: String, suspend: Bool? = nil, concurrencyPolicy: String? = nil, startingDeadlineSeconds: Int? = nil,
        successfulJobsHistoryLimit: Int? = nil, failedJobsHistoryLimit: Int? = nil, jobTemplate: JobTemplateSpec
    ) {
        self.schedule = schedule
        self.suspend = suspend
        self.concurrencyPolicy = concurrencyPolicy
        self.startingDeadlineSeconds = startingDeadlineSeconds
        self.successfulJobsHistoryLimit = successfulJobsHistoryLimit
        self.failedJobsHistoryLimit = failedJobsHistoryLimit
        self.jobTemplate = jobTemplate
    }
}

/// The Job a CronJob creates.
public struct JobTemplateSpec: Codable, Hashable, Sendable {
    public var metadata: TemplateMetadata?
    public var spec: JobSpec
    public init(metadata: TemplateMetadata? = nil, spec: JobSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// A reference to another object (CronJob `status.active`).
public struct ObjectReference: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var name: String
    public var namespace: String?
    public var uid: String?
    public init(apiVersion: String? = nil, kind: String? = nil, name: String, namespace: String? = nil, uid: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.uid = uid
    }
}

/// CronJob status.
public struct CronJobStatus: Codable, Hashable, Sendable {
    public var active: [ObjectReference]?
    public var lastScheduleTime: Date?
    public var lastSuccessfulTime: Date?
    public init(active: [ObjectReference]? = nil, lastScheduleTime: Date? = nil, lastSuccessfulTime: Date? = nil) {
        self.active = active
        self.lastScheduleTime = lastScheduleTime
        self.lastSuccessfulTime = lastSuccessfulTime
    }
}

/// batch/v1 Job.
public struct Job: KubeResource, Hashable {
    public static var resourceType: ResourceType { .jobs }
    public var apiVersion = "batch/v1"
    public var kind = "Job"
    public var metadata: ObjectMeta
    public var spec: JobSpec
    public var status: JobStatus?
    public init(metadata: ObjectMeta, spec: JobSpec, status: JobStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// True when the Job has a Complete or Failed condition.
    public var isFinished: Bool {
        let conditions = status?.conditions ?? []
        return conditions.has("Complete", .true) || conditions.has("Failed", .true)
    }

    /// True when the Job has a Failed condition.
    public var hasFailed: Bool { status?.conditions?.has("Failed", .true) ?? false }
}

/// Job spec.
public struct JobSpec: Codable, Hashable, Sendable {
    public var backoffLimit: Int?
    public var activeDeadlineSeconds: Int?
    public var template: PodTemplateSpec
    public init(backoffLimit: Int? = nil, activeDeadlineSeconds: Int? = nil, template: PodTemplateSpec) {
        self.backoffLimit = backoffLimit
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.template = template
    }
}

/// Job status.
public struct JobStatus: Codable, Hashable, Sendable {
    public var active: Int?
    public var succeeded: Int?
    public var failed: Int?
    public var startTime: Date?
    public var completionTime: Date?
    public var conditions: [Condition]?
    public init(
        active: Int? = nil, succeeded: Int? = nil, failed: Int? = nil, startTime: Date? = nil, completionTime: Date? = nil,
        conditions: [Condition]? = nil
    ) {
        self.active = active
        self.succeeded = succeeded
        self.failed = failed
        self.startTime = startTime
        self.completionTime = completionTime
        self.conditions = conditions
    }
}
