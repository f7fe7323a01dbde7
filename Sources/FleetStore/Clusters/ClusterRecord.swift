import FleetModel
import Foundation
import GRDB
import RegistryModel

/// One cluster as the store knows it, with what a listing needs to judge its health.
public struct ClusterRecord: Hashable, Sendable {
    /// The cluster name, also the identity in its agent certificate.
    public var name: String
    /// Labels that rollouts and listings select on.
    public var labels: [String: String]
    /// When it (last) enrolled.
    public var enrolledAt: Date
    /// Set when an admin deleted it; a deleted cluster may enroll again with a new token.
    public var deletedAt: Date?
    /// Arrival of its newest report of any sequence (a retry counts): the heartbeat for leases.
    public var lastReportAt: Date?
    /// Generation of its desired policy; 0 until a policy is first set.
    public var policyGeneration: Int64
    /// The report with the highest sequence received since it enrolled.
    public var latestReport: StoredReport?

    /// True while enrolled and not deleted.
    public var isActive: Bool { deletedAt == nil }
}

extension ClusterRecord {
    /// The columns `record(_:)` decodes, joined from clusters, policies and latest_reports.
    static let selectSQL = """
        SELECT c.name, c.labels, c.enrolled_at, c.deleted_at, c.last_report_at,
               COALESCE(p.generation, 0) AS policy_generation,
               l.sequence AS latest_sequence, l.received_at AS latest_received_at, l.report AS latest_report
        FROM clusters c
        LEFT JOIN policies p ON p.cluster = c.name
        LEFT JOIN latest_reports l ON l.cluster = c.name
        """

    /// Decodes a row of `selectSQL`.
    static func record(_ row: Row) throws -> ClusterRecord {
        let name: String = row["name"]
        var latest: StoredReport?
        if let text: String = row["latest_report"] {
            latest = StoredReport(
                cluster: name, sequence: row["latest_sequence"], receivedAt: row["latest_received_at"],
                report: try JSONColumn.value(AgentReport.self, from: text))
        }
        return ClusterRecord(
            name: name, labels: try JSONColumn.value([String: String].self, from: row["labels"]), enrolledAt: row["enrolled_at"],
            deletedAt: row["deleted_at"], lastReportAt: row["last_report_at"], policyGeneration: row["policy_generation"],
            latestReport: latest)
    }

    /// The cluster named `name`, deleted or not; nil when it never enrolled.
    static func fetch(_ db: Database, name: String) throws -> ClusterRecord? {
        try Row.fetchOne(db, sql: selectSQL + " WHERE c.name = ?", arguments: [name]).map(record)
    }

    /// The cluster named `name` when it is enrolled and not deleted, else `notFound`.
    static func fetchActive(_ db: Database, name: String) throws -> ClusterRecord {
        guard let record = try fetch(db, name: name), record.isActive else { throw StoreError.clusterNotFound(name) }
        return record
    }
}
