import FleetModel
import Foundation
import Metrics
import Prometheus
import RegistryModel

/// The hub's metrics, recorded through swift-metrics with a per-hub Prometheus registry (not the
/// process-global metrics system, so several hubs can run in one process — tests, the demo) and
/// served as Prometheus text at `/metrics`.
public final class HubMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let reportsIngested: CoreMetrics.Counter
    let reportsDuplicate: CoreMetrics.Counter
    let reportLatency: CoreMetrics.Timer
    /// Set from the notifier's exact count when `/metrics` is scraped.
    let longPollsHeld: CoreMetrics.Gauge
    let pruneBytesReclaimed: CoreMetrics.Counter

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30), .seconds(60),
        ]
        self.factory = factory
        reportsIngested = CoreMetrics.Counter(label: "regfleet_reports_ingested_total", factory: factory)
        reportsDuplicate = CoreMetrics.Counter(label: "regfleet_reports_duplicate_total", factory: factory)
        reportLatency = CoreMetrics.Timer(label: "regfleet_report_ingest_seconds", factory: factory)
        longPollsHeld = CoreMetrics.Gauge(label: "regfleet_longpoll_connections", factory: factory)
        pruneBytesReclaimed = CoreMetrics.Counter(label: "regfleet_prune_reclaimable_bytes_total", factory: factory)
    }

    /// A connection limit was hit (`ConnectionLimits`): how often each one closes or refuses
    /// connections tells an operator whether the limits or a peer are wrong.
    func recordConnectionLimit(_ limit: ConnectionLimit) {
        CoreMetrics.Counter(label: "regfleet_hub_connection_limit_total", dimensions: [("limit", limit.rawValue)], factory: factory).increment()
    }

    /// Open connections per listener, set when `/metrics` is scraped.
    func recordOpenConnections(_ count: Int, listener: String) {
        CoreMetrics.Gauge(label: "regfleet_hub_connections", dimensions: [("listener", listener)], factory: factory).record(count)
    }

    /// One HTTP request, by route pattern, method and status.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        CoreMetrics.Timer(
            label: "regfleet_http_request_duration_seconds", dimensions: [("route", route), ("method", method), ("status", String(status))],
            factory: factory
        ).recordInterval(duration)
    }

    /// A report the store accepted.
    func recordReport(duplicate: Bool, duration: Duration, pruneResults: [PruneReport]) {
        (duplicate ? reportsDuplicate : reportsIngested).increment()
        reportLatency.recordInterval(duration)
        if !duplicate {
            let bytes = SaturatingSum.of(pruneResults.filter { !$0.dryRun }.map { max(0, $0.reclaimableBytes) })
            if bytes > 0 { pruneBytesReclaimed.increment(by: bytes) }
        }
    }

    /// Sets the gauges that describe the fleet right now (computed when `/metrics` is scraped).
    func recordFleet(states: [ClusterState: Int], longPolls: Int, rollouts: [String: Int]) {
        for state in ClusterState.allCases {
            CoreMetrics.Gauge(label: "regfleet_clusters", dimensions: [("state", state.rawValue)], factory: factory).record(states[state] ?? 0)
        }
        longPollsHeld.record(longPolls)
        for (phase, count) in rollouts {
            CoreMetrics.Gauge(label: "regfleet_rollouts", dimensions: [("phase", phase)], factory: factory).record(count)
        }
    }

    /// Clusters of active rollouts per rollout state (Pending, Applying, Soaking, …).
    func recordRolloutClusters(_ states: [String: Int]) {
        for state in ["Pending", "Applying", "Soaking", "Succeeded", "Failed", "RolledBack"] {
            CoreMetrics.Gauge(label: "regfleet_rollout_clusters", dimensions: [("state", state)], factory: factory).record(states[state] ?? 0)
        }
    }

    /// The Prometheus text exposition.
    /// Per fleet policy, set when `/metrics` is scraped: selected clusters, clusters still to change, and
    /// clusters whose agent has not confirmed their current policy.
    func recordFleetPolicies(_ rows: [(name: String, matched: Int, pending: Int, unconfirmed: Int)]) {
        for row in rows {
            let dimensions = [("fleet_policy", row.name)]
            CoreMetrics.Gauge(label: "regfleet_fleet_policy_clusters", dimensions: dimensions, factory: factory).record(row.matched)
            CoreMetrics.Gauge(label: "regfleet_fleet_policy_pending_clusters", dimensions: dimensions, factory: factory).record(row.pending)
            CoreMetrics.Gauge(label: "regfleet_fleet_policy_unconfirmed_clusters", dimensions: dimensions, factory: factory).record(row.unconfirmed)
        }
    }

    public func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

extension CoreMetrics.Timer {
    /// Records a Swift `Duration`.
    func recordInterval(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
