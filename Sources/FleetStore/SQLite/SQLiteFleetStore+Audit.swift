import FleetModel
import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func appendAudit(_ entry: NewAuditEntry, at now: Date) async throws(StoreError) -> AuditEntry {
        try await write("append audit \(entry.action)") { db in
            try AuditLog.append(
                db, at: now, actor: entry.actor, action: entry.action, target: entry.target, generationBefore: entry.generationBefore,
                generationAfter: entry.generationAfter, detail: entry.detail)
        }
    }

    func audit(limit: Int, since: Date?, actor: String?) async throws(StoreError) -> [AuditEntry] {
        try await read("read audit log") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let since {
                conditions.append("at >= ?")
                arguments += [since]
            }
            if let actor {
                conditions.append("actor = ?")
                arguments += [actor]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_log \(whereClause) ORDER BY id DESC LIMIT ?", arguments: arguments)
            return try rows.map(AuditLog.entry)
        }
    }
}
