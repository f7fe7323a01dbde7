import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// Counts a listener's open connections and decides which of them come from the reserve.
///
/// Hummingbird asks it (as the listener's `AvailableConnectionsDelegate`) whether to accept
/// more: past `hardCap` the listener stops reading its accept queue until a connection closes,
/// so a flood waits in the kernel's backlog instead of exhausting file descriptors. A connection
/// accepted while `maxConnections` are already open is marked as a reserve connection; the
/// `ConnectionReserveMiddleware` serves it only for admins and health routes.
public final class ConnectionGovernor: Sendable {
    public let limits: ConnectionLimits
    private let state = Mutex(State())
    private let logger: Logger
    private let onLimit: @Sendable (ConnectionLimit) -> Void

    private struct State {
        var open = 0
        var reserve = Set<ObjectIdentifier>()
        var paused = false
    }

    init(limits: ConnectionLimits, logger: Logger, onLimit: @escaping @Sendable (ConnectionLimit) -> Void) {
        self.limits = limits
        self.logger = logger
        self.onLimit = onLimit
    }

    /// Open connections right now.
    public var openConnections: Int { state.withLock { $0.open } }

    /// The delegate to give the listener's `ApplicationConfiguration`.
    var acceptDelegate: AcceptDelegate { AcceptDelegate(governor: self) }

    fileprivate func opened() {
        state.withLock { $0.open += 1 }
    }

    fileprivate func closed() {
        let resumed = state.withLock { state -> Bool in
            state.open -= 1
            guard state.paused, state.open < limits.hardCap else { return false }
            state.paused = false
            return true
        }
        if resumed { logger.notice("accepting connections again", metadata: ["limit": "\(limits.hardCap)"]) }
    }

    fileprivate func accepting() -> Bool {
        let (accepting, pausedNow) = state.withLock { state -> (Bool, Bool) in
            let accepting = state.open < limits.hardCap
            let pausedNow = !accepting && !state.paused
            if pausedNow { state.paused = true }
            return (accepting, pausedNow)
        }
        if pausedNow {
            onLimit(.acceptPaused)
            logger.warning(
                "connection limit reached: not accepting new connections until one closes",
                metadata: ["limit": "\(limits.hardCap)", "maxConnections": "\(limits.maxConnections)", "reserved": "\(limits.reservedConnections)"])
        }
        return accepting
    }

    /// Called when a child channel is set up (the listener already counted it): marks it as a
    /// reserve connection when the ordinary connections are used up.
    func classify(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let isReserve = state.withLock { state -> Bool in
            guard state.open > limits.maxConnections else { return false }
            state.reserve.insert(id)
            return true
        }
        guard isReserve else { return }
        onLimit(.connectionCap)
        logger.notice(
            "connection limit reached: serving a connection from the reserve (admins and health checks only)",
            metadata: ["maxConnections": "\(limits.maxConnections)", "remote": "\(channel.remoteAddress.map { "\($0)" } ?? "?")"])
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.state.withLock { $0.reserve.remove(id) }
        }
    }

    /// True when `channel` was accepted from the reserve.
    func isReserve(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        return state.withLock { $0.reserve.contains(id) }
    }

    /// Hummingbird's hook into the accept loop; the counting lives in the governor so that the
    /// reserve decision and the accept decision read the same number.
    struct AcceptDelegate: AvailableConnectionsDelegate {
        let governor: ConnectionGovernor
        mutating func connectionOpened() { governor.opened() }
        mutating func connectionClosed() { governor.closed() }
        func isAcceptingNewConnections() -> Bool { governor.accepting() }
    }
}
