import Foundation
import Synchronization

/// The source of "now" for anything with leases, soak times, deadlines, schedules or backoff, and
/// what loops wait on.
///
/// Production uses the system clock; tests and the simulator use a manual clock so that a
/// five-minute condition inertia, a CronJob schedule or an agent's heartbeat can be tested without
/// waiting.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date

    /// Suspends for `seconds` of elapsed time on this clock; throws `CancellationError` when the task is
    /// cancelled first. Elapsed time, as a monotonic clock measures it: setting the wall time does not
    /// shorten or lengthen a wait.
    func sleep(for seconds: TimeInterval) async throws
}

extension WallClock {
    /// Real time.
    public func sleep(for seconds: TimeInterval) async throws {
        try await Task.sleep(for: .milliseconds(Int64(max(seconds, 0) * 1000)))
    }
}

/// The system's clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to. Its sleepers wake when `advance` has moved it far enough.
public final class ManualWallClock: WallClock {
    private struct Sleeper {
        var wakeAt: TimeInterval
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        /// How far `advance` has moved the clock in all; what sleepers measure.
        var elapsed: TimeInterval = 0
        var sleepers: [UInt64: Sleeper] = [:]
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// Moves the clock forward, waking every sleeper whose time has come.
    public func advance(by seconds: TimeInterval) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.now = state.now.addingTimeInterval(seconds)
            state.elapsed += max(seconds, 0)
            let elapsed = state.elapsed
            let ready = state.sleepers.filter { $0.value.wakeAt <= elapsed }
            for id in ready.keys { state.sleepers[id] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Sets the wall time (forward or back); sleepers keep waiting for elapsed time.
    public func set(_ date: Date) {
        state.withLock { $0.now = date }
    }

    /// How many tasks are sleeping on this clock; a test advances once they are all waiting.
    public var sleeping: Int { state.withLock { $0.sleepers.count } }

    public func sleep(for seconds: TimeInterval) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: (any Error)?? = state.withLock { state in
                    if Task.isCancelled { return .some(CancellationError()) }
                    if seconds <= 0 { return .some(nil) }
                    state.sleepers[id] = Sleeper(wakeAt: state.elapsed + seconds, continuation: continuation)
                    return .none
                }
                switch immediate {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: break
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
