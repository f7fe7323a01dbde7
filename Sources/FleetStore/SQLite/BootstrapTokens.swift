import Foundation
import GRDB
import RegistryModel

/// The SQL of bootstrap tokens, run inside a caller's transaction.
enum BootstrapTokens {
    /// Checks the token for `cluster` and marks it used, or throws the refusal's code.
    ///
    /// The `used_at IS NULL` guard on the UPDATE makes the single use hold even against another
    /// writer: of two consumers only one changes the row.
    static func consume(_ db: Database, token: String, cluster: String, at now: Date) throws -> BootstrapTokenRecord {
        var record = try check(db, token: token, cluster: cluster, at: now)
        let hash = BootstrapSecret.hash(token)
        try db.execute(sql: "UPDATE bootstrap_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL", arguments: [now, hash])
        guard db.changesCount == 1 else { throw BootstrapTokenRefusal.used(cluster) }
        record.usedAt = now
        return record
    }

    /// The refusal `consume` would give, without marking the token used.
    static func check(_ db: Database, token: String, cluster: String, at now: Date) throws -> BootstrapTokenRecord {
        let hash = BootstrapSecret.hash(token)
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM bootstrap_tokens WHERE token_hash = ?", arguments: [hash]) else {
            throw BootstrapTokenRefusal.unknown(cluster)
        }
        let record = try BootstrapTokenRecord.record(row)
        try BootstrapTokenRefusal.check(record, cluster: cluster, at: now)
        return record
    }
}
