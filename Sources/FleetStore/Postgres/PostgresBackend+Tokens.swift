import Foundation
import Logging
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    func insertToken(_ token: NewBootstrapToken) async throws(StoreError) {
        try await transaction("create token for \(token.cluster)", cluster: token.cluster) { [logger] connection in
            let active = try await connection.query(
                "SELECT deleted_at IS NULL FROM clusters WHERE name = \(token.cluster)", logger: logger
            ).collect().first?.decode(Bool.self)
            if active == true { throw StoreError.clusterAlreadyEnrolled(token.cluster) }
            try await connection.query(
                """
                INSERT INTO bootstrap_tokens (token_hash, cluster, labels, created_by, created_at, expires_at)
                VALUES (\(token.hash), \(token.cluster), \(try JSONColumn.text(token.labels)), \(token.createdBy), \(token.createdAt), \(token.expiresAt))
                """, logger: logger)
            try await PostgresRows.appendAudit(
                connection,
                NewAuditEntry(
                    actor: token.createdBy, action: AuditAction.tokenCreate, target: token.cluster,
                    detail: ["token": .string(String(token.hash.prefix(12))), "expiresAt": .string(RFC3339.format(token.expiresAt))]),
                at: token.createdAt, logger: logger)
        }
    }

    func consumeToken(_ token: String, cluster: String, at now: Date) async throws(StoreError) -> BootstrapTokenRecord {
        try await transaction("consume token for \(cluster)", cluster: cluster) { [logger] connection in
            try await Self.consume(connection, token: token, cluster: cluster, at: now, logger: logger)
        }
    }

    func checkToken(_ token: String, cluster: String, at now: Date) async throws(StoreError) {
        _ = try await query("check token for \(cluster)", cluster: cluster) { [logger] connection in
            try await Self.check(connection, token: token, cluster: cluster, at: now, logger: logger)
        }
    }

    func isEnrollmentRetry(token: String, cluster: String, keyFingerprint: String, at now: Date) async throws(StoreError) -> Bool {
        try await query("check enrollment retry of \(cluster)", cluster: cluster) { [logger] connection in
            let hash = BootstrapSecret.hash(token)
            let rows = try await connection.query(
                """
                SELECT 1 FROM bootstrap_tokens t JOIN clusters c ON c.name = t.cluster
                WHERE t.token_hash = \(hash) AND t.cluster = \(cluster) AND t.used_at IS NOT NULL AND t.used_by_key = \(keyFingerprint)
                  AND t.expires_at > \(now) AND c.deleted_at IS NULL
                """, logger: logger
            ).collect()
            return !rows.isEmpty
        }
    }

    func revokeToken(id: String, actor: String, at now: Date) async throws(StoreError) -> BootstrapTokenRecord {
        try await transaction("revoke token \(id)") { [logger] connection in
            let rows = try await connection.query(
                "SELECT * FROM bootstrap_tokens WHERE substr(token_hash, 1, 12) = \(id) FOR UPDATE", logger: logger
            ).collect().map(PostgresRows.tokenRecord)
            let record = try BootstrapTokenRevocation.check(rows, id: id)
            try await connection.query("DELETE FROM bootstrap_tokens WHERE substr(token_hash, 1, 12) = \(id) AND used_at IS NULL", logger: logger)
            try await PostgresRows.appendAudit(
                connection, NewAuditEntry(actor: actor, action: AuditAction.tokenRevoke, target: record.cluster, detail: ["token": .string(id)]),
                at: now, logger: logger)
            return record
        }
    }

    func tokens(cluster: String?) async throws(StoreError) -> [BootstrapTokenRecord] {
        try await query("list tokens") { [logger] connection in
            try await connection.query(
                """
                SELECT * FROM bootstrap_tokens WHERE (\(cluster)::text IS NULL OR cluster = \(cluster))
                ORDER BY created_at DESC, token_hash
                """, logger: logger
            ).collect().map(PostgresRows.tokenRecord)
        }
    }

    /// Checks the token and marks it used; the `used_at IS NULL` guard makes the single use hold
    /// when two replicas consume it at the same moment: only one UPDATE changes the row.
    static func consume(
        _ connection: PostgresConnection, token: String, cluster: String, keyFingerprint: String? = nil, at now: Date, logger: Logger
    ) async throws -> BootstrapTokenRecord {
        var record = try await check(connection, token: token, cluster: cluster, at: now, logger: logger)
        let hash = BootstrapSecret.hash(token)
        let updated = try await connection.query(
            """
            UPDATE bootstrap_tokens SET used_at = \(now), used_by_key = \(keyFingerprint)
            WHERE token_hash = \(hash) AND used_at IS NULL RETURNING 1
            """, logger: logger
        ).collect()
        guard updated.count == 1 else { throw BootstrapTokenRefusal.used(cluster) }
        record.usedAt = now
        return record
    }

    /// The refusal `consume` would give, without marking the token used.
    static func check(_ connection: PostgresConnection, token: String, cluster: String, at now: Date, logger: Logger) async throws
        -> BootstrapTokenRecord
    {
        let hash = BootstrapSecret.hash(token)
        guard let row = try await connection.query("SELECT * FROM bootstrap_tokens WHERE token_hash = \(hash)", logger: logger).collect().first
        else { throw BootstrapTokenRefusal.unknown(cluster) }
        let record = try PostgresRows.tokenRecord(row)
        try BootstrapTokenRefusal.check(record, cluster: cluster, at: now)
        return record
    }
}
