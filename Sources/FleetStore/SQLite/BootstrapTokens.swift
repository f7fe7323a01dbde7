import Foundation
import GRDB
import RegistryModel

/// The SQL of bootstrap tokens, run inside a caller's transaction.
enum BootstrapTokens {
    /// Checks the token for `cluster` and marks it used, or throws the refusal's code.
    ///
    /// The `used_at IS NULL` guard on the UPDATE makes the single use hold even against another
    /// writer: of two consumers only one changes the row.
    static func consume(_ db: Database, token: String, cluster: String, keyFingerprint: String? = nil, at now: Date) throws -> BootstrapTokenRecord {
        var record = try check(db, token: token, cluster: cluster, at: now)
        let hash = BootstrapSecret.hash(token)
        try db.execute(
            sql: "UPDATE bootstrap_tokens SET used_at = ?, used_by_key = ? WHERE token_hash = ? AND used_at IS NULL", arguments: [now, keyFingerprint, hash])
        guard db.changesCount == 1 else { throw BootstrapTokenRefusal.used(cluster) }
        record.usedAt = now
        return record
    }

    /// True when `token` was consumed enrolling `cluster` with the key `keyFingerprint`, has not expired, and
    /// the cluster is still enrolled: the same agent asking again because the answer never reached it.
    static func isRetry(_ db: Database, token: String, cluster: String, keyFingerprint: String, at now: Date) throws -> Bool {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT t.expires_at, t.used_by_key, c.deleted_at IS NULL AS active
                FROM bootstrap_tokens t JOIN clusters c ON c.name = t.cluster
                WHERE t.token_hash = ? AND t.cluster = ? AND t.used_at IS NOT NULL
                """,
            arguments: [BootstrapSecret.hash(token), cluster])
        guard let row, row["active"] as Bool, (row["used_by_key"] as String?) == keyFingerprint else { return false }
        return (row["expires_at"] as Date) > now
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
