/// The retained changes of one resource, oldest first, bounded like the API server's watch cache.
///
/// A watch may resume from any revision at or after `compactedRevision`; anything older has been
/// evicted and the watch fails with 410 Gone.
struct EventHistory: Sendable {
    private var events: [StoredEvent] = []
    private var head = 0
    /// The most events retained.
    let capacity: Int
    /// The revision of the newest evicted event (0 while nothing was evicted).
    private(set) var compactedRevision: UInt64 = 0

    /// An empty history retaining up to `capacity` events.
    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Appends an event, evicting the oldest when full (amortised O(1)).
    mutating func append(_ event: StoredEvent) {
        events.append(event)
        if events.count - head > capacity {
            compactedRevision = events[head].revision
            head += 1
            if head >= capacity {
                events.removeFirst(head)
                head = 0
            }
        }
    }

    /// The retained events with a revision greater than `revision`, oldest first.
    func events(after revision: UInt64) -> ArraySlice<StoredEvent> {
        var low = head
        var high = events.count
        while low < high {
            let middle = (low + high) / 2
            if events[middle].revision <= revision { low = middle + 1 } else { high = middle }
        }
        return events[low...]
    }
}
