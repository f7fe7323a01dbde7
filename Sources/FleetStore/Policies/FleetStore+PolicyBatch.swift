import Foundation
import GRDB
import RegistryModel

extension FleetStore {
    /// Replaces the policies of many clusters (validated by the hub) in one transaction — one
    /// fsync for a whole rollout wave instead of one per cluster — with exactly the rows
    /// `putPolicy` writes for each: a policy equal to the stored one changes nothing.
    ///
    /// A cluster that cannot take its policy (deleted, never enrolled) gets its error in the
    /// result and the others still commit; a database failure rolls the whole batch back and
    /// throws, so none of it was applied.
    public func putPolicies(_ changes: [(cluster: String, policy: FleetPolicy)], actor: String) async throws(StoreError)
        -> [String: Result<PolicyUpdate, StoreError>]
    {
        guard !changes.isEmpty else { return [:] }
        let now = clock.now()
        let results = try await write("update the policies of \(changes.count) clusters") { db in
            var results: [String: Result<PolicyUpdate, StoreError>] = [:]
            for change in changes {
                do {
                    results[change.cluster] = .success(
                        try Self.putPolicy(db, cluster: change.cluster, policy: change.policy, expectedGeneration: nil, actor: actor, at: now))
                } catch let error as StoreError {
                    // Thrown by the checks, before the cluster's first write: the batch stays whole.
                    results[change.cluster] = .failure(error)
                }
            }
            return results
        }
        let changed = results.values.count { (try? $0.get().changed) == true }
        if changed > 0 { logger.info("policies updated", metadata: ["clusters": "\(changed)", "actor": "\(actor)"]) }
        return results
    }
}
