import FleetModel
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

    /// Reads the cluster now. `observedGeneration` is `desired`'s generation when the live Config/cluster and
    /// ImagePruner/cluster carry its hub-owned fields (`PolicyConformance`), else 0: a generation is claimed
    /// only while the cluster agrees with it. A missing Config/cluster is reported as Managed without conditions
    /// (the operator is about to create it). Throws `clusterAPIUnreachable` when the API server cannot be reached
    /// or does not answer in time, `kubernetes` for any other failure.
    public func observe(desired: PolicyDocument?) async throws(AgentError) -> AgentReport {
        let summary: OperatorStatusSummary
        do {
            summary = try await OperatorStatusSummary.read(from: api)
        } catch let error as KubeError where [.transport, .timeout].contains(error.code) {
            throw AgentError(code: .clusterAPIUnreachable, message: error.message)
        } catch {
            throw AgentError(code: .kubernetes, message: "cannot observe the registry: \(error)")
        }
        let conforms = desired.map { PolicyConformance.holds($0.policy, config: summary.config, pruner: summary.pruner) } ?? false
        return AgentReport(
            sequence: 0, observedGeneration: conforms ? desired?.generation ?? 0 : 0, agentVersion: agentVersion, collectedAt: clock.now(),
            registry: Self.registryObservation(summary.config),
            pruner: summary.pruner.map { PrunerObservation(schedule: $0.spec.schedule, suspend: $0.spec.suspend, conditions: $0.status?.conditions ?? []) },
            workloads: summary.workloads, pruneResults: summary.lastPruneRun.map { [$0] })
    }

    /// The report to send while the API server cannot be reached: the last good observation `last` (its prune
    /// runs already forwarded) re-stamped now, or an empty one when there was none, marked with the outage.
    public func unreachable(since: Date, message: String, last: AgentReport?) -> AgentReport {
        guard var report = last else {
            return AgentReport(
                sequence: 0, observedGeneration: 0, agentVersion: agentVersion, collectedAt: clock.now(),
                registry: RegistryObservation(managementState: .managed),
                clusterAPIUnreachable: ClusterAPIUnreachable(since: since, message: message))
        }
        report.clusterAPIUnreachable = ClusterAPIUnreachable(since: since, message: message, lastObservedAt: report.collectedAt)
        report.collectedAt = clock.now()
        report.pruneResults = nil
        report.summarizedReports = nil
        report.sequence = 0
        return report
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
