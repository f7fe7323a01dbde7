import NIOCore

/// The limits every hub listener enforces per connection, as production HTTP servers do.
///
/// Without them a peer that opens sockets and never sends a ClientHello, trickles headers, or
/// announces a body it never sends holds a file descriptor forever; about a thousand such sockets
/// locked every agent and admin out. Each limit closes the connection when it is hit, counts it in
/// `regfleet_hub_connection_limit_total{limit=…}` and logs it.
public struct ConnectionLimits: Sendable, Hashable {
    /// From accepting the socket to a finished TLS handshake.
    public var handshakeTimeout: TimeAmount
    /// From the handshake (or accept, without TLS) to the first request's complete head.
    public var requestHeadTimeout: TimeAmount
    /// From a request's head to the end of its body.
    public var bodyTimeout: TimeAmount
    /// A kept-alive connection with no request in flight is closed after this long.
    public var idleTimeout: TimeAmount
    /// Connections any caller may hold; past this, new connections are served only for admins and
    /// the health routes (the reserve).
    public var maxConnections: Int
    /// Connections kept beyond `maxConnections` for admins and `/healthz`, `/readyz`, `/metrics`,
    /// so an operator can still look at and fix a hub that agents (or an attacker) saturate.
    /// Past `maxConnections + reservedConnections` the hub stops accepting until one closes.
    public var reservedConnections: Int

    public init(
        handshakeTimeout: TimeAmount = .seconds(10), requestHeadTimeout: TimeAmount = .seconds(10), bodyTimeout: TimeAmount = .seconds(30),
        idleTimeout: TimeAmount = .seconds(90), maxConnections: Int = 16_384, reservedConnections: Int = 64
    ) {
        self.handshakeTimeout = handshakeTimeout
        self.requestHeadTimeout = requestHeadTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.reservedConnections = reservedConnections
    }

    /// Every connection the listener holds at most.
    public var hardCap: Int { maxConnections + reservedConnections }
}

/// Which limit closed a connection (the `limit` label of the metric).
public enum ConnectionLimit: String, Sendable, Hashable, CaseIterable {
    case handshakeTimeout = "handshake_timeout"
    case requestHeadTimeout = "request_head_timeout"
    case bodyTimeout = "body_timeout"
    case idleTimeout = "idle_timeout"
    /// `maxConnections` reached: a connection was served from the reserve or refused with 503.
    case connectionCap = "connection_cap"
    /// `maxConnections + reservedConnections` reached: accepting paused.
    case acceptPaused = "accept_paused"
}
