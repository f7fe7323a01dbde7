import FleetModel
import GRDB

/// Fleet policies (standing rules by label selector), change freezes, and per cluster the fleet layer last
/// rolled out (which fields of its policy came from which fleet policy).
enum SchemaV6 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE fleet_policies (
                    name TEXT PRIMARY KEY NOT NULL,
                    generation INTEGER NOT NULL,
                    spec TEXT NOT NULL,                  -- JSON FleetPolicySpec
                    created_by TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_by TEXT NOT NULL,
                    updated_at DATETIME NOT NULL,
                    last_rollout TEXT                    -- id of the newest rollout it started
                );
                CREATE TABLE change_freezes (
                    name TEXT PRIMARY KEY NOT NULL,
                    selector TEXT NOT NULL,
                    reason TEXT,
                    until DATETIME,
                    created_by TEXT NOT NULL,
                    created_at DATETIME NOT NULL
                );
                ALTER TABLE policies ADD COLUMN fleet_layer TEXT; -- JSON FleetLayer last rolled out
                """)
    }
}
