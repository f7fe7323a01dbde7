import Foundation

/// The figures `regfleet bench fleet` prints: as a table for people, as JSON for scripts.
public struct FleetBenchmarkResult: Codable, Sendable {
    /// Latency percentiles in milliseconds.
    public struct Percentiles: Codable, Sendable {
        public var count: Int
        public var p50: Double
        public var p99: Double
        public var max: Double

        init(_ statistics: LatencyStatistics) {
            count = statistics.count
            p50 = statistics.p50 * 1000
            p99 = statistics.p99 * 1000
            max = statistics.max * 1000
        }
    }

    public var clusters = 0
    public var agentProcesses = 0
    /// The store engine (sqlite or postgres) and the hub replicas on it; hub figures are summed over replicas.
    public var database = "sqlite"
    public var replicas = 1
    /// From starting the agents until every cluster is enrolled.
    public var enrollSeconds = 0.0
    /// From starting the agents until every cluster is Healthy.
    public var healthySeconds = 0.0
    /// One cluster's policy written through the API → the confirming report stored, one cluster at a time.
    public var propagationOne: Percentiles?
    /// A fleet-wide change (a one-wave rollout over every cluster): the engine's write → each confirming report.
    public var propagationFleet: Percentiles?
    /// From the fleet-wide rollout's POST until the last cluster confirmed.
    public var fleetChangeSeconds = 0.0
    /// `POST /v1/rollouts` over the whole fleet, answered.
    public var rolloutCreateMilliseconds = 0.0
    /// The same plan as a dry run.
    public var rolloutDryRunMilliseconds = 0.0
    /// A health-gated rollout (canary + waves, soak) over the whole fleet, POST → Succeeded.
    public var rolloutSeconds = 0.0
    /// How that rollout ended.
    public var rolloutPhase = ""
    public var rolloutWaves = 0
    /// `GET /v1/clusters` (whole list), its first page of 500, `GET /v1/health` and the dashboard.
    public var listMilliseconds = 0.0
    public var listPageMilliseconds = 0.0
    public var healthMilliseconds = 0.0
    public var dashboardMilliseconds = 0.0
    /// Hub process at rest (heartbeats only) and during the fleet-wide change and the rollout.
    public var hubRSSRestMiB = 0.0
    public var hubCPURestPercent = 0.0
    public var hubRSSPeakMiB = 0.0
    public var hubCPUChangePercent = 0.0
    /// Reports stored per second at rest and while the fleet-wide change is confirmed (POST to the last report).
    public var ingestionRestPerSecond = 0.0
    public var ingestionChangePerSecond = 0.0
    /// `write_bytes` of the hub process per report stored, at rest.
    public var bytesWrittenPerReport = 0.0
    /// hub.sqlite plus its WAL at the end.
    public var sqliteMiB = 0.0
    /// Reports the hub stored during the whole run.
    public var reportsStored = 0
    /// The agent processes (agents and their simulated clusters with live controllers), summed: CPU at rest
    /// as a percentage of one core, and RSS at rest per cluster.
    public var agentCPURestPercent = 0.0
    public var agentRSSPerClusterMiB = 0.0
    /// CPU the agent processes spent per cluster on the fleet-wide change (apply, operator passes, the
    /// simulated cluster's controllers, reports), beyond their rate at rest.
    public var agentCPUMillisecondsPerChange = 0.0
    /// Busy CPU of the whole machine during the fleet-wide change, in cores (from /proc/stat).
    public var machineBusyCoresDuringChange = 0.0

    public init() {}

    /// The table `--output table` prints.
    public var table: String {
        func ms(_ p: Percentiles?) -> String {
            guard let p else { return "-" }
            return String(format: "p50 %.0f ms · p99 %.0f ms · max %.0f ms (%d)", p.p50, p.p99, p.max, p.count)
        }
        let rows: [(String, String)] = [
            ("clusters (agent processes)", "\(clusters) (\(agentProcesses))"),
            ("hub: store × replicas", "\(database) × \(replicas)" + (replicas > 1 ? " (hub figures summed over replicas)" : "")),
            ("enroll all", String(format: "%.1f s", enrollSeconds)),
            ("all Healthy", String(format: "%.1f s", healthySeconds)),
            ("propagation, one cluster", ms(propagationOne)),
            ("propagation, fleet-wide", ms(propagationFleet)),
            ("fleet-wide change confirmed by all", String(format: "%.1f s", fleetChangeSeconds)),
            ("POST /v1/rollouts (dry run)", String(format: "%.0f ms (%.0f ms)", rolloutCreateMilliseconds, rolloutDryRunMilliseconds)),
            ("health-gated rollout end to end", String(format: "%.1f s, ", rolloutSeconds) + "\(rolloutPhase), \(rolloutWaves) waves"),
            ("GET /v1/clusters all · page of 500", String(format: "%.0f ms · %.0f ms", listMilliseconds, listPageMilliseconds)),
            ("GET /v1/health · dashboard", String(format: "%.0f ms · %.0f ms", healthMilliseconds, dashboardMilliseconds)),
            ("hub RSS at rest · peak", String(format: "%.0f MiB · %.0f MiB", hubRSSRestMiB, hubRSSPeakMiB)),
            ("hub CPU at rest · during change", String(format: "%.0f %% · %.0f %% of one core", hubCPURestPercent, hubCPUChangePercent)),
            ("reports stored/s at rest · fleet-wide change", String(format: "%.0f · %.0f", ingestionRestPerSecond, ingestionChangePerSecond)),
            ("bytes written per report (at rest)", String(format: "%.0f B", bytesWrittenPerReport)),
            ("agents: CPU at rest · RSS per cluster", String(format: "%.0f %% of one core · %.2f MiB", agentCPURestPercent, agentRSSPerClusterMiB)),
            ("agents: CPU per cluster for the change", String(format: "%.1f ms (machine busy %.2f cores during the change)", agentCPUMillisecondsPerChange, machineBusyCoresDuringChange)),
            database == "sqlite"
                ? ("SQLite file (with WAL)", String(format: "%.1f MiB, %d reports stored", sqliteMiB, reportsStored))
                : ("reports stored", "\(reportsStored) (PostgreSQL's own writes are not in the hub's bytes)"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
