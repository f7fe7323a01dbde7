import Foundation
import RegistryModel

/// One cluster as `GET /v1/clusters` lists it.
public struct ClusterSummary: Codable, Hashable, Sendable {
    public var name: String
    public var labels: [String: String]
    public var enrolledAt: Date?
    public var health: ClusterHealth
    public var desiredGeneration: Int64
    public var observedGeneration: Int64?
    public var managementState: ManagementState?
    public var lastReportAt: Date?
    public var agentVersion: String?

    public init(
        name: String, labels: [String: String], enrolledAt: Date?, health: ClusterHealth, desiredGeneration: Int64,
        observedGeneration: Int64?, managementState: ManagementState?, lastReportAt: Date?, agentVersion: String?
    ) {
        self.name = name
        self.labels = labels
        self.enrolledAt = enrolledAt
        self.health = health
        self.desiredGeneration = desiredGeneration
        self.observedGeneration = observedGeneration
        self.managementState = managementState
        self.lastReportAt = lastReportAt
        self.agentVersion = agentVersion
    }
}

/// `GET /v1/clusters` answer.
///
/// Paged as Kubernetes lists are: with `?limit=N` at most N clusters come back, and `continue` (absent on the
/// last page) is the opaque token that asks for the next page with the same selector.
public struct ClusterList: Codable, Hashable, Sendable {
    public var clusters: [ClusterSummary]
    /// The token for the next page; nil on the last (or only) page.
    public var continueToken: String?

    public init(clusters: [ClusterSummary], continueToken: String? = nil) {
        self.clusters = clusters
        self.continueToken = continueToken
    }

    enum CodingKeys: String, CodingKey {
        case clusters
        case continueToken = "continue"
    }
}

/// `GET /v1/clusters/{name}`: the summary plus its policy, latest report and certificates.
public struct ClusterDetail: Codable, Hashable, Sendable {
    public var summary: ClusterSummary
    public var policy: PolicyDocument
    public var latestReport: AgentReport?
    public var certificateSerials: [String]
    public init(summary: ClusterSummary, policy: PolicyDocument, latestReport: AgentReport?, certificateSerials: [String]) {
        self.summary = summary
        self.policy = policy
        self.latestReport = latestReport
        self.certificateSerials = certificateSerials
    }
}

/// Body of `PUT /v1/clusters/{name}/labels`: the complete new label set.
public struct LabelsUpdate: Codable, Hashable, Sendable {
    public var labels: [String: String]
    public init(labels: [String: String]) { self.labels = labels }
}

/// A stored prune run with the cluster it came from.
public struct PruneResultRecord: Codable, Hashable, Sendable {
    public var cluster: String
    public var receivedAt: Date
    public var report: PruneReport
    public init(cluster: String, receivedAt: Date, report: PruneReport) {
        self.cluster = cluster
        self.receivedAt = receivedAt
        self.report = report
    }
}

/// `GET /v1/prune-results` answer: runs and fleet totals.
public struct PruneResultsResponse: Codable, Hashable, Sendable {
    public var results: [PruneResultRecord]
    public var totals: PruneTotals
    public init(results: [PruneResultRecord], totals: PruneTotals) {
        self.results = results
        self.totals = totals
    }
}

/// Sums over prune runs.
public struct PruneTotals: Codable, Hashable, Sendable {
    public var runs: Int
    public var clusters: Int
    public var manifestsDeleted: Int
    public var reclaimableBytes: Int64
    public var failedRuns: Int
    public init(runs: Int = 0, clusters: Int = 0, manifestsDeleted: Int = 0, reclaimableBytes: Int64 = 0, failedRuns: Int = 0) {
        self.runs = runs
        self.clusters = clusters
        self.manifestsDeleted = manifestsDeleted
        self.reclaimableBytes = reclaimableBytes
        self.failedRuns = failedRuns
    }

    /// Totals over `records`; sums saturate, so rows stored before values were range-checked
    /// cannot make a read trap.
    public init(records: [PruneResultRecord]) {
        self.init(
            runs: records.count, clusters: Set(records.map(\.cluster)).count,
            manifestsDeleted: SaturatingSum.of(records.filter { !$0.report.dryRun }.map { max(0, $0.report.deleted) }),
            reclaimableBytes: SaturatingSum.of(records.filter { !$0.report.dryRun }.map { max(0, $0.report.reclaimableBytes) }),
            failedRuns: records.filter { !$0.report.succeeded }.count)
    }
}

/// One admin write, `GET /v1/audit`.
public struct AuditEntry: Codable, Hashable, Sendable {
    public var id: Int64
    public var at: Date
    /// `admin/NAME` from the certificate, or `rollout/ID`, or `system`.
    public var actor: String
    /// e.g. `policy.update`, `cluster.delete`, `token.create`.
    public var action: String
    /// The object acted on, e.g. the cluster name.
    public var target: String
    public var generationBefore: Int64?
    public var generationAfter: Int64?
    public var detail: JSONValue?
    public init(
        id: Int64, at: Date, actor: String, action: String, target: String, generationBefore: Int64? = nil, generationAfter: Int64? = nil,
        detail: JSONValue? = nil
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.generationBefore = generationBefore
        self.generationAfter = generationAfter
        self.detail = detail
    }
}

/// The error body every hub endpoint returns: `{"error": {"code", "message", "field"?}}`.
public struct APIErrorBody: Codable, Hashable, Sendable {
    public struct Detail: Codable, Hashable, Sendable {
        /// Stable machine-readable code, e.g. `invalid`, `conflict`, `forbidden`, `not_found`.
        public var code: String
        public var message: String
        public var field: String?
        public init(code: String, message: String, field: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
        }
    }
    public var error: Detail
    public init(code: String, message: String, field: String? = nil) {
        error = Detail(code: code, message: message, field: field)
    }
}

/// The answer to deleting a cluster: the certificate serials that were revoked with it.
public struct ClusterDeletion: Codable, Hashable, Sendable {
    public var revokedSerials: [String]

    public init(revokedSerials: [String]) { self.revokedSerials = revokedSerials }
}

/// A page of the audit log, newest first.
public struct AuditLog: Codable, Hashable, Sendable {
    public var entries: [AuditEntry]

    public init(entries: [AuditEntry]) { self.entries = entries }
}
