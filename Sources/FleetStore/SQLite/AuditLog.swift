import FleetModel
import Foundation
import GRDB
import RegistryModel

/// Writes and reads `audit_log` rows inside a caller's transaction, so an admin write and its
/// audit row commit together or not at all.
enum AuditLog {
    /// Appends one row and returns it with its id.
    @discardableResult
    static func append(
        _ db: Database, at: Date, actor: String, action: String, target: String, generationBefore: Int64? = nil,
        generationAfter: Int64? = nil, detail: JSONValue? = nil
    ) throws -> AuditEntry {
        let detailText = try detail.map { try JSONColumn.text($0) }
        try db.execute(
            sql: """
                INSERT INTO audit_log (at, actor, action, target, generation_before, generation_after, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [at, actor, action, target, generationBefore, generationAfter, detailText])
        return AuditEntry(
            id: db.lastInsertedRowID, at: at, actor: actor, action: action, target: target, generationBefore: generationBefore,
            generationAfter: generationAfter, detail: detail)
    }

    /// Decodes one row.
    static func entry(_ row: Row) throws -> AuditEntry {
        let detailText: String? = row["detail"]
        return AuditEntry(
            id: row["id"], at: row["at"], actor: row["actor"], action: row["action"], target: row["target"],
            generationBefore: row["generation_before"], generationAfter: row["generation_after"],
            detail: try detailText.map { try JSONColumn.value(JSONValue.self, from: $0) })
    }
}
