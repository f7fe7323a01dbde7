import FleetAPI
import FleetModel
import Foundation
import RegistryModel

/// Every decision a rollout makes, as pure functions of its stored state, the fleet as read and the time:
/// the one place where a rollout's phase changes and where a wave starts, fails or rolls back.
///
/// `RolloutEngine` reads what `reads(_:)` names, calls `step`, saves the rollout it returns and carries out its
/// effects, feeding each outcome back through `policiesWritten` or `policiesRestored` (which are pure too)
/// before saving again. Nothing here touches the store, the clock or the network, so every transition is a
/// table-driven test (RolloutStateMachineTests).
public enum RolloutStateMachine {
    /// What the engine must do after a step, in order.
    public enum Effect: Hashable, Sendable {
        /// The step wants to start a wave: read these clusters' policies into the snapshot and step again
        /// (from the same stored rollout and time). Returned alone, with nothing else decided yet.
        case readPolicies([String])
        /// Write each named cluster's `targetPolicy` (and `targetLayer`) in one store transaction; report with `policiesWritten`.
        case writeTargets([String])
        /// Restore each named cluster's `previousPolicy` (and `previousLayer`) in one store transaction; report with `policiesRestored`.
        case restorePrevious([String])
    }

    /// The fleet as a step sees it.
    public struct Snapshot: Sendable {
        /// The health of the clusters in flight; a cluster absent here was deleted from the hub.
        public var summaries: [String: ClusterSummary]
        /// The current policies of the clusters a wave is about to start, for the names in `policiesRead`;
        /// a name read but absent was deleted.
        public var policies: [String: PolicyDocument]
        /// The names whose policies were read (only when a step asked: `Effect.readPolicies`).
        public var policiesRead: Set<String>
        /// The fleet layers of those clusters (absent: none yet), read with their policies.
        public var layers: [String: FleetLayer]
        /// Whether each of those clusters may be changed now (maintenance windows, freezes); absent is open.
        public var gates: [String: ChangeGate]

        public init(
            summaries: [String: ClusterSummary] = [:], policies: [String: PolicyDocument] = [:], policiesRead: Set<String>? = nil,
            layers: [String: FleetLayer] = [:], gates: [String: ChangeGate] = [:]
        ) {
            self.summaries = summaries
            self.policies = policies
            self.policiesRead = policiesRead ?? Set(policies.keys)
            self.layers = layers
            self.gates = gates
        }
    }

    /// How one policy write of an effect ended.
    public enum WriteOutcome: Hashable, Sendable {
        case written(generation: Int64)
        /// The cluster is gone from the hub.
        case deleted
        case failed(String)
    }

    /// Admin actions on a rollout.
    public typealias Action = RolloutAction

    /// The clusters whose health a step of `rollout` judges: those in flight. Only these are read, so a step
    /// costs what is in flight, not the fleet; a wave's policies are read only when it starts.
    public static func reads(_ rollout: Rollout) -> Set<String> {
        guard rollout.phase == .progressing || rollout.phase == .paused else { return [] }
        return Set(rollout.clusters.filter { [.applying, .soaking].contains($0.state) && $0.targetGeneration != nil }.map(\.name))
    }

    /// One step: judge the clusters in flight, then fail (and maybe roll back), succeed, or start the next
    /// wave; a rollout rolling back asks for its restores again until they are done.
    public static func step(_ rollout: Rollout, snapshot: Snapshot, now: Date) -> (rollout: Rollout, effects: [Effect]) {
        var next = rollout
        switch rollout.phase {
        case .rollingBack:
            let effects = rollBack(&next)
            return (next, effects)
        case .progressing, .paused:
            break
        case .succeeded, .failed, .aborted, .rolledBack:
            return (next, [])
        }
        for index in next.clusters.indices {
            next.clusters[index] = RolloutEvaluator.evaluate(
                next.clusters[index], summary: snapshot.summaries[next.clusters[index].name], strategy: next.plan.strategy, now: now)
        }
        if let reason = RolloutEvaluator.failureReason(next) {
            next.message = reason
            guard next.plan.strategy.autoRollback else {
                next.phase = .failed
                return (next, [])
            }
            next.phase = .rollingBack
            let effects = rollBack(&next)
            return (next, effects)
        }
        guard let wave = next.currentWave else {
            next.phase = .succeeded
            next.message = "every wave succeeded (\(next.failures) failure(s) allowed and seen)"
            return (next, [])
        }
        guard next.phase == .progressing else { return (next, []) }
        let starting = next.clusters.filter { $0.wave == wave && $0.state == .pending }.map(\.name)
        if !starting.allSatisfy(snapshot.policiesRead.contains) { return (rollout, [.readPolicies(starting)]) }
        var waiting: [String: Int] = [:]
        for index in next.clusters.indices where next.clusters[index].wave == wave && next.clusters[index].state == .pending {
            let name = next.clusters[index].name
            if let reason = snapshot.gates[name]?.waitingReason {
                next.clusters[index].message = reason
                waiting[reason, default: 0] += 1
                continue
            }
            start(&next.clusters[index], plan: next.plan, current: snapshot.policies[name], layer: snapshot.layers[name], now: now)
        }
        if let reason = waiting.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            next.message = "\(waitingPrefix)\(next.waves[wave]) has \(waiting.values.reduce(0, +)) cluster(s) \(reason.key)"
        } else if next.message?.hasPrefix(waitingPrefix) == true {
            next.message = nil
        }
        // Applying without a generation: marked and saved, but the hub stopped before the write was recorded.
        let writing = next.clusters.filter { $0.wave == wave && $0.state == .applying && $0.targetGeneration == nil && $0.targetPolicy != nil }
        return (next, writing.isEmpty ? [] : [.writeTargets(writing.map(\.name))])
    }

    /// The generations the target writes produced, or why a cluster could not take its policy.
    public static func policiesWritten(_ rollout: Rollout, _ outcomes: [String: WriteOutcome], now: Date) -> Rollout {
        var next = rollout
        for index in next.clusters.indices {
            guard let outcome = outcomes[next.clusters[index].name], next.clusters[index].state == .applying else { continue }
            switch outcome {
            case .written(let generation):
                next.clusters[index].targetGeneration = generation
            case .deleted:
                next.clusters[index].finish(.failed, "the cluster was deleted from the hub", at: now)
            case .failed(let reason):
                next.clusters[index].finish(.failed, "cannot write the policy: \(reason)", at: now)
            }
        }
        return next
    }

    /// Marks each restored (or since deleted) cluster rolled back; when none is left to restore the rollout is
    /// RolledBack, else it stays RollingBack and the next step asks again.
    public static func policiesRestored(_ rollout: Rollout, _ outcomes: [String: WriteOutcome], now: Date) -> Rollout {
        var next = rollout
        var failures: [String] = []
        for index in next.clusters.indices {
            let cluster = next.clusters[index]
            guard let outcome = outcomes[cluster.name] else { continue }
            switch outcome {
            case .written:
                next.clusters[index].state = .rolledBack
                next.clusters[index].message = "previous policy restored" + (cluster.message.map { " (was: \($0))" } ?? "")
            case .deleted:
                next.clusters[index].state = .rolledBack
                next.clusters[index].message = "the cluster was deleted"
            case .failed(let reason):
                failures.append("\(cluster.name): \(reason)")
            }
        }
        if restoreEffects(next).isEmpty {
            next.phase = .rolledBack
        } else if !failures.isEmpty {
            next.message = "restoring the previous policy failed, retrying: " + failures.prefix(5).joined(separator: "; ")
        }
        return next
    }

    /// Pauses (no new wave starts), resumes, aborts (stops; what was written stays, clusters in flight are
    /// Aborted) or starts a rollback (the next step restores every touched cluster). 409 when the phase does
    /// not allow the action.
    public static func control(_ rollout: Rollout, _ action: Action, actor: String, now: Date) throws(HubError) -> Rollout {
        let allowed: Set<RolloutPhase> =
            switch action {
            case .pause: [.progressing]
            case .resume: [.paused]
            case .abort: [.progressing, .paused]
            case .rollback: [.progressing, .paused, .failed, .aborted, .succeeded]
            }
        guard allowed.contains(rollout.phase) else {
            throw HubError(.conflict, "cannot \(action.rawValue) rollout \(rollout.id): it is \(rollout.phase.rawValue)")
        }
        var next = rollout
        switch action {
        case .pause: next.phase = .paused
        case .resume: next.phase = .progressing
        case .rollback: next.phase = .rollingBack
        case .abort:
            next.phase = .aborted
            for index in next.clusters.indices where [.applying, .soaking].contains(next.clusters[index].state) {
                next.clusters[index].finish(.aborted, "the rollout was aborted before this cluster was judged; its new policy stays", at: now)
            }
        }
        next.message = "\(action.rawValue) by \(actor)"
        return next
    }

    /// The restores a rollout rolling back still needs; with none left it is RolledBack.
    private static func rollBack(_ rollout: inout Rollout) -> [Effect] {
        let effects = restoreEffects(rollout)
        if effects.isEmpty { rollout.phase = .rolledBack }
        return effects
    }

    /// Restores for every cluster the rollout changed that is not rolled back yet.
    private static func restoreEffects(_ rollout: Rollout) -> [Effect] {
        let touched = rollout.clusters.filter {
            [.applying, .soaking, .succeeded, .failed, .aborted].contains($0.state) && $0.previousPolicy != nil
        }
        return touched.isEmpty ? [] : [.restorePrevious(touched.map(\.name))]
    }

    /// How the message of a rollout whose wave waits for windows or freezes starts; it goes once none waits.
    static let waitingPrefix = "waiting: "

    /// Marks a pending cluster applying with its target policy, or failed when it cannot take one. A fleet
    /// policy's rollout rebases the cluster's policy onto its target layer (its own fields stay); an admin's
    /// merges the plan's change.
    private static func start(_ cluster: inout RolloutCluster, plan: RolloutPlan, current: PolicyDocument?, layer: FleetLayer?, now: Date) {
        guard let current else {
            cluster.finish(.failed, "the cluster was deleted from the hub", at: now)
            return
        }
        if let targetLayer = cluster.targetLayer {
            let stored = layer ?? .empty
            cluster.targetPolicy = stored.rebase(current.policy, onto: targetLayer)
            cluster.previousLayer = stored
        } else {
            do {
                cluster.targetPolicy = try RolloutPlanner.target(current: current.policy, plan: plan, cluster: cluster.name)
            } catch {
                cluster.finish(.failed, "cannot compute the policy: \(error)", at: now)
                return
            }
        }
        cluster.previousPolicy = current.policy
        cluster.state = .applying
        cluster.appliedAt = now
        cluster.message = "applying"
    }
}
