import FleetModel
import FleetStore
import Foundation
import RegistryModel

/// Decides, purely, what the fleet policies call for across the fleet: which clusters' fleet layers are out
/// of date, which of those only need their provenance updated (their own fields hide every change), and
/// which need a rollout — grouped by the fleet policy that drives the change, whose strategy the rollout
/// takes. The controller (`RolloutEngine.reconcileFleetPolicies`) reads the inputs and carries this out.
public enum FleetPolicyPlanner {
    /// Where a fleet policy's last rollout stands, as the planner needs it.
    public struct LastRollout: Sendable, Hashable {
        public var id: String
        public var generation: Int64?
        public var phase: RolloutPhase
        public init(id: String, generation: Int64?, phase: RolloutPhase) {
            self.id = id
            self.generation = generation
            self.phase = phase
        }
    }

    /// One cluster a rollout will change: the layer it gets and the one it has.
    public struct Member: Sendable, Hashable {
        public var name: String
        public var labels: [String: String]
        public var targetLayer: FleetLayer
    }

    /// A rollout to start.
    public struct PlannedRollout: Sendable {
        /// The fleet policy whose strategy it takes; nil for one that only drops fields no policy sets now.
        public var driver: StoredFleetPolicy?
        public var members: [Member]
    }

    /// What the fleet policies call for now.
    public struct Plan: Sendable {
        /// Clusters whose policy stays the same and whose stored layer only needs to catch up.
        public var layerOnly: [PolicyWrite] = []
        public var rollouts: [PlannedRollout] = []
        /// Why changes of a fleet policy wait, by policy name.
        public var waiting: [String: String] = [:]
    }

    /// The plan for `candidates` (every enrolled cluster) under `policies`. Clusters in `held` (an active
    /// rollout has them) wait for it; a driver with an active rollout (`lastRollouts` says so) waits too, and one
    /// whose rollout of its current generation failed, was rolled back or aborted is not started again until
    /// the fleet policy changes.
    public static func plan(
        policies: FleetPolicySet, candidates: [RolloutCandidate], held: Set<String>, lastRollouts: [String: LastRollout]
    ) -> Plan {
        var plan = Plan()
        var groups: [String: [Member]] = [:]
        var drivers: [String: StoredFleetPolicy] = [:]
        for candidate in candidates where !held.contains(candidate.name) {
            let stored = candidate.fleetLayer ?? .empty
            let target = policies.layer(for: candidate.labels)
            guard target != stored else { continue }
            let current = candidate.policy.policy
            let rebased = stored.rebase(current, onto: target)
            guard rebased != current else {
                plan.layerOnly.append(PolicyWrite(cluster: candidate.name, policy: current, fleetLayer: target))
                continue
            }
            let driver = policies.driver(from: stored, to: target)
            let key = driver?.name ?? ""
            if let driver {
                if let reason = blocked(driver, last: lastRollouts[driver.name]) {
                    plan.waiting[driver.name] = reason
                    continue
                }
                if rebased.removesManagedStorage(previous: current, observedStorageState: candidate.observedStorageState),
                    driver.spec.acknowledgeDataLoss != true
                {
                    plan.waiting[driver.name] =
                        "switching cluster \(candidate.name) to Removed deletes its operator-managed storage: set acknowledgeDataLoss: true on the fleet policy"
                    continue
                }
                drivers[key] = driver
            }
            groups[key, default: []].append(Member(name: candidate.name, labels: candidate.labels, targetLayer: target))
        }
        for key in groups.keys.sorted() {
            plan.rollouts.append(PlannedRollout(driver: drivers[key], members: groups[key] ?? []))
        }
        return plan
    }

    /// Why `driver` may not start a rollout now, or nil.
    static func blocked(_ driver: StoredFleetPolicy, last: LastRollout?) -> String? {
        guard let last else { return nil }
        if last.phase.isActive { return "rollout \(last.id) is \(last.phase.rawValue); later changes wait for it" }
        guard last.generation == driver.generation, [.failed, .rolledBack, .aborted].contains(last.phase) else { return nil }
        return "rollout \(last.id) of generation \(driver.generation) ended \(last.phase.rawValue); apply a changed fleet policy to try again"
    }

    /// The rollout that carries `planned`: every member pending with its target layer, in the driver's
    /// strategy's waves (name order, canary first).
    public static func rollout(_ planned: PlannedRollout, id: String, now: Date) throws -> Rollout {
        let driver = planned.driver
        var strategy = driver?.spec.strategy ?? RolloutStrategy()
        // A canary selector is the fleet's: a batch of late joiners may hold none of its clusters, and then goes
        // in waves without one.
        if let selector = strategy.canary?.selector, let parsed = try? LabelSelector(parsing: selector),
            !planned.members.contains(where: { parsed.matches($0.labels) })
        {
            strategy.canary = nil
        }
        let plan = RolloutPlan(
            name: driver?.name ?? "fleet-policy-cleanup", selector: RolloutPlan.allClusters, change: driver?.spec.template ?? FleetPolicy(),
            strategy: strategy, acknowledgeDataLoss: driver?.spec.acknowledgeDataLoss)
        let byName = Dictionary(planned.members.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let waves = try RolloutPlanner.waves(plan: plan, candidates: planned.members.map { RolloutPlanner.Candidate(name: $0.name, labels: $0.labels) })
        var clusters: [RolloutCluster] = []
        for (index, wave) in waves.enumerated() {
            for name in wave.clusters {
                var cluster = RolloutCluster(name: name, wave: index)
                cluster.targetLayer = byName[name]?.targetLayer
                clusters.append(cluster)
            }
        }
        var rollout = Rollout(
            id: id, name: plan.name, createdBy: driver.map { "fleet-policy/\($0.name)" } ?? "fleet-policy", createdAt: now, plan: plan,
            phase: .progressing, waves: waves.map(\.name), clusters: clusters)
        rollout.source = RolloutSource(fleetPolicy: driver?.name, generation: driver?.generation)
        return rollout
    }
}
