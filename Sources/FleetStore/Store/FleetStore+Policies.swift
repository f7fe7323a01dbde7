import FleetModel
import Foundation
import RegistryModel

extension FleetStore {
    /// The cluster's desired policy; generation 0 with an empty policy until one is set.
    /// `notFound` when the cluster never enrolled.
    public func policy(cluster: String) async throws(StoreError) -> PolicyDocument {
        try checkOpen("read policy of \(cluster)")
        return try await backend.policy(cluster: cluster)
    }

    /// The current policies of `clusters` (generation 0 for one never set), from one query.
    /// Clusters that never enrolled are absent.
    public func policies(clusters names: some Collection<String>) async throws(StoreError) -> [String: PolicyDocument] {
        guard !names.isEmpty else { return [:] }
        try checkOpen("read \(names.count) policies")
        return try await backend.policies(clusters: Array(names))
    }

    /// Stages `policy` for a cluster that has not enrolled (or was deleted): its enrollment writes it as the
    /// cluster's next generation in the same transaction, so the agent's first desired state is this policy.
    /// Staging again replaces it. `conflict` when the cluster is enrolled (set its policy instead).
    @discardableResult
    public func stagePolicy(cluster: String, policy: FleetPolicy, actor: String) async throws(StoreError) -> PolicyDocument {
        try checkOpen("stage policy of \(cluster)")
        let document = try await backend.stagePolicy(cluster: cluster, policy: policy, actor: actor, at: clock.now())
        logger.info("policy staged", metadata: ["cluster": "\(cluster)", "actor": "\(actor)"])
        return document
    }

    /// The policy staged for a cluster that has not enrolled; nil when none is.
    public func stagedPolicy(cluster: String) async throws(StoreError) -> PolicyDocument? {
        try checkOpen("read staged policy of \(cluster)")
        return try await backend.stagedPolicy(cluster: cluster)
    }

    /// Replaces the cluster's policy (validated by the hub) in one transaction.
    ///
    /// `conflict` when `expectedGeneration` is given and stale, and nothing is written. A policy
    /// equal to the stored one keeps its generation (`changed == false`). Otherwise the
    /// generation goes up by one and the policy row, a `policy_history` row and a `policy.update`
    /// audit row (generations before and after, field changes) commit together.
    @discardableResult
    public func putPolicy(cluster: String, policy: FleetPolicy, expectedGeneration: Int64? = nil, actor: String) async throws(StoreError)
        -> PolicyUpdate
    {
        try checkOpen("update policy of \(cluster)")
        let results = try await backend.putPolicies(
            [PolicyChange(cluster: cluster, policy: policy, expectedGeneration: expectedGeneration)], actor: actor, at: clock.now())
        guard let result = results[cluster] else { throw StoreError.database("update policy of \(cluster)", StoreError.clusterNotFound(cluster)) }
        let update = try result.get()
        if update.changed {
            logger.info("policy updated", metadata: ["cluster": "\(cluster)", "generation": "\(update.document.generation)", "actor": "\(actor)"])
            committed(.policyChanged(cluster: cluster, generation: update.document.generation))
        }
        return update
    }

    /// Replaces the policies of many clusters (validated by the hub) in one transaction — one
    /// commit for a whole rollout wave instead of one per cluster — with exactly the rows
    /// `putPolicy` writes for each: a policy equal to the stored one changes nothing.
    ///
    /// A cluster that cannot take its policy (deleted, never enrolled) gets its error in the
    /// result and the others still commit; a database failure rolls the whole batch back and
    /// throws, so none of it was applied.
    public func putPolicies(_ changes: [PolicyWrite], actor: String) async throws(StoreError) -> [String: Result<PolicyUpdate, StoreError>] {
        guard !changes.isEmpty else { return [:] }
        try checkOpen("update the policies of \(changes.count) clusters")
        let results = try await backend.putPolicies(
            changes.map { PolicyChange(cluster: $0.cluster, policy: $0.policy, expectedGeneration: nil, fleetLayer: $0.fleetLayer) }, actor: actor,
            at: clock.now())
        var changed = 0
        for case .success(let update) in results.values where update.changed {
            changed += 1
            committed(.policyChanged(cluster: update.document.cluster, generation: update.document.generation))
        }
        if changed > 0 { logger.info("policies updated", metadata: ["clusters": "\(changed)", "actor": "\(actor)"]) }
        return results
    }

    /// The cluster's policy generations, newest first (at most `limit`).
    public func policyHistory(cluster: String, limit: Int = 50) async throws(StoreError) -> [PolicyRevision] {
        try checkOpen("read policy history of \(cluster)")
        return try await backend.policyHistory(cluster: cluster, limit: max(0, limit))
    }
}
