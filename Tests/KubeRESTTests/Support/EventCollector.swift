import KubeClient

/// Consumes a watch stream in the background and keeps what arrived, so a test can wait for
/// events with a deadline instead of blocking on the stream.
actor EventCollector {
    private(set) var events: [WatchEvent] = []
    /// Set when the stream ended: nil error for a normal end.
    private(set) var ended: (any Error)??
    private var task: Task<Void, Never>?

    init() {}

    /// Starts consuming `stream`.
    func consume(_ stream: AsyncThrowingStream<WatchEvent, any Error>) {
        task = Task {
            do {
                for try await event in stream { self.append(event) }
                self.finish(nil)
            } catch {
                self.finish(error)
            }
        }
    }

    /// Stops consuming.
    func cancel() {
        task?.cancel()
    }

    /// `TYPE name` of every event, for compact assertions.
    var summary: [String] { events.map { "\($0.type.rawValue) \($0.object.metadata.name)" } }

    var hasEnded: Bool { ended != nil }

    /// The error the stream ended with, if it ended with one.
    var endError: (any Error)? { ended ?? nil }

    private func append(_ event: WatchEvent) { events.append(event) }
    private func finish(_ error: (any Error)?) { ended = .some(error) }
}

/// A door a test opens: `wait()` suspends until `open()` has been called.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private(set) var waitCount = 0

    func wait() async {
        waitCount += 1
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}
