import FleetModel
import GRDB

/// Staged policies (a policy set for a cluster before it enrolls, applied by its enrollment) and the key a
/// bootstrap token enrolled (so a retried enrollment whose answer was lost gets its certificate again).
enum SchemaV5 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE staged_policies (
                    cluster TEXT PRIMARY KEY NOT NULL,   -- not enrolled (or deleted) when staged
                    policy TEXT NOT NULL,                -- JSON FleetPolicy
                    staged_by TEXT NOT NULL,
                    staged_at DATETIME NOT NULL
                );
                ALTER TABLE bootstrap_tokens ADD COLUMN used_by_key TEXT; -- SHA-256 of the enrolled key's SPKI
                """)
    }
}
