import FleetModel
import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func policy(cluster: String) async throws(StoreError) -> PolicyDocument {
        try await read("read policy of \(cluster)", cluster: cluster) { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clusters WHERE name = ?", arguments: [cluster]) ?? false else {
                throw StoreError.clusterNotFound(cluster)
            }
            return try Self.policyDocument(db, cluster: cluster)
        }
    }

    func policies(clusters names: [String]) async throws(StoreError) -> [String: PolicyDocument] {
        let list = try Self.jsonArray(names)
        return try await read("read \(names.count) policies") { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.name, p.generation, p.policy, p.updated_by, p.updated_at
                    FROM clusters c LEFT JOIN policies p ON p.cluster = c.name
                    WHERE c.name IN (SELECT value FROM json_each(?))
                    """,
                arguments: [list])
            var documents: [String: PolicyDocument] = [:]
            for row in rows {
                let name: String = row["name"]
                documents[name] = try Self.policyDocument(row, cluster: name)
            }
            return documents
        }
    }

    /// Every change in one transaction. A cluster refused by the checks (not enrolled, stale
    /// generation) gets its error and writes nothing; a database failure rolls the batch back.
    func putPolicies(_ changes: [PolicyChange], actor: String, at now: Date) async throws(StoreError) -> [String: Result<PolicyUpdate, StoreError>] {
        try await write("update the policies of \(changes.count) clusters", cluster: changes.count == 1 ? changes[0].cluster : nil) { db in
            var results: [String: Result<PolicyUpdate, StoreError>] = [:]
            for change in changes {
                do {
                    results[change.cluster] = .success(try Self.putPolicy(db, change, actor: actor, at: now))
                } catch let error as StoreError {
                    // Thrown by the checks, before the cluster's first write: the batch stays whole.
                    results[change.cluster] = .failure(error)
                }
            }
            return results
        }
    }

    func policyHistory(cluster: String, limit: Int) async throws(StoreError) -> [PolicyRevision] {
        try await read("read policy history of \(cluster)", cluster: cluster) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM policy_history WHERE cluster = ? ORDER BY generation DESC LIMIT ?", arguments: [cluster, limit]
            ).map(PolicyRevision.record)
        }
    }

    /// The rows of one policy change, in the caller's transaction. Throws `notFound` or
    /// `conflict` before writing anything.
    static func putPolicy(_ db: Database, _ change: PolicyChange, actor: String, at now: Date) throws -> PolicyUpdate {
        let cluster = change.cluster
        _ = try ClusterRecord.fetchActive(db, name: cluster)
        let current = try Self.policyDocument(db, cluster: cluster)
        if let expected = change.expectedGeneration, expected != current.generation {
            throw StoreError.staleGeneration(cluster: cluster, current: current.generation, expected: expected)
        }
        let layerText = try change.fleetLayer.map { try JSONColumn.text($0) }
        guard change.policy != current.policy else {
            if let layerText {
                // Provenance only: the agent's policy is the same, so no generation moves.
                try db.execute(
                    sql: """
                        INSERT INTO policies (cluster, generation, policy, updated_by, updated_at, fleet_layer) VALUES (?, 0, '{}', ?, ?, ?)
                        ON CONFLICT(cluster) DO UPDATE SET fleet_layer = excluded.fleet_layer
                        """,
                    arguments: [cluster, actor, now, layerText])
            }
            return PolicyUpdate(document: current, changed: false, previousGeneration: current.generation)
        }
        let generation = current.generation + 1
        let policyText = try JSONColumn.text(change.policy)
        try db.execute(
            sql: """
                INSERT INTO policies (cluster, generation, policy, updated_by, updated_at, fleet_layer) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(cluster) DO UPDATE SET generation = excluded.generation, policy = excluded.policy,
                    updated_by = excluded.updated_by, updated_at = excluded.updated_at,
                    fleet_layer = COALESCE(excluded.fleet_layer, policies.fleet_layer)
                """,
            arguments: [cluster, generation, policyText, actor, now, layerText])
        try db.execute(
            sql: "INSERT INTO policy_history (cluster, generation, policy, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [cluster, generation, policyText, actor, now])
        try AuditLog.append(
            db, at: now, actor: actor, action: AuditAction.policyUpdate, target: cluster, generationBefore: current.generation,
            generationAfter: generation, detail: ["changes": try JSONCoding.tree(current.policy.diff(to: change.policy))])
        let document = PolicyDocument(cluster: cluster, generation: generation, policy: change.policy, updatedBy: actor, updatedAt: now)
        return PolicyUpdate(document: document, changed: true, previousGeneration: current.generation)
    }

    /// The stored policy, or generation 0 and an empty policy when none was set.
    static func policyDocument(_ db: Database, cluster: String) throws -> PolicyDocument {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM policies WHERE cluster = ?", arguments: [cluster]) else {
            return PolicyDocument(cluster: cluster, generation: 0, policy: FleetPolicy())
        }
        return try policyDocument(row, cluster: cluster)
    }

    /// A row holding `generation`, `policy`, `updated_by` and `updated_at` (NULL when no policy
    /// was ever set) as a document.
    static func policyDocument(_ row: Row, cluster: String) throws -> PolicyDocument {
        guard let text: String = row["policy"] else { return PolicyDocument(cluster: cluster, generation: 0, policy: FleetPolicy()) }
        return PolicyDocument(
            cluster: cluster, generation: row["generation"], policy: try JSONColumn.value(FleetPolicy.self, from: text),
            updatedBy: row["updated_by"], updatedAt: row["updated_at"])
    }

    /// `names` as one JSON array argument, so a lookup by many names is one statement with one
    /// bound value whatever the count (no SQLite variable limit, no per-name statement).
    static func jsonArray(_ names: [String]) throws(StoreError) -> String {
        do {
            return try JSONColumn.text(names)
        } catch {
            throw StoreError.database("encode cluster names", error)
        }
    }
}
