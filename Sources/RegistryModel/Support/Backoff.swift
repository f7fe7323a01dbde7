import Foundation

/// The project's one retry delay: exponential backoff with full jitter, used by the operator,
/// the agent and the store's reconnects alike.
public enum Backoff {
    /// A random delay in `[base·2^(attempt−1)/2, base·2^(attempt−1)]`, capped.
    public static func delay(attempt: Int, base: TimeInterval, cap: TimeInterval) -> TimeInterval {
        let exponential = min(cap, base * pow(2, Double(max(attempt - 1, 0))))
        return Double.random(in: (exponential / 2)...exponential)
    }
}
