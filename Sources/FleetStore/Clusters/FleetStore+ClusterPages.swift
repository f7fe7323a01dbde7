import Foundation
import GRDB
import RegistryModel

/// One page of a cluster list: the records and whether more follow the last one.
public struct ClusterRecordPage: Sendable {
    /// The matching clusters of this page, by name.
    public var records: [ClusterRecord]
    /// True when clusters after the last record match too.
    public var hasMore: Bool
}

extension FleetStore {
    /// Up to `limit` active clusters whose labels match `selector` and whose name sorts after `after`, by name,
    /// from one keyset query (`name > ?` on the primary key) stepped with a cursor, so a page costs the rows it
    /// shows plus the ones the selector skips, never the whole fleet. Labels are matched in Swift as `clusters(matching:)`
    /// does (set-based selectors have no SQL form over the JSON column); the cursor stops after one match past the
    /// page, which answers `hasMore`.
    ///
    /// SQL (port as is): `selectSQL WHERE c.deleted_at IS NULL AND c.name > ? ORDER BY c.name`.
    public func clusters(matching selector: LabelSelector, after: String?, limit: Int) async throws(StoreError) -> ClusterRecordPage {
        let limit = max(1, limit)
        return try await read("list a page of clusters") { db in
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
