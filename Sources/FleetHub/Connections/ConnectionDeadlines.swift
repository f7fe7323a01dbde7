/// The per-connection timer as a pure state machine: events in, the action to take out.
///
/// At most one deadline is armed at a time: the handshake, then the request head, then the body,
/// then nothing while the hub answers (a long poll may take its full timeout), then idle until
/// the next head. A response that ends before its request's body was read (an early 413, a GET
/// with a body it never sends) closes the connection, because the rest of that body will not be
/// read.
struct ConnectionDeadlines: Sendable {
    enum Action: Equatable, Sendable {
        /// Replace any armed deadline with this one.
        case arm(ConnectionLimit)
        /// Cancel the armed deadline.
        case disarm
        /// Close the connection once the response part is written.
        case closeAfterWrite
        case none
    }

    private(set) var handshakeDone: Bool
    /// Requests whose head arrived and whose response has not ended.
    private(set) var openRequests = 0
    /// A head arrived and its body's end has not.
    private(set) var readingBody = false
    private(set) var closeRequested = false

    init(tls: Bool) { handshakeDone = !tls }

    /// The handler was added to an active channel.
    func started() -> Action { handshakeDone ? .arm(.requestHeadTimeout) : .arm(.handshakeTimeout) }

    mutating func handshakeCompleted() -> Action {
        handshakeDone = true
        return openRequests == 0 ? .arm(.requestHeadTimeout) : .none
    }

    mutating func receivedHead() -> Action {
        openRequests += 1
        readingBody = true
        return .arm(.bodyTimeout)
    }

    mutating func receivedEnd() -> Action {
        readingBody = false
        return openRequests == 0 ? .arm(.idleTimeout) : .disarm
    }

    /// The response head says `Connection: close`.
    mutating func respondingWithClose() { closeRequested = true }

    mutating func sentResponseEnd() -> Action {
        openRequests = max(0, openRequests - 1)
        if closeRequested || (readingBody && openRequests == 0) { return .closeAfterWrite }
        if openRequests == 0, !readingBody { return .arm(.idleTimeout) }
        return .none
    }
}
