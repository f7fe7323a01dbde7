import Foundation
import GRDB
import RegistryModel

extension FleetStore {
    /// Stores a report and returns its acknowledgement once the report is durable.
    ///
    /// Reports are group-committed: this call waits for the batch transaction that holds it.
    /// Each (cluster, sequence) is stored once; a repeat is acknowledged with `duplicate: true`.
    /// `notFound` when the cluster is not enrolled; `closed` after `close()`; `database` when the
    /// batch transaction failed (the report is not stored and the agent should retry).
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
        try await read("read latest report of \(cluster)", cluster: cluster) { db in
            try Row.fetchOne(db, sql: "SELECT * FROM latest_reports WHERE cluster = ?", arguments: [cluster]).map(StoredReport.record)
        }
    }

    /// The cluster's kept reports, highest sequence first (at most `limit`).
    public func reportHistory(cluster: String, limit: Int = 100) async throws(StoreError) -> [StoredReport] {
        try await read("read report history of \(cluster)", cluster: cluster) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM reports WHERE cluster = ? ORDER BY sequence DESC LIMIT ?", arguments: [cluster, max(0, limit)]
            ).map(StoredReport.record)
        }
    }

    /// Prune runs, newest first by finish time: of one cluster or all, finished at or after
    /// `since`, at most `limit`.
    public func pruneResults(cluster: String? = nil, since: Date? = nil, limit: Int = 1000) async throws(StoreError) -> [PruneResultRecord] {
        try await read("read prune results") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let cluster {
                conditions.append("cluster = ?")
                arguments += [cluster]
            }
            if let since {
                conditions.append("finished_at >= ?")
                arguments += [since]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [max(0, limit)]
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM prune_results \(whereClause) ORDER BY finished_at DESC, run_id LIMIT ?", arguments: arguments)
            return try rows.map { row in
                PruneResultRecord(
                    cluster: row["cluster"], receivedAt: row["received_at"], report: try JSONColumn.value(PruneReport.self, from: row["report"]))
            }
        }
    }
}
