import Foundation
import Logging
import RegistryModel
import Synchronization

/// A throwaway PostgreSQL server from Debian's `postgresql` package: a fresh cluster (`initdb`)
/// in a temporary directory, listening on a free loopback port with password authentication,
/// started and stopped with `pg_ctl`. The store tests, the HA tests and `regfleet bench` run the
/// PostgreSQL backend against it; it is never the way to run a production database.
///
/// PostgreSQL refuses to run as root, so when the process is root the server runs as the
/// `postgres` account the package creates, which then owns the directory.
public final class LocalPostgresServer: Sendable {
    /// The superuser the cluster is created with.
    public let username = "regfleet"
    /// Its password (scram-sha-256 on TCP).
    public let password: String
    /// The loopback port.
    public let port: Int
    /// The temporary directory: `data/`, the socket and `server.log`.
    public let directory: URL
    private let binaries: URL
    private let runAs: String?
    private let logger: Logger
    private let running = Mutex(false)
    private let durable: Bool

    private init(password: String, port: Int, directory: URL, binaries: URL, runAs: String?, durable: Bool, logger: Logger) {
        self.durable = durable
        self.password = password
        self.port = port
        self.directory = directory
        self.binaries = binaries
        self.runAs = runAs
        self.logger = logger
    }

    /// Creates and starts a new server; throws `unavailable` naming what is missing when the
    /// package is not installed. A server that is not `durable` skips fsync: commits survive the
    /// death of any process (the hub's, PostgreSQL's own) but not of the machine, which is all a
    /// test of the store's logic needs, and it spares the disk that other tests share.
    public static func start(durable: Bool = true, logger: Logger = Logger(label: "local-postgres")) async throws(StoreError) -> LocalPostgresServer {
        guard let binaries = findBinaries() else {
            throw StoreError(code: .unavailable, message: "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install Debian's postgresql package")
        }
        let runAs: String? = geteuid() == 0 ? "postgres" : nil
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("regfleet-postgres-\(UUID().uuidString.prefix(8).lowercased())")
        let password = UUID().uuidString
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let passwordFile = directory.appendingPathComponent("pwfile")
            try password.write(to: passwordFile, atomically: true, encoding: .utf8)
            if let runAs { try await Self.runOffPool("/bin/chown", runAs: nil, ["-R", runAs, directory.path]) }
            let server = LocalPostgresServer(
                password: password, port: try LoopbackPort.restartable(), directory: directory, binaries: binaries, runAs: runAs, durable: durable, logger: logger)
            try await server.command(
                "initdb",
                ["-D", server.dataDirectory, "-U", server.username, "--pwfile", passwordFile.path, "-A", "scram-sha-256", "--auth-local", "trust",
                 "-E", "UTF8", "--no-instructions"])
            try FileManager.default.removeItem(at: passwordFile)
            try await server.startServer()
            return server
        } catch let error as StoreError {
            try? FileManager.default.removeItem(at: directory)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw StoreError(code: .unavailable, message: "cannot start a local PostgreSQL: \(error)")
        }
    }

    /// The URL of `database` on this server, without the password (pass `password` separately).
    public func url(database: String) -> String {
        "postgres://\(username)@127.0.0.1:\(port)/\(database)"
    }

    /// Settings for `database`, password included.
    public func settings(database: String) -> PostgresSettings {
        PostgresSettings(host: "127.0.0.1", port: port, username: username, password: password, database: database, operationTimeout: .seconds(30))
    }

    /// Creates an empty database (a fresh one per test keeps tests independent).
    public func createDatabase(_ name: String) async throws(StoreError) {
        do {
            try await command("psql", ["-h", socketDirectory, "-p", "\(port)", "-U", username, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
                                 "-c", "CREATE DATABASE \"\(name)\""])
        } catch {
            throw StoreError(code: .database, message: "create database \(name): \(error)")
        }
    }

    /// Stops the server: `fast` rolls back open transactions and closes connections; `immediate`
    /// is a crash (no checkpoint; recovery replays the WAL at the next start).
    public func stop(immediately: Bool = false) async throws(StoreError) {
        guard running.withLock({ $0 }) else { return }
        do {
            try await command("pg_ctl", ["-D", dataDirectory, "-m", immediately ? "immediate" : "fast", "-w", "stop"])
            running.withLock { $0 = false }
        } catch {
            throw StoreError(code: .database, message: "stop PostgreSQL: \(error)")
        }
    }

    /// Starts the server again after `stop`, on the same port and data.
    public func restart() async throws(StoreError) {
        do {
            try await startServer()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: .unavailable, message: "restart PostgreSQL: \(error)")
        }
    }

    /// Stops the server and removes its directory.
    public func remove() async {
        try? await stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The same, for an exit handler where nothing can be awaited.
    public func removeNow() {
        if running.withLock({ $0 }) {
            try? Self.run(binaries.appendingPathComponent("pg_ctl").path, runAs: runAs, ["-D", dataDirectory, "-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private var dataDirectory: String { directory.appendingPathComponent("data").path }
    private var socketDirectory: String { directory.path }

    private func startServer() async throws {
        let options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(socketDirectory) -c max_connections=200"
            + (durable ? " -c fsync=on -c synchronous_commit=on" : " -c fsync=off -c synchronous_commit=on -c full_page_writes=off")
        try await command("pg_ctl", ["-D", dataDirectory, "-l", directory.appendingPathComponent("server.log").path, "-o", options, "-w", "-t", "60", "start"])
        running.withLock { $0 = true }
        logger.debug("local PostgreSQL started", metadata: ["port": "\(port)", "directory": "\(directory.path)"])
    }

    /// Runs one of the server's programs, as `postgres` when this process is root.
    private func command(_ program: String, _ arguments: [String]) async throws {
        try await Self.runOffPool(binaries.appendingPathComponent(program).path, runAs: runAs, arguments)
    }

    /// `run` on a thread of its own: it blocks in waitpid.
    private static func runOffPool(_ executable: String, runAs: String?, _ arguments: [String]) async throws {
        try await BlockingCall.run { try run(executable, runAs: runAs, arguments) }
    }

    private static func run(_ executable: String, runAs: String?, _ arguments: [String]) throws {
        if let runAs {
            try run("/usr/sbin/runuser", ["-u", runAs, "--", executable] + arguments)
        } else {
            try run(executable, arguments)
        }
    }

    /// Runs a program to completion; throws its output when it fails.
    ///
    /// posix_spawn and waitpid rather than Foundation's `Process`: `pg_ctl start` leaves a daemon
    /// behind, and `Process.waitUntilExit` then missed the exit of the program it started. Only
    /// stdin, stdout and stderr reach the child.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("regfleet-pg-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process's: `pg_ctl start` leaves the server running, and a listening socket it
        // inherited (a hub's, in the tests) would stay bound after its owner closed it.
        // (glibc ignores a close of a descriptor that another thread closed meanwhile.)
        for descriptor in openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw StoreError(code: .unavailable, message: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exitCode == 0 else {
            throw StoreError(
                code: .unavailable,
                message: "\((executable as NSString).lastPathComponent) \(arguments.first ?? "") failed (exit \(exitCode)): \(text.suffix(1500))")
        }
    }

    /// This process's open file descriptors, from /proc/self/fd.
    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    /// The newest installed version's `bin` directory.
    private static func findBinaries() -> URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() {
            let bin = root.appendingPathComponent("\(version)/bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        return nil
    }
}
