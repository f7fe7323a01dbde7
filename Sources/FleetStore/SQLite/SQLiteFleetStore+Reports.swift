import FleetModel
import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func latestReport(cluster: String) async throws(StoreError) -> StoredReport? {
        try await read("read latest report of \(cluster)", cluster: cluster) { db in
            try Row.fetchOne(db, sql: "SELECT * FROM latest_reports WHERE cluster = ?", arguments: [cluster]).map(StoredReport.record)
        }
    }

    func reportHistory(cluster: String, limit: Int) async throws(StoreError) -> [StoredReport] {
        try await read("read report history of \(cluster)", cluster: cluster) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM reports WHERE cluster = ? ORDER BY sequence DESC LIMIT ?", arguments: [cluster, limit]
            ).map(StoredReport.record)
        }
    }

    func pruneResults(cluster: String?, since: Date?, limit: Int) async throws(StoreError) -> [PruneResultRecord] {
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
            arguments += [limit]
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM prune_results \(whereClause) ORDER BY finished_at DESC, run_id LIMIT ?", arguments: arguments)
            return try rows.map { row in
                PruneResultRecord(
                    cluster: row["cluster"], receivedAt: row["received_at"], report: try JSONColumn.value(PruneReport.self, from: row["report"]))
            }
        }
    }
}
