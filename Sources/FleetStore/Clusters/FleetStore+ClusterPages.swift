import Foundation
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
    /// from one keyset query (`name > ?` on the primary key) read row by row, so a page costs the rows it shows
    /// plus the ones the selector skips, never the whole fleet. Labels are matched in Swift as `clusters(matching:)`
    /// does (set-based selectors have no SQL form over the JSON column); reading stops after one match past the
    /// page, which answers `hasMore`.
    public func clusters(matching selector: LabelSelector, after: String?, limit: Int) async throws(StoreError) -> ClusterRecordPage {
        try checkOpen("list a page of clusters")
        return try await backend.clusterPage(matching: selector, after: after, limit: max(1, limit))
    }
}
