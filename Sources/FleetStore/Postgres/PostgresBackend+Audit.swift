import FleetModel
import Foundation
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    func appendAudit(_ entry: NewAuditEntry, at now: Date) async throws(StoreError) -> AuditEntry {
        try await transaction("append audit \(entry.action)") { [logger] connection in
            try await PostgresRows.appendAudit(connection, entry, at: now, logger: logger)
        }
    }

    func audit(limit: Int, since: Date?, actor: String?) async throws(StoreError) -> [AuditEntry] {
        try await query("read audit log") { [logger] connection in
            try await connection.query(
                """
                SELECT * FROM audit_log WHERE (\(since)::timestamptz IS NULL OR at >= \(since)) AND (\(actor)::text IS NULL OR actor = \(actor))
                ORDER BY id DESC LIMIT \(limit)
                """, logger: logger
            ).collect().map(PostgresRows.auditEntry)
        }
    }
}
