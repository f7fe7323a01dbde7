import FleetPKI
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// How the server side of one mutual-TLS handshake ended.
enum HandshakeOutcome: Equatable, Sendable {
    /// The handshake completed; the identity read from the client's certificate.
    case accepted(FleetIdentity)
    /// The server refused the connection.
    case refused(String)
}

/// A real mutual-TLS handshake on loopback: a NIOPosix server that requires a client certificate signed by
/// the fleet CA (as the hub does) and a client that trusts the CA and checks the server's name (as the agent does).
enum HandshakeProbe {
    struct TimedOut: Error {}

    /// Connects `client` (or no certificate) to a server presenting `server`; both sides trust only `caPEM`.
    static func run(server: FleetCredential, client: FleetCredential?, caPEM: String) async throws -> HandshakeOutcome {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let outcome = try await handshake(group: group, server: server, client: client, caPEM: caPEM)
            try await group.shutdownGracefully()
            return outcome
        } catch {
            try await group.shutdownGracefully()
            throw error
        }
    }

    private static func handshake(
        group: MultiThreadedEventLoopGroup, server: FleetCredential, client: FleetCredential?, caPEM: String
    ) async throws -> HandshakeOutcome {
        let trustRoot = try NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem)
        var serverConfiguration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(server.certificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(server.privateKeyPEM.utf8), format: .pem)))
        serverConfiguration.trustRoots = .certificates([trustRoot])
        serverConfiguration.certificateVerification = .noHostnameVerification
        let serverContext = try NIOSSLContext(configuration: serverConfiguration)

        var clientConfiguration = TLSConfiguration.makeClientConfiguration()
        clientConfiguration.trustRoots = .certificates([trustRoot])
        clientConfiguration.certificateVerification = .fullVerification
        if let client {
            clientConfiguration.certificateChain = [.certificate(try NIOSSLCertificate(bytes: Array(client.certificatePEM.utf8), format: .pem))]
            clientConfiguration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(client.privateKeyPEM.utf8), format: .pem))
        }
        let clientContext = try NIOSSLContext(configuration: clientConfiguration)

        let outcome = group.next().makePromise(of: HandshakeOutcome.self)
        let deadline = group.next().scheduleTask(in: .seconds(10)) { outcome.fail(TimedOut()) }
        defer { deadline.cancel() }
        do {
            let listener = try await ServerBootstrap(group: group)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: serverContext))
                        try channel.pipeline.syncOperations.addHandler(HandshakeRecorder(outcome: outcome))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            let connection = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: clientContext, serverHostname: "localhost"))
                    }
                }
                .connect(to: listener.localAddress!).get()
            let result = try await outcome.futureResult.get()
            try? await connection.close()
            try await listener.close()
            return result
        } catch {
            outcome.fail(error)
            throw error
        }
    }
}

/// Server-side handler that reports the end of the handshake once: the peer's identity, or why it failed.
private final class HandshakeRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let outcome: EventLoopPromise<HandshakeOutcome>

    init(outcome: EventLoopPromise<HandshakeOutcome>) {
        self.outcome = outcome
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case TLSUserEvent.handshakeCompleted = event else { return context.fireUserInboundEventTriggered(event) }
        do {
            let tls = try context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            guard let peer = tls.peerCertificate else { return outcome.succeed(.refused("no peer certificate")) }
            outcome.succeed(.accepted(try PeerCertificate(derBytes: peer.toDERBytes()).identity))
        } catch {
            outcome.succeed(.refused("\(error)"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        outcome.succeed(.refused("\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        outcome.succeed(.refused("closed before the handshake completed"))
        context.fireChannelInactive()
    }
}
