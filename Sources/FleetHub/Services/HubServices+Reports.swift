import FleetModel
import FleetStore
import Foundation
import RegistryModel

extension HubServices {
    /// Stores a report (idempotent by sequence); answers only after it is durable.
    public func ingest(cluster: String, report: AgentReport, encoded: Data? = nil) async throws -> ReportAck {
        do {
            try report.validate()
        } catch {
            throw HubError(validation: error)
        }
        let started = ContinuousClock.now
        let ack = try await storeCall { () async throws(StoreError) in try await store.ingest(cluster: cluster, report: report, encoded: encoded) }
        metrics.recordReport(duplicate: ack.duplicate, duration: ContinuousClock.now - started, pruneResults: report.pruneResults ?? [])
        return ack
    }

    /// Prune runs with fleet totals, newest first.
    /// The newest `limit` runs (1…1000); a cluster that never enrolled is 404, not an empty list.
    public func pruneResults(cluster: String?, since: Date?, limit: Int = 100) async throws -> PruneResultsResponse {
        guard (1...1000).contains(limit) else { throw HubError(.badRequest, "query parameter limit must be between 1 and 1000, got \(limit)", field: "limit") }
        if let cluster {
            try Self.requireClusterName(cluster, field: "cluster")
            _ = try await storeCall { () async throws(StoreError) in try await store.cluster(cluster) }
        }
        let records = try await storeCall { () async throws(StoreError) in try await store.pruneResults(cluster: cluster, since: since, limit: limit) }
        return PruneResultsResponse(results: records, totals: PruneTotals(records: records))
    }

    /// The audit log, newest first.
    public func audit(limit: Int, since: Date?, actor: String?) async throws -> [AuditEntry] {
        guard (1...1000).contains(limit) else { throw HubError(.badRequest, "query parameter limit must be between 1 and 1000, got \(limit)", field: "limit") }
        if let actor { try await requireKnownActor(actor) }
        return try await storeCall { () async throws(StoreError) in try await store.audit(limit: limit, since: since, actor: actor) }
    }

    /// An actor the audit log can hold (`admin/NAME`, `cluster/NAME`, `rollout/ID`, `fleet-policy[/NAME]`,
    /// `system`); 400 for another form and 404 for a cluster the hub never had, so a typo is not an empty answer.
    private func requireKnownActor(_ actor: String) async throws {
        let parts = actor.split(separator: "/", maxSplits: 1).map(String.init)
        let kinds: Set<String> = ["admin", "cluster", "rollout", "fleet-policy"]
        let wellFormed = parts.count == 2 ? kinds.contains(parts[0]) && !parts[1].isEmpty : ["system", "fleet-policy"].contains(actor)
        guard wellFormed else {
            throw HubError(.badRequest, "actor \"\(actor)\" is not one the audit log records: use admin/NAME, cluster/NAME, rollout/ID, fleet-policy/NAME or system", field: "actor")
        }
        if parts.count == 2, parts[0] == "cluster" {
            do throws(StoreError) {
                _ = try await store.cluster(parts[1])
            } catch {
                throw HubError(error)
            }
        }
    }
}
