import FleetModel
import Foundation
import GRDB
import RegistryModel

/// The durable, bounded queue of reports waiting for the hub's acknowledgement, in one SQLite file.
///
/// A report gets its sequence number in the same transaction that stores it, so sequences are strictly
/// increasing across restarts and a report is on disk before it is ever sent; it leaves only when the hub has
/// acknowledged it. When the queue is full the oldest reports are dropped and folded into the report being
/// queued: it carries their prune results and `summarizedReports` = how many reports it now stands for. The new
/// report has never been sent, so the count reaches the hub exactly once. The same transaction records which
/// prune runs were forwarded, so each `runID` is queued once.
public final class ReportQueue: Sendable {
    /// Most reports kept.
    public let limit: Int
    private let database: DatabaseQueue
    /// Prune run IDs remembered; older ones are forgotten (a run is reported long before this many follow it).
    static let forwardedRunsKept = 1000

    /// Opens (creating when needed, mode 0600) the queue at `path`; throws `state` when the file cannot be opened or
    /// migrated.
    public init(path: String, limit: Int) throws(AgentError) {
        self.limit = max(1, limit)
        var configuration = Configuration()
        configuration.label = "ReportQueue"
        // WAL: a commit is one append and one fsync, not a journal file created, synced and deleted each time.
        // FULL syncs every commit, so a queued report survives a power loss before it is ever sent.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        try StateFile.createPrivate(path)
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw AgentError(code: .state, message: "cannot open the report queue \(path): \(error)")
        }
    }

    /// Stores `report` with the next sequence number and returns it as stored: only prune results not forwarded
    /// before, plus whatever the reports dropped to stay within `limit` stood for.
    @discardableResult
    public func enqueue(_ report: AgentReport) async throws(AgentError) -> AgentReport {
        let limit = limit
        return try await write("queue a report") { db in
            var report = report
            report.sequence = try Self.takeSequence(db)
            let fresh = try (report.pruneResults ?? []).filter { try !Self.wasForwarded($0.runID, db) }
            let dropped = try Self.dropOldest(keeping: limit - 1, db)
            let carried = try dropped.flatMap { try Self.decode($0.body).pruneResults ?? [] }
            let results = carried + fresh
            report.pruneResults = results.isEmpty ? nil : results
            if !dropped.isEmpty {
                let standsFor = try dropped.map { 1 + (try Self.decode($0.body).summarizedReports ?? 0) }.reduce(0, +)
                report.summarizedReports = (report.summarizedReports ?? 0) + standsFor
            }
            for result in fresh {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO forwardedRun (runID, sequence) VALUES (?, ?)", arguments: [result.runID, report.sequence])
            }
            try db.execute(
                sql: "DELETE FROM forwardedRun WHERE runID NOT IN (SELECT runID FROM forwardedRun ORDER BY sequence DESC LIMIT ?)",
                arguments: [Self.forwardedRunsKept])
            try db.execute(sql: "INSERT INTO report (sequence, body) VALUES (?, ?)", arguments: [report.sequence, try Self.encode(report)])
            return report
        }
    }

    /// The oldest report still waiting, which is the next to send.
    public func oldest() async throws(AgentError) -> AgentReport? {
        try await read("read the oldest report") { db in
            try Row.fetchOne(db, sql: "SELECT body FROM report ORDER BY sequence LIMIT 1").map { try Self.decode($0["body"]) }
        }
    }

    /// Removes the report the hub acknowledged (a duplicate acknowledgement removes it too).
    ///
    /// Not synced to disk at once (the next synced commit or checkpoint carries it): should a power loss undo
    /// the removal, the report is sent again and the hub, which stores each sequence once, drops the copy.
    public func acknowledge(sequence: Int64) async throws(AgentError) {
        do {
            try await database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
                try db.inTransaction {
                    try db.execute(sql: "DELETE FROM report WHERE sequence = ?", arguments: [sequence])
                    return .commit
                }
            }
        } catch {
            throw AgentError(code: .state, message: "cannot remove acknowledged report \(sequence): \(error)")
        }
    }

    /// Reports waiting.
    public func count() async throws(AgentError) -> Int {
        try await read("count queued reports") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report") ?? 0 }
    }

    /// Every waiting report, oldest first.
    public func all() async throws(AgentError) -> [AgentReport] {
        try await read("list queued reports") { db in
            try Row.fetchAll(db, sql: "SELECT body FROM report ORDER BY sequence").map { try Self.decode($0["body"]) }
        }
    }

    /// The sequence the next queued report will get.
    public func nextSequence() async throws(AgentError) -> Int64 {
        try await read("read the next sequence") { db in try Self.storedNextSequence(db) }
    }

    /// True when a report already carried this prune run.
    public func hasForwarded(runID: String) async throws(AgentError) -> Bool {
        try await read("look up prune run \(runID)") { db in try Self.wasForwarded(runID, db) }
    }

    /// Closes the file; later calls fail with `state`.
    public func close() throws(AgentError) {
        do {
            try database.close()
        } catch {
            throw AgentError(code: .state, message: "cannot close the report queue: \(error)")
        }
    }

    // MARK: SQL

    /// The queue's schema, versioned so later agents can migrate an existing file.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE report (sequence INTEGER PRIMARY KEY, body BLOB NOT NULL);
                    CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    CREATE TABLE forwardedRun (runID TEXT PRIMARY KEY, sequence INTEGER NOT NULL);
                    """)
        }
        return migrator
    }()

    private static func storedNextSequence(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM counter WHERE name = 'nextSequence'") ?? 1
    }

    private static func takeSequence(_ db: Database) throws -> Int64 {
        let sequence = try storedNextSequence(db)
        try db.execute(sql: "INSERT OR REPLACE INTO counter (name, value) VALUES ('nextSequence', ?)", arguments: [sequence + 1])
        return sequence
    }

    private static func wasForwarded(_ runID: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM forwardedRun WHERE runID = ?", arguments: [runID]) ?? false
    }

    /// Deletes the oldest reports until at most `keeping` remain; returns what was deleted, oldest first.
    private static func dropOldest(keeping: Int, _ db: Database) throws -> [(sequence: Int64, body: Data)] {
        let excess = try (Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report") ?? 0) - keeping
        guard excess > 0 else { return [] }
        let rows = try Row.fetchAll(db, sql: "SELECT sequence, body FROM report ORDER BY sequence LIMIT ?", arguments: [excess])
        let dropped = rows.map { (sequence: $0["sequence"] as Int64, body: $0["body"] as Data) }
        try db.execute(sql: "DELETE FROM report WHERE sequence <= ?", arguments: [dropped.last!.sequence])
        return dropped
    }

    private static func encode(_ report: AgentReport) throws -> Data {
        try JSONCoding.encode(report)
    }

    private static func decode(_ body: Data) throws -> AgentReport {
        try JSONCoding.decode(AgentReport.self, from: body)
    }

    private func write<T: Sendable>(_ action: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(AgentError) -> T {
        do {
            return try await database.write(body)
        } catch {
            throw AgentError(code: .state, message: "cannot \(action): \(error)")
        }
    }

    private func read<T: Sendable>(_ action: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(AgentError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw AgentError(code: .state, message: "cannot \(action): \(error)")
        }
    }
}
