import Foundation
import KubeClient
import KubeREST
import KubeSimulator
import KubeSimulatorServer
import RegistryModel

/// A `SimulatedAPIServer` on a free loopback port, serving one simulated cluster.
final class LiveAPIServer: Sendable {
    let cluster: SimulatedCluster
    let port: Int
    let isTLS: Bool
    private let task: Task<Void, any Error>

    private init(cluster: SimulatedCluster, port: Int, isTLS: Bool, task: Task<Void, any Error>) {
        self.cluster = cluster
        self.port = port
        self.isTLS = isTLS
        self.task = task
    }

    /// The token of the `system:masters` user every default configuration has.
    static let adminToken = "admin-token"

    /// Starts serving and returns once the port is bound.
    static func start(cluster: SimulatedCluster, configuration: SimulatedAPIServerConfiguration) async throws -> LiveAPIServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = SimulatedAPIServer(cluster: cluster, configuration: configuration, logger: quietLogger) { continuation.yield($0) }
        let task = Task {
            defer { continuation.finish() }
            try await server.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = try await task.value
            throw WaitTimeout(what: "the API server to listen")
        }
        return LiveAPIServer(cluster: cluster, port: port, isTLS: configuration.tls != nil, task: task)
    }

    var url: URL { URL(string: "\(isTLS ? "https" : "http")://127.0.0.1:\(port)")! }

    /// A client configuration for this server.
    func kubeConfig(token: String? = LiveAPIServer.adminToken) -> KubeConfig {
        KubeConfig(server: url, credential: token.map { .token($0) }, source: "test server")
    }

    /// Stops serving and waits until the server has finished.
    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// A live server and a client of it as administrator.
struct Wire {
    let server: LiveAPIServer
    let client: RESTClient
    var cluster: SimulatedCluster { server.cluster }
}

/// Runs `body` against a live server for `cluster` with an admin client, and always stops both.
@discardableResult
func withWire<T>(
    cluster: SimulatedCluster = SimulatedCluster(name: "wire", clock: ManualWallClock()),
    configuration: SimulatedAPIServerConfiguration = SimulatedAPIServerConfiguration(tokens: [LiveAPIServer.adminToken: .admin()]),
    retryPolicy: RetryPolicy = .never, watchTimeout: Duration = .seconds(300), _ body: (Wire) async throws -> T
) async throws -> T {
    let server = try await LiveAPIServer.start(cluster: cluster, configuration: configuration)
    do {
        let result = try await withClient(server.kubeConfig(), retryPolicy: retryPolicy, watchTimeout: watchTimeout) { client in
            try await body(Wire(server: server, client: client))
        }
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Runs `body` with a client for `configuration`, and always shuts the client down.
@discardableResult
func withClient<T>(
    _ configuration: KubeConfig, retryPolicy: RetryPolicy = .never, watchTimeout: Duration = .seconds(300), _ body: (RESTClient) async throws -> T
) async throws -> T {
    let client = try RESTClient(configuration: configuration, retryPolicy: retryPolicy, watchTimeout: watchTimeout, logger: quietLogger)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// Configurations shared by several tests.
enum SimulatedAPIServerConfigurationDefaults {
    /// Plain HTTP with the admin token.
    static var plain: SimulatedAPIServerConfiguration { SimulatedAPIServerConfiguration(tokens: [LiveAPIServer.adminToken: .admin()]) }
}

/// Runs `body` against a live server for `cluster`, and always stops it.
@discardableResult
func withLiveServer<T>(
    cluster: SimulatedCluster, configuration: SimulatedAPIServerConfiguration, _ body: (LiveAPIServer) async throws -> T
) async throws -> T {
    let server = try await LiveAPIServer.start(cluster: cluster, configuration: configuration)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
