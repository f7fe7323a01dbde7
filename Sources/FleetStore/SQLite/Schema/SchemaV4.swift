import GRDB

/// Leases: which process holds a singleton duty (the rollout engine) until when.
enum SchemaV4 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE leases (
                    name TEXT PRIMARY KEY NOT NULL,
                    holder TEXT NOT NULL,
                    expires_at DATETIME NOT NULL
                );
                """)
    }
}
