import FleetClient
import FleetHub
import FleetModel
import FleetPKI
import FleetStore
import Foundation
import Logging
import RegistryModel
import Synchronization

/// A hub with its own PKI and SQLite file in a directory, listening on loopback, plus an admin
/// client: what the demo, the benchmarks and the end-to-end tests start.
public final class EmbeddedHub: Sendable {
    public let directory: URL
    public let pki: PKIDirectory
    public let server: HubServer
    public let admin: HubAdminClient
    public let caCertificatePEM: String
    /// Without a client certificate, for enrollment.
    public let anonymous: HubConnection
    private let connections = Mutex<[HubConnection]>([])

    /// `https://127.0.0.1:PORT`.
    public var baseURL: String { "https://127.0.0.1:\(server.port)" }
    public var services: HubServices { server.services }

    /// Creates the PKI (when missing) and starts the hub in `directory`, on `hub.sqlite` there unless
    /// `database` names another store; replicas of one HA hub share `directory` (its PKI) and `database`.
    public static func start(
        directory: URL, port: Int = 0, lease: TimeInterval = 60, longPoll: Duration = .seconds(30), clock: any WallClock = SystemWallClock(),
        dashboardPort: Int? = nil, database: StoreLocation? = nil, replicaID: String? = nil, logger: Logger
    ) async throws -> EmbeddedHub {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pki = PKIDirectory(path: directory.appendingPathComponent("pki").path)
        if !FileManager.default.fileExists(atPath: pki.caCertificatePath) {
            try pki.initialize(hubSANs: ["localhost", "127.0.0.1"], adminName: "admin", now: clock.now().addingTimeInterval(-300))
        }
        var configuration = HubConfiguration(
            host: "127.0.0.1", port: port, databasePath: directory.appendingPathComponent("hub.sqlite").path, pkiDirectory: pki.path, lease: lease,
            longPollTimeout: longPoll, tlsShutdownTimeout: .milliseconds(200), database: database)
        if let replicaID { configuration.replicaID = replicaID }
        if let dashboardPort {
            configuration.dashboardHost = "127.0.0.1"
            configuration.dashboardPort = dashboardPort
        }
        let services = try await HubServices.open(configuration: configuration, clock: clock, logger: logger)
        let server = try await HubServer.start(services: services, logger: logger)
        let caPEM = try pki.loadCACertificatePEM()
        let admin = try pki.loadAdminCredential(name: "admin")
        let connection = try HubConnection(
            baseURL: "https://127.0.0.1:\(server.port)", caCertificatePEM: caPEM, clientCertificatePEM: admin.certificatePEM,
            clientKeyPEM: admin.privateKeyPEM)
        let anonymous = try HubConnection(baseURL: "https://127.0.0.1:\(server.port)", caCertificatePEM: caPEM, clientCertificatePEM: nil, clientKeyPEM: nil)
        return EmbeddedHub(
            directory: directory, pki: pki, server: server, admin: HubAdminClient(connection: connection), caCertificatePEM: caPEM, anonymous: anonymous)
    }

    private init(directory: URL, pki: PKIDirectory, server: HubServer, admin: HubAdminClient, caCertificatePEM: String, anonymous: HubConnection) {
        self.anonymous = anonymous
        self.directory = directory
        self.pki = pki
        self.server = server
        self.admin = admin
        self.caCertificatePEM = caCertificatePEM
    }

    /// Enrolls `cluster` the way an agent does (admin token, local key, CSR) and returns its
    /// certificate and key.
    public func enroll(_ cluster: String, labels: [String: String] = [:]) async throws -> (certificatePEM: String, keyPEM: String) {
        let token = try await admin.createToken(TokenRequest(cluster: cluster, labels: labels.isEmpty ? nil : labels))
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster(cluster), key: key)
        let response = try await anonymous.call(
            .POST, "/v1/enroll", body: EnrollRequest(cluster: cluster, token: token.token, csr: csr.pem), as: CertificateResponse.self)
        return (response.certificate, key.pem)
    }

    /// A connection holding `cluster`'s certificate, closed when the hub stops.
    public func agentConnection(_ cluster: String, labels: [String: String] = [:]) async throws -> HubConnection {
        try connection(for: try await enroll(cluster, labels: labels))
    }

    /// A connection to this hub presenting `credential` (from `enroll`, possibly on another replica), closed when the hub stops.
    public func connection(for credential: (certificatePEM: String, keyPEM: String)) throws -> HubConnection {
        let connection = try HubConnection(
            baseURL: baseURL, caCertificatePEM: caCertificatePEM, clientCertificatePEM: credential.certificatePEM, clientKeyPEM: credential.keyPEM)
        connections.withLock { $0.append(connection) }
        return connection
    }

    /// Stops the hub and closes every connection it handed out.
    public func stop() async {
        for connection in connections.withLock({ $0 }) { await connection.shutdown() }
        await admin.connection.shutdown()
        await anonymous.shutdown()
        await server.stop()
    }
}
