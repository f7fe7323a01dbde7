import Synchronization

/// The operator passes the agent has seen finish: the newest finished pass's number and a wake-up for the loop
/// that reports after them.
///
/// The operator runs in its own actor; a pass ending must not wait for the agent's actor, so the operator's
/// callback only records the number here and signals, and the agent's pass-report loop reads it when it runs.
final class OperatorPasses: Sendable {
    private let newest = Mutex(0)
    /// Signalled whenever a pass finishes.
    let finishedWake = WakeSignal()

    /// Records that pass `number` has finished.
    func finished(_ number: Int) {
        newest.withLock { $0 = max($0, number) }
        finishedWake.signal()
    }

    /// The highest pass number finished so far (0 before the first).
    var latest: Int { newest.withLock { $0 } }
}
