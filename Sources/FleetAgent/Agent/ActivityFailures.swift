/// The unresolved failure of each agent activity (enrollment, long poll, delivery, apply, …), so the status
/// shows the newest problem that still stands: an activity's failure is forgotten when it next succeeds.
struct ActivityFailures: Sendable {
    private var failures: [(activity: String, message: String)] = []
    /// Consecutive failures per activity, for backoff.
    private var counts: [String: Int] = [:]

    /// Records a failure of `activity`; returns how many in a row it has now failed.
    mutating func record(_ activity: String, _ message: String) -> Int {
        failures.removeAll { $0.activity == activity }
        failures.append((activity, "\(activity): \(message)"))
        counts[activity, default: 0] += 1
        return counts[activity]!
    }

    /// Forgets the failures of `activity`.
    mutating func clear(_ activity: String) {
        failures.removeAll { $0.activity == activity }
        counts[activity] = nil
    }

    /// Consecutive failures of `activity` (0 after a success).
    func count(_ activity: String) -> Int { counts[activity] ?? 0 }

    /// The newest failure still standing.
    var latest: String? { failures.last?.message }
}
