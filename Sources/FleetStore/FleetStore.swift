import Foundation
import GRDB
import Logging
import RegistryModel
import Synchronization

/// The hub's durable state in one SQLite file: clusters, certificates, bootstrap tokens, policies,
/// reports, prune results and the audit log. All of the hub's SQL lives behind this type.
///
/// The file is opened as a GRDB `DatabasePool` in WAL mode (readers never block the writer) with
/// `synchronous=FULL`, so a write that returned has reached the disk and survives a power loss.
/// Reports go through a group-commit writer so that many agents cost one fsync per batch.
/// Call `close()` before the process exits so queued reports are committed.
public final class FleetStore: Sendable {
    /// The SQLite file.
    public let path: String
    /// One writer connection and a few readers; WAL lets reads run beside the writer.
    let pool: DatabasePool
    /// The source of every stored timestamp.
    let clock: any WallClock
    /// Logs with `cluster` metadata.
    let logger: Logger
    /// The tunables the store was opened with.
    let configuration: FleetStoreConfiguration
    /// The revoked serials, in memory for `isRevoked`.
    let revokedSerials: RevokedSerials
    /// The group-commit writer of reports.
    let reportWriter: ReportWriter
    private let isClosed = Mutex(false)
    /// Statements run so far, when `configuration.countsStatements` is on.
    private let statementCounter: StatementCounter

    /// SELECT, INSERT, UPDATE and DELETE statements the store has run since it opened; stays 0
    /// unless the configuration's `countsStatements` is on.
    public var statementsExecuted: Int { statementCounter.total }

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(
        path: String, clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "regfleet.store"),
        configuration: FleetStoreConfiguration = FleetStoreConfiguration()
    ) throws(StoreError) {
        self.path = path
        self.clock = clock
        self.logger = logger
        self.configuration = configuration
        var grdb = Configuration()
        grdb.label = "FleetStore"
        grdb.foreignKeysEnabled = true
        grdb.busyMode = .timeout(configuration.busyTimeout)
        let counter = StatementCounter()
        statementCounter = counter
        if configuration.countsStatements {
            grdb.prepareDatabase { db in
                db.trace(options: .statement) { event in
                    if case .statement(let statement) = event { counter.count(statement.sql) }
                }
            }
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: grdb)
            // GRDB sets synchronous=NORMAL with WAL; FULL makes every commit fsync the WAL, which
            // is what "acknowledged means durable" needs. Only the writer connection commits.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try StoreMigrations.migrate(pool)
            revokedSerials = RevokedSerials(try pool.read { db in try RevokedSerials.load(db) })
        } catch {
            throw StoreError.database("open \(path)", error)
        }
        self.pool = pool
        let historyLimit = configuration.reportHistoryLimit
        reportWriter = ReportWriter(batchSize: configuration.reportBatchSize, batchDelay: configuration.reportBatchDelay) {
            [logger] writes async throws(StoreError) in
            do {
                return try await pool.write { db in try ReportBatch.apply(writes, historyLimit: historyLimit, in: db) }
            } catch {
                logger.error("report batch failed", metadata: ["reports": "\(writes.count)", "error": "\(error)"])
                throw StoreError.database("commit \(writes.count) reports", error)
            }
        }
        logger.info("store opened", metadata: ["path": "\(path)", "revokedSerials": "\(revokedSerials.count)"])
    }

    /// Commits every report queued before this call; returns when they are durable.
    public func flush() async {
        await reportWriter.flush()
    }

    /// Drains the report queue, then closes the file. Every later call fails with `closed`.
    public func close() async throws(StoreError) {
        let first = isClosed.withLock { closed in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        await reportWriter.close()
        do {
            try pool.close()
        } catch {
            throw StoreError.database("close \(path)", error)
        }
        logger.info("store closed", metadata: ["path": "\(path)"])
    }

    /// Names of the migrations applied to the file, oldest first; `/readyz` and tests show it.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await read("read migrations") { db in try StoreMigrations.migrator.appliedMigrations(db) }
    }

    /// The SQLite settings that make acknowledged writes durable, as the writer connection sees them.
    public func durabilitySettings() async throws(StoreError) -> DurabilitySettings {
        try await write("read pragmas", transaction: false) { db in
            DurabilitySettings(
                journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1,
                foreignKeys: try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false)
        }
    }

    /// Runs `body` in one write transaction; store errors pass through, others become `database`.
    func write<T: Sendable>(
        _ operation: String, cluster: String? = nil, transaction: Bool = true, _ body: @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        guard !isClosed.withLock({ $0 }) else { throw StoreError.closed(operation) }
        do {
            if transaction { return try await pool.write(body) }
            return try await pool.writeWithoutTransaction(body)
        } catch let error as StoreError {
            throw error
        } catch {
            logger.error("write failed", metadata: ["operation": "\(operation)", "cluster": "\(cluster ?? "")", "error": "\(error)"])
            throw StoreError.database(operation, error, cluster: cluster)
        }
    }

    /// Runs `body` on a reader connection (a consistent snapshot, never blocked by the writer).
    func read<T: Sendable>(
        _ operation: String, cluster: String? = nil, _ body: @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        guard !isClosed.withLock({ $0 }) else { throw StoreError.closed(operation) }
        do {
            return try await pool.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(operation, error, cluster: cluster)
        }
    }
}

/// Counts the statements that read or change rows, from every connection's trace hook.
/// Transaction control (BEGIN, COMMIT, savepoints) and pragmas are left out: they follow from
/// the number of reads and writes and would only make the counts depend on GRDB's internals.
final class StatementCounter: Sendable {
    private let value = Atomic<Int>(0)
    var total: Int { value.load(ordering: .relaxed) }

    func count(_ sql: String) {
        let verb = sql.drop { $0.isWhitespace }.prefix(6).uppercased()
        if ["SELECT", "INSERT", "UPDATE", "DELETE"].contains(verb) { value.add(1, ordering: .relaxed) }
    }
}

/// SQLite pragmas of the writer connection.
public struct DurabilitySettings: Hashable, Sendable {
    /// `wal` when readers run beside the writer.
    public var journalMode: String
    /// 2 (`FULL`) when every commit is fsynced.
    public var synchronous: Int
    /// True when foreign keys are enforced.
    public var foreignKeys: Bool
}
