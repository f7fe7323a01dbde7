import Foundation
import PostgresNIO

extension PostgresBackend {
    /// Expiry is judged by the database's clock, not the replicas': two hubs whose clocks
    /// disagree still agree on who holds the lease.
    func acquireLease(_ name: String, holder: String, until expiry: Date, at now: Date) async throws(StoreError) -> Bool {
        let milliseconds = Int64(max(0, expiry.timeIntervalSince(now)) * 1000)
        return try await query("acquire lease \(name)") { [logger] connection in
            let rows = try await connection.query(
                """
                INSERT INTO leases (name, holder, expires_at) VALUES (\(name), \(holder), now() + \(milliseconds) * interval '1 millisecond')
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leases.holder = excluded.holder OR leases.expires_at <= now()
                RETURNING 1
                """, logger: logger
            ).collect()
            return !rows.isEmpty
        }
    }

    func releaseLease(_ name: String, holder: String) async throws(StoreError) {
        _ = try await query("release lease \(name)") { [logger] connection in
            try await connection.query("DELETE FROM leases WHERE name = \(name) AND holder = \(holder)", logger: logger).collect()
        }
    }

    func leaseHolder(_ name: String, at now: Date) async throws(StoreError) -> String? {
        try await query("read lease \(name)") { [logger] connection in
            try await connection.query("SELECT holder FROM leases WHERE name = \(name) AND expires_at > now()", logger: logger)
                .collect().first?.decode(String.self)
        }
    }
}
