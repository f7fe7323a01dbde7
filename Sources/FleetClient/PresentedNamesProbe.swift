import FleetPKI
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// Reads the names on a server's certificate when its host-name check failed: one more handshake, trusting
/// the same CA but not checking the name, so the error can list the names the certificate does hold.
enum PresentedNamesProbe {
    /// The certificate's names at `host:port`; empty when the probe cannot tell (no TLS, another CA, gone).
    static func names(host: String, port: Int, tls: TLSConfiguration) async -> [String] {
        var configuration = tls
        configuration.certificateVerification = .noHostnameVerification
        guard let context = try? NIOSSLContext(configuration: configuration) else { return [] }
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(3))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWaiter(promise: channel.eventLoop.makePromise()))
                }
            }
        guard let channel = try? await bootstrap.connect(host: host, port: port).get() else { return [] }
        defer { channel.close(promise: nil) }
        guard let waiter = try? await channel.pipeline.handler(type: HandshakeWaiter.self).get(),
            (try? await waiter.promise.futureResult.get()) != nil,
            let certificate = try? await channel.nioSSL_peerCertificate().get(), let der = try? certificate.toDERBytes()
        else { return [] }
        return PresentedNames.of(derBytes: der)
    }

    /// Fulfils its promise when the TLS handshake completes (fails it when the channel closes first).
    private final class HandshakeWaiter: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<Void>
        init(promise: EventLoopPromise<Void>) { self.promise = promise }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event { promise.succeed(()) }
            context.fireUserInboundEventTriggered(event)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.alreadyClosed)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}
