import FleetModel
import FleetStore
import Foundation
import Logging
import RegistryModel

extension RolloutEngine {
    /// The fleet policy controller: compares every cluster with what the fleet policies call for and starts
    /// the rollouts that close the gap (`FleetPolicyPlanner`), one per driving fleet policy with its strategy.
    /// Runs in the engine's tick, so only the replica holding the lease does; a cluster a rollout holds waits
    /// for it. Looks again at once after a change on this replica, and every `fleetPolicyResync` otherwise.
    func reconcileFleetPolicies(now: Date) async throws {
        let changes = services.fleetPolicyChanges.load(ordering: .relaxed)
        guard changes != fleetPolicyChangesSeen || now >= nextFleetPolicyResync else { return }
        fleetPolicyChangesSeen = changes
        nextFleetPolicyResync = now.addingTimeInterval(services.configuration.fleetPolicyResync)
        let store = services.store
        let policies = try await storeCall { () async throws(StoreError) in try await store.fleetPolicies() }
        let candidates = try await storeCall { () async throws(StoreError) in try await store.rolloutCandidates() }
        guard !policies.isEmpty || candidates.contains(where: { $0.fleetLayer != nil }) else { return }
        let active = try await storeCall { () async throws(StoreError) in try await store.rollouts(activeOnly: true, limit: 1000) }
        var last: [String: FleetPolicyPlanner.LastRollout] = [:]
        for policy in policies {
            last[policy.name] = try await services.lastRollout(of: policy)
        }
        let plan = FleetPolicyPlanner.plan(
            policies: FleetPolicySet(policies), candidates: candidates, held: Set(active.flatMap { $0.clusters.map(\.name) }), lastRollouts: last)
        if !plan.layerOnly.isEmpty {
            _ = try await services.putPolicies(plan.layerOnly, actor: "fleet-policy")
        }
        for (policy, reason) in plan.waiting.sorted(by: { $0.key < $1.key }) {
            logger.debug("fleet policy changes wait", metadata: ["fleetPolicy": "\(policy)", "reason": "\(reason)"])
        }
        for planned in plan.rollouts {
            let rollout: Rollout
            do {
                rollout = try FleetPolicyPlanner.rollout(planned, id: Self.newRolloutID(), now: now)
            } catch {
                logger.warning("cannot plan a fleet policy rollout", metadata: ["fleetPolicy": "\(planned.driver?.name ?? "-")", "error": "\(error)"])
                continue
            }
            do throws(StoreError) {
                try await store.createRollout(rollout)
            } catch where error.code == .conflict {
                logger.info("fleet policy rollout deferred: its clusters were taken meanwhile", metadata: ["rollout": "\(rollout.id)"])
                continue
            } catch {
                throw HubError(error)
            }
            if let driver = planned.driver {
                try await storeCall { () async throws(StoreError) in try await store.recordFleetPolicyRollout(driver.name, rollout: rollout.id) }
            }
            logger.info(
                "fleet policy rollout created",
                metadata: [
                    "rollout": "\(rollout.id)", "fleetPolicy": "\(planned.driver?.name ?? "-")", "clusters": "\(rollout.clusters.count)",
                    "waves": "\(rollout.waves.count)",
                ])
        }
    }

    /// `ro-` and eight hex digits.
    static func newRolloutID() -> String { "ro-" + UUID().uuidString.prefix(8).lowercased() }
}
