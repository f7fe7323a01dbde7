import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import KubeClient
import KubeSimulator
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// Serves a `SimulatedCluster` on the Kubernetes REST paths over HTTP(S), so that `RESTClient`,
/// `kubectl` and the operator talk to the simulation exactly as to a real API server: the same
/// paths, `Status` error bodies, list pagination, streamed watches, the status subresource,
/// bearer-token and client-certificate authentication and (optionally) RBAC.
///
/// The cluster's controllers are not started here: the embedder drives them (`step()` in tests,
/// `startControllers()` in `regfleet sim-apiserver`).
public struct SimulatedAPIServer: ServiceLifecycle.Service {
    public let cluster: SimulatedCluster
    public let configuration: SimulatedAPIServerConfiguration
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    /// A server for `cluster`; `onListening` receives the bound port once the server accepts
    /// connections (useful with port 0).
    public init(
        cluster: SimulatedCluster, configuration: SimulatedAPIServerConfiguration,
        logger: Logger = Logger(label: "regfleet.sim-apiserver"), onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.cluster = cluster
        self.configuration = configuration
        self.logger = logger
        self.onListening = onListening
    }

    /// Serves until the task is cancelled or the service group shuts down gracefully (open
    /// watches are then ended so that the shutdown does not wait for them).
    public func run() async throws {
        let application = try makeApplication()
        try await application.runService(gracefulShutdownSignals: [])
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    public func runUntilTerminated() async throws {
        let application = try makeApplication()
        try await application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    private func makeApplication() throws -> some ApplicationProtocol {
        let responder = APIServerResponder(
            authenticator: Authenticator(tokens: configuration.tokens),
            resources: ResourceHandler(
                cluster: cluster, authorizer: configuration.authorization == .rbac ? RBACAuthorizer(cluster: cluster) : nil,
                defaultWatchTimeout: configuration.defaultWatchTimeout),
            logger: logger)
        let server: HTTPServerBuilder = try configuration.tls.map { try .tls(.http1(), tlsConfiguration: Self.tlsConfiguration($0)) } ?? .http1()
        let onListening = onListening
        let logger = logger
        return Application(
            responder: CallbackResponder { request, context in await responder.respond(to: request, context: context) },
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("simulated API server listening", metadata: ["port": "\(port)"])
                await onListening(port)
            },
            logger: logger)
    }

    /// Serving certificate, and client certificates checked against the client CA when they are
    /// presented (tokens work without one, as on a real API server).
    static func tlsConfiguration(_ tls: SimulatedAPIServerConfiguration.TLS) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(tls.certificateChainPEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(tls.privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        if let clientCA = tls.clientCAPEM {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCA.utf8)))
            configuration.certificateVerification = .optionalVerification
        } else {
            configuration.certificateVerification = .none
        }
        return configuration
    }
}

/// Routes one request: public health and version endpoints, then authentication, discovery and
/// the resource handler.
struct APIServerResponder: Sendable {
    let authenticator: Authenticator
    let resources: ResourceHandler
    let logger: Logger

    func respond(to request: Request, context: APIServerRequestContext) async -> Response {
        let path = APIPath(request.uri.path)
        switch path {
        case .health:
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        case .version:
            return APIResponse.json(Discovery.kubernetesVersion)
        default:
            break
        }
        guard let user = await authenticator.authenticate(authorization: request.headers[.authorization], channel: context.channel) else {
            logger.debug("unauthenticated request", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)"])
            return APIResponse.unauthorized
        }
        let notFound = APIResponse.failure(KubeError(code: .notFound, status: 404, message: "the server could not find the requested resource"))
        switch path {
        case .coreVersions:
            return APIResponse.json(Discovery.coreVersions(serverAddress: request.head.authority ?? "127.0.0.1"))
        case .groups:
            return APIResponse.json(Discovery.groups)
        case .resources(let group, let version):
            return Discovery.resources(group: group, version: version).map { APIResponse.json($0) } ?? notFound
        case .resource(let resource, let namespace, let name, let subresource):
            let response = await resources.handle(
                request, context: context, user: user,
                target: ResourceHandler.Target(resource: resource, namespace: namespace, name: name, subresource: subresource))
            logger.debug(
                "request",
                metadata: ["user": "\(user.name)", "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)"])
            return response
        default:
            return notFound
        }
    }
}
