import FleetModel
import FleetStore
import Foundation
import RegistryModel

extension RolloutPlanner {
    /// A plan worked out for a set of clusters: the waves, the preview a dry run returns, and the
    /// clusters whose change to Removed needs `acknowledgeDataLoss`.
    public struct PlannedRollout: Sendable {
        /// Waves of cluster names, the canary first.
        public var waves: [(name: String, clusters: [String])]
        /// Each cluster's diff by wave, and the clusters the change leaves as they are.
        public var preview: RolloutPreview
        /// Clusters whose change deletes operator-managed storage, in wave order.
        public var needAcknowledgement: [String]
    }

    /// Plans `plan` over `candidates` (read in one query) without another store read: the
    /// selection and waves, each cluster's target policy and diff, and the data-loss check
    /// against the storage state its agent last reported.
    public static func plan(_ plan: RolloutPlan, candidates: [RolloutCandidate]) throws -> PlannedRollout {
        let byName = Dictionary(candidates.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var targets: [String: FleetPolicy] = [:]
        for candidate in candidates {
            targets[candidate.name] = try target(current: candidate.policy.policy, plan: plan, cluster: candidate.name)
        }
        let waves = try waves(
            plan: plan,
            candidates: candidates.map { Candidate(name: $0.name, labels: $0.labels, changes: targets[$0.name] != $0.policy.policy) })
        var previews: [RolloutWavePreview] = []
        var unchanged: [String] = []
        var needAcknowledgement: [String] = []
        for wave in waves {
            var diffs: [ClusterPolicyDiff] = []
            for name in wave.clusters {
                guard let candidate = byName[name] else { continue }
                let current = candidate.policy
                guard let target = targets[name] else { continue }
                let changes = current.policy.diff(to: target)
                if changes.isEmpty { unchanged.append(name) }
                diffs.append(ClusterPolicyDiff(cluster: name, generation: current.generation, changes: changes))
                if target.removesManagedStorage(previous: current.policy, observedStorageState: candidate.observedStorageState) {
                    needAcknowledgement.append(name)
                }
            }
            previews.append(RolloutWavePreview(name: wave.name, clusters: diffs, progressDeadlineSeconds: plan.strategy.progressDeadlineSeconds))
        }
        return PlannedRollout(waves: waves, preview: RolloutPreview(waves: previews, unchanged: unchanged), needAcknowledgement: needAcknowledgement)
    }
}
