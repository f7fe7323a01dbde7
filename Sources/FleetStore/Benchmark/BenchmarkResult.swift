/// What one ingest benchmark measured.
public struct BenchmarkResult: Hashable, Sendable, CustomStringConvertible {
    /// Reports acknowledged.
    public var reports: Int
    /// Wall time from the first ingest to the last acknowledgement.
    public var seconds: Double
    /// Acknowledged reports per second.
    public var reportsPerSecond: Double
    /// Median time from `ingest` to its acknowledgement.
    public var p50Milliseconds: Double
    /// 99th percentile of the same.
    public var p99Milliseconds: Double
    /// Group-commit transactions the writer committed.
    public var transactions: Int

    /// Mean reports per transaction: how much group commit saved.
    public var reportsPerTransaction: Double { transactions == 0 ? 0 : Double(reports) / Double(transactions) }

    public var description: String {
        func fixed(_ value: Double, _ digits: Int = 1) -> String {
            let scale = (0..<digits).reduce(1.0) { result, _ in result * 10 }
            return "\((value * scale).rounded() / scale)"
        }
        return "\(reports) reports in \(fixed(seconds, 2)) s: \(fixed(reportsPerSecond, 0)) reports/s, "
            + "ack latency p50 \(fixed(p50Milliseconds, 2)) ms, p99 \(fixed(p99Milliseconds, 2)) ms, "
            + "\(transactions) transactions (\(fixed(reportsPerTransaction)) reports each)"
    }
}
