import Hummingbird
import Logging
import NIOCore

/// The request context of every hub route: the caller's identity travels here, put in by the
/// identity middleware, so route handlers never touch TLS.
public struct HubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection, from which the middleware reads the peer certificate.
    public let channel: (any Channel)?
    /// Set by `IdentityMiddleware`.
    public var caller: Caller = .anonymous

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Builds a context with a caller already decided, for route tests without a socket.
    public init(source: some RequestContextSource, caller: Caller) {
        coreContext = .init(source: source)
        channel = nil
        self.caller = caller
    }

    /// The hub limits request bodies itself per route; this is the outer bound.
    public var maxUploadSize: Int { 1 << 20 }
}
