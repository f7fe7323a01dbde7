import UnixSignals

/// Runs work until SIGINT or SIGTERM arrives, then cancels it and returns normally, so that
/// long-running commands stop cleanly (closing databases and connections) instead of dying.
enum SignalWaiter {
    static func runUntilInterrupted(_ work: @escaping @Sendable () async throws -> Void) async throws {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work() }
            group.addTask {
                for await _ in signals { return }
            }
            try await group.next()
            group.cancelAll()
            do {
                while try await group.next() != nil {}
            } catch is CancellationError {}
        }
    }
}
