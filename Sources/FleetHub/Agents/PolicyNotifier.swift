import Foundation
import Synchronization

/// Wakes agents' long polls when their cluster's policy generation moves.
///
/// Each waiter asks for "a generation newer than N"; `publish` resumes every waiter of that
/// cluster whose N is now exceeded, so a change reaches a connected agent in one round trip.
/// Waiting is bounded by the caller's timeout and ends early on cancellation (client gone).
public final class PolicyNotifier: Sendable {
    private struct Waiter {
        let id: UInt64
        let after: Int64
        let continuation: CheckedContinuation<Int64?, Never>
    }

    private struct State {
        var generations: [String: Int64] = [:]
        var waiters: [String: [Waiter]] = [:]
        var nextID: UInt64 = 0
        var held = 0
        var closed = false
        /// Waits whose timeout or cancellation came before they were registered; they end at
        /// once when they get there (a zero timeout can fire before the continuation exists).
        var ended: Set<UInt64> = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Long polls currently held.
    public var heldCount: Int { state.withLock { $0.held } }

    /// Records the cluster's current generation and wakes waiters it satisfies.
    public func publish(cluster: String, generation: Int64) {
        let woken: [Waiter] = state.withLock { state in
            state.generations[cluster] = max(state.generations[cluster] ?? 0, generation)
            let current = state.generations[cluster]!
            let all = state.waiters[cluster] ?? []
            let ready = all.filter { current > $0.after }
            state.waiters[cluster] = all.filter { current <= $0.after }
            state.held -= ready.count
            return ready
        }
        for waiter in woken { waiter.continuation.resume(returning: generation) }
    }

    /// Returns the generation once it exceeds `after`, or nil when `timeout` passes first or the
    /// task is cancelled. Answers at once when the known generation is already newer.
    public func wait(cluster: String, after: Int64, timeout: Duration) async -> Int64? {
        if state.withLock({ $0.closed }) { return nil }
        if let known = state.withLock({ $0.generations[cluster] }), known > after { return known }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.cancel(cluster: cluster, id: id)
        }
        defer {
            timer.cancel()
            _ = state.withLock { $0.ended.remove(id) }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int64?, Never>) in
                let immediate: Int64?? = state.withLock { state in
                    if let known = state.generations[cluster], known > after { return .some(known) }
                    if Task.isCancelled || state.closed || state.ended.remove(id) != nil { return .some(nil) }
                    state.waiters[cluster, default: []].append(Waiter(id: id, after: after, continuation: continuation))
                    state.held += 1
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            self.cancel(cluster: cluster, id: id)
        }
    }

    /// Ends every wait with nil and answers future waits at once: the hub is stopping.
    public func shutdown() {
        let all: [Waiter] = state.withLock { state in
            state.closed = true
            let all = state.waiters.values.flatMap { $0 }
            state.waiters = [:]
            state.held = 0
            return all
        }
        for waiter in all { waiter.continuation.resume(returning: nil) }
    }

    /// Ends one wait with nil, if it is still waiting.
    private func cancel(cluster: String, id: UInt64) {
        let removed: Waiter? = state.withLock { state in
            guard let index = state.waiters[cluster]?.firstIndex(where: { $0.id == id }) else {
                state.ended.insert(id)
                return nil
            }
            state.held -= 1
            return state.waiters[cluster]!.remove(at: index)
        }
        removed?.continuation.resume(returning: nil)
    }
}
