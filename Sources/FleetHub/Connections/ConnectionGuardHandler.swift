import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes
import NIOTLS

/// Enforces `ConnectionLimits` on one connection: it sits behind the HTTP codec, where it sees
/// the TLS handshake's completion, every request part and every response part, and drives one
/// timer from `ConnectionDeadlines`.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let governor: ConnectionGovernor
    private let logger: Logger
    private let onLimit: @Sendable (ConnectionLimit) -> Void
    private var deadlines: ConnectionDeadlines
    private var timer: Scheduled<Void>?

    init(tls: Bool, governor: ConnectionGovernor, logger: Logger, onLimit: @escaping @Sendable (ConnectionLimit) -> Void) {
        self.limits = governor.limits
        self.governor = governor
        self.logger = logger
        self.onLimit = onLimit
        self.deadlines = ConnectionDeadlines(tls: tls)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        governor.classify(context.channel)
        perform(deadlines.started(), context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            perform(deadlines.handshakeCompleted(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: perform(deadlines.receivedHead(), context: context)
        case .body: break
        case .end: perform(deadlines.receivedEnd(), context: context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.headerFields[.connection]?.lowercased() == "close" { deadlines.respondingWithClose() }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            let action = deadlines.sentResponseEnd()
            if action == .closeAfterWrite {
                timer?.cancel()
                timer = nil
                let written = promise ?? context.eventLoop.makePromise()
                context.writeAndFlush(data, promise: written)
                let channel = context.channel
                written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            } else {
                perform(action, context: context)
                context.write(data, promise: promise)
            }
        }
    }

    private func perform(_ action: ConnectionDeadlines.Action, context: ChannelHandlerContext) {
        switch action {
        case .arm(let limit):
            timer?.cancel()
            let delay = duration(of: limit)
            let loop = context.eventLoop.assumeIsolated()
            timer = loop.scheduleTask(in: delay) { [self] in
                self.timer = nil
                self.expired(limit, context: context)
            }
        case .disarm:
            timer?.cancel()
            timer = nil
        case .closeAfterWrite:
            context.close(promise: nil)
        case .none:
            break
        }
    }

    private func duration(of limit: ConnectionLimit) -> TimeAmount {
        switch limit {
        case .handshakeTimeout: limits.handshakeTimeout
        case .requestHeadTimeout: limits.requestHeadTimeout
        case .bodyTimeout: limits.bodyTimeout
        case .idleTimeout, .connectionCap, .acceptPaused: limits.idleTimeout
        }
    }

    private func expired(_ limit: ConnectionLimit, context: ChannelHandlerContext) {
        onLimit(limit)
        let metadata: Logger.Metadata = [
            "limit": "\(limit.rawValue)", "after": "\(duration(of: limit))",
            "remote": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")",
        ]
        // An idle keep-alive connection closing is routine; the others are a peer misbehaving.
        if limit == .idleTimeout {
            logger.debug("closing an idle connection", metadata: metadata)
        } else {
            logger.notice("closing a connection that hit a time limit", metadata: metadata)
        }
        context.close(promise: nil)
    }
}
