import FleetModel
import Foundation
import RegistryModel

/// What storing a fleet policy did: the stored policy, and whether its spec changed (an identical apply
/// keeps the generation, as `kubectl apply` of an unchanged file does).
public struct FleetPolicyWrite: Hashable, Sendable {
    public var policy: StoredFleetPolicy
    public var changed: Bool
    public init(policy: StoredFleetPolicy, changed: Bool) {
        self.policy = policy
        self.changed = changed
    }
}

/// Rules both backends share for fleet policies and freezes.
enum FleetPolicyRules {
    /// The stored policy after applying `spec` over `current` (nil: a new one).
    static func applying(_ spec: FleetPolicySpec, name: String, over current: StoredFleetPolicy?, actor: String, at now: Date) -> FleetPolicyWrite {
        guard let current else {
            return FleetPolicyWrite(
                policy: StoredFleetPolicy(name: name, generation: 1, spec: spec, createdBy: actor, createdAt: now, updatedBy: actor, updatedAt: now),
                changed: true)
        }
        guard current.spec != spec else { return FleetPolicyWrite(policy: current, changed: false) }
        var next = current
        next.spec = spec
        next.generation += 1
        next.updatedBy = actor
        next.updatedAt = now
        return FleetPolicyWrite(policy: next, changed: true)
    }

    /// The policy change an enrollment makes, in its transaction, so the agent's first desired state already
    /// holds what the fleet policies give a cluster with `labels`: fields of the cluster's own (staged) policy
    /// stay. Nil when the fleet policies give it nothing new.
    static func enrollmentChange(
        cluster: String, labels: [String: String], current: PolicyDocument, storedLayer: FleetLayer?, policies: [StoredFleetPolicy]
    ) -> (change: PolicyChange, actor: String)? {
        let set = FleetPolicySet(policies)
        let layer = set.layer(for: labels)
        let stored = storedLayer ?? .empty
        guard layer != stored else { return nil }
        let target = stored.rebase(current.policy, onto: layer)
        let names = Set(layer.sources.values.map(\.fleetPolicy)).sorted()
        let actor = names.isEmpty ? "system" : "fleet-policy/" + names.joined(separator: ",")
        return (PolicyChange(cluster: cluster, policy: target, expectedGeneration: nil, fleetLayer: layer), actor)
    }

    /// `notFound` for a fleet policy that does not exist.
    static func notFound(_ name: String) -> StoreError {
        StoreError(code: .notFound, message: "fleet policy \"\(name)\" does not exist", field: "name")
    }

    /// `notFound` for a freeze that does not exist.
    static func freezeNotFound(_ name: String) -> StoreError {
        StoreError(code: .notFound, message: "freeze \"\(name)\" does not exist", field: "name")
    }
}
