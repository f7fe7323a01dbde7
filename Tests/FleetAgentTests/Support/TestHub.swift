import FleetPKI
import FleetStore
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import RegistryModel
import Synchronization

/// A stand-in for the hub's agent endpoints over real HTTPS with mutual TLS, faithful to the protocol: single-use
/// bootstrap tokens, identity from the client certificate only, a long poll that really waits, reports stored
/// once per sequence, renewal, and 403 for a refused cluster. It can be stopped and started again on the same
/// port to play an unreachable hub.
final class TestHub: Sendable {
    /// One request as the hub saw it.
    struct RequestRecord: Sendable {
        var path: String
        var at: Date
        var serial: String?
        var status: Int
    }

    struct State: Sendable {
        var tokens: [String: String] = [:]
        var usedTokens: Set<String> = []
        var policies: [String: PolicyDocument] = [:]
        var stored: [String: [Int64: AgentReport]] = [:]
        var duplicates = 0
        var refusedClusters: Set<String> = []
        var requests: [RequestRecord] = []
        var enrollLifetime: TimeInterval = 365 * 86_400
        var renewLifetime: TimeInterval = 365 * 86_400
        var port = 0
        var task: Task<Void, Never>?
    }

    let ca: CertificateAuthority
    let server: FleetCredential
    let state = Mutex(State())
    let notifier = GenerationNotifier()

    /// A hub with a fresh CA and a server certificate for localhost and 127.0.0.1, valid in real time (BoringSSL
    /// checks validity against the system clock).
    init() throws {
        let now = Date().addingTimeInterval(-3600)
        ca = try CertificateAuthority.create(now: now)
        let key = FleetPrivateKey()
        let issued = try ca.issueServerCertificate(names: ServerNames(parsing: ["localhost", "127.0.0.1"]), publicKey: key.publicKey, now: now)
        server = try FleetCredential(certificatePEM: issued.pem, privateKeyPEM: key.pem)
    }

    /// The base URL agents use.
    var url: String { "https://127.0.0.1:\(state.withLock { $0.port })" }

    /// Writes the CA certificate where an agent's `--ca-file` points.
    func writeCAFile(to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ca.certificatePEM.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// A single-use bootstrap token for `cluster`.
    func createToken(cluster: String) -> String {
        let token = "tok-\(UUID().uuidString.lowercased())"
        state.withLock { $0.tokens[token] = cluster }
        return token
    }

    /// Replaces the cluster's policy, bumping its generation and waking its long poll.
    @discardableResult
    func setPolicy(cluster: String, _ policy: FleetPolicy) -> Int64 {
        let generation = state.withLock { state -> Int64 in
            let generation = (state.policies[cluster]?.generation ?? 0) + 1
            state.policies[cluster] = PolicyDocument(cluster: cluster, generation: generation, policy: policy, updatedBy: "admin/test", updatedAt: Date())
            return generation
        }
        notifier.publish(cluster)
        return generation
    }

    /// Reports stored for `cluster`, by sequence (each sequence once).
    func storedReports(cluster: String) -> [Int64: AgentReport] {
        state.withLock { $0.stored[cluster] ?? [:] }
    }

    /// Requests seen on `path` (without query).
    func requests(_ path: String) -> [RequestRecord] {
        state.withLock { $0.requests.filter { $0.path == path } }
    }

    /// Makes every agent request of `cluster` fail with 403, as after a deletion or revocation.
    func refuse(cluster: String) {
        state.withLock { _ = $0.refusedClusters.insert(cluster) }
        notifier.publish(cluster)
    }

    /// Serves `cluster` again after `refuse(cluster:)`.
    func accept(cluster: String) {
        state.withLock { _ = $0.refusedClusters.remove(cluster) }
    }

    /// Listens on 127.0.0.1:`port` (0 picks one that stays free while the hub is down; pass the old port to come
    /// back where agents look) and returns the port once the server accepts connections.
    @discardableResult
    func start(port: Int = 0) async throws -> Int {
        let port = port == 0 ? try LoopbackPort.restartable() : port
        notifier.reopen()
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(server.certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(server.privateKeyPEM.utf8), format: .pem)))
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(ca.certificatePEM.utf8), format: .pem)])
        tls.certificateVerification = .optionalVerification
        let (bound, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: makeRouter(), server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "test-hub") { _ in SwiftLogNoOpLogHandler() })
        let task = Task {
            try? await app.run()
            continuation.finish()
        }
        var iterator = bound.makeAsyncIterator()
        guard let actual = await iterator.next() else { throw TimedOut(what: "the test hub to listen on port \(port)") }
        state.withLock {
            $0.port = actual
            $0.task = task
        }
        return actual
    }

    /// Stops listening and drops held long polls; agents then see connection errors.
    func stop() async {
        let task = state.withLock { state -> Task<Void, Never>? in
            defer { state.task = nil }
            return state.task
        }
        notifier.close()
        task?.cancel()
        await task?.value
    }

    private func makeRouter() -> Router<TestHubContext> {
        let router = Router(context: TestHubContext.self)
        router.post("/v1/enroll") { request, context in try await self.enroll(request, context) }
        router.get("/v1/agent/desired") { request, context in try await self.desired(request, context) }
        router.post("/v1/agent/reports") { request, context in try await self.report(request, context) }
        router.post("/v1/agent/renew") { request, context in try await self.renew(request, context) }
        return router
    }
}

/// The request context of the test hub: it keeps the connection to read the client certificate from.
struct TestHubContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Wakes long polls of one cluster when its policy changes.
final class GenerationNotifier: Sendable {
    private struct State {
        var waiters: [UInt64: (cluster: String, continuation: AsyncStream<Void>.Continuation)] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// Long polls being held now.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Wakes every waiter of `cluster`.
    func publish(_ cluster: String) {
        state.withLock { state in
            for waiter in state.waiters.values where waiter.cluster == cluster { waiter.continuation.yield() }
        }
    }

    /// Wakes everyone and makes later waits return at once, as a stopping server does.
    func close() {
        state.withLock { state in
            state.closed = true
            for waiter in state.waiters.values { waiter.continuation.yield() }
        }
    }

    /// Lets waits wait again after `close()`.
    func reopen() {
        state.withLock { $0.closed = false }
    }

    /// Returns when `cluster` is published, `timeout` passes or the notifier closes.
    func wait(cluster: String, timeout: TimeInterval) async {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> UInt64? in
            guard !state.closed else { return nil }
            state.nextID += 1
            state.waiters[state.nextID] = (cluster, continuation)
            return state.nextID
        }
        guard let id else { return }
        defer { _ = state.withLock { $0.waiters.removeValue(forKey: id) } }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in stream { break }
            }
            group.addTask { try? await Task.sleep(for: .milliseconds(Int64(timeout * 1000))) }
            await group.next()
            group.cancelAll()
        }
    }
}
