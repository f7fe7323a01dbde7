import FleetAPI
import FleetClient
import FleetHub
import FleetModel
import FleetPKI
import Foundation
import Logging
import OpenAPIRuntime
import RegistryModel
import Synchronization
import Testing

/// A live hub on a loopback port with a fresh PKI and database, plus clients holding the admin
/// certificate, an agent certificate, or none.
final class HubFixture: Sendable {
    let directory: URL
    let pki: PKIDirectory
    let clock: ManualWallClock
    let server: HubServer
    let admin: HubAdminClient
    let anonymous: HubConnection
    /// What every connection the fixture makes passes its answers through.
    let observers: [any ClientMiddleware]
    private let connections = Mutex<[HubConnection]>([])
    var services: HubServices { server.services }
    var baseURL: String { "https://127.0.0.1:\(server.port)" }

    static func start(
        longPoll: Duration = .seconds(2), lease: TimeInterval = 60, directory existing: URL? = nil, clock existingClock: ManualWallClock? = nil,
        dashboard: Bool = false, connectionLimits: ConnectionLimits = ConnectionLimits(), observers: [any ClientMiddleware] = []
    ) async throws -> HubFixture {
        let directory = existing ?? FileManager.default.temporaryDirectory.appendingPathComponent("hub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = existingClock ?? ManualWallClock(Date())
        let pki = PKIDirectory(path: directory.appendingPathComponent("pki").path)
        if existing == nil {
            try pki.initialize(hubSANs: ["localhost", "127.0.0.1"], adminName: "admin", now: clock.now().addingTimeInterval(-60))
        }
        let configuration = HubConfiguration(
            host: "127.0.0.1", port: 0, databasePath: directory.appendingPathComponent("hub.sqlite").path, pkiDirectory: pki.path, lease: lease,
            longPollTimeout: longPoll, dashboardHost: dashboard ? "127.0.0.1" : nil, dashboardPort: dashboard ? 0 : nil,
            tlsShutdownTimeout: .milliseconds(100), connectionLimits: connectionLimits)
        var logger = Logger(label: "test.hub")
        logger.logLevel = .critical
        let services = try await HubServices.open(configuration: configuration, clock: clock, logger: logger)
        let server = try await HubServer.start(services: services, logger: logger)
        let baseURL = "https://127.0.0.1:\(server.port)"
        let caPEM = try pki.loadCACertificatePEM()
        let adminCredential = try pki.loadAdminCredential(name: "admin")
        let admin = HubAdminClient(
            connection: try HubConnection(
                baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: adminCredential.certificatePEM,
                clientKeyPEM: adminCredential.privateKeyPEM, observers: observers))
        let anonymous = try HubConnection(
            baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: nil, clientKeyPEM: nil, observers: observers)
        return HubFixture(directory: directory, pki: pki, clock: clock, server: server, admin: admin, anonymous: anonymous, observers: observers)
    }

    private init(
        directory: URL, pki: PKIDirectory, clock: ManualWallClock, server: HubServer, admin: HubAdminClient, anonymous: HubConnection,
        observers: [any ClientMiddleware]
    ) {
        self.observers = observers
        self.directory = directory
        self.pki = pki
        self.clock = clock
        self.server = server
        self.admin = admin
        self.anonymous = anonymous
    }

    /// Stops the hub and, unless asked to keep them for a restart, removes its files.
    func stop(keepFiles: Bool = false) async {
        for connection in connections.withLock({ $0 }) { await connection.shutdown() }
        await admin.connection.shutdown()
        await anonymous.shutdown()
        await server.stop()
        if !keepFiles { try? FileManager.default.removeItem(at: directory) }
    }

    /// Shuts `connection` down when the fixture stops, whatever the test did.
    func track(_ connection: HubConnection) -> HubConnection {
        connections.withLock { $0.append(connection) }
        return connection
    }

    /// An enrolled agent: token from the admin API, CSR from a fresh key, certificate from `/v1/enroll`.
    func enroll(_ cluster: String, labels: [String: String] = [:]) async throws -> AgentConnection {
        let token = try await admin.createToken(TokenRequest(cluster: cluster, labels: labels))
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster(cluster), key: key)
        let response = try await anonymous.api {
            try await $0.enroll(body: .json(EnrollRequest(cluster: cluster, token: token.token, csr: csr.pem))).ok.body.json
        }
        let connection = track(
            try HubConnection(
                baseURL: baseURL, caCertificatePEM: try pki.loadCACertificatePEM(), clientCertificatePEM: response.certificate, clientKeyPEM: key.pem,
                observers: observers))
        return AgentConnection(cluster: cluster, connection: connection, certificate: response, keyPEM: key.pem)
    }

    /// A report with healthy conditions.
    static func report(sequence: Int64, generation: Int64 = 0, state: ManagementState = .managed, at date: Date = Date()) -> AgentReport {
        AgentReport(
            sequence: sequence, observedGeneration: generation, agentVersion: "test", collectedAt: date,
            registry: RegistryObservation(
                managementState: state, storageManagementState: .managed, replicas: 1, readyReplicas: 1, generation: 1, observedGeneration: 1,
                conditions: [
                    Condition(type: "Available", status: .true, reason: "Ready"), Condition(type: "Progressing", status: .false, reason: "Ready"),
                    Condition(type: "Degraded", status: .false, reason: "AsExpected"),
                ]))
    }
}

/// An agent's connection with its certificate.
struct AgentConnection: Sendable {
    let cluster: String
    let connection: HubConnection
    let certificate: CertificateResponse
    let keyPEM: String

    func report(_ report: AgentReport) async throws -> ReportAck {
        try await connection.api { try await $0.agentReport(body: .json(report)).ok.body.json }
    }
}

/// Runs `body` with a started hub and always stops it.
func withHub(
    longPoll: Duration = .seconds(2), lease: TimeInterval = 60, dashboard: Bool = false, connectionLimits: ConnectionLimits = ConnectionLimits(),
    _ body: (HubFixture) async throws -> Void
) async throws {
    let hub = try await HubFixture.start(longPoll: longPoll, lease: lease, dashboard: dashboard, connectionLimits: connectionLimits)
    do {
        try await body(hub)
    } catch {
        await hub.stop()
        throw error
    }
    await hub.stop()
}

/// The status a call failed with (0 when it succeeded or failed without an answer).
func failureStatus(_ body: () async throws -> Void) async -> HubClientError? {
    do {
        try await body()
        return nil
    } catch let error as HubClientError {
        return error
    } catch {
        return HubClientError(status: -1, code: "unexpected", message: "\(error)")
    }
}
