/// How `RESTClient` retries requests the API server could not serve: 429 after the server's
/// Retry-After, 5xx and connection failures after a jittered exponential backoff, a bounded
/// number of times.
public struct RetryPolicy: Sendable {
    /// Tries in all, the first included; 1 disables retries.
    public var maxAttempts: Int
    /// The first backoff; each further retry doubles it.
    public var baseDelay: Duration
    /// The longest backoff.
    public var maxDelay: Duration
    /// The longest Retry-After honoured; a server asking for more gets this.
    public var maxRetryAfter: Duration
    /// Waits between attempts; injected so that tests observe the delays without waiting.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10), maxRetryAfter: Duration = .seconds(30),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.sleep = sleep
    }

    /// No retries at all.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt number `attempt` (1-based): the server's Retry-After when it
    /// gave one (capped), else a random delay in the upper half of `baseDelay·2^(attempt−1)`, capped.
    public func delay(afterAttempt attempt: Int, retryAfterSeconds: Int?) -> Duration {
        if let seconds = retryAfterSeconds, seconds >= 0 {
            return min(.seconds(seconds), maxRetryAfter)
        }
        let exponential = min(maxDelay, baseDelay * (1 << min(max(attempt - 1, 0), 20)))
        let nanoseconds = exponential.nanoseconds
        return .nanoseconds(Int64.random(in: (nanoseconds / 2)...max(nanoseconds, 1)))
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
