import FleetModel
import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func stagePolicy(cluster: String, policy: FleetPolicy, actor: String, at now: Date) async throws(StoreError) -> PolicyDocument {
        try await write("stage policy of \(cluster)", cluster: cluster) { db in
            if try Bool.fetchOne(db, sql: "SELECT deleted_at IS NULL FROM clusters WHERE name = ?", arguments: [cluster]) == true {
                throw StoreError.enrolledWhileStaging(cluster)
            }
            try db.execute(
                sql: """
                    INSERT INTO staged_policies (cluster, policy, staged_by, staged_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(cluster) DO UPDATE SET policy = excluded.policy, staged_by = excluded.staged_by, staged_at = excluded.staged_at
                    """,
                arguments: [cluster, try JSONColumn.text(policy), actor, now])
            try AuditLog.append(db, at: now, actor: actor, action: AuditAction.policyStage, target: cluster, detail: ["policy": try JSONCoding.tree(policy)])
            return StagedPolicy.document(cluster: cluster, policy: policy, stagedBy: actor, stagedAt: now)
        }
    }

    func stagedPolicy(cluster: String) async throws(StoreError) -> PolicyDocument? {
        try await read("read staged policy of \(cluster)", cluster: cluster) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM staged_policies WHERE cluster = ?", arguments: [cluster]) else { return nil }
            return StagedPolicy.document(
                cluster: cluster, policy: try JSONColumn.value(FleetPolicy.self, from: row["policy"]), stagedBy: row["staged_by"], stagedAt: row["staged_at"])
        }
    }

    /// In the enrollment's transaction: the staged policy becomes the cluster's next generation, written by
    /// whoever staged it (the same rows and audit as any policy change), and leaves the staging table.
    static func applyStagedPolicy(_ db: Database, cluster: String, at now: Date) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT policy, staged_by FROM staged_policies WHERE cluster = ?", arguments: [cluster]) else { return }
        let policy = try JSONColumn.value(FleetPolicy.self, from: row["policy"] as String)
        _ = try putPolicy(db, PolicyChange(cluster: cluster, policy: policy, expectedGeneration: nil), actor: row["staged_by"], at: now)
        try db.execute(sql: "DELETE FROM staged_policies WHERE cluster = ?", arguments: [cluster])
    }
}
