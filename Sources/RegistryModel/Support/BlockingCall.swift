import Foundation

/// Runs work that blocks its thread (waiting for a child process, reading a pipe to its end) on a
/// thread of its own.
///
/// Swift concurrency runs every task on a pool of one thread per core — two on the machines this
/// runs on. A call that blocks one of them for seconds (a browser rendering a page, a registry
/// shutting down) stalls every other task of the process, and with both blocked, everything
/// stops: heartbeats, renewals, long polls.
public enum BlockingCall {
    /// `body`'s result, computed on a new thread while the caller's task is suspended.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            Thread.detachNewThread {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
