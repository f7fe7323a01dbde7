import GRDB

/// The schema's history, registered in code so the binary carries the schema it needs.
///
/// Each migration runs once, in order; `grdb_migrations` records which have run (the table GRDB's migrator
/// keeps, so `migrator.appliedMigrations` reads it). A shipped migration is never edited; a change to the
/// schema is a new migration.
///
/// Several processes may open one new file at the same moment (a supervisor starting replicas, a test): every
/// pending migration therefore runs in a single IMMEDIATE transaction. The first process takes SQLite's write
/// lock and creates the schema; the others wait for the lock (the store's busy timeout), then find every
/// migration applied and go on. GRDB's own migrator reads what is applied outside its transactions, so two
/// processes would both try to create the tables and one would fail.
enum StoreMigrations {
    /// Every migration, oldest first.
    static let steps: [(identifier: String, migrate: @Sendable (Database) throws -> Void)] = [
        ("v1", SchemaV1.migrate),
        ("v2", SchemaV2.migrate),
        ("v3", SchemaV3.migrate),
        ("v4", SchemaV4.migrate),
        ("v5", SchemaV5.migrate),
        ("v6", SchemaV6.migrate),
    ]

    /// The same migrations as a GRDB migrator, for reading which are applied.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in steps { migrator.registerMigration(step.identifier, migrate: step.migrate) }
        return migrator
    }

    /// Applies the pending migrations atomically; throws `MigrationError.newerSchema` for a file that a newer
    /// release has migrated further (its unknown migrations would not be understood).
    static func migrate(_ writer: some DatabaseWriter) throws {
        try writer.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
                let unknown = applied.subtracting(steps.map(\.identifier))
                guard unknown.isEmpty else { throw MigrationError.newerSchema(unknown.sorted()) }
                for step in steps where !applied.contains(step.identifier) {
                    try step.migrate(db)
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [step.identifier])
                }
                return .commit
            }
        }
    }
}

/// A schema this binary cannot use.
enum MigrationError: Error, CustomStringConvertible {
    /// The file carries migrations this release does not know.
    case newerSchema([String])

    var description: String {
        switch self {
        case .newerSchema(let identifiers):
            "the database was migrated by a newer regfleet (unknown migrations \(identifiers.joined(separator: ", "))); use that release or a copy of an older backup"
        }
    }
}
