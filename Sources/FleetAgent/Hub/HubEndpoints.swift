import Synchronization

/// The hub replicas an agent may talk to, and which one it talks to now.
///
/// An HA hub runs as several replicas on one database, any of which serves any request; an agent given more
/// than one URL (or one Service address in front of them) keeps working when one dies. A call that fails for
/// want of a hub (`hubUnavailable`: no connection, a cut connection, a 5xx) moves the agent to the next URL,
/// and the caller's retry — after the usual backoff — goes there. The rotation outlives client replacement
/// (certificate renewal), so a renewed client does not return to a dead replica.
public final class HubEndpoints: Sendable {
    /// Every URL in the order given, without trailing slashes.
    public let urls: [String]
    private let index = Mutex(0)

    /// The URLs in the order given; `urls` must not be empty (`AgentConfiguration.validate()` sees to it).
    public init(_ urls: [String]) {
        precondition(!urls.isEmpty, "a hub needs at least one URL")
        self.urls = urls.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The URL calls go to now.
    public var current: String { urls[index.withLock { $0 }] }

    /// Records that a call to `url` found no hub: when `url` is still the current one, the next URL becomes
    /// current (concurrent failures of the same call move the agent once, not once per loop). Returns the URL
    /// calls go to from now on.
    @discardableResult
    public func failed(_ url: String) -> String {
        index.withLock { current in
            if urls[current] == url { current = (current + 1) % urls.count }
            return urls[current]
        }
    }
}
