import Foundation
import KubeClient
import RegistryModel
import RegistryOperator

/// Observes the registry in the local cluster and turns it into an `AgentReport`: the Config and ImagePruner
/// conditions, the readiness of image-registry, image-api-server, node-ca, the APIService and the CronJob, and
/// the latest prune run.
///
/// The report's `sequence` is left 0: `ReportQueue.enqueue` assigns it, and drops prune runs already forwarded.
public struct ReportBuilder: Sendable {
    /// The cluster observed.
    let api: any KubernetesAPI
    /// Stamps `collectedAt`.
    let clock: any WallClock
    /// Reported as `agentVersion`.
    let agentVersion: String

    /// A builder reading through `api`, stamping reports with `clock` and `agentVersion`.
    public init(api: any KubernetesAPI, clock: any WallClock = SystemWallClock(), agentVersion: String = RegistryFleetVersion.current) {
        self.api = api
        self.clock = clock
        self.agentVersion = agentVersion
    }

    /// Reads the cluster now. `appliedGeneration` is the policy generation the agent last wrote into the cluster.
    /// A missing Config/cluster is reported as Managed without conditions (the operator is about to create it).
    public func observe(appliedGeneration: Int64) async throws(AgentError) -> AgentReport {
        do {
            let summary = try await OperatorStatusSummary.read(from: api)
            return AgentReport(
                sequence: 0, observedGeneration: appliedGeneration, agentVersion: agentVersion, collectedAt: clock.now(),
                registry: Self.registryObservation(summary.config),
                pruner: summary.pruner.map { PrunerObservation(schedule: $0.spec.schedule, suspend: $0.spec.suspend, conditions: $0.status?.conditions ?? []) },
                workloads: summary.workloads, pruneResults: summary.lastPruneRun.map { [$0] })
        } catch {
            throw AgentError(code: .kubernetes, message: "cannot observe the registry: \(error)")
        }
    }

    /// Config/cluster as the report carries it.
    static func registryObservation(_ config: Config?) -> RegistryObservation {
        guard let config else { return RegistryObservation(managementState: .managed) }
        return RegistryObservation(
            managementState: config.spec.managementState, storageManagementState: config.spec.storage?.managementState,
            replicas: config.spec.replicas, readyReplicas: config.status?.readyReplicas, generation: config.metadata.generation,
            observedGeneration: config.status?.observedGeneration, conditions: config.status?.conditions ?? [])
    }
}
