import Foundation
import GRDB

/// The SQL of certificate revocation, run inside a caller's transaction.
enum Certificates {
    /// Revokes one serial; false when it already was.
    static func revoke(_ db: Database, serial: String, at now: Date, actor: String, reason: String) throws -> Bool {
        try db.execute(
            sql: "INSERT OR IGNORE INTO revoked_serials (serial, revoked_at, revoked_by, reason) VALUES (?, ?, ?, ?)",
            arguments: [serial, now, actor, reason])
        return db.changesCount == 1
    }

    /// Revokes every serial issued to `cluster`; returns those not revoked before.
    static func revokeAll(_ db: Database, cluster: String, at now: Date, actor: String, reason: String) throws -> [String] {
        let serials = try String.fetchAll(db, sql: "SELECT serial FROM certificates WHERE cluster = ? ORDER BY issued_at", arguments: [cluster])
        return try serials.filter { try revoke(db, serial: $0, at: now, actor: actor, reason: reason) }
    }
}
