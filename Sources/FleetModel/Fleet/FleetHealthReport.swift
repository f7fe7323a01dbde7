import Foundation
import RegistryModel

/// `GET /v1/health`: the fleet at a glance — counts per state overall and per label group, and
/// every cluster that is not healthy with its reason and since when.
public struct FleetHealthReport: Codable, Hashable, Sendable {
    public var total: Int
    /// Clusters per state (`Healthy`, `Degraded`, …); every state is present.
    public var counts: [String: Int]
    /// Counts per value of each label key (e.g. `env=prod`).
    public var groups: [LabelGroupHealth]
    public var unhealthy: [UnhealthyCluster]
    /// Clusters whose newest pruner job failed (kept apart from registry health).
    public var prunerFailing: [String]
    public var generatedAt: Date

    public init(total: Int, counts: [String: Int], groups: [LabelGroupHealth], unhealthy: [UnhealthyCluster], prunerFailing: [String], generatedAt: Date) {
        self.total = total
        self.counts = counts
        self.groups = groups
        self.unhealthy = unhealthy
        self.prunerFailing = prunerFailing
        self.generatedAt = generatedAt
    }

    /// Builds the report from cluster summaries. `since` comes from the cause: the last report
    /// for Offline clusters, the start of the outage for Unreachable ones, the condition's
    /// transition time otherwise.
    public init(clusters: [ClusterSummary], reports: [String: AgentReport], now: Date) {
        var counts = Dictionary(uniqueKeysWithValues: ClusterState.allCases.map { ($0.rawValue, 0) })
        var groups: [String: [String: Int]] = [:]
        for cluster in clusters {
            counts[cluster.health.state.rawValue, default: 0] += 1
            for (key, value) in cluster.labels {
                groups["\(key)=\(value)", default: Dictionary(uniqueKeysWithValues: ClusterState.allCases.map { ($0.rawValue, 0) })][cluster.health.state.rawValue, default: 0] += 1
            }
        }
        let unhealthy = clusters.filter { ![.healthy, .removed].contains($0.health.state) }.map { cluster -> UnhealthyCluster in
            let conditions = reports[cluster.name]?.registry.conditions ?? []
            let since: Date?
            switch cluster.health.state {
            case .offline: since = cluster.lastReportAt
            case .unreachable: since = reports[cluster.name]?.clusterAPIUnreachable?.since ?? cluster.lastReportAt
            case .unknown: since = cluster.enrolledAt
            case .degraded: since = conditions[type: ConfigConditionType.degraded]?.lastTransitionTime
            default: since = conditions[type: ConfigConditionType.progressing]?.lastTransitionTime ?? cluster.lastReportAt
            }
            return UnhealthyCluster(
                cluster: cluster.name, labels: cluster.labels, state: cluster.health.state, reason: cluster.health.reason, message: cluster.health.message,
                since: since)
        }
        self.init(
            total: clusters.count, counts: counts,
            groups: groups.keys.sorted().map { key in
                let parts = key.split(separator: "=", maxSplits: 1).map(String.init)
                return LabelGroupHealth(label: parts[0], value: parts.count > 1 ? parts[1] : "", counts: groups[key]!)
            },
            unhealthy: unhealthy.sorted { ($0.state.rawValue, $0.cluster) < ($1.state.rawValue, $1.cluster) },
            prunerFailing: clusters.filter(\.health.prunerFailing).map(\.name).sorted(), generatedAt: now)
    }
}

/// Counts for the clusters carrying one label value.
public struct LabelGroupHealth: Codable, Hashable, Sendable {
    public var label: String
    public var value: String
    public var counts: [String: Int]
    public init(label: String, value: String, counts: [String: Int]) {
        self.label = label
        self.value = value
        self.counts = counts
    }
}

/// A cluster that needs attention.
public struct UnhealthyCluster: Codable, Hashable, Sendable {
    public var cluster: String
    public var labels: [String: String]
    public var state: ClusterState
    public var reason: String
    public var message: String
    public var since: Date?
    public init(cluster: String, labels: [String: String], state: ClusterState, reason: String, message: String, since: Date?) {
        self.cluster = cluster
        self.labels = labels
        self.state = state
        self.reason = reason
        self.message = message
        self.since = since
    }
}
