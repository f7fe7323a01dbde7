import Foundation
import KubeClient
import RegistryModel

/// A one-look summary of the registry in a cluster: Config/cluster and ImagePruner/cluster as
/// they are, and the readiness of each runtime object. The CLI's live table and the agent's
/// reports both read it, so they always agree.
public struct OperatorStatusSummary: Sendable, Hashable {
    public var config: Config?
    public var pruner: ImagePruner?
    /// image-registry, image-api-server, node-ca, the APIService and the pruner CronJob.
    public var workloads: [WorkloadStatus]

    public var managementState: ManagementState? { config?.spec.managementState }
    public var generation: Int64? { config?.metadata.generation }
    public var observedGeneration: Int64? { config?.status?.observedGeneration }
    public var storageManagementState: ManagementState? { config?.spec.storage?.managementState }
    public var replicas: Int? { config?.spec.replicas }
    public var readyReplicas: Int? { config?.status?.readyReplicas }
    public var conditions: [Condition] { config?.status?.conditions ?? [] }
    public var prunerSchedule: String? { pruner?.spec.effectiveSchedule }
    public var prunerSuspended: Bool? { pruner?.spec.effectiveSuspend }
    public var prunerConditions: [Condition] { pruner?.status?.conditions ?? [] }
    public var lastPruneRun: PruneReport? { pruner?.status?.lastRun }

    /// Reads everything from the cluster, concurrently.
    public static func read(from api: any KubernetesAPI) async throws -> OperatorStatusSummary {
        let namespace = RegistryNames.namespace
        async let config = api.getIfExists(Config.self, name: RegistryNames.singleton)
        async let pruner = api.getIfExists(ImagePruner.self, name: RegistryNames.singleton)
        async let registry = api.getIfExists(Deployment.self, namespace: namespace, name: RegistryNames.registryDeployment)
        async let apiServer = api.getIfExists(Deployment.self, namespace: namespace, name: RegistryNames.apiServerDeployment)
        async let nodeCA = api.getIfExists(DaemonSet.self, namespace: namespace, name: RegistryNames.nodeCADaemonSet)
        async let apiService = api.getIfExists(APIService.self, name: RegistryNames.apiService)
        async let cronJob = api.getIfExists(CronJob.self, namespace: namespace, name: RegistryNames.prunerCronJob)
        async let pods = api.list(
            Pod.self, namespace: namespace,
            labelSelector: LabelSelector(requirements: [.in("app", [RegistryNames.registryDeployment, RegistryNames.apiServerDeployment])]))
        let observedPods = try await pods
        return OperatorStatusSummary(
            config: try await config, pruner: try await pruner,
            workloads: [
                WorkloadReadiness.deployment(try await registry, name: RegistryNames.registryDeployment, pods: observedPods),
                WorkloadReadiness.deployment(try await apiServer, name: RegistryNames.apiServerDeployment, pods: observedPods),
                WorkloadReadiness.daemonSet(try await nodeCA, name: RegistryNames.nodeCADaemonSet),
                WorkloadReadiness.apiService(try await apiService, name: RegistryNames.apiService),
                WorkloadReadiness.cronJob(try await cronJob, name: RegistryNames.prunerCronJob),
            ])
    }
}
