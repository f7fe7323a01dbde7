import FleetPKI
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A deliberately misbehaving client for the connection-limit tests: a TCP socket to the hub on
/// loopback that sends exactly the bytes it is told to (optionally after a real TLS handshake
/// with a client certificate) and records what comes back and when the hub closes it.
final class RawPeer: Sendable {
    let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    /// Connects; with `tls`, wraps the socket in TLS (the handshake starts at once).
    static func connect(port: Int, tls: TLSConfiguration? = nil) async throws -> RawPeer {
        let collector = Collector()
        let context = try tls.map { try NIOSSLContext(configuration: $0) }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawPeer(channel: channel, collector: collector)
    }

    /// TLS settings that trust the fleet CA and present `credential`, if any.
    static func tls(pki: PKIDirectory, credential: (certificatePEM: String, privateKeyPEM: String)?) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(try pki.loadCACertificatePEM().utf8)))
        tls.certificateVerification = .noHostnameVerification
        if let credential {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(credential.certificatePEM.utf8)).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(credential.privateKeyPEM.utf8), format: .pem))
        }
        return tls
    }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Queues `text` without waiting for it to be written (over TLS, a write completes only
    /// after the handshake, which a hub that is not accepting never starts).
    func enqueue(_ text: String) {
        channel.writeAndFlush(ByteBuffer(string: text), promise: nil)
    }

    /// Everything received so far, as text.
    var text: String { String(decoding: collector.bytes.withLock { $0 }, as: UTF8.self) }

    /// True once the hub has closed the connection.
    var isClosed: Bool { !channel.isActive }

    func close() async {
        try? await channel.close()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = Mutex<[UInt8]>([])
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
        }
        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
