import Foundation
import GRDB
import RegistryModel

extension FleetStore {
    /// The cluster's desired policy; generation 0 with an empty policy until one is set.
    /// `notFound` when the cluster never enrolled.
    public func policy(cluster: String) async throws(StoreError) -> PolicyDocument {
        try await read("read policy of \(cluster)", cluster: cluster) { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clusters WHERE name = ?", arguments: [cluster]) ?? false else {
                throw StoreError.clusterNotFound(cluster)
            }
            return try Self.policyDocument(db, cluster: cluster)
        }
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
        let now = clock.now()
        let update = try await write("update policy of \(cluster)", cluster: cluster) { db in
            try Self.putPolicy(db, cluster: cluster, policy: policy, expectedGeneration: expectedGeneration, actor: actor, at: now)
        }
        if update.changed {
            logger.info(
                "policy updated",
                metadata: ["cluster": "\(cluster)", "generation": "\(update.document.generation)", "actor": "\(actor)"])
        }
        return update
    }

    /// The cluster's policy generations, newest first (at most `limit`).
    public func policyHistory(cluster: String, limit: Int = 50) async throws(StoreError) -> [PolicyRevision] {
        try await read("read policy history of \(cluster)", cluster: cluster) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM policy_history WHERE cluster = ? ORDER BY generation DESC LIMIT ?", arguments: [cluster, max(0, limit)]
            ).map(PolicyRevision.record)
        }
    }

    /// The rows of one policy change, in the caller's transaction (see `putPolicy`). Throws
    /// `notFound` or `conflict` before writing anything.
    static func putPolicy(
        _ db: Database, cluster: String, policy: FleetPolicy, expectedGeneration: Int64?, actor: String, at now: Date
    ) throws -> PolicyUpdate {
        _ = try ClusterRecord.fetchActive(db, name: cluster)
        let current = try Self.policyDocument(db, cluster: cluster)
        if let expectedGeneration, expectedGeneration != current.generation {
            throw StoreError(
                code: .conflict,
                message: "the policy of cluster \"\(cluster)\" is at generation \(current.generation), not \(expectedGeneration); "
                    + "read it again and retry",
                cluster: cluster, field: "generation")
        }
        guard policy != current.policy else {
            return PolicyUpdate(document: current, changed: false, previousGeneration: current.generation)
        }
        let generation = current.generation + 1
        let policyText = try JSONColumn.text(policy)
        try db.execute(
            sql: """
                INSERT INTO policies (cluster, generation, policy, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(cluster) DO UPDATE SET generation = excluded.generation, policy = excluded.policy,
                    updated_by = excluded.updated_by, updated_at = excluded.updated_at
                """,
            arguments: [cluster, generation, policyText, actor, now])
        try db.execute(
            sql: "INSERT INTO policy_history (cluster, generation, policy, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [cluster, generation, policyText, actor, now])
        try AuditLog.append(
            db, at: now, actor: actor, action: AuditAction.policyUpdate, target: cluster, generationBefore: current.generation,
            generationAfter: generation, detail: ["changes": try JSONCoding.tree(current.policy.diff(to: policy))])
        let document = PolicyDocument(cluster: cluster, generation: generation, policy: policy, updatedBy: actor, updatedAt: now)
        return PolicyUpdate(document: document, changed: true, previousGeneration: current.generation)
    }

    /// The stored policy, or generation 0 and an empty policy when none was set.
    static func policyDocument(_ db: Database, cluster: String) throws -> PolicyDocument {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM policies WHERE cluster = ?", arguments: [cluster]) else {
            return PolicyDocument(cluster: cluster, generation: 0, policy: FleetPolicy())
        }
        return PolicyDocument(
            cluster: cluster, generation: row["generation"], policy: try JSONColumn.value(FleetPolicy.self, from: row["policy"]),
            updatedBy: row["updated_by"], updatedAt: row["updated_at"])
    }
}
