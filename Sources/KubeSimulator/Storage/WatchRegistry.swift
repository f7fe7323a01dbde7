import KubeClient

/// The open watches of one simulated API server and how changes reach them.
struct WatchRegistry: Sendable {
    /// One open watch.
    struct Watcher: Sendable {
        var resource: ResourceType
        var filter: WatchFilter
        var continuation: AsyncThrowingStream<WatchEvent, any Error>.Continuation
    }

    private(set) var watchers: [Int: Watcher] = [:]
    private var nextID = 0

    /// Registers a watch and returns its id.
    mutating func add(_ watcher: Watcher) -> Int {
        nextID += 1
        watchers[nextID] = watcher
        return nextID
    }

    /// Forgets a watch (its consumer went away).
    mutating func remove(_ id: Int) {
        watchers.removeValue(forKey: id)
    }

    /// Sends a change to every watch of `resource` that wants it. A watcher whose buffer is full
    /// is disconnected, as the API server drops slow watchers; it resumes from the last version it saw.
    mutating func dispatch(_ event: StoredEvent, resource: ResourceType) {
        var slow: [Int] = []
        for (id, watcher) in watchers where watcher.resource == resource {
            guard let delivery = watcher.filter.delivery(of: event) else { continue }
            switch watcher.continuation.yield(delivery) {
            case .enqueued: continue
            case .dropped, .terminated: slow.append(id)
            @unknown default: slow.append(id)
            }
        }
        for id in slow {
            watchers.removeValue(forKey: id)?.continuation.finish()
        }
    }

    /// Ends every watch, as a dropped connection would; with `error`, each stream fails with it (a connection
    /// that broke rather than closed).
    mutating func finishAll(throwing error: (any Error)? = nil) {
        let open = watchers
        watchers = [:]
        for watcher in open.values { watcher.continuation.finish(throwing: error) }
    }
}
