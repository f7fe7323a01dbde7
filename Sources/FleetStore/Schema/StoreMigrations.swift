import GRDB

/// The schema's history, registered in code so the binary carries the schema it needs.
///
/// Each migration runs once, in order, in its own transaction; `grdb_migrations` records which
/// have run. A shipped migration is never edited. A later issue adds its tables as a new
/// migration, e.g. rollouts:
///
/// ```swift
/// migrator.registerMigration("v2", migrate: SchemaV2.migrate)   // SchemaV2.swift: rollouts, rollout_steps
/// ```
enum StoreMigrations {
    /// Every migration, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: SchemaV1.migrate)
        return migrator
    }
}
