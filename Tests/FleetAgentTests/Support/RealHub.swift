import FleetHub
import FleetModel
import FleetPKI
import FleetStore
import Foundation
import Logging
import RegistryModel
import Synchronization

/// The real hub (FleetHub's `HubServices` + `HubServer`) on a loopback port with a fresh PKI and SQLite file,
/// restartable on the same port with the same files.
final class RealHub: Sendable {
    let directory: TemporaryDirectory
    let pki: PKIDirectory
    private let configuration: Mutex<HubConfiguration>
    private let running = Mutex<HubServer?>(nil)
    /// The requests earlier runs answered (each run's log ends with its services).
    private let earlierRequests = Mutex<[RecentRequests.Entry]>([])
    private static let logger = Logger(label: "real-hub") { _ in SwiftLogNoOpLogHandler() }

    /// Initializes the PKI and starts the hub; agent certificates live `agentCertificateLifetime` seconds and a
    /// cluster without a report for `lease` seconds is Offline.
    init(agentCertificateLifetime: TimeInterval = 7 * 86_400, lease: TimeInterval = 60) async throws {
        directory = TemporaryDirectory()
        pki = PKIDirectory(path: directory.path("pki"))
        try pki.initialize(hubSANs: ["localhost", "127.0.0.1"], now: Date().addingTimeInterval(-60))
        configuration = Mutex(
            HubConfiguration(
                host: "127.0.0.1", port: try LoopbackPort.restartable(), databasePath: directory.path("hub.sqlite"), pkiDirectory: pki.path, lease: lease,
                longPollTimeout: .seconds(30), agentCertificateLifetime: agentCertificateLifetime, tlsShutdownTimeout: .milliseconds(100)))
        try await start()
    }

    /// The running server's services.
    var services: HubServices {
        get throws {
            guard let server = running.withLock({ $0 }) else { throw TimedOut(what: "a running hub") }
            return server.services
        }
    }

    /// The running server's rollout engine.
    var rollouts: RolloutEngine {
        get throws {
            guard let server = running.withLock({ $0 }) else { throw TimedOut(what: "a running hub") }
            return server.rollouts
        }
    }

    /// The base URL agents use.
    var url: String { "https://127.0.0.1:\(configuration.withLock { $0.port })" }

    /// Starts the hub, on the port it had before when it ran already.
    func start() async throws {
        guard running.withLock({ $0 }) == nil else { return }
        let services = try await HubServices.open(configuration: configuration.withLock { $0 }, logger: Self.logger)
        let server = try await HubServer.start(services: services, logger: Self.logger)
        configuration.withLock { $0.port = server.port }
        running.withLock { $0 = server }
    }

    /// Stops the hub gracefully (held long polls are answered, the database closed).
    func stop() async {
        let server = running.withLock { server -> HubServer? in
            defer { server = nil }
            return server
        }
        if let server { earlierRequests.withLock { $0 += server.services.recentRequests.entries() } }
        await server?.stop()
    }

    /// Whether the hub is serving.
    var isRunning: Bool { running.withLock { $0 } != nil }

    /// Every request to `path` the hub answered, over all of its runs, oldest first.
    func requests(_ path: String) -> [RecentRequests.Entry] {
        let current = running.withLock { $0 }?.services.recentRequests.entries(path: path) ?? []
        return earlierRequests.withLock { $0.filter { $0.path == path[...] } } + current
    }

    /// Long polls held now.
    var heldLongPolls: Int { running.withLock { $0 }?.services.notifier.heldCount ?? 0 }

    /// The reports the hub stored for `cluster`, by sequence.
    func storedReports(cluster: String) async throws -> [Int64: AgentReport] {
        let history = try await services.store.reportHistory(cluster: cluster, limit: 10_000)
        return Dictionary(history.map { ($0.sequence, $0.report) }, uniquingKeysWith: { first, _ in first })
    }

    /// Deletes the cluster from the hub, as `regfleet cluster delete` does: its agent's calls are refused (401).
    func deleteCluster(_ cluster: String) async throws {
        _ = try await services.deleteCluster(cluster, actor: "admin/test")
    }

    /// A bootstrap token for `cluster`, as `POST /v1/tokens` creates it.
    func createToken(cluster: String) async throws -> String {
        try await services.createToken(TokenRequest(cluster: cluster), actor: "admin/test").token
    }

    /// Sets the policy of `cluster` once it has enrolled (before, the hub would stage it for the enrollment
    /// instead), as an admin who acknowledges data loss would; returns the new generation.
    func setPolicy(cluster: String, _ policy: FleetPolicy) async throws -> Int64 {
        try await waitUntil("\(cluster) to enroll") { (try? await services.clusterDetail(cluster)) != nil }
        let request = PolicyUpdateRequest(policy: policy, acknowledgeDataLoss: true)
        return try await services.putPolicy(cluster: cluster, request: request, actor: "admin/test").document.generation
    }

    /// The fleet CA certificate.
    var caPEM: String {
        get throws { try pki.loadCACertificatePEM() }
    }

    /// Writes the fleet CA where the agent's `--ca-file` points.
    func writeCAFile(to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try pki.loadCACertificatePEM().write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Stops the hub and removes its files.
    func tearDown() async {
        await stop()
        directory.remove()
    }
}
