/// Counters of the report writer since the store opened; how group commit is observed in tests,
/// benchmarks and metrics.
public struct IngestStatistics: Hashable, Sendable {
    /// Transactions committed by the report writer.
    public var transactions: Int = 0
    /// Transactions that failed; every caller in them got the error.
    public var failedTransactions: Int = 0
    /// Reports stored for the first time.
    public var stored: Int = 0
    /// Reports acknowledged as duplicates of a stored sequence.
    public var duplicates: Int = 0
    /// Reports refused individually (cluster not enrolled).
    public var refused: Int = 0
    /// Reports waiting for their transaction right now (the queue depth).
    public var queued: Int = 0
}
