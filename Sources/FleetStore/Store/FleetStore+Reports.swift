import FleetModel
import Foundation
import RegistryModel

extension FleetStore {
    /// Stores a report and returns its acknowledgement once the report is durable.
    ///
    /// Reports are group-committed: this call waits for the batch transaction that holds it.
    /// Each (cluster, sequence) is stored once — also when a retry reaches another replica; a
    /// repeat is acknowledged with `duplicate: true`. `notFound` when the cluster is not
    /// enrolled; `closed` after `close()`; `database` or `unavailable` when the batch transaction
    /// failed (the report is not stored and the agent should retry).
    ///
    /// `encoded` is the report's JSON when the caller already has it (the hub has the request
    /// body it just validated), which saves encoding it again.
    public func ingest(cluster: String, report: AgentReport, encoded: Data? = nil) async throws(StoreError) -> ReportAck {
        let write: ReportWrite
        do {
            write = try ReportWrite(cluster: cluster, report: report, encoded: encoded, receivedAt: clock.now())
        } catch {
            throw StoreError.database("encode report \(report.sequence) of \(cluster)", error, cluster: cluster)
        }
        return try await reportWriter.submit(write)
    }

    /// Group-commit counters since the store opened.
    public var ingestStatistics: IngestStatistics { reportWriter.statistics }

    /// The report with the highest sequence since the cluster enrolled, with its arrival time.
    public func latestReport(cluster: String) async throws(StoreError) -> StoredReport? {
        try checkOpen("read latest report of \(cluster)")
        return try await backend.latestReport(cluster: cluster)
    }

    /// The cluster's kept reports, highest sequence first (at most `limit`).
    public func reportHistory(cluster: String, limit: Int = 100) async throws(StoreError) -> [StoredReport] {
        try checkOpen("read report history of \(cluster)")
        return try await backend.reportHistory(cluster: cluster, limit: max(0, limit))
    }

    /// Prune runs, newest first by finish time: of one cluster or all, finished at or after
    /// `since`, at most `limit`.
    public func pruneResults(cluster: String? = nil, since: Date? = nil, limit: Int = 1000) async throws(StoreError) -> [PruneResultRecord] {
        try checkOpen("read prune results")
        return try await backend.pruneResults(cluster: cluster, since: since, limit: max(0, limit))
    }
}
