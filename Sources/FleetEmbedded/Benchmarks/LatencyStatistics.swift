import Foundation

/// Throughput and latency percentiles of a measured run.
public struct LatencyStatistics: Sendable, CustomStringConvertible {
    public var count: Int
    public var seconds: Double
    public var p50: Double
    public var p99: Double
    public var max: Double

    /// From per-operation latencies (seconds) over a wall time.
    public init(latencies: [Double], seconds: Double) {
        let sorted = latencies.sorted()
        count = sorted.count
        self.seconds = seconds
        func percentile(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return sorted[Swift.min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))]
        }
        p50 = percentile(0.5)
        p99 = percentile(0.99)
        max = sorted.last ?? 0
    }

    /// Operations per second.
    public var rate: Double { seconds > 0 ? Double(count) / seconds : 0 }

    public var description: String {
        String(format: "%d in %.2fs = %.0f/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms", count, seconds, rate, p50 * 1000, p99 * 1000, max * 1000)
    }
}
