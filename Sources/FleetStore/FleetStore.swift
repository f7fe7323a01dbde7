import Foundation
import Logging
import RegistryModel
import Synchronization

/// The hub's durable state: clusters, certificates, bootstrap tokens, policies, reports, prune
/// results, rollouts, leases and the audit log, on SQLite (one file, the embedded default) or on
/// PostgreSQL (several hub replicas sharing one database).
///
/// This type is the one interface the hub uses; a `StoreBackend` per engine holds the SQL. What
/// is the same on both lives here: reports go through a group-commit writer so many agents cost
/// one commit per batch, revoked serials are answered from memory, and every committed change
/// that another part of the hub must act on is published as a `StoreEvent` (on PostgreSQL, other
/// replicas' changes arrive the same way). A call that returned has committed durably.
/// Call `close()` before the process exits so queued reports are committed.
public final class FleetStore: Sendable {
    /// The file path, or the database URL without its password.
    public var location: String { backend.location }
    /// The SQLite file, or the URL for PostgreSQL; kept for callers that print where data lives.
    public var path: String { backend.location }
    let backend: any StoreBackend
    /// The source of every stored timestamp.
    let clock: any WallClock
    /// Logs with `cluster` metadata.
    let logger: Logger
    /// The tunables the store was opened with.
    let configuration: FleetStoreConfiguration
    /// The revoked serials, in memory for `isRevoked`.
    let revoked: RevokedSerials
    /// The group-commit writer of reports.
    let reportWriter: ReportWriter
    /// Committed changes, for subscribers in this process.
    let broadcaster = StoreEventBroadcaster()
    private let isClosed = Mutex(false)

    /// SELECT, INSERT, UPDATE and DELETE statements the store has run since it opened; stays 0
    /// unless the configuration's `countsStatements` is on.
    public var statementsExecuted: Int { backend.statementsExecuted }

    /// Opens (creating if needed) the SQLite store at `path` and brings its schema up to date.
    public convenience init(
        path: String, clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "regfleet.store"),
        configuration: FleetStoreConfiguration = FleetStoreConfiguration()
    ) throws(StoreError) {
        let backend = try SQLiteBackend(path: path, configuration: configuration)
        self.init(backend: backend, revoked: try backend.loadRevokedSerials(), clock: clock, logger: logger, configuration: configuration)
    }

    /// Opens the store `location` names: a SQLite file, or a PostgreSQL database (connecting,
    /// migrating under a lock shared by every replica, and listening for other replicas' changes).
    public static func open(
        _ location: StoreLocation, clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "regfleet.store"),
        configuration: FleetStoreConfiguration = FleetStoreConfiguration()
    ) async throws(StoreError) -> FleetStore {
        switch location {
        case .sqlite(let path):
            return try FleetStore(path: path, clock: clock, logger: logger, configuration: configuration)
        case .postgres(let settings):
            let backend = try await PostgresBackend.connect(settings, clock: clock, logger: logger, configuration: configuration)
            let store = FleetStore(
                backend: backend, revoked: try await backend.revokedSerials(), clock: clock, logger: logger, configuration: configuration)
            backend.startListening { [weak store] event in store?.received(event) }
            return store
        }
    }

    init(backend: any StoreBackend, revoked: Set<String>, clock: any WallClock, logger: Logger, configuration: FleetStoreConfiguration) {
        self.backend = backend
        self.clock = clock
        self.logger = logger
        self.configuration = configuration
        self.revoked = RevokedSerials(revoked)
        let historyLimit = configuration.reportHistoryLimit
        reportWriter = ReportWriter(batchSize: configuration.reportBatchSize, batchDelay: configuration.reportBatchDelay) {
            [logger] writes async throws(StoreError) in
            do throws(StoreError) {
                return try await backend.applyReports(writes, historyLimit: historyLimit)
            } catch {
                logger.error("report batch failed", metadata: ["reports": "\(writes.count)", "error": "\(error)"])
                throw error
            }
        }
        logger.info("store opened", metadata: ["location": "\(backend.location)", "revokedSerials": "\(revoked.count)"])
    }

    /// Every change committed after this call, from this process and — on PostgreSQL — from every
    /// other replica, until the store closes.
    public func events() -> AsyncStream<StoreEvent> {
        broadcaster.subscribe()
    }

    /// Commits every report queued before this call; returns when they are durable.
    public func flush() async {
        await reportWriter.flush()
    }

    /// Drains the report queue, then closes the database. Every later call fails with `closed`.
    public func close() async throws(StoreError) {
        let first = isClosed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        await reportWriter.close()
        broadcaster.finish()
        try await backend.close()
        logger.info("store closed", metadata: ["location": "\(backend.location)"])
    }

    /// A round trip to the database; `unavailable` when it cannot be reached. What `/readyz` asks.
    public func ping() async throws(StoreError) {
        try checkOpen("ping")
        try await backend.ping()
    }

    /// Names of the migrations applied, oldest first; `/readyz` and tests show it.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try checkOpen("read migrations")
        return try await backend.appliedMigrations()
    }

    /// The settings that make acknowledged writes durable, as the database reports them.
    public func durabilitySettings() async throws(StoreError) -> DurabilitySettings {
        try checkOpen("read durability settings")
        return try await backend.durabilitySettings()
    }

    /// Throws `closed` after `close()`.
    func checkOpen(_ operation: String) throws(StoreError) {
        guard !isClosed.withLock({ $0 }) else { throw StoreError.closed(operation) }
    }

    /// Applies a change committed here, then tells this process's subscribers.
    func committed(_ event: StoreEvent) {
        apply(event)
        broadcaster.publish(event)
    }

    /// A change another replica committed (or this one, echoed by the database).
    func received(_ event: StoreEvent) {
        if case .resynchronize = event {
            Task { [self] in
                if let serials = try? await backend.revokedSerials() { revoked.insert(contentsOf: serials) }
                broadcaster.publish(event)
            }
            return
        }
        committed(event)
    }

    private func apply(_ event: StoreEvent) {
        if case .serialsRevoked(let serials) = event { revoked.insert(contentsOf: serials) }
    }
}

/// The settings of the database that make acknowledged writes durable.
public struct DurabilitySettings: Hashable, Sendable {
    /// `wal` when commits go through a write-ahead log (SQLite in WAL mode, PostgreSQL always).
    public var journalMode: String
    /// 2 (SQLite `FULL`, PostgreSQL `synchronous_commit = on`) when every commit is flushed to disk.
    public var synchronous: Int
    /// True when foreign keys are enforced.
    public var foreignKeys: Bool
}

extension FleetStore {
    /// Copies the whole database into a new SQLite file at `destination`, consistent and safe
    /// while the hub keeps writing (SQLite's online backup). PostgreSQL is backed up with its own
    /// tools (pg_dump, point-in-time recovery): `invalidLocation` there.
    public func backup(to destination: String) async throws(StoreError) {
        try checkOpen("back up")
        guard let sqlite = backend as? SQLiteBackend else {
            throw StoreError.invalidLocation("backups of a PostgreSQL store are taken with pg_dump or point-in-time recovery")
        }
        try await sqlite.backup(to: destination)
    }
}
