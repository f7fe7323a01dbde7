import FleetModel
import Foundation
import GRDB
import RegistryModel

/// A report as stored, with when the hub received it (leases count from arrival, not from the
/// agent's clock).
public struct StoredReport: Hashable, Sendable {
    /// The reporting cluster.
    public var cluster: String
    /// The agent's sequence number.
    public var sequence: Int64
    /// When the hub received it.
    public var receivedAt: Date
    /// The report as the agent sent it.
    public var report: AgentReport

    /// Decodes a `reports` or `latest_reports` row.
    static func record(_ row: Row) throws -> StoredReport {
        StoredReport(
            cluster: row["cluster"], sequence: row["sequence"], receivedAt: row["received_at"],
            report: try JSONColumn.value(AgentReport.self, from: row["report"]))
    }
}
