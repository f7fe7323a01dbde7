import ArgumentParser
import FleetHub
import FleetStore
import Foundation
import Logging
import NIOCore
import RegistryModel
import Yams

/// `regfleet hub`: the hub service.
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Run the hub: the mutual-TLS API, the rollout engine, health, metrics and the dashboard.",
        discussion: """
            Flags override the values of --config (YAML with the same names: listen, database, pkiDir, lease, longPoll, dashboardListen, \
            maxConnections, reservedConnections, handshakeTimeout, requestHeaderTimeout, bodyTimeout, idleTimeout, rolloutLease).

            --database is a SQLite file (one hub) or a postgres:// URL that several hub replicas share (see docs/high-availability.md). \
            REGFLEET_DATABASE may hold it instead, so a URL with a password stays out of the process list; the password may also come \
            from --database-password-file or REGFLEET_DATABASE_PASSWORD.
            """,
        subcommands: [HubBackupCommand.self]
    )

    @Option(name: .long, help: "YAML configuration file.")
    var config: String?

    @Option(name: .long, help: "API address HOST:PORT (default 127.0.0.1:8443).")
    var listen: String?

    @Option(name: .long, help: "SQLite file or postgres://USER@HOST[:PORT]/DATABASE[?sslmode=require] (default regfleet-hub.sqlite; env REGFLEET_DATABASE).")
    var database: String?

    @Option(name: .long, help: "File holding the PostgreSQL password (env REGFLEET_DATABASE_PASSWORD).")
    var databasePasswordFile: String?

    @Option(name: .long, help: "How long the replica running the rollout engine holds its lease; a standby takes over within it (Go duration, default 15s).")
    var rolloutLease: String?

    @Option(name: .long, help: "This replica's name in logs and as the lease holder (default HOSTNAME-PID-RANDOM).")
    var replicaID: String?

    @Option(name: .long, help: "PKI directory from `regfleet pki init` (default pki).")
    var pkiDir: String?

    @Option(name: .long, help: "A cluster without a report for this long is Offline (Go duration, default 60s).")
    var lease: String?

    @Option(name: .long, help: "How long an agent's long poll is held (Go duration, default 30s).")
    var longPoll: String?

    @Option(name: .long, help: "Address for the dashboard and read-only health API without client certificates, e.g. 127.0.0.1:8080.")
    var dashboardListen: String?

    @Option(name: .long, help: "Connections any caller may hold (default 16384); past it only admins and health checks are served.")
    var maxConnections: Int?

    @Option(name: .long, help: "Connections kept beyond --max-connections for admins and health checks (default 64).")
    var reservedConnections: Int?

    @Option(name: .long, help: "Time from accept to a finished TLS handshake (Go duration, default 10s).")
    var handshakeTimeout: String?

    @Option(name: .long, help: "Time from the handshake to a complete request head (Go duration, default 10s).")
    var requestHeaderTimeout: String?

    @Option(name: .long, help: "Time from a request head to the end of its body (Go duration, default 30s).")
    var bodyTimeout: String?

    @Option(name: .long, help: "A kept-alive connection with no request is closed after this long (Go duration, default 90s).")
    var idleTimeout: String?

    @OptionGroup var logging: LoggingOptions

    /// The `--config` file's fields.
    struct FileConfiguration: Codable {
        var listen: String?
        var database: String?
        var pkiDir: String?
        var lease: String?
        var longPoll: String?
        var dashboardListen: String?
        var maxConnections: Int?
        var reservedConnections: Int?
        var handshakeTimeout: String?
        var requestHeaderTimeout: String?
        var bodyTimeout: String?
        var idleTimeout: String?
        var rolloutLease: String?
    }

    func run() async throws {
        let logger = logging.makeLogger("hub")
        let configuration = Self.fittedToDescriptors(try resolve(), logger: logger)
        let services = try await HubServices.open(configuration: configuration, logger: logger)
        let server = try await HubServer.start(services: services, logger: logger)
        try await SignalWaiter.runUntilInterrupted {
            // Printed once SIGTERM and SIGINT are trapped, so a supervisor that acts on this line
            // can always stop the hub cleanly.
            print("hub listening on https://\(configuration.host):\(server.port) (database \(configuration.databasePath))")
            try await server.wait()
        }
        logger.info("stopping")
        await server.stop()
    }

    /// Raises the open-file limit and lowers the connection cap if it still does not fit.
    static func fittedToDescriptors(_ configuration: HubConfiguration, logger: Logger) -> HubConfiguration {
        var configuration = configuration
        let descriptors = FileDescriptorLimit.raiseToHardLimit()
        let listeners = configuration.dashboardPort == nil ? 1 : 2
        if let fitted = configuration.connectionLimits.fitted(toDescriptors: descriptors, listeners: listeners) {
            logger.warning(
                "lowering the connection cap to fit the open-file limit",
                metadata: ["openFileLimit": "\(descriptors)", "maxConnections": "\(fitted.maxConnections)"])
            configuration.connectionLimits = fitted
        }
        return configuration
    }

    func resolve() throws -> HubConfiguration {
        let file = try config.map { try DocumentFile.load(FileConfiguration.self, path: $0) } ?? FileConfiguration()
        let (host, port) = try Self.address(listen ?? file.listen ?? "127.0.0.1:8443", flag: "--listen")
        let location = try DatabaseOption.location(
            flag: database ?? file.database, passwordFile: databasePasswordFile, default: "regfleet-hub.sqlite")
        var configuration = HubConfiguration(
            host: host, port: port, databasePath: location.description, pkiDirectory: pkiDir ?? file.pkiDir ?? "pki", database: location)
        if let text = rolloutLease ?? file.rolloutLease {
            let seconds = try Self.seconds(text, flag: "--rollout-lease")
            guard (2...600).contains(seconds) else { throw ValidationError("--rollout-lease must be between 2s and 10m, got \(text)") }
            configuration.rolloutLeaseDuration = seconds
        }
        if let replicaID {
            guard !replicaID.isEmpty, replicaID.count <= 253, replicaID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) else {
                throw ValidationError("--replica-id may hold only letters, digits, '-', '.' and '_'")
            }
            configuration.replicaID = replicaID
        }
        if let text = lease ?? file.lease { configuration.lease = try Self.seconds(text, flag: "--lease") }
        if let text = longPoll ?? file.longPoll { configuration.longPollTimeout = .milliseconds(Int64(try Self.seconds(text, flag: "--long-poll") * 1000)) }
        if let text = dashboardListen ?? file.dashboardListen {
            let (dashboardHost, dashboardPort) = try Self.address(text, flag: "--dashboard-listen")
            configuration.dashboardHost = dashboardHost
            configuration.dashboardPort = dashboardPort
        }
        var limits = configuration.connectionLimits
        if let count = maxConnections ?? file.maxConnections {
            guard (1...1_000_000).contains(count) else { throw ValidationError("--max-connections must be between 1 and 1000000, got \(count)") }
            limits.maxConnections = count
        }
        if let count = reservedConnections ?? file.reservedConnections {
            guard (1...10_000).contains(count) else { throw ValidationError("--reserved-connections must be between 1 and 10000, got \(count)") }
            limits.reservedConnections = count
        }
        if let text = handshakeTimeout ?? file.handshakeTimeout { limits.handshakeTimeout = try Self.timeAmount(text, flag: "--handshake-timeout") }
        if let text = requestHeaderTimeout ?? file.requestHeaderTimeout {
            limits.requestHeadTimeout = try Self.timeAmount(text, flag: "--request-header-timeout")
        }
        if let text = bodyTimeout ?? file.bodyTimeout { limits.bodyTimeout = try Self.timeAmount(text, flag: "--body-timeout") }
        if let text = idleTimeout ?? file.idleTimeout { limits.idleTimeout = try Self.timeAmount(text, flag: "--idle-timeout") }
        configuration.connectionLimits = limits
        return configuration
    }

    /// A positive Go duration as a NIO time amount.
    static func timeAmount(_ text: String, flag: String) throws -> TimeAmount {
        .milliseconds(Int64(try seconds(text, flag: flag) * 1000))
    }

    /// `HOST:PORT` (IPv6 as `[::1]:8443`).
    static func address(_ text: String, flag: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("\(flag) must be HOST:PORT, got \"\(text)\"")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("\(flag) must be HOST:PORT, got \"\(text)\"") }
        return (host, port)
    }

    /// A positive Go duration in seconds.
    static func seconds(_ text: String, flag: String) throws -> TimeInterval {
        do {
            let duration = try GoDuration(parsing: text)
            guard duration.nanoseconds > 0 else { throw ValidationError("\(flag) must be positive, got \"\(text)\"") }
            return duration.seconds
        } catch let error as FieldError {
            throw ValidationError("\(flag): \(error.message)")
        }
    }
}
