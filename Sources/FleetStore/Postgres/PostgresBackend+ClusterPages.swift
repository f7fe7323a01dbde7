import Foundation
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    /// Rows stream from the server and reading stops one match past the page.
    func clusterPage(matching selector: LabelSelector, after: String?, limit: Int) async throws(StoreError) -> ClusterRecordPage {
        try await query("list a page of clusters") { [logger] connection in
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: PostgresRows.clusterColumns + " WHERE c.deleted_at IS NULL AND c.name > $1 ORDER BY c.name",
                    binds: PostgresRows.binds(after ?? "")),
                logger: logger)
            var records: [ClusterRecord] = []
            var hasMore = false
            for try await row in rows {
                let labels = try JSONColumn.value([String: String].self, from: try row.makeRandomAccess()["labels"].decode(String.self))
                guard selector.matches(labels) else { continue }
                if records.count == limit {
                    hasMore = true
                    break
                }
                records.append(try PostgresRows.clusterRecord(row))
            }
            return ClusterRecordPage(records: records, hasMore: hasMore)
        }
    }
}
