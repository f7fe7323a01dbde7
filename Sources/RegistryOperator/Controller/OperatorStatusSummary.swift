import Foundation
import KubeClient
import RegistryModel

/// A one-look summary of the registry in a cluster: Config's state and conditions, the pruner's,
/// and the readiness of each runtime object. The CLI's live table and the agent's reports read it.
public struct OperatorStatusSummary: Sendable, Hashable {
    public var managementState: ManagementState?
    public var generation: Int64?
    public var observedGeneration: Int64?
    public var storageManagementState: ManagementState?
    public var replicas: Int?
    public var readyReplicas: Int?
    public var conditions: [Condition]
    public var prunerSchedule: String?
    public var prunerSuspended: Bool?
    public var prunerConditions: [Condition]
    public var lastPruneRun: PruneReport?
    public var workloads: [WorkloadStatus]

    /// Reads everything from the cluster.
    public static func read(from api: any KubernetesAPI) async throws -> OperatorStatusSummary {
        let namespace = RegistryNames.namespace
        async let config = api.getIfExists(Config.self, name: RegistryNames.singleton)
        async let pruner = api.getIfExists(ImagePruner.self, name: RegistryNames.singleton)
        async let registry = api.getIfExists(Deployment.self, namespace: namespace, name: RegistryNames.registryDeployment)
        async let apiServer = api.getIfExists(Deployment.self, namespace: namespace, name: RegistryNames.apiServerDeployment)
        async let nodeCA = api.getIfExists(DaemonSet.self, namespace: namespace, name: RegistryNames.nodeCADaemonSet)
        async let apiService = api.getIfExists(APIService.self, name: RegistryNames.apiService)
        async let cronJob = api.getIfExists(CronJob.self, namespace: namespace, name: RegistryNames.prunerCronJob)
        let configValue = try await config
        let prunerValue = try await pruner
        return OperatorStatusSummary(
            managementState: configValue?.spec.managementState, generation: configValue?.metadata.generation,
            observedGeneration: configValue?.status?.observedGeneration, storageManagementState: configValue?.spec.storage?.managementState,
            replicas: configValue?.spec.replicas, readyReplicas: configValue?.status?.readyReplicas, conditions: configValue?.status?.conditions ?? [],
            prunerSchedule: prunerValue?.spec.effectiveSchedule, prunerSuspended: prunerValue?.spec.effectiveSuspend,
            prunerConditions: prunerValue?.status?.conditions ?? [], lastPruneRun: prunerValue?.status?.lastRun,
            workloads: [
                workload(RegistryNames.registryDeployment, try await registry),
                workload(RegistryNames.apiServerDeployment, try await apiServer),
                workload(try await nodeCA),
                workload(try await apiService),
                workload(try await cronJob),
            ])
    }

    static func workload(_ name: String, _ deployment: Deployment?) -> WorkloadStatus {
        guard let deployment else { return WorkloadStatus(kind: "Deployment", name: name, present: false, ready: false) }
        let desired = deployment.spec.replicas ?? 1
        let ready = deployment.status?.readyReplicas ?? 0
        let available = deployment.status?.conditions?[type: "Available"]
        return WorkloadStatus(
            kind: "Deployment", name: name, present: true, ready: ready >= desired && desired > 0 || desired == 0, desired: desired, readyCount: ready,
            message: deployment.status?.conditions?[type: "Progressing"]?.message ?? available?.message)
    }

    static func workload(_ daemonSet: DaemonSet?) -> WorkloadStatus {
        guard let daemonSet else { return WorkloadStatus(kind: "DaemonSet", name: RegistryNames.nodeCADaemonSet, present: false, ready: false) }
        let desired = daemonSet.status?.desiredNumberScheduled ?? 0
        let ready = daemonSet.status?.numberReady ?? 0
        return WorkloadStatus(kind: "DaemonSet", name: RegistryNames.nodeCADaemonSet, present: true, ready: desired > 0 && ready >= desired, desired: desired, readyCount: ready)
    }

    static func workload(_ apiService: APIService?) -> WorkloadStatus {
        guard let apiService else { return WorkloadStatus(kind: "APIService", name: RegistryNames.apiService, present: false, ready: false) }
        let available = apiService.status?.conditions?[type: "Available"]
        return WorkloadStatus(kind: "APIService", name: RegistryNames.apiService, present: true, ready: available?.status == .true, message: available?.message)
    }

    static func workload(_ cronJob: CronJob?) -> WorkloadStatus {
        guard let cronJob else { return WorkloadStatus(kind: "CronJob", name: RegistryNames.prunerCronJob, present: false, ready: false) }
        let suspended = cronJob.spec.suspend ?? false
        return WorkloadStatus(
            kind: "CronJob", name: RegistryNames.prunerCronJob, present: true, ready: !suspended,
            message: suspended ? "suspended" : "schedule \(cronJob.spec.schedule)")
    }
}
