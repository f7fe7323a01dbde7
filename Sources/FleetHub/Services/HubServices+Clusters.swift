import FleetModel
import FleetStore
import Foundation
import RegistryModel

extension HubServices {
    /// Clusters matching a selector, with their health.
    public func clusterSummaries(selector: LabelSelector = .everything) async throws -> [ClusterSummary] {
        let now = clock.now()
        return try await storeCall { () async throws(StoreError) in try await store.clusters(matching: selector) }
            .map { summary(of: $0, now: now) }
    }

    /// The enrolled clusters among `names` with their health, by name, from one store query;
    /// a deleted or unknown name is absent.
    public func clusterSummaries(named names: Set<String>) async throws -> [String: ClusterSummary] {
        guard !names.isEmpty else { return [:] }
        let records = try await storeCall { () async throws(StoreError) in try await store.clusters(named: names) }
        let now = clock.now()
        return Dictionary(records.map { ($0.name, summary(of: $0, now: now)) }, uniquingKeysWith: { first, _ in first })
    }

    /// One cluster with its policy, latest report and certificates.
    public func clusterDetail(_ name: String) async throws -> ClusterDetail {
        try Self.requireClusterName(name, field: "name")
        let record = try await storeCall { () async throws(StoreError) in try await store.cluster(name) }
        guard record.isActive else { throw HubError(.notFound, "cluster \"\(name)\" was deleted") }
        let policy = try await storeCall { () async throws(StoreError) in try await store.policy(cluster: name) }
        let certificates = try await storeCall { () async throws(StoreError) in try await store.certificates(cluster: name) }
        return ClusterDetail(
            summary: summary(of: record, now: clock.now()), policy: policy, latestReport: record.latestReport?.report,
            certificateSerials: certificates.filter { $0.revokedAt == nil }.map(\.serial))
    }

    /// Replaces a cluster's labels.
    public func setLabels(cluster: String, labels: [String: String], actor: String) async throws -> ClusterSummary {
        try Self.requireClusterName(cluster, field: "name")
        let errors = DNSNames.validateLabels(labels, path: "labels")
        if !errors.isEmpty { throw HubError(validation: ValidationErrors(errors)) }
        let record = try await storeCall { () async throws(StoreError) in try await store.setLabels(cluster: cluster, labels: labels, actor: actor) }
        fleetPolicyChanged()
        return summary(of: record, now: clock.now())
    }

    /// Deletes a cluster: every certificate it holds is revoked and its agent can no longer connect.
    public func deleteCluster(_ name: String, actor: String) async throws -> [String] {
        try Self.requireClusterName(name, field: "name")
        let revoked = try await storeCall { () async throws(StoreError) in try await store.deleteCluster(name, actor: actor) }
        markDeleted(name, true)
        logger.info("cluster deleted", metadata: ["cluster": "\(name)", "revoked": "\(revoked.count)"])
        return revoked
    }

    /// The summary the API and the dashboard show.
    func summary(of record: ClusterRecord, now: Date) -> ClusterSummary {
        let report = record.latestReport?.report
        let health = ClusterHealth.evaluate(
            report: report, receivedAt: record.lastReportAt, desiredGeneration: record.policyGeneration, now: now, lease: configuration.lease)
        return ClusterSummary(
            name: record.name, labels: record.labels, enrolledAt: record.enrolledAt, health: health, desiredGeneration: record.policyGeneration,
            observedGeneration: report?.observedGeneration, managementState: Self.observedManagementState(report), lastReportAt: record.lastReportAt,
            agentVersion: report?.agentVersion)
    }

    /// The management state the report observed; nil for a report of an agent that has not reached its cluster's
    /// API server since it started (its registry observation is a placeholder).
    static func observedManagementState(_ report: AgentReport?) -> ManagementState? {
        guard let report else { return nil }
        if let unreachable = report.clusterAPIUnreachable, unreachable.lastObservedAt == nil { return nil }
        return report.registry.managementState
    }
}

extension HubServices {
    /// Most clusters one page may ask for.
    static let clusterPageLimit = 10_000

    /// One page of the clusters matching `selector` (given as the query text, `""` for all), at most `limit`, after
    /// the page `continueToken` ended; the answer's `continueToken` asks for the next page and is nil on the
    /// last. 400 naming `limit` or `continue` when either is not usable.
    public func clusterPage(selector selectorText: String, limit: Int, continueToken: String?) async throws -> ClusterList {
        guard (1...Self.clusterPageLimit).contains(limit) else {
            throw HubError(.badRequest, "limit must be between 1 and \(Self.clusterPageLimit), got \(limit)", field: "limit")
        }
        let selector: LabelSelector
        do {
            selector = selectorText.isEmpty ? .everything : try LabelSelector(parsing: selectorText)
        } catch {
            throw HubError(.badRequest, error.message, field: "selector")
        }
        let after = try continueToken.map { (text: String) throws(HubError) in try ClusterListContinue.decode(text, selector: selectorText) }
        let page = try await storeCall { () async throws(StoreError) in try await store.clusters(matching: selector, after: after?.after, limit: limit) }
        let now = clock.now()
        let next = page.hasMore ? page.records.last.map { ClusterListContinue(after: $0.name, selector: selectorText).encoded() } : nil
        return ClusterList(clusters: page.records.map { summary(of: $0, now: now) }, continueToken: next)
    }
}
