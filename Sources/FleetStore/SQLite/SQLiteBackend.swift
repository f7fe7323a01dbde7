import FleetModel
import Foundation
import GRDB
import RegistryModel
import Synchronization

/// The store on one SQLite file: the embedded default (demo, single-hub installs, tests).
///
/// The file is opened as a GRDB `DatabasePool` in WAL mode (readers never block the writer) with
/// `synchronous=FULL`, so a write that returned has reached the disk and survives a power loss.
/// Several processes may open the same file; SQLite's lock serialises their writes.
final class SQLiteBackend: StoreBackend {
    /// The SQLite file.
    let path: String
    /// One writer connection and a few readers; WAL lets reads run beside the writer.
    let pool: DatabasePool
    /// Statements run so far, when `configuration.countsStatements` is on.
    private let statementCounter: StatementCounter

    var location: String { path }
    var statementsExecuted: Int { statementCounter.total }

    /// Opens (creating if needed) the file at `path` and brings its schema up to date.
    init(path: String, configuration: FleetStoreConfiguration) throws(StoreError) {
        self.path = path
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
        do {
            pool = try DatabasePool(path: path, configuration: grdb)
            // GRDB sets synchronous=NORMAL with WAL; FULL makes every commit fsync the WAL, which
            // is what "acknowledged means durable" needs. Only the writer connection commits.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try StoreMigrations.migrate(pool)
        } catch {
            throw StoreError.database("open \(path)", error)
        }
    }

    /// The revoked serials, read synchronously while the store opens.
    func loadRevokedSerials() throws(StoreError) -> Set<String> {
        do {
            return try pool.read { db in try RevokedSerials.load(db) }
        } catch {
            throw StoreError.database("read revoked serials", error)
        }
    }

    func revokedSerials() async throws(StoreError) -> Set<String> {
        try await read("read revoked serials") { db in try RevokedSerials.load(db) }
    }

    func applyReports(_ writes: [ReportWrite], historyLimit: Int) async throws(StoreError) -> [Result<ReportAck, StoreError>] {
        try await write("commit \(writes.count) reports") { db in try ReportBatch.apply(writes, historyLimit: historyLimit, in: db) }
    }

    func ping() async throws(StoreError) {
        _ = try await read("ping") { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    func close() async throws(StoreError) {
        do {
            try pool.close()
        } catch {
            throw StoreError.database("close \(path)", error)
        }
    }

    func appliedMigrations() async throws(StoreError) -> [String] {
        try await read("read migrations") { db in try StoreMigrations.migrator.appliedMigrations(db) }
    }

    func durabilitySettings() async throws(StoreError) -> DurabilitySettings {
        try await write("read pragmas", transaction: false) { db in
            DurabilitySettings(
                journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1,
                foreignKeys: try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false)
        }
    }

    /// Copies the whole database into a new file at `destination` with SQLite's online backup:
    /// consistent, and safe while the hub keeps writing.
    func backup(to destination: String) async throws(StoreError) {
        do {
            let target = try DatabaseQueue(path: destination)
            try pool.backup(to: target)
            try target.close()
        } catch {
            throw StoreError.database("back up \(path) to \(destination)", error)
        }
    }

    /// Runs `body` in one write transaction; store errors pass through, others become `database`.
    func write<T: Sendable>(
        _ operation: String, cluster: String? = nil, transaction: Bool = true, _ body: @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            if transaction { return try await pool.write(body) }
            return try await pool.writeWithoutTransaction(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(operation, error, cluster: cluster)
        }
    }

    /// Runs `body` on a reader connection (a consistent snapshot, never blocked by the writer).
    func read<T: Sendable>(
        _ operation: String, cluster: String? = nil, _ body: @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
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
