import GRDB

/// The schema's history, registered in code so the binary carries the schema it needs.
///
/// Each migration runs once, in order, in its own transaction; `grdb_migrations` records which
/// have run. A shipped migration is never edited; a change to the schema is a new migration.
enum StoreMigrations {
    /// Every migration, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: SchemaV1.migrate)
        migrator.registerMigration("v2", migrate: SchemaV2.migrate)
        migrator.registerMigration("v3", migrate: SchemaV3.migrate)
        return migrator
    }
}
