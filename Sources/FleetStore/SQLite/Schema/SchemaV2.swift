import GRDB

/// Rollouts: one row per rollout holding its whole state as JSON, with the phase and an
/// active flag as columns so that "which clusters are taken" is one indexed query.
enum SchemaV2 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE rollouts (
                    id TEXT PRIMARY KEY NOT NULL,
                    phase TEXT NOT NULL,
                    active INTEGER NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    state TEXT NOT NULL
                );
                CREATE INDEX rollouts_active ON rollouts(active, created_at);
                """)
    }
}
