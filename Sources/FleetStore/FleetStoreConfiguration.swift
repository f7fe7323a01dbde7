import Foundation

/// Tunables of a store; the defaults suit a hub with a few thousand clusters.
public struct FleetStoreConfiguration: Sendable, Hashable {
    /// Reports kept per cluster; older ones are trimmed in the transaction that adds new ones.
    public var reportHistoryLimit: Int
    /// Reports per group-commit transaction; the writer commits at once when this many are queued.
    public var reportBatchSize: Int
    /// How long the writer waits for a batch to fill before committing what it has; skipped while
    /// batches hold a single report (low load), so a lone report is not delayed.
    public var reportBatchDelay: Duration
    /// How long a write waits for SQLite's lock before failing (another process holding it).
    public var busyTimeout: TimeInterval
    /// Counts the SQL statements that read or write rows (`FleetStore.statementsExecuted`), so tests can
    /// prove an operation costs a few queries rather than one per cluster. Off by default.
    public var countsStatements: Bool

    /// Creates a configuration.
    public init(
        reportHistoryLimit: Int = 100, reportBatchSize: Int = 128, reportBatchDelay: Duration = .milliseconds(2),
        busyTimeout: TimeInterval = 5, countsStatements: Bool = false
    ) {
        self.reportHistoryLimit = max(1, reportHistoryLimit)
        self.reportBatchSize = max(1, reportBatchSize)
        self.reportBatchDelay = reportBatchDelay
        self.busyTimeout = busyTimeout
        self.countsStatements = countsStatements
    }
}
