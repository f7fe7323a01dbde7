import FleetModel
import Foundation
import RegistryModel

/// Decides, purely, where one in-flight cluster of a rollout stands given its latest health.
///
/// A cluster succeeds when its agent reports the rollout's generation applied and its registry
/// has been healthy (for a change to Removed: torn down, Removed) for the whole soak time; it
/// fails when Degraded on the new generation or when the progress deadline passes. Offline is
/// never success: an unreachable cluster waits out the deadline and fails. Unreachable (the agent
/// reports but cannot reach its cluster's API server) is neither success nor a dead agent: the
/// cluster cannot be confirmed, so it stays Applying with that reason, its soak restarts, and it
/// fails only if the API server is still unreachable at the progress deadline.
public enum RolloutEvaluator {
    public static func evaluate(_ cluster: RolloutCluster, summary: ClusterSummary?, strategy: RolloutStrategy, now: Date) -> RolloutCluster {
        guard [.applying, .soaking].contains(cluster.state), let target = cluster.targetGeneration else { return cluster }
        var next = cluster
        guard let summary else { return finish(next, .failed, "the cluster was deleted from the hub", now: now) }
        let applied = (summary.observedGeneration ?? -1) >= target
        let wantState: ClusterState = cluster.targetPolicy?.managementState == .removed ? .removed : .healthy
        if applied && summary.health.state == .degraded {
            return finish(next, .failed, "Degraded: \(summary.health.reason): \(summary.health.message)", now: now)
        }
        if applied && summary.health.state == wantState {
            let since = cluster.healthySince ?? now
            next.healthySince = since
            next.state = .soaking
            next.message = "\(wantState.rawValue) on generation \(target)"
            if now.timeIntervalSince(since) >= TimeInterval(strategy.soakSeconds) {
                return finish(next, .succeeded, "\(wantState.rawValue) on generation \(target) for \(strategy.soakSeconds)s", now: now)
            }
            return next
        }
        next.healthySince = nil
        next.state = .applying
        let waiting: String
        if summary.health.state == .unreachable {
            waiting = "cannot confirm: \(summary.health.state.rawValue) (\(summary.health.reason)): \(summary.health.message)"
        } else if applied {
            waiting = "\(summary.health.state.rawValue) (\(summary.health.reason))"
        } else {
            waiting = "waiting for the agent to apply generation \(target)"
        }
        next.message = waiting
        if let appliedAt = cluster.appliedAt, now.timeIntervalSince(appliedAt) > TimeInterval(strategy.progressDeadlineSeconds) {
            return finish(next, .failed, "not \(wantState.rawValue) within \(strategy.progressDeadlineSeconds)s: \(waiting)", now: now)
        }
        return next
    }

    private static func finish(_ cluster: RolloutCluster, _ state: RolloutClusterState, _ message: String, now: Date) -> RolloutCluster {
        var next = cluster
        next.finish(state, message, at: now)
        return next
    }

    /// When a rollout has failed: any canary failure, or more failures than allowed.
    public static func failureReason(_ rollout: Rollout) -> String? {
        let failed = rollout.clusters.filter { $0.state == .failed }
        guard !failed.isEmpty else { return nil }
        if rollout.waves.first == "canary", failed.contains(where: { $0.wave == 0 }) {
            return "canary failed: " + failed.filter { $0.wave == 0 }.map { "\($0.name): \($0.message ?? "failed")" }.joined(separator: "; ")
        }
        let allowed = rollout.plan.strategy.maxFailures.resolve(total: rollout.clusters.count)
        guard failed.count > allowed else { return nil }
        return "\(failed.count) cluster(s) failed, more than maxFailures \(rollout.plan.strategy.maxFailures) (\(allowed)): "
            + failed.prefix(5).map { "\($0.name): \($0.message ?? "failed")" }.joined(separator: "; ")
    }
}

extension RolloutCluster {
    /// Ends this cluster's part in the rollout: its final state, why, and when.
    mutating func finish(_ state: RolloutClusterState, _ message: String, at now: Date) {
        self.state = state
        self.message = message
        finishedAt = now
    }
}
