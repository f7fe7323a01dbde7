import Foundation
import Logging
import NIOSSL
import PostgresNIO
import RegistryModel
import Synchronization

/// The store on a PostgreSQL database shared by several hub replicas.
///
/// A pool of connections (`PostgresClient`) serves the store's calls; every write is one
/// transaction with `synchronous_commit` on, so an acknowledged write survives the loss of any
/// hub. Rules that must hold across replicas are the database's: primary keys make reports and
/// prune runs idempotent whichever replica a retry reaches, row locks serialise policy
/// generations, an advisory lock serialises rollout creation and migrations, and a lease row
/// elects the one replica that runs the rollout engine. Committed changes are announced with
/// `NOTIFY`, which `PostgresChangeListener` turns into `StoreEvent`s on every replica.
final class PostgresBackend: StoreBackend {
    let settings: PostgresSettings
    let client: PostgresClient
    let logger: Logger
    /// The task running the pool; cancelled by `close()`.
    private let runner: Task<Void, Never>
    private let listener = Mutex<PostgresChangeListener?>(nil)

    var location: String { settings.description }
    /// Statement counting is a SQLite trace hook; the PostgreSQL backend does not count.
    var statementsExecuted: Int { 0 }

    /// The NOTIFY channel every replica listens on.
    static let channel = "regfleet_events"

    private init(settings: PostgresSettings, logger: Logger) throws(StoreError) {
        self.settings = settings
        self.logger = logger
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: try Self.clientTLS(settings.tls))
        configuration.options.maximumConnections = settings.maximumConnections
        configuration.options.minimumConnections = 1
        configuration.options.connectTimeout = settings.operationTimeout
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    /// Connects, checks the server answers, and migrates the schema under a lock every replica
    /// takes, so replicas starting together do not race.
    static func connect(
        _ settings: PostgresSettings, clock: any WallClock, logger: Logger, configuration: FleetStoreConfiguration
    ) async throws(StoreError) -> PostgresBackend {
        let backend = try PostgresBackend(settings: settings, logger: logger)
        do throws(StoreError) {
            try await backend.transaction("migrate the schema") { connection in try await PostgresSchema.migrate(connection, logger: logger) }
        } catch {
            try? await backend.close()
            throw error
        }
        return backend
    }

    /// Starts delivering other replicas' changes to `handler`.
    func startListening(_ handler: @escaping @Sendable (StoreEvent) -> Void) {
        let listener = PostgresChangeListener(settings: settings, channel: Self.channel, logger: logger, handler: handler)
        self.listener.withLock { $0 = listener }
        listener.start()
    }

    func close() async throws(StoreError) {
        await listener.withLock { $0 }?.stop()
        runner.cancel()
        await runner.value
    }

    func ping() async throws(StoreError) {
        _ = try await query("ping") { connection in try await connection.query("SELECT 1", logger: self.logger).collect() }
    }

    func appliedMigrations() async throws(StoreError) -> [String] {
        try await query("read migrations") { connection in
            try await connection.query("SELECT identifier FROM regfleet_migrations ORDER BY applied_at, identifier", logger: self.logger)
                .collect().map { try $0.decode(String.self) }
        }
    }

    func durabilitySettings() async throws(StoreError) -> DurabilitySettings {
        try await query("read durability settings") { connection in
            let synchronous = try await connection.query("SHOW synchronous_commit", logger: self.logger).collect().first?.decode(String.self)
            let fsync = try await connection.query("SHOW fsync", logger: self.logger).collect().first?.decode(String.self)
            return DurabilitySettings(
                journalMode: "wal", synchronous: synchronous == "on" && fsync == "on" ? 2 : 0, foreignKeys: true)
        }
    }

    /// Runs `body` in one transaction on a pooled connection. Store errors pass through and roll
    /// back; a lost or unreachable database is `unavailable`, any other failure `database`.
    func transaction<T: Sendable>(
        _ operation: String, cluster: String? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        try await query(operation, cluster: cluster) { connection in
            try await connection.query("BEGIN", logger: self.logger)
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: self.logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: self.logger)
                throw error
            }
        }
    }

    /// Runs `body` on a pooled connection (autocommit), within the operation timeout.
    func query<T: Sendable>(
        _ operation: String, cluster: String? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await withDeadline(settings.operationTimeout) { [client] in
                try await client.withConnection { connection in try await body(connection) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostgresErrors.storeError(operation, error, cluster: cluster)
        }
    }

    private static func clientTLS(_ mode: PostgresSettings.TLSMode) throws(StoreError) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable:
            return .disable
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return .require(tls)
        case .verifyFull:
            return .require(TLSConfiguration.makeClientConfiguration())
        }
    }
}

/// Runs `body`, failing with `DeadlineExceeded` when it takes longer than `limit`.
func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DeadlineExceeded(limit: limit)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw DeadlineExceeded(limit: limit) }
        return first
    }
}

/// A database call that did not finish in time.
struct DeadlineExceeded: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "no answer from the database within \(limit)" }
}
