import Foundation
import RegistryModel

/// What an agent tells the hub about its cluster, `POST /v1/agent/reports`. Doubles as the
/// heartbeat; `sequence` makes retries idempotent.
public struct AgentReport: Codable, Hashable, Sendable {
    /// Strictly increasing per agent identity; the hub stores each sequence once.
    public var sequence: Int64
    /// The policy generation whose hub-owned fields Config/cluster and ImagePruner/cluster carry, checked on the
    /// live objects when the report was made; 0 when they carry no generation's (edited or re-created by hand
    /// and not yet repaired).
    public var observedGeneration: Int64
    public var agentVersion: String
    /// When the agent observed the cluster (not when the report was delivered).
    public var collectedAt: Date
    public var registry: RegistryObservation
    public var pruner: PrunerObservation?
    public var workloads: [WorkloadStatus]
    /// Prune runs not yet forwarded.
    public var pruneResults: [PruneReport]?
    /// How many older queued reports this one stands for (the queue is bounded; when it overflows
    /// the oldest are folded into the next one).
    public var summarizedReports: Int?
    /// Set when the agent could not reach its cluster's API server for this report (absent in reports of
    /// agents that predate the field, and whenever the API server answered).
    public var clusterAPIUnreachable: ClusterAPIUnreachable?

    public init(
        sequence: Int64, observedGeneration: Int64, agentVersion: String, collectedAt: Date, registry: RegistryObservation,
        pruner: PrunerObservation? = nil, workloads: [WorkloadStatus] = [], pruneResults: [PruneReport]? = nil,
        summarizedReports: Int? = nil, clusterAPIUnreachable: ClusterAPIUnreachable? = nil
    ) {
        self.sequence = sequence
        self.observedGeneration = observedGeneration
        self.agentVersion = agentVersion
        self.collectedAt = collectedAt
        self.registry = registry
        self.pruner = pruner
        self.workloads = workloads
        self.pruneResults = pruneResults
        self.summarizedReports = summarizedReports
        self.clusterAPIUnreachable = clusterAPIUnreachable
    }
}

/// Config/cluster as the agent saw it.
public struct RegistryObservation: Codable, Hashable, Sendable {
    public var managementState: ManagementState
    public var storageManagementState: ManagementState?
    public var replicas: Int?
    public var readyReplicas: Int?
    /// `metadata.generation` and `status.observedGeneration` of Config/cluster: the operator has
    /// caught up when they are equal.
    public var generation: Int64?
    public var observedGeneration: Int64?
    public var conditions: [Condition]

    public init(
        managementState: ManagementState, storageManagementState: ManagementState? = nil, replicas: Int? = nil,
        readyReplicas: Int? = nil, generation: Int64? = nil, observedGeneration: Int64? = nil, conditions: [Condition] = []
    ) {
        self.managementState = managementState
        self.storageManagementState = storageManagementState
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.generation = generation
        self.observedGeneration = observedGeneration
        self.conditions = conditions
    }
}

/// ImagePruner/cluster as the agent saw it.
public struct PrunerObservation: Codable, Hashable, Sendable {
    public var schedule: String?
    public var suspend: Bool?
    public var conditions: [Condition]
    public init(schedule: String? = nil, suspend: Bool? = nil, conditions: [Condition] = []) {
        self.schedule = schedule
        self.suspend = suspend
        self.conditions = conditions
    }
}

/// The hub's answer to a report.
public struct ReportAck: Codable, Hashable, Sendable {
    public var sequence: Int64
    /// True when this sequence was already stored (a retry).
    public var duplicate: Bool
    public init(sequence: Int64, duplicate: Bool) {
        self.sequence = sequence
        self.duplicate = duplicate
    }
}
