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
    /// The rollout engine (ticking every second while the server runs).
    public let rollouts: RolloutEngine
    /// The bound API port (useful with port 0).
    public let port: Int
    /// The bound dashboard port, when the second listener is enabled.
    public let dashboardPort: Int?
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts listening and returns once the socket is bound.
    public static func start(services: HubServices, logger: Logger) async throws -> HubServer {
        let configuration = services.configuration
        let tls = try Self.tlsConfiguration(pkiDirectory: configuration.pkiDirectory, shutdownTimeout: configuration.tlsShutdownTimeout)

        let rollouts = RolloutEngine(services: services)
        let (router, _) = try buildHubRouter(services: services, rollouts: rollouts)
        let (bound, boundContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            server: try services.apiConnections.serverBuilder(tls: tls, metrics: services.metrics, logger: logger),
            configuration: services.apiConnections.applicationConfiguration(host: configuration.host, port: configuration.port, serverName: "regfleet-hub"),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? 0)
                boundContinuation.finish()
            },
            logger: logger)
        var serviceList: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
        let (dashboardBound, dashboardContinuation) = AsyncStream<Int>.makeStream()
        if let dashboardPort = configuration.dashboardPort {
            let host = configuration.dashboardHost ?? "127.0.0.1"
            let dashboard = Application(
                router: try buildDashboardRouter(services: services),
                server: try services.dashboardConnections.serverBuilder(tls: nil, metrics: services.metrics, logger: logger),
                configuration: services.dashboardConnections.applicationConfiguration(host: host, port: dashboardPort, serverName: "regfleet-dashboard"),
                onServerRunning: { channel in
                    dashboardContinuation.yield(channel.localAddress?.port ?? 0)
                    dashboardContinuation.finish()
                }, logger: logger)
            serviceList.append(.init(service: dashboard))
        } else {
            dashboardContinuation.finish()
        }
        serviceList += [
            .init(service: RolloutService(engine: rollouts)), .init(service: MemoryTrimService(notifier: services.notifier, logger: logger)),
            .init(service: HubShutdownHook(services: services)),
        ]
        let group = ServiceGroup(configuration: .init(services: serviceList, logger: logger))
        let task = Task {
            defer { boundContinuation.finish() }
            try await group.run()
        }
        var iterator = bound.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            var reason = ""
            if case .failure(let error) = await task.result {
                reason = ": " + Self.listenFailure(error)
                if let io = error as? IOError, io.errnoCode == EADDRINUSE {
                    reason += PortHolder.describe(port: configuration.port).map { ", held by \($0)" }
                        ?? " (another process listens there; ss -ltnp shows which)"
                }
            }
            throw HubError(.unavailable, "the hub could not listen on \(configuration.host):\(configuration.port)\(reason)")
        }
        var dashboardIterator = dashboardBound.makeAsyncIterator()
        let dashboardPort = await dashboardIterator.next()
        logger.info("hub listening", metadata: ["address": "\(configuration.host):\(port)", "dashboard": "\(dashboardPort.map(String.init) ?? "off")"])
        return HubServer(services: services, rollouts: rollouts, port: port, dashboardPort: dashboardPort, group: group, task: task)
    }

    /// Why binding failed, in words ("address already in use"), not NIO's `bind(descriptor:ptr:bytes:)`.
    static func listenFailure(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return "\(error)"
    }

    /// The API listener's TLS: the hub certificate, the fleet CA as the only client trust root,
    /// client certificates requested and verified when presented (enrollment comes without one).
    public static func tlsConfiguration(pkiDirectory: String, shutdownTimeout: TimeAmount) throws -> TLSConfiguration {
        let pki = PKIDirectory(path: pkiDirectory)
        let credential = try pki.loadHubCredential()
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(credential.certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(credential.privateKeyPEM.utf8), format: .pem)))
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(try pki.loadCACertificatePEM().utf8), format: .pem)])
        tls.certificateVerification = .optionalVerification
        tls.minimumTLSVersion = .tlsv12
        tls.shutdownTimeout = shutdownTimeout
        return tls
    }

    private init(services: HubServices, rollouts: RolloutEngine, port: Int, dashboardPort: Int?, group: ServiceGroup, task: Task<Void, any Error>) {
        self.services = services
        self.rollouts = rollouts
        self.dashboardPort = dashboardPort
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

    /// Waits until the server stops (after `stop()` or a failure); cancelling the waiting task
    /// starts a graceful stop.
    public func wait() async throws {
        let group = group
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }
}

/// The rollout engine's loop as a service: it stops ticking on shutdown.
struct RolloutService: Service {
    let engine: RolloutEngine

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await engine.run()
        }
        await engine.resign()
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
