import FleetModel
import FleetStore
import Foundation
import RegistryModel

extension HubServices {
    /// The fleet health report for clusters matching a selector.
    public func health(selector: LabelSelector = .everything) async throws -> FleetHealthReport {
        let records = try await storeCall { () async throws(StoreError) in try await store.clusters(matching: selector) }
        let now = clock.now()
        let summaries = records.map { summary(of: $0, now: now) }
        var reports: [String: AgentReport] = [:]
        for record in records { reports[record.name] = record.latestReport?.report }
        return FleetHealthReport(clusters: summaries, reports: reports, now: now)
    }

    /// Updates the gauges that describe the fleet, just before `/metrics` is rendered.
    func refreshFleetMetrics() async throws {
        let summaries = try await clusterSummaries()
        var states: [ClusterState: Int] = [:]
        for summary in summaries { states[summary.health.state, default: 0] += 1 }
        let rollouts = try await storeCall { () async throws(StoreError) in try await store.rollouts(limit: 1000) }
        var phases: [String: Int] = Dictionary(uniqueKeysWithValues: RolloutPhase.allCases.map { ($0.rawValue, 0) })
        for rollout in rollouts { phases[rollout.phase.rawValue, default: 0] += 1 }
        metrics.recordFleet(states: states, longPolls: notifier.heldCount, rollouts: phases)
        var clusterStates: [String: Int] = [:]
        for rollout in rollouts where rollout.phase.isActive {
            for cluster in rollout.clusters { clusterStates[cluster.state.rawValue, default: 0] += 1 }
        }
        metrics.recordRolloutClusters(clusterStates)
        try await refreshFleetPolicyMetrics(summaries: summaries)
        metrics.recordOpenConnections(apiConnections.openConnections, listener: "api")
        metrics.recordOpenConnections(dashboardConnections.openConnections, listener: "dashboard")
    }

    /// Per fleet policy: the clusters it selects, those whose policy does not yet hold what the fleet
    /// policies call for, and those whose agent has not applied their current policy (drift between the
    /// effective policy and what the cluster reports).
    private func refreshFleetPolicyMetrics(summaries: [ClusterSummary]) async throws {
        let policies = try await storeCall { () async throws(StoreError) in try await store.fleetPolicies() }
        guard !policies.isEmpty else { return metrics.recordFleetPolicies([]) }
        let candidates = try await storeCall { () async throws(StoreError) in try await store.rolloutCandidates() }
        let coverage = Self.coverage(of: policies, candidates: candidates)
        let observed = Dictionary(summaries.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var rows: [(name: String, matched: Int, pending: Int, unconfirmed: Int)] = []
        for policy in policies {
            let matched = coverage[policy.name]?.matched ?? []
            let pending = coverage[policy.name]?.pending ?? 0
            let unconfirmed = matched.filter { candidate in
                observed[candidate.name].map { $0.observedGeneration != $0.desiredGeneration } ?? false
            }.count
            rows.append((policy.name, matched.count, pending, unconfirmed))
        }
        metrics.recordFleetPolicies(rows)
    }
}
