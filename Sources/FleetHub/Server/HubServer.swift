import FleetPKI
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// A running hub: the mutual-TLS API listener around `HubServices`.
///
/// The server requests but does not require a client certificate (`optionalVerification`), so
/// enrollment works on the same port; a presented certificate must chain to the fleet CA or the
/// handshake fails, and every route enforces its caller's role.
public final class HubServer: Sendable {
    public let services: HubServices
    /// The bound API port (useful with port 0).
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts listening and returns once the socket is bound.
    public static func start(services: HubServices, logger: Logger) async throws -> HubServer {
        let configuration = services.configuration
        let credential = try PKIDirectory(path: configuration.pkiDirectory).loadHubCredential()
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(credential.certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(credential.privateKeyPEM.utf8), format: .pem)))
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(services.authority.certificatePEM.utf8), format: .pem)])
        tls.certificateVerification = .optionalVerification
        tls.minimumTLSVersion = .tlsv12
        tls.shutdownTimeout = configuration.tlsShutdownTimeout

        let (router, _) = buildHubRouter(services: services)
        let (bound, boundContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "regfleet-hub"),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? 0)
                boundContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: app), .init(service: HubShutdownHook(services: services))], logger: logger))
        let task = Task {
            defer { boundContinuation.finish() }
            try await group.run()
        }
        var iterator = bound.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            _ = await task.result
            throw HubError(.unavailable, "the hub could not listen on \(configuration.host):\(configuration.port)")
        }
        logger.info("hub listening", metadata: ["address": "\(configuration.host):\(port)"])
        return HubServer(services: services, port: port, group: group, task: task)
    }

    private init(services: HubServices, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.services = services
        self.port = port
        self.group = group
        self.task = task
    }

    /// Stops gracefully: long polls are answered, in-flight requests finish, reports are flushed
    /// and the database is closed.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        await services.close()
    }

    /// Waits until the server stops (after `stop()` or a failure).
    public func wait() async throws {
        try await task.value
    }
}

/// Registered after the application so it is shut down first: it answers held long polls so that
/// the listener can drain quickly.
struct HubShutdownHook: Service {
    let services: HubServices

    func run() async throws {
        try? await gracefulShutdown()
        services.notifier.shutdown()
    }
}
