import FleetModel
import Foundation
import RegistryModel

/// One report ready for the batch transaction: encoded by the caller's task, so the writer's
/// transaction does only SQL.
struct ReportWrite: Sendable {
    /// A prune run carried by the report.
    struct PruneResult: Sendable {
        /// Unique per run; stored once.
        var runID: String
        /// When the run ended, for `since` queries.
        var finishedAt: Date
        /// The run as JSON.
        var json: String
    }

    /// The reporting cluster, from its certificate.
    var cluster: String
    /// The agent's sequence, the idempotency key with `cluster`.
    var sequence: Int64
    /// Arrival at the hub.
    var receivedAt: Date
    /// The report as JSON.
    var json: String
    /// The prune runs the report carries.
    var pruneResults: [PruneResult]

    /// Encodes `report` with the wire encoding, unless its JSON is given.
    init(cluster: String, report: AgentReport, encoded: Data? = nil, receivedAt: Date) throws {
        self.cluster = cluster
        sequence = report.sequence
        self.receivedAt = receivedAt
        json = try encoded.map { String(decoding: $0, as: UTF8.self) } ?? JSONColumn.text(report)
        pruneResults = try (report.pruneResults ?? []).map { run in
            PruneResult(runID: run.runID, finishedAt: run.finishedAt, json: try JSONColumn.text(run))
        }
    }
}
