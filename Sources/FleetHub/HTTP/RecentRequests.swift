import Foundation
import HTTPTypes
import Synchronization

/// The last requests the hub answered, bounded: which certificate called what, when, and what it got. What an
/// operator asks first when one agent misbehaves (its cluster has no report, it retries in a loop), and what
/// tests of the agent read instead of a stand-in hub's request log.
public final class RecentRequests: Sendable {
    /// One answered request.
    public struct Entry: Sendable, Hashable {
        public var at: Date
        public var method: HTTPRequest.Method
        /// The request target as sent: the path and the query.
        public var target: String
        public var status: Int
        /// The serial of the client certificate, when one was presented and parsed.
        public var serial: String?

        /// The path without the query.
        public var path: Substring { target.prefix { $0 != "?" } }
    }

    private struct Ring {
        var entries: [Entry] = []
        var next = 0
    }

    private let ring = Mutex(Ring())
    private let capacity: Int

    /// Keeps the newest `capacity` requests (about 100 bytes each).
    public init(capacity: Int = 4096) { self.capacity = max(1, capacity) }

    func record(_ entry: Entry) {
        ring.withLock { ring in
            if ring.entries.count < capacity {
                ring.entries.append(entry)
            } else {
                ring.entries[ring.next] = entry
                ring.next = (ring.next + 1) % capacity
            }
        }
    }

    /// The kept requests, oldest first; only those to `path` when given.
    public func entries(path: String? = nil) -> [Entry] {
        let ordered = ring.withLock { Array($0.entries[$0.next...] + $0.entries[..<$0.next]) }
        guard let path else { return ordered }
        return ordered.filter { $0.path == path[...] }
    }
}
