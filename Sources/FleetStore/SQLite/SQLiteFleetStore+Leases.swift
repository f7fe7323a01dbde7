import Foundation
import GRDB

extension SQLiteBackend {
    /// One statement: insert the lease, or take it over when it is ours or has expired. Processes
    /// sharing the file are serialised by SQLite's write lock, so at most one wins.
    func acquireLease(_ name: String, holder: String, until expiry: Date, at now: Date) async throws(StoreError) -> Bool {
        try await write("acquire lease \(name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
                    """,
                arguments: [name, holder, expiry, now])
            return db.changesCount == 1
        }
    }

    func releaseLease(_ name: String, holder: String) async throws(StoreError) {
        try await write("release lease \(name)") { db in
            try db.execute(sql: "DELETE FROM leases WHERE name = ? AND holder = ?", arguments: [name, holder])
        }
    }

    func leaseHolder(_ name: String, at now: Date) async throws(StoreError) -> String? {
        try await read("read lease \(name)") { db in
            try String.fetchOne(db, sql: "SELECT holder FROM leases WHERE name = ? AND expires_at > ?", arguments: [name, now])
        }
    }
}
