import FleetModel
import Foundation
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    /// One group of reports in one transaction, with the SQLite batch's rules: a cluster not
    /// enrolled fails alone; each (cluster, sequence) is stored once — a retry that reaches
    /// another replica meets the primary key and is acknowledged as a duplicate, and so is a
    /// second copy inside the group; latest_reports only moves forward; history beyond the limit
    /// is trimmed for the clusters written.
    ///
    /// Set-based: one statement per table for the whole group (arrays unnested on the server),
    /// so a group costs six round trips however many reports it holds, not several per report.
    func applyReports(_ writes: [ReportWrite], historyLimit: Int) async throws(StoreError) -> [Result<ReportAck, StoreError>] {
        try await transaction("commit \(writes.count) reports") { [logger] connection in
            let names = Array(Set(writes.map(\.cluster)))
            let active = Set(
                try await connection.query(
                    "SELECT name FROM clusters WHERE name = ANY(\(names)) AND deleted_at IS NULL", logger: logger
                ).collect().map { try $0.decode(String.self) })
            // The first write of each (cluster, sequence) in the group is a candidate; later copies are duplicates.
            var seen = Set<ReportKey>()
            let candidates = writes.filter { active.contains($0.cluster) && seen.insert(ReportKey($0.cluster, $0.sequence)).inserted }
            var stored = Set<ReportKey>()
            if !candidates.isEmpty {
                let rows = try await connection.query(
                    """
                    INSERT INTO reports (cluster, sequence, received_at, report)
                    SELECT * FROM UNNEST(\(candidates.map(\.cluster))::text[], \(candidates.map(\.sequence))::bigint[],
                                         \(candidates.map(\.receivedAt))::timestamptz[], \(candidates.map(\.json))::text[])
                    ON CONFLICT (cluster, sequence) DO NOTHING RETURNING cluster, sequence
                    """, logger: logger
                ).collect()
                for row in rows {
                    let (cluster, sequence) = try row.decode((String, Int64).self)
                    stored.insert(ReportKey(cluster, sequence))
                }
            }
            let inserted = candidates.filter { stored.contains(ReportKey($0.cluster, $0.sequence)) }
            // The newest inserted report per cluster may move latest_reports (one row per cluster per statement).
            var newest: [String: ReportWrite] = [:]
            for write in inserted where write.sequence > (newest[write.cluster]?.sequence ?? .min) { newest[write.cluster] = write }
            let latest = newest.values.sorted { $0.cluster < $1.cluster }
            if !latest.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO latest_reports (cluster, sequence, received_at, report)
                    SELECT * FROM UNNEST(\(latest.map(\.cluster))::text[], \(latest.map(\.sequence))::bigint[],
                                         \(latest.map(\.receivedAt))::timestamptz[], \(latest.map(\.json))::text[])
                    ON CONFLICT (cluster) DO UPDATE SET sequence = excluded.sequence, received_at = excluded.received_at, report = excluded.report
                    WHERE excluded.sequence > latest_reports.sequence
                    """, logger: logger)
            }
            let runs = writes.filter { active.contains($0.cluster) }.flatMap { write in write.pruneResults.map { (write, $0) } }
            if !runs.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO prune_results (cluster, run_id, received_at, finished_at, report)
                    SELECT * FROM UNNEST(\(runs.map(\.0.cluster))::text[], \(runs.map(\.1.runID))::text[], \(runs.map(\.0.receivedAt))::timestamptz[],
                                         \(runs.map(\.1.finishedAt))::timestamptz[], \(runs.map(\.1.json))::text[])
                    ON CONFLICT (cluster, run_id) DO NOTHING
                    """, logger: logger)
            }
            var lastArrival: [String: Date] = [:]
            for write in writes where active.contains(write.cluster) {
                lastArrival[write.cluster] = max(lastArrival[write.cluster] ?? write.receivedAt, write.receivedAt)
            }
            let arrivals = lastArrival.sorted { $0.key < $1.key }
            if !arrivals.isEmpty {
                try await connection.query(
                    """
                    UPDATE clusters SET last_report_at = arrival.at
                    FROM UNNEST(\(arrivals.map(\.key))::text[], \(arrivals.map(\.value))::timestamptz[]) AS arrival(name, at)
                    WHERE clusters.name = arrival.name AND (clusters.last_report_at IS NULL OR clusters.last_report_at < arrival.at)
                    """, logger: logger)
            }
            let grown = Array(Set(inserted.map(\.cluster))).sorted()
            if !grown.isEmpty {
                try await connection.query(
                    """
                    DELETE FROM reports WHERE (cluster, sequence) IN (
                        SELECT cluster, sequence FROM (
                            SELECT cluster, sequence, row_number() OVER (PARTITION BY cluster ORDER BY sequence DESC) AS newer
                            FROM reports WHERE cluster = ANY(\(grown))) AS ranked
                        WHERE newer > \(historyLimit))
                    """, logger: logger)
            }
            // Each stored key acknowledges its first write as new; any later copy is a duplicate.
            var unclaimed = stored
            return writes.map { write -> Result<ReportAck, StoreError> in
                guard active.contains(write.cluster) else { return .failure(StoreError.clusterNotFound(write.cluster)) }
                let new = unclaimed.remove(ReportKey(write.cluster, write.sequence)) != nil
                return .success(ReportAck(sequence: write.sequence, duplicate: !new))
            }
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

/// A report's identity: the primary key of `reports`.
private struct ReportKey: Hashable {
    let cluster: String
    let sequence: Int64
    init(_ cluster: String, _ sequence: Int64) {
        self.cluster = cluster
        self.sequence = sequence
    }
}
