import Foundation

extension FleetStore {
    /// Takes or renews the lease `name` for `holder` until `duration` from now; false when another
    /// holder's lease has not expired. The lease lives in the database, so of several hub
    /// replicas exactly one holds it at a time, and a holder that dies loses it when it expires.
    public func acquireLease(_ name: String, holder: String, duration: TimeInterval) async throws(StoreError) -> Bool {
        try checkOpen("acquire lease \(name)")
        let now = clock.now()
        return try await backend.acquireLease(name, holder: holder, until: now.addingTimeInterval(duration), at: now)
    }

    /// Gives the lease up at once (a replica stopping cleanly), so another takes over without
    /// waiting for the expiry. Does nothing when `holder` does not hold it.
    public func releaseLease(_ name: String, holder: String) async throws(StoreError) {
        try checkOpen("release lease \(name)")
        try await backend.releaseLease(name, holder: holder)
    }
}

extension FleetStore {
    /// Who holds the lease `name` now (nil when nobody does or it expired): which replica runs
    /// the rollout engine, for operators and tests.
    public func leaseHolder(_ name: String) async throws(StoreError) -> String? {
        try checkOpen("read lease \(name)")
        return try await backend.leaseHolder(name, at: clock.now())
    }
}
