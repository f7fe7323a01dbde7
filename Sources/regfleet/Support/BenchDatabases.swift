import ArgumentParser
import FleetStore
import Foundation
import Synchronization

/// `--database`, `--database-password-file` and `--replicas` of `regfleet bench hub` and `bench fleet`.
struct BenchDatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "sqlite, postgres (a throwaway local server) or a postgres:// URL.")
    var database = "sqlite"
    @Option(name: .customLong("database-password-file"), help: "File holding the PostgreSQL password for a postgres:// URL.")
    var databasePasswordFile: String?
    @Option(name: .long, help: "Hub replicas on the one database (PostgreSQL only when more than one).")
    var replicas = 1

    /// Refuses a replica count out of range, and several replicas on SQLite unless `sharedLater` (a comparison
    /// that runs the replicas on PostgreSQL whatever `--database` says).
    func validate(sharedLater: Bool) throws {
        guard database == "sqlite" || database == "postgres" || BenchDatabases.isURL(database) else {
            throw ValidationError("--database must be sqlite, postgres or a postgres:// URL, got \(database)")
        }
        guard (1...16).contains(replicas) else { throw ValidationError("--replicas must be between 1 and 16, got \(replicas)") }
        if !sharedLater, replicas > 1, database == "sqlite" {
            throw ValidationError("--replicas \(replicas) needs a shared database: give --database postgres or a postgres:// URL")
        }
    }

    /// The databases these options name.
    func databases() -> BenchDatabases { BenchDatabases(choice: database, passwordFile: databasePasswordFile) }
}

/// The databases a benchmark runs on: SQLite in the run's directory, a throwaway local PostgreSQL
/// (started on first use, a fresh database per run, removed at the end), or a given postgres:// URL.
final class BenchDatabases: Sendable {
    enum Engine: String, Sendable {
        case sqlite, postgres
    }

    private let choice: String
    private let passwordFile: String?
    private let server = Mutex<LocalPostgresServer?>(nil)

    init(choice: String, passwordFile: String?) {
        self.choice = choice
        self.passwordFile = passwordFile
    }

    /// The engine `--database` names.
    var engine: Engine { choice == "sqlite" ? .sqlite : .postgres }

    /// Whether `choice` is a database URL rather than `sqlite` or `postgres`.
    static func isURL(_ choice: String) -> Bool {
        choice.hasPrefix("postgres://") || choice.hasPrefix("postgresql://")
    }

    /// Where a run on `engine` keeps its data; nil is SQLite in the run's directory.
    func location(for engine: Engine) async throws -> StoreLocation? {
        switch engine {
        case .sqlite:
            return nil
        case .postgres where Self.isURL(choice):
            return try DatabaseOption.location(flag: choice, passwordFile: passwordFile, default: choice)
        case .postgres:
            let local = try await localServer()
            let name = "bench_" + UUID().uuidString.prefix(8).lowercased()
            try await local.createDatabase(name)
            return .postgres(local.settings(database: name))
        }
    }

    /// The same for a hub run as a child process: its `--database` value and password file (written into
    /// `directory`, mode 0600), or nil for SQLite in its work directory.
    func hubArguments(for engine: Engine, directory: URL) async throws -> (database: String, passwordFile: String?)? {
        switch engine {
        case .sqlite:
            return nil
        case .postgres where Self.isURL(choice):
            return (choice, passwordFile)
        case .postgres:
            guard case .postgres(let settings)? = try await location(for: .postgres), let password = settings.password else { return nil }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("db-password").path
            guard FileManager.default.createFile(atPath: file, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot write \(file)")
            }
            return (try await localServer().url(database: settings.database), file)
        }
    }

    /// Stops the local server, when one was started.
    func stop() async {
        await server.withLock { $0 }?.remove()
        server.withLock { $0 = nil }
    }

    /// For a `defer`: removes what `stop` did not get to.
    func close() {
        server.withLock { $0 }?.removeNow()
    }

    private func localServer() async throws -> LocalPostgresServer {
        if let running = server.withLock({ $0 }) { return running }
        StandardError.write("… starting a throwaway PostgreSQL for the benchmark\n")
        let started = try await LocalPostgresServer.start()
        server.withLock { $0 = started }
        return started
    }
}
