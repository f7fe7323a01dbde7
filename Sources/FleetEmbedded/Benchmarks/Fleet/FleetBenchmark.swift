import FleetClient
import FleetPKI
import Foundation
import RegistryModel

/// `regfleet bench fleet`: a hub process (the real `regfleet hub`, SQLite on disk, or several replicas on one
/// PostgreSQL) and N real agents spread over
/// K agent processes, over real mutual TLS on loopback, measured from the outside: through the admin API (the
/// one client, `HubAdminClient`), the hub's `/metrics`, and `/proc` of the hub process.
///
/// The hub is a child process so its RSS, CPU and bytes written are its own, not the benchmark's or the agents'.
/// All processes share the machine's cores, so the hub's figures are measured while the agents load the same
/// CPUs, as a 2-core box with everything on it would.
public struct FleetBenchmark: Sendable {
    /// What to run.
    public struct Options: Sendable {
        public var clusters = 100
        public var agentProcesses = 1
        /// Agent heartbeat; the hub's lease is three of these.
        public var reportInterval: TimeInterval = 30
        /// How long to measure the hub at rest (heartbeats only).
        public var restSeconds: TimeInterval = 30
        /// One-cluster changes measured, one after the other.
        public var singleSamples = 20
        /// Simulated pod readiness delay and controller tick (the light simulated cluster).
        public var podReadyDelayMilliseconds = 500
        public var controllerTickMilliseconds = 1000
        /// Longest any phase may take.
        public var phaseTimeout: Duration = .seconds(1800)
        /// The hub's `--database`: nil is a SQLite file in the work directory; a postgres:// URL is shared by `replicas` hubs.
        public var database: String?
        /// A file holding the PostgreSQL password, passed to every hub.
        public var databasePasswordFile: String?
        /// Hub processes on `database` (more than one needs PostgreSQL).
        public var replicas = 1
        public init() {}
    }

    let options: Options
    /// The `regfleet` executable to run the hub and the agent processes with.
    let executable: String
    let directory: URL
    let progress: @Sendable (String) -> Void

    public init(options: Options, executable: String, directory: URL, progress: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.executable = executable
        self.directory = directory
        self.progress = progress
    }

    /// Runs every phase and stops every child process, whatever happened.
    public func run() async throws -> FleetBenchmarkResult {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pki = PKIDirectory(path: directory.appendingPathComponent("pki").path)
        try pki.initialize(hubSANs: ["localhost", "127.0.0.1"], adminName: "admin", now: Date().addingTimeInterval(-300))
        var store = ["--database", path("hub.sqlite")]
        if let database = options.database {
            store = ["--database", database] + (options.databasePasswordFile.map { ["--database-password-file", $0] } ?? [])
        }
        let replicas = max(1, options.replicas)
        progress("starting \(replicas == 1 ? "the hub" : "\(replicas) hub replicas") (regfleet hub, \(options.database ?? "SQLite " + path("hub.sqlite")))")
        var hubs: [ChildProcess] = []
        var agents: [ChildProcess] = []
        var connections: [HubConnection] = []
        func stopEverything() async {
            for connection in connections { await connection.shutdown() }
            for agent in agents { await agent.stop() }
            for hub in hubs { await hub.stop() }
        }
        do {
            for replica in 0..<replicas {
                hubs.append(
                    try ChildProcess(
                        executable: executable,
                        arguments: [
                            "hub", "--listen", "127.0.0.1:0", "--pki-dir", pki.path, "--lease", "\(Int(options.reportInterval * 3))s",
                            "--replica-id", "bench-\(replica)", "--log-level", "error",
                        ] + store, logPrefix: path(replicas == 1 ? "hub" : "hub-\(replica)")))
            }
            var urls: [String] = []
            for hub in hubs {
                let line = try await hub.waitForLine(containing: "hub listening on", timeout: .seconds(60))
                guard let url = line.split(separator: " ").first(where: { $0.hasPrefix("https://") }).map(String.init) else {
                    throw FleetBenchmarkError("cannot read the hub's address from \"\(line)\"")
                }
                urls.append(url)
            }
            let admin = try pki.loadAdminCredential(name: "admin")
            let caPEM = try pki.loadCACertificatePEM()
            connections = try urls.map { url in
                try HubConnection(
                    baseURL: url, caCertificatePEM: caPEM, clientCertificatePEM: admin.certificatePEM, clientKeyPEM: admin.privateKeyPEM,
                    timeout: .seconds(120))
            }
            let run = FleetBenchmarkRun(
                benchmark: self, hubPIDs: hubs.map(\.pid), hubURLs: urls, admins: connections.map { HubAdminClient(connection: $0) },
                caFile: pki.caCertificatePath)
            var result = try await run.measure { agents = $0 }
            result.database = options.database == nil ? "sqlite" : "postgres"
            result.replicas = replicas
            progress("stopping \(agents.count) agent process(es) and the hub")
            await stopEverything()
            return result
        } catch {
            await stopEverything()
            throw error
        }
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}
