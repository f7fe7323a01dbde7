import Foundation
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    /// One group of reports in one transaction, with the SQLite batch's rules: a cluster not
    /// enrolled fails alone; each (cluster, sequence) is stored once — a retry that reaches
    /// another replica meets the primary key and is acknowledged as a duplicate; latest_reports
    /// only moves forward; history beyond the limit is trimmed for the clusters written.
    func applyReports(_ writes: [ReportWrite], historyLimit: Int) async throws(StoreError) -> [Result<ReportAck, StoreError>] {
        try await transaction("commit \(writes.count) reports") { [logger] connection in
            let names = Array(Set(writes.map(\.cluster)))
            let active = Set(
                try await connection.query(
                    "SELECT name FROM clusters WHERE name = ANY(\(names)) AND deleted_at IS NULL", logger: logger
                ).collect().map { try $0.decode(String.self) })
            var results: [Result<ReportAck, StoreError>] = []
            var lastArrival: [String: Date] = [:]
            var grown = Set<String>()
            for write in writes {
                guard active.contains(write.cluster) else {
                    results.append(.failure(StoreError.clusterNotFound(write.cluster)))
                    continue
                }
                let inserted = try await connection.query(
                    """
                    INSERT INTO reports (cluster, sequence, received_at, report) VALUES (\(write.cluster), \(write.sequence), \(write.receivedAt), \(write.json))
                    ON CONFLICT (cluster, sequence) DO NOTHING RETURNING 1
                    """, logger: logger
                ).collect()
                let duplicate = inserted.isEmpty
                if !duplicate {
                    try await connection.query(
                        """
                        INSERT INTO latest_reports (cluster, sequence, received_at, report)
                        VALUES (\(write.cluster), \(write.sequence), \(write.receivedAt), \(write.json))
                        ON CONFLICT (cluster) DO UPDATE SET sequence = excluded.sequence, received_at = excluded.received_at, report = excluded.report
                        WHERE excluded.sequence > latest_reports.sequence
                        """, logger: logger)
                    grown.insert(write.cluster)
                }
                for run in write.pruneResults {
                    try await connection.query(
                        """
                        INSERT INTO prune_results (cluster, run_id, received_at, finished_at, report)
                        VALUES (\(write.cluster), \(run.runID), \(write.receivedAt), \(run.finishedAt), \(run.json))
                        ON CONFLICT (cluster, run_id) DO NOTHING
                        """, logger: logger)
                }
                lastArrival[write.cluster] = max(lastArrival[write.cluster] ?? write.receivedAt, write.receivedAt)
                results.append(.success(ReportAck(sequence: write.sequence, duplicate: duplicate)))
            }
            for (cluster, at) in lastArrival.sorted(by: { $0.key < $1.key }) {
                try await connection.query(
                    "UPDATE clusters SET last_report_at = \(at) WHERE name = \(cluster) AND (last_report_at IS NULL OR last_report_at < \(at))",
                    logger: logger)
            }
            let offset = historyLimit - 1
            for cluster in grown.sorted() {
                try await connection.query(
                    """
                    DELETE FROM reports WHERE cluster = \(cluster) AND sequence <
                        (SELECT sequence FROM reports WHERE cluster = \(cluster) ORDER BY sequence DESC OFFSET \(offset) LIMIT 1)
                    """, logger: logger)
            }
            return results
        }
    }

    func latestReport(cluster: String) async throws(StoreError) -> StoredReport? {
        try await query("read latest report of \(cluster)", cluster: cluster) { [logger] connection in
            try await connection.query("SELECT * FROM latest_reports WHERE cluster = \(cluster)", logger: logger).collect().first
                .map(PostgresRows.storedReport)
        }
    }

    func reportHistory(cluster: String, limit: Int) async throws(StoreError) -> [StoredReport] {
        try await query("read report history of \(cluster)", cluster: cluster) { [logger] connection in
            try await connection.query(
                "SELECT * FROM reports WHERE cluster = \(cluster) ORDER BY sequence DESC LIMIT \(limit)", logger: logger
            ).collect().map(PostgresRows.storedReport)
        }
    }

    func pruneResults(cluster: String?, since: Date?, limit: Int) async throws(StoreError) -> [PruneResultRecord] {
        try await query("read prune results") { [logger] connection in
            try await connection.query(
                """
                SELECT cluster, received_at, report FROM prune_results
                WHERE (\(cluster)::text IS NULL OR cluster = \(cluster)) AND (\(since)::timestamptz IS NULL OR finished_at >= \(since))
                ORDER BY finished_at DESC, run_id LIMIT \(limit)
                """, logger: logger
            ).collect().map { row in
                let (cluster, receivedAt, report) = try row.decode((String, Date, String).self)
                return PruneResultRecord(cluster: cluster, receivedAt: receivedAt, report: try JSONColumn.value(PruneReport.self, from: report))
            }
        }
    }
}
