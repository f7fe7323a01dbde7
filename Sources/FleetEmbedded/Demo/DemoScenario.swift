import FleetClient
import FleetHub
import FleetModel
import Foundation
import KubeSimulator
import Logging
import RegistryModel

/// The story `regfleet demo` tells: a hub and N agents on simulated clusters over real mutual
/// TLS; enrollment with tokens; a health-gated rollout of Managed everywhere (one cluster's
/// registry image cannot be pulled, so it ends Degraded); Removed, acknowledged, on the staging
/// clusters; a pruner policy; one agent stopped to show Offline; then the fleet keeps running.
public struct DemoScenario: Sendable {
    public var clusters: Int
    public var directory: URL
    public var lease: TimeInterval = 30
    /// Where progress goes (the CLI prints it).
    public var output: @Sendable (String) -> Void
    /// The largest demo: every agent and simulated cluster runs in this one process, so the walkthrough's
    /// time grows with the fleet; 1,000 was measured to complete on a 2-core machine (README, Scale). Larger fleets
    /// belong in `regfleet bench fleet`, which spreads the agents over processes.
    public static let maxClusters = 2000

    public init(clusters: Int, directory: URL, output: @escaping @Sendable (String) -> Void) {
        self.clusters = clusters
        self.directory = directory
        self.output = output
    }

    /// The outcome, for the closing table and the benchmark figures.
    public struct Outcome: Sendable {
        public var fleet: EmbeddedFleet
        public var convergedAfter: TimeInterval
        public var totalSeconds: TimeInterval
    }

    /// A cluster's name and labels: alternating prod/staging, three regions, one canary.
    public static func layout(count: Int) -> [(name: String, labels: [String: String])] {
        let regions = ["eu", "us", "ap"]
        return (0..<count).map { index in
            let env = index % 3 == 2 ? "staging" : "prod"
            let region = regions[index % regions.count]
            var labels = ["env": env, "region": region]
            if index == 0 { labels["canary"] = "true" }
            return (String(format: "%@-%@-%02d", env, region, index + 1), labels)
        }
    }

    /// The cluster whose registry image cannot be pulled.
    public static func faultyIndex(count: Int) -> Int? { count >= 4 ? 3 : nil }

    public func run(logger: Logger) async throws -> Outcome {
        let started = Date()
        try? FileManager.default.removeItem(at: directory)
        output("RegistryFleet demo: \(clusters) simulated clusters, one hub, mutual TLS on loopback")
        output("")
        output("1/7  starting the hub (PKI in \(directory.path)/pki, SQLite \(directory.path)/hub.sqlite)")
        let hub = try await EmbeddedHub.start(directory: directory, lease: lease, dashboardPort: 0, logger: logger)
        var options = EmbeddedFleet.Options()
        // Agents report each condition change as it happens, so the heartbeat only keeps the lease: stretching it
        // with the fleet's size (up to a third of the lease) keeps the hub's report load flat as the fleet grows.
        options.reportInterval = min(lease / 3, max(2, Double(clusters) / 100))
        let fleet = EmbeddedFleet(hub: hub, options: options, logger: logger)
        do {
            return try await tell(fleet: fleet, started: started)
        } catch {
            await fleet.stop()
            throw error
        }
    }

    private func tell(fleet: EmbeddedFleet, started: Date) async throws -> Outcome {
        let hub = fleet.hub
        output("     hub API https://127.0.0.1:\(hub.server.port) · dashboard http://127.0.0.1:\(hub.server.dashboardPort ?? 0)/")
        output("2/7  creating \(clusters) simulated clusters; each agent makes its key, enrolls with a bootstrap token and reports")
        let layout = Self.layout(count: clusters)
        let faulty = Self.faultyIndex(count: clusters)
        for (index, entry) in layout.enumerated() {
            try await fleet.addCluster(entry.name, labels: entry.labels) { cluster in
                if index == faulty {
                    await cluster.injectImagePullFailure(
                        namespace: RegistryNames.namespace, deployment: RegistryNames.registryDeployment,
                        message: "registry.alauda.io/image-registry/registry:v2.8: manifest unknown")
                }
            }
        }
        try await waitFor("agents enrolled and reporting", timeout: scaled(120)) {
            let summaries = try await hub.admin.clusters()
            let reporting = summaries.filter { $0.lastReportAt != nil }.count
            return (reporting == clusters, "\(reporting)/\(clusters) reporting · \(Self.counts(summaries))")
        }

        output("3/7  rollout: managementState Managed everywhere (canary first, then waves of 50%, up to 20% failures allowed)")
        let managed = try await hub.admin.createRollout(
            RolloutPlan(
                name: "managed-everywhere", selector: RolloutPlan.allClusters, change: FleetPolicy(registry: RegistryPolicy(managementState: .managed, replicas: 1)),
                strategy: RolloutStrategy(
                    canary: CanarySpec(selector: "canary=true"), maxConcurrency: .percent(50), soakSeconds: 3, progressDeadlineSeconds: Int(scaled(90)),
                    maxFailures: .percent(20))))
        let managedDone = try await followRollout(managed.id, hub: hub)
        let convergedAfter = Date().timeIntervalSince(started)
        output("     fleet converged \(String(format: "%.1f", convergedAfter))s after start")
        if let faulty {
            output("     \(layout[faulty].name) is Degraded on purpose: its registry image cannot be pulled")
        }
        _ = managedDone

        output("4/7  rollout: Removed on env=staging (storage is operator-managed, so the data loss is acknowledged)")
        let removed = try await hub.admin.createRollout(
            RolloutPlan(
                name: "remove-staging", selector: "env=staging", change: FleetPolicy(registry: RegistryPolicy(managementState: .removed)),
                strategy: RolloutStrategy(maxConcurrency: .percent(100), soakSeconds: 2, progressDeadlineSeconds: Int(scaled(90)), maxFailures: .percent(50)),
                acknowledgeDataLoss: true))
        _ = try await followRollout(removed.id, hub: hub)

        output("5/7  fleet policy: every prod cluster in region us logs at Debug, including clusters that join later")
        _ = try await hub.admin.applyFleetPolicy(
            "us-prod-debug",
            FleetPolicySpec(
                selector: "env=prod,region=us", template: FleetPolicy(registry: RegistryPolicy(logLevel: "Debug")),
                strategy: RolloutStrategy(maxConcurrency: .percent(50), soakSeconds: 1, progressDeadlineSeconds: Int(scaled(90)), maxFailures: .percent(20))))
        try await waitFor("the fleet policy to reach its clusters", timeout: scaled(150)) {
            let status = try await hub.admin.fleetPolicy("us-prod-debug").status
            let rollout = status?.lastRollout.map { " · rollout \($0) \(status?.lastRolloutPhase?.rawValue ?? "")" } ?? ""
            let settled = status?.pendingClusters == 0 && status?.lastRolloutPhase?.isActive != true
            return (settled, "\(status?.matchedClusters ?? 0) matched · \(status?.pendingClusters ?? 0) still to change\(rollout)")
        }
        let joiner = String(format: "prod-us-%02d", clusters + 1)
        output("     \(joiner) enrolls now with env=prod,region=us: its first desired state already holds the fleet policy")
        _ = try await fleet.addCluster(joiner, labels: ["env": "prod", "region": "us"])
        try await waitFor("\(joiner) on the fleet policy", timeout: scaled(120)) {
            let summary: ClusterSummary
            do {
                summary = try await hub.admin.cluster(joiner).summary
            } catch let error as HubClientError where error.status == 404 {
                return (false, "\(joiner): enrolling")
            }
            let source = try await hub.admin.effectivePolicy(joiner).fields.first { $0.path == "registry.logLevel" }?.source ?? "-"
            let applied = summary.observedGeneration == summary.desiredGeneration && summary.health.state == .healthy
            return (applied && source == "fleet-policy/us-prod-debug", "\(joiner): registry.logLevel from \(source) · \(summary.health.state.rawValue)")
        }

        output("6/7  rollout: pruner policy on env=prod (keep 5 revisions and anything younger than 2h, run every minute)")
        let pruner = try await hub.admin.createRollout(
            RolloutPlan(
                name: "prune-prod", selector: "env=prod",
                change: FleetPolicy(pruner: PrunerPolicy(schedule: "* * * * *", suspend: false, keepTagRevisions: 5, keepYoungerThanDuration: "2h")),
                strategy: RolloutStrategy(maxConcurrency: .percent(100), soakSeconds: 1, progressDeadlineSeconds: Int(scaled(90)), maxFailures: .percent(20))))
        _ = try await followRollout(pruner.id, hub: hub)
        let silenced = fleet.all.last { $0.labels["env"] == "prod" && $0.name != layout[faulty ?? 0].name }
        if let silenced {
            output("     stopping the agent of \(silenced.name): it will show Offline after the \(Int(lease))s lease, never Healthy")
            await fleet.stopAgent(silenced.name)
        }
        try await waitFor("first prune results reported", timeout: scaled(150)) {
            let results = try await hub.admin.pruneResults()
            let offline = try await hub.admin.clusters().filter { $0.health.state == .offline }.count
            return (results.totals.clusters >= 1 && (silenced == nil || offline >= 1), "\(results.totals.runs) prune run(s) reported · \(offline) offline")
        }

        output("7/7  the fleet")
        output("")
        return Outcome(fleet: fleet, convergedAfter: convergedAfter, totalSeconds: Date().timeIntervalSince(started))
    }

    /// `seconds` for the 100 clusters the figures were set for, stretched by the fleet's size beyond that: every
    /// agent and simulated cluster shares the same cores, so a fleet ten times larger converges more slowly.
    func scaled(_ seconds: TimeInterval) -> TimeInterval {
        seconds * max(1, Double(clusters) / 100)
    }

    /// Prints a progress line per second until the rollout is no longer active.
    private func followRollout(_ id: String, hub: EmbeddedHub) async throws -> Rollout {
        var last = ""
        let deadline = Date().addingTimeInterval(scaled(300))
        while Date() < deadline {
            let rollout = try await hub.admin.rollout(id)
            let waves = rollout.waves.indices.map { wave -> String in
                let clusters = rollout.clusters(inWave: wave)
                let done = clusters.filter { $0.state == .succeeded }.count
                let failed = clusters.filter { $0.state == .failed }.count
                return "\(rollout.waves[wave]) \(done)/\(clusters.count)\(failed > 0 ? " (\(failed) failed)" : "")"
            }.joined(separator: " · ")
            let line = "     \(rollout.id) \(rollout.phase.rawValue): \(waves)"
            if line != last {
                output(line)
                last = line
            }
            if !rollout.phase.isActive {
                if let message = rollout.message { output("     \(message)") }
                return rollout
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw HubClientError(status: 0, code: "timeout", message: "rollout \(id) did not finish within 5 minutes")
    }

    private func waitFor(_ goal: String, timeout: TimeInterval, _ check: () async throws -> (Bool, String)) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while true {
            let (done, line) = try await check()
            if line != last {
                output("     \(line)")
                last = line
            }
            if done { return }
            guard Date() < deadline else { throw HubClientError(status: 0, code: "timeout", message: "\(goal): not reached within \(Int(timeout))s") }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// `3 Healthy, 1 Degraded, …`
    static func counts(_ summaries: [ClusterSummary]) -> String {
        ClusterState.allCases.compactMap { state in
            let count = summaries.filter { $0.health.state == state }.count
            return count > 0 ? "\(count) \(state.rawValue)" : nil
        }.joined(separator: ", ")
    }
}
