import FleetModel
import Foundation
import GRDB
import RegistryModel

/// The SQL of one group-commit transaction of reports.
enum ReportBatch {
    /// Stores every write and returns one result per write, in order.
    ///
    /// A write for a cluster that is not enrolled fails alone (`notFound`); the others commit.
    /// Each (cluster, sequence) is stored once: a repeat is acknowledged as a duplicate.
    /// `latest_reports` only moves to a higher sequence. Prune runs are stored once per runID.
    /// History beyond `historyLimit` is trimmed for the clusters written, through the primary
    /// key index, so the cost is per batch and bounded by the limit.
    static func apply(_ writes: [ReportWrite], historyLimit: Int, in db: Database) throws -> [Result<ReportAck, StoreError>] {
        var active: [String: Bool] = [:]
        var lastArrival: [String: Date] = [:]
        var grown = Set<String>()
        var results: [Result<ReportAck, StoreError>] = []
        results.reserveCapacity(writes.count)
        let insertReport = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO reports (cluster, sequence, received_at, report) VALUES (?, ?, ?, ?)")
        let upsertLatest = try db.cachedStatement(
            sql: """
                INSERT INTO latest_reports (cluster, sequence, received_at, report) VALUES (?, ?, ?, ?)
                ON CONFLICT(cluster) DO UPDATE SET sequence = excluded.sequence, received_at = excluded.received_at,
                    report = excluded.report
                WHERE excluded.sequence > latest_reports.sequence
                """)
        let insertPruneResult = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO prune_results (run_id, cluster, received_at, finished_at, report) VALUES (?, ?, ?, ?, ?)")
        let activeQuery = try db.cachedStatement(sql: "SELECT deleted_at IS NULL FROM clusters WHERE name = ?")

        for write in writes {
            let isActive: Bool
            if let known = active[write.cluster] {
                isActive = known
            } else {
                isActive = try Bool.fetchOne(activeQuery, arguments: [write.cluster]) ?? false
                active[write.cluster] = isActive
            }
            guard isActive else {
                results.append(.failure(StoreError.clusterNotFound(write.cluster)))
                continue
            }
            try insertReport.execute(arguments: [write.cluster, write.sequence, write.receivedAt, write.json])
            let duplicate = db.changesCount == 0
            if !duplicate {
                try upsertLatest.execute(arguments: [write.cluster, write.sequence, write.receivedAt, write.json])
                grown.insert(write.cluster)
            }
            for run in write.pruneResults {
                try insertPruneResult.execute(arguments: [run.runID, write.cluster, write.receivedAt, run.finishedAt, run.json])
            }
            lastArrival[write.cluster] = max(lastArrival[write.cluster] ?? write.receivedAt, write.receivedAt)
            results.append(.success(ReportAck(sequence: write.sequence, duplicate: duplicate)))
        }

        let touch = try db.cachedStatement(
            sql: "UPDATE clusters SET last_report_at = ? WHERE name = ? AND (last_report_at IS NULL OR last_report_at < ?)")
        for (cluster, at) in lastArrival {
            try touch.execute(arguments: [at, cluster, at])
        }
        let trim = try db.cachedStatement(
            sql: """
                DELETE FROM reports WHERE cluster = ?1 AND sequence <
                    (SELECT sequence FROM reports WHERE cluster = ?1 ORDER BY sequence DESC LIMIT 1 OFFSET ?2)
                """)
        for cluster in grown {
            try trim.execute(arguments: [cluster, historyLimit - 1])
        }
        return results
    }
}
