import Foundation
import RegistryModel

/// A cluster's desired policy as the hub stores and serves it: to admins at
/// `GET /v1/clusters/{name}/policy` and to the cluster's agent at `GET /v1/agent/desired`.
public struct PolicyDocument: Codable, Hashable, Sendable {
    public var cluster: String
    /// Increments on every change of the policy's content; agents report the one they applied.
    public var generation: Int64
    public var registry: RegistryPolicy?
    public var pruner: PrunerPolicy?
    /// `admin/NAME` or `rollout/ID` of whoever changed it last.
    public var updatedBy: String?
    public var updatedAt: Date?
    /// True for a policy staged for a cluster that has not enrolled yet: its enrollment makes it
    /// generation 1 (or the next one, for a cluster enrolled again), so its agent starts from it.
    public var staged: Bool?

    public init(
        cluster: String, generation: Int64, policy: FleetPolicy, updatedBy: String? = nil, updatedAt: Date? = nil, staged: Bool? = nil
    ) {
        self.cluster = cluster
        self.generation = generation
        self.registry = policy.registry
        self.pruner = policy.pruner
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.staged = staged
    }

    /// The policy part.
    public var policy: FleetPolicy { FleetPolicy(registry: registry, pruner: pruner) }
}

/// Body of `PUT /v1/clusters/{name}/policy`: the whole new policy.
public struct PolicyUpdateRequest: Codable, Hashable, Sendable {
    public var registry: RegistryPolicy?
    public var pruner: PrunerPolicy?
    /// The generation the client read; when present and stale the hub answers 409.
    public var generation: Int64?
    /// Must be true to switch a cluster with operator-managed storage to Removed (its image data
    /// is deleted).
    public var acknowledgeDataLoss: Bool?
    /// Must be true to change a cluster that an active rollout holds (409 otherwise): the rollout's
    /// later waves or its rollback would overwrite the change. The audit log records the override.
    public var force: Bool?

    public init(policy: FleetPolicy, generation: Int64? = nil, acknowledgeDataLoss: Bool? = nil, force: Bool? = nil) {
        registry = policy.registry
        pruner = policy.pruner
        self.generation = generation
        self.acknowledgeDataLoss = acknowledgeDataLoss
        self.force = force
    }

    /// The policy part.
    public var policy: FleetPolicy { FleetPolicy(registry: registry, pruner: pruner) }
}
