import FleetModel
import Foundation
import RegistryModel

extension FleetStore {
    /// Every fleet policy, by name.
    public func fleetPolicies() async throws(StoreError) -> [StoredFleetPolicy] {
        try checkOpen("list fleet policies")
        return try await backend.fleetPolicies()
    }

    /// One fleet policy; `notFound` when there is none of this name.
    public func fleetPolicy(_ name: String) async throws(StoreError) -> StoredFleetPolicy {
        guard let policy = try await fleetPolicies().first(where: { $0.name == name }) else { throw FleetPolicyRules.notFound(name) }
        return policy
    }

    /// Creates or replaces a fleet policy (validated by the hub) with its audit row; the same spec again
    /// keeps the generation. Clusters' policies are not touched here: the hub's fleet policy controller rolls
    /// the change out.
    public func putFleetPolicy(name: String, spec: FleetPolicySpec, actor: String) async throws(StoreError) -> FleetPolicyWrite {
        try checkOpen("apply fleet policy \(name)")
        let written = try await backend.putFleetPolicy(name: name, spec: spec, actor: actor, at: clock.now())
        if written.changed {
            logger.info("fleet policy applied", metadata: ["fleetPolicy": "\(name)", "generation": "\(written.policy.generation)", "actor": "\(actor)"])
        }
        return written
    }

    /// Deletes a fleet policy with its audit row; `notFound` when there is none.
    @discardableResult
    public func deleteFleetPolicy(_ name: String, actor: String) async throws(StoreError) -> StoredFleetPolicy {
        try checkOpen("delete fleet policy \(name)")
        let deleted = try await backend.deleteFleetPolicy(name: name, actor: actor, at: clock.now())
        logger.info("fleet policy deleted", metadata: ["fleetPolicy": "\(name)", "actor": "\(actor)"])
        return deleted
    }

    /// Remembers the newest rollout a fleet policy started, so a failed one is not started again for the same
    /// generation.
    public func recordFleetPolicyRollout(_ name: String, rollout: String) async throws(StoreError) {
        try checkOpen("record rollout of fleet policy \(name)")
        try await backend.recordFleetPolicyRollout(name: name, rollout: rollout)
    }

    /// The fleet layers last rolled out to `clusters`; a cluster without one is absent.
    public func fleetLayers(clusters names: some Collection<String>) async throws(StoreError) -> [String: FleetLayer] {
        guard !names.isEmpty else { return [:] }
        try checkOpen("read fleet layers")
        return try await backend.fleetLayers(clusters: Array(names))
    }

    /// Every change freeze, by name (lifted ones included until deleted).
    public func freezes() async throws(StoreError) -> [ChangeFreeze] {
        try checkOpen("list freezes")
        return try await backend.freezes()
    }

    /// Sets (or replaces) a freeze with its audit row.
    public func putFreeze(_ freeze: ChangeFreeze) async throws(StoreError) {
        try checkOpen("set freeze \(freeze.name)")
        try await backend.putFreeze(freeze)
        logger.notice("change freeze set", metadata: ["freeze": "\(freeze.name)", "selector": "\(freeze.selector)", "actor": "\(freeze.createdBy)"])
    }

    /// Lifts a freeze; `notFound` when there is none.
    @discardableResult
    public func deleteFreeze(_ name: String, actor: String) async throws(StoreError) -> ChangeFreeze {
        try checkOpen("lift freeze \(name)")
        let freeze = try await backend.deleteFreeze(name: name, actor: actor, at: clock.now())
        logger.notice("change freeze lifted", metadata: ["freeze": "\(name)", "actor": "\(actor)"])
        return freeze
    }
}

/// One cluster's policy write in a batch: the policy, and the fleet layer it now carries when a fleet
/// policy's rollout writes it (nil keeps the stored layer).
public struct PolicyWrite: Sendable {
    public var cluster: String
    public var policy: FleetPolicy
    public var fleetLayer: FleetLayer?
    public init(cluster: String, policy: FleetPolicy, fleetLayer: FleetLayer? = nil) {
        self.cluster = cluster
        self.policy = policy
        self.fleetLayer = fleetLayer
    }
}
