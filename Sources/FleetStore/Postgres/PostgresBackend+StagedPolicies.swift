import FleetModel
import Foundation
import Logging
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    func stagePolicy(cluster: String, policy: FleetPolicy, actor: String, at now: Date) async throws(StoreError) -> PolicyDocument {
        try await transaction("stage policy of \(cluster)", cluster: cluster) { [logger] connection in
            // A cluster that has never enrolled has no row to lock: staging and enrollment of one name take the
            // same advisory lock, so a staging never commits beside an enrollment that did not see it.
            try await Self.lockEnrollment(connection, cluster: cluster, logger: logger)
            let active = try await connection.query(
                "SELECT deleted_at IS NULL FROM clusters WHERE name = \(cluster) FOR UPDATE", logger: logger
            ).collect().first?.decode(Bool.self)
            if active == true { throw StoreError.enrolledWhileStaging(cluster) }
            let text = try JSONColumn.text(policy)
            try await connection.query(
                """
                INSERT INTO staged_policies (cluster, policy, staged_by, staged_at) VALUES (\(cluster), \(text), \(actor), \(now))
                ON CONFLICT (cluster) DO UPDATE SET policy = excluded.policy, staged_by = excluded.staged_by, staged_at = excluded.staged_at
                """, logger: logger)
            try await PostgresRows.appendAudit(
                connection, NewAuditEntry(actor: actor, action: AuditAction.policyStage, target: cluster, detail: ["policy": try JSONCoding.tree(policy)]),
                at: now, logger: logger)
            return StagedPolicy.document(cluster: cluster, policy: policy, stagedBy: actor, stagedAt: now)
        }
    }

    func stagedPolicy(cluster: String) async throws(StoreError) -> PolicyDocument? {
        try await query("read staged policy of \(cluster)", cluster: cluster) { [logger] connection in
            guard
                let row = try await connection.query(
                    "SELECT policy, staged_by, staged_at FROM staged_policies WHERE cluster = \(cluster)", logger: logger
                ).collect().first
            else { return nil }
            let (text, stagedBy, stagedAt) = try row.decode((String, String, Date).self)
            return StagedPolicy.document(cluster: cluster, policy: try JSONColumn.value(FleetPolicy.self, from: text), stagedBy: stagedBy, stagedAt: stagedAt)
        }
    }

    /// Serialises staging and enrollment of `cluster` until the transaction ends.
    static func lockEnrollment(_ connection: PostgresConnection, cluster: String, logger: Logger) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(\(PostgresSchema.enrollmentLock), hashtext(\(cluster)))", logger: logger)
    }

    /// In the enrollment's transaction: the staged policy becomes the cluster's next generation, written by
    /// whoever staged it, and leaves the staging table.
    static func applyStagedPolicy(_ connection: PostgresConnection, cluster: String, at now: Date, logger: Logger) async throws {
        guard
            let row = try await connection.query(
                "DELETE FROM staged_policies WHERE cluster = \(cluster) RETURNING policy, staged_by", logger: logger
            ).collect().first
        else { return }
        let (text, stagedBy) = try row.decode((String, String).self)
        let change = PolicyChange(cluster: cluster, policy: try JSONColumn.value(FleetPolicy.self, from: text), expectedGeneration: nil)
        _ = try await putPolicy(connection, change, actor: stagedBy, at: now, logger: logger)
    }
}
