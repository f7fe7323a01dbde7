import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func clusterPage(matching selector: LabelSelector, after: String?, limit: Int) async throws(StoreError) -> ClusterRecordPage {
        try await read("list a page of clusters") { db in
            let cursor = try Row.fetchCursor(
                db, sql: ClusterRecord.selectSQL + " WHERE c.deleted_at IS NULL AND c.name > ? ORDER BY c.name", arguments: [after ?? ""])
            var records: [ClusterRecord] = []
            while let row = try cursor.next() {
                // Labels first: a skipped row never pays for decoding its latest report.
                guard selector.matches(try JSONColumn.value([String: String].self, from: row["labels"])) else { continue }
                if records.count == limit { return ClusterRecordPage(records: records, hasMore: true) }
                records.append(try ClusterRecord.record(row))
            }
            return ClusterRecordPage(records: records, hasMore: false)
        }
    }
}
