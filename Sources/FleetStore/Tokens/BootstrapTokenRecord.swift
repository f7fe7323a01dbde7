import Foundation
import GRDB

/// A stored bootstrap token, without its secret.
public struct BootstrapTokenRecord: Hashable, Sendable {
    /// The first 12 hex digits of the secret's hash: names the token in listings and audit rows
    /// without revealing anything usable.
    public var id: String
    /// The only cluster name the token enrolls.
    public var cluster: String
    /// Labels the cluster gets when it enrolls.
    public var labels: [String: String]
    /// The admin who created it.
    public var createdBy: String
    /// When it was created.
    public var createdAt: Date
    /// The end of its lifetime; consuming at or after this instant is `tokenExpired`.
    public var expiresAt: Date
    /// When it was consumed; nil while unused.
    public var usedAt: Date?

    /// Decodes a `bootstrap_tokens` row.
    static func record(_ row: Row) throws -> BootstrapTokenRecord {
        let hash: String = row["token_hash"]
        return BootstrapTokenRecord(
            id: String(hash.prefix(12)), cluster: row["cluster"], labels: try JSONColumn.value([String: String].self, from: row["labels"]),
            createdBy: row["created_by"], createdAt: row["created_at"], expiresAt: row["expires_at"], usedAt: row["used_at"])
    }
}
