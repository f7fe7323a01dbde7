import Foundation
import RegistryModel
import Synchronization

/// A wake-up call for one waiting loop, remembered until the loop next waits, so a signal sent while the loop
/// is busy is not lost. Waiting is bounded by a timeout on the agent's clock and ends early on cancellation.
final class WakeSignal: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var pending = false
        var waiter: Waiter?
        var nextID: UInt64 = 0
        /// The newest wait whose timeout or cancellation came before it started waiting.
        var expired: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Wakes the waiting loop now, or at its next wait.
    func signal() {
        let waiter: Waiter? = state.withLock { state in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume(returning: true)
    }

    /// Returns true when signalled, false when `timeout` passed on `clock` or the task was cancelled first. One
    /// waiter at a time: a second concurrent waiter replaces (and releases) the first.
    func wait(timeout: TimeInterval, on clock: any WallClock) async -> Bool {
        let id = state.withLock { state -> UInt64? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return true }
        let timer = Task {
            // Cancelled (the wait ended first): nothing to release.
            guard (try? await clock.sleep(for: timeout)) != nil else { return }
            self.release(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = state.withLock { state in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled || id <= state.expired { return false }
                    let replaced = state.waiter
                    state.waiter = Waiter(id: id, continuation: continuation)
                    replaced?.continuation.resume(returning: false)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            self.release(id)
        }
    }

    /// Ends the wait `id` with false, if it is still waiting.
    private func release(_ id: UInt64) {
        let waiter: Waiter? = state.withLock { state in
            guard let waiter = state.waiter, waiter.id == id else {
                state.expired = max(state.expired, id)
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.continuation.resume(returning: false)
    }
}

/// Sleeps for `seconds` on `clock`; returns false when the task was cancelled instead.
@discardableResult
func pause(_ seconds: TimeInterval, on clock: any WallClock) async -> Bool {
    (try? await clock.sleep(for: seconds)) != nil
}
