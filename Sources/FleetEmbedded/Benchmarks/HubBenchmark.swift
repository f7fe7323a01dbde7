import FleetClient
import FleetHub
import FleetModel
import FleetStore
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import RegistryModel
import Synchronization

/// `regfleet bench hub`: report ingestion over real mutual TLS from many concurrent keep-alive
/// clients, against a bare Hummingbird route on the same TLS setup in the same run, and the
/// long-poll wake-up latency with many held connections.
///
/// With `replicas` > 1 the hub runs as that many replicas on one PostgreSQL database (in this
/// process, each with its own server, store pool and notifier): agents are spread over them, and a
/// poll held on one replica is woken by a change made on the first — the cross-replica path.
public enum HubBenchmark {
    /// What to run.
    public struct Options: Sendable {
        public var clusters = 50
        public var reports = 20_000
        public var concurrency = 128
        public var heldPolls = 1000
        public var wakeSamples = 200
        /// The store; nil is a SQLite file in the run's directory.
        public var database: StoreLocation?
        /// Hub replicas sharing `database` (PostgreSQL only when more than one).
        public var replicas = 1
        /// Prefixes the cluster names, so runs on one database do not collide.
        public var namePrefix = "bench"
        public init() {}
    }

    /// The figures.
    public struct Result: Sendable {
        public var ingestion: LatencyStatistics
        public var echo: LatencyStatistics
        public var transactions: Int
        public var wakeUp: LatencyStatistics
        public var held: Int

        /// Hub cost per request relative to the bare route (≥ 1; lower is better).
        public var costRatio: Double { echo.rate / max(ingestion.rate, 1) }
    }

    public static func run(options: Options, directory: URL, logger: Logger, progress: @Sendable (String) -> Void) async throws -> Result {
        var hubs: [EmbeddedHub] = []
        do {
            for replica in 0..<max(1, options.replicas) {
                hubs.append(
                    try await EmbeddedHub.start(
                        directory: directory, longPoll: .seconds(120), database: options.database, replicaID: "bench-\(replica)", logger: logger))
            }
            let result = try await measure(hubs: hubs, options: options, logger: logger, progress: progress)
            for hub in hubs { await hub.stop() }
            return result
        } catch {
            for hub in hubs { await hub.stop() }
            throw error
        }
    }

    /// Enrolls `name` through the first replica and connects it to replica `index % count`.
    private static func connect(_ name: String, index: Int, hubs: [EmbeddedHub]) async throws -> HubConnection {
        let credential = try await hubs[0].enroll(name)
        return try hubs[index % hubs.count].connection(for: credential)
    }

    private static func measure(hubs: [EmbeddedHub], options: Options, logger: Logger, progress: @Sendable (String) -> Void) async throws -> Result {
        let hub = hubs[0]
        progress("enrolling \(options.clusters) clusters")
        var enrolled: [(String, HubConnection)] = []
        for index in 0..<options.clusters {
            let name = String(format: "\(options.namePrefix)-%04d", index)
            enrolled.append((name, try await connect(name, index: index, hubs: hubs)))
        }
        let connections = enrolled
        let body = try JSONCoding.encode(sampleReport(sequence: 1))
        progress("bare Hummingbird route over the same mutual TLS: \(options.reports) requests, \(options.concurrency) in flight")
        let echo = try await EchoServer.start(pkiDirectory: hub.pki.path, logger: logger)
        let echoConnections = try connections.map { _, connection in
            try HubConnection(baseURL: "https://127.0.0.1:\(echo.port)", caCertificatePEM: hub.caCertificatePEM, clientCertificatePEM: nil, clientKeyPEM: nil)
        }
        let echoStats = try await drive(total: options.reports, concurrency: options.concurrency) { index in
            let response = try await echoConnections[index % echoConnections.count].send(.POST, "/echo", body: body)
            guard response.status == 200, try JSONValue.parse(response.body)["duplicate"] == false else {
                throw HubClientError(status: response.status, code: "echo", message: "echo failed")
            }
        }
        for connection in echoConnections { await connection.shutdown() }
        await echo.stop()

        progress("report ingestion: \(options.reports) reports from \(options.clusters) agents, \(options.concurrency) in flight")
        // Bodies are encoded before the clock starts, as the bare route's is: both runs measure
        // the server and the HTTP/TLS path, not the client's JSON encoding.
        let bodies = try (0..<options.reports).map { index in try JSONCoding.encode(sampleReport(sequence: Int64(index / connections.count + 1))) }
        func transactionCount() -> Int { hubs.reduce(0) { $0 + $1.services.store.ingestStatistics.transactions } }
        let transactionsBefore = transactionCount()
        let ingestion = try await drive(total: options.reports, concurrency: options.concurrency) { index in
            let response = try await connections[index % connections.count].1.send(.POST, "/v1/agent/reports", body: bodies[index])
            guard response.status == 200, try JSONValue.parse(response.body)["duplicate"] == false else {
                throw HubClientError(status: response.status, code: "ingest", message: String(decoding: response.body, as: UTF8.self))
            }
        }
        let transactions = transactionCount() - transactionsBefore

        progress("long-poll wake-up: holding \(options.heldPolls) polls")
        var enrolledPollers: [(String, HubConnection)] = []
        for index in 0..<options.heldPolls {
            let name = String(format: "\(options.namePrefix)-poll-%04d", index)
            enrolledPollers.append((name, try await connect(name, index: index, hubs: hubs)))
        }
        let pollers = enrolledPollers
        let wakeTimes = WakeTimes()
        let polls = Task {
            await withTaskGroup(of: Void.self) { group in
                for (name, connection) in pollers {
                    group.addTask {
                        if let document = try? await connection.call(.GET, "/v1/agent/desired?after=0&timeout=120", as: PolicyDocument.self), document.generation > 0 {
                            wakeTimes.record(name)
                        }
                    }
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(120)
        func heldCount() -> Int { hubs.reduce(0) { $0 + $1.services.notifier.heldCount } }
        while heldCount() < options.heldPolls, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let held = heldCount()
        progress("\(held) polls held; waking \(options.wakeSamples) of them one by one")
        var latencies: [Double] = []
        let started = ContinuousClock.now
        for (name, _) in pollers.prefix(options.wakeSamples) {
            let before = ContinuousClock.now
            _ = try await hub.admin.putPolicy(name, PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2))))
            while wakeTimes.time(of: name) == nil {
                guard ContinuousClock.now - before < .seconds(30) else { throw HubClientError(status: 0, code: "timeout", message: "\(name) was not woken") }
                try await Task.sleep(for: .microseconds(200))
            }
            latencies.append(seconds(wakeTimes.time(of: name)! - before))
        }
        let wakeUp = LatencyStatistics(latencies: latencies, seconds: seconds(ContinuousClock.now - started))
        for hub in hubs { hub.services.notifier.shutdown() }
        await polls.value
        return Result(ingestion: ingestion, echo: echoStats, transactions: transactions, wakeUp: wakeUp, held: held)
    }

    /// Runs `total` operations with `concurrency` in flight; latencies per operation.
    static func drive(total: Int, concurrency: Int, _ operation: @escaping @Sendable (Int) async throws -> Void) async throws -> LatencyStatistics {
        let next = OperationCounter()
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var mine: [Double] = []
                    while true {
                        let index = next.take()
                        guard index < total else { return mine }
                        let before = ContinuousClock.now
                        try await operation(index)
                        mine.append(seconds(ContinuousClock.now - before))
                    }
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        return LatencyStatistics(latencies: latencies, seconds: seconds(ContinuousClock.now - started))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }

    /// A report of realistic size (conditions and workloads of a healthy cluster).
    static func sampleReport(sequence: Int64) -> AgentReport {
        let now = Date()
        let conditions = ["Available", "Progressing", "Degraded", "Removed", "StorageExists", "ImageAPIAvailable", "NodeCADaemonAvailable"].map {
            Condition(type: $0, status: $0 == "Available" ? .true : .false, reason: "AsExpected", message: "The registry is ready", lastTransitionTime: now)
        }
        return AgentReport(
            sequence: sequence, observedGeneration: 0, agentVersion: RegistryFleetVersion.current, collectedAt: now,
            registry: RegistryObservation(
                managementState: .managed, storageManagementState: .managed, replicas: 2, readyReplicas: 2, generation: 3, observedGeneration: 3,
                conditions: conditions),
            pruner: PrunerObservation(schedule: "0 0 * * *", suspend: false, conditions: [Condition(type: "Available", status: .true, reason: "AsExpected")]),
            workloads: ["image-registry", "image-api-server", "node-ca", "v1.image.alauda.io", "image-pruner"].map {
                WorkloadStatus(kind: "Deployment", name: $0, present: true, ready: true, desired: 2, readyCount: 2)
            })
    }
}

/// Hands out operation indexes 0, 1, 2, … to concurrent workers.
final class OperationCounter: Sendable {
    private let value = Mutex(0)
    func take() -> Int {
        value.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}

/// When each poll was answered.
final class WakeTimes: Sendable {
    private let times = Mutex<[String: ContinuousClock.Instant]>([:])
    func record(_ name: String) { times.withLock { $0[name] = .now } }
    func time(of name: String) -> ContinuousClock.Instant? { times.withLock { $0[name] } }
}

/// The baseline: a bare Hummingbird route that reads the body and answers a small JSON, behind
/// exactly the hub's TLS configuration.
struct EchoServer {
    let port: Int
    let task: Task<Void, any Error>

    static func start(pkiDirectory: String, logger: Logger) async throws -> EchoServer {
        let router = Router()
        router.post("/echo") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{\"sequence\":\(body.readableBytes),\"duplicate\":false}")))
        }
        let tls = try HubServer.tlsConfiguration(pkiDirectory: pkiDirectory, shutdownTimeout: .milliseconds(100))
        let (bound, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = bound.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return EchoServer(port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}
