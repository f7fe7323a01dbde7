import Foundation
import RegistryModel

/// `GET /v1/clusters/{name}/policy/effective`: a cluster's policy field by field, with where each field comes
/// from, and what the fleet policies call for that has not reached the cluster yet.
public struct EffectivePolicy: Codable, Hashable, Sendable {
    public var cluster: String
    /// The generation of the policy the agent gets.
    public var generation: Int64
    /// Every field of the policy the agent gets, by path.
    public var fields: [EffectiveField]
    /// Fields the fleet policies set differently from what the cluster has now, waiting for a rollout.
    public var pending: [PolicyFieldChange]
    /// Why `pending` waits (a rollout in flight, a window, a freeze, a failed rollout); nil when nothing does.
    public var pendingReason: String?
    /// The fleet policies that select the cluster, highest priority first.
    public var fleetPolicies: [String]
    /// Fields two of them set differently at the same priority.
    public var conflicts: [String]
    /// The cluster's maintenance windows (from its fleet policies); none means any time.
    public var maintenanceWindows: [MaintenanceWindow]
    /// The freezes that hold the cluster now.
    public var freezes: [String]

    public init(
        cluster: String, generation: Int64, fields: [EffectiveField], pending: [PolicyFieldChange], pendingReason: String?, fleetPolicies: [String],
        conflicts: [String], maintenanceWindows: [MaintenanceWindow], freezes: [String]
    ) {
        self.cluster = cluster
        self.generation = generation
        self.fields = fields
        self.pending = pending
        self.pendingReason = pendingReason
        self.fleetPolicies = fleetPolicies
        self.conflicts = conflicts
        self.maintenanceWindows = maintenanceWindows
        self.freezes = freezes
    }

    /// Provenance of `desired` given the layer last rolled out: a field equal to the layer's is the fleet
    /// policy's, any other is the cluster's own.
    public static func fields(of desired: FleetPolicy, applied layer: FleetLayer) -> [EffectiveField] {
        let fleet = layer.policy.fields()
        return desired.fields().sorted { $0.key < $1.key }.map { path, value in
            if fleet[path] == value, let source = layer.sources[path] {
                return EffectiveField(path: path, value: value, source: source.description, fleetPolicy: source.fleetPolicy)
            }
            return EffectiveField(path: path, value: value, source: EffectiveField.clusterSource, fleetPolicy: nil)
        }
    }
}

/// One field of an effective policy.
public struct EffectiveField: Codable, Hashable, Sendable {
    public var path: String
    public var value: JSONValue
    /// `cluster` (its own policy) or `fleet-policy/NAME`, with the override when one set it.
    public var source: String
    /// The fleet policy's name when one set the field.
    public var fleetPolicy: String?

    public init(path: String, value: JSONValue, source: String, fleetPolicy: String?) {
        self.path = path
        self.value = value
        self.source = source
        self.fleetPolicy = fleetPolicy
    }

    /// The source of a field the cluster's own policy sets.
    public static let clusterSource = "cluster"
}
