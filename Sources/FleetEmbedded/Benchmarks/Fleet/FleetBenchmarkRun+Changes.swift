import FleetClient
import FleetModel
import Foundation
import RegistryModel

extension FleetBenchmarkRun {
    /// One cluster's policy written through `PUT /v1/clusters/{name}/policy`, one cluster at a time; each
    /// latency is from just before the write to the hub's arrival time of the report that confirms it (the
    /// generation applied, the operator's pass done, Healthy).
    func measureSingleChanges() async throws -> LatencyStatistics {
        let samples = min(options.singleSamples, options.clusters)
        progress("propagation to one cluster, \(samples) times")
        let names = names
        var latencies: [Double] = []
        let begun = ContinuousClock.now
        for sample in 0..<samples {
            let name = names[sample * names.count / samples]
            let written = Date()
            let document = try await admin.putPolicy(name, PolicyUpdateRequest(policy: FleetPolicy(pruner: PrunerPolicy(keepTagRevisions: 7))))
            let deadline = ContinuousClock.now + .seconds(120)
            while true {
                let summary = try await admin.cluster(name).summary
                if (summary.observedGeneration ?? 0) >= document.generation, summary.health.state == .healthy, let stored = summary.lastReportAt {
                    latencies.append(stored.timeIntervalSince(written))
                    break
                }
                guard ContinuousClock.now < deadline else { throw FleetBenchmarkError("\(name) did not confirm generation \(document.generation)") }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        return LatencyStatistics(latencies: latencies, seconds: (ContinuousClock.now - begun) / .seconds(1))
    }

    /// A change to every cluster at once: a one-wave rollout without canary or soak, so the engine writes every
    /// cluster's policy in one batch; each latency runs from the engine's write (`appliedAt`) to the arrival of
    /// the cluster's first report carrying the generation.
    func measureFleetWideChange(_ result: inout FleetBenchmarkResult) async throws {
        progress("fleet-wide change: one wave over all \(options.clusters) clusters")
        let plan = RolloutPlan(
            name: "bench-fleet-wide", selector: RolloutPlan.allClusters, change: FleetPolicy(pruner: PrunerPolicy(keepTagRevisions: 9)),
            strategy: RolloutStrategy(maxConcurrency: .percent(100), soakSeconds: 0, progressDeadlineSeconds: 900, maxFailures: .percent(100), autoRollback: false))
        let posted = Date()
        var rollout = try await admin.createRollout(plan)
        var confirmed: [String: Date] = [:]
        let deadline = ContinuousClock.now + options.phaseTimeout
        var lastProgress = ContinuousClock.now
        while confirmed.count < rollout.clusters.count {
            guard ContinuousClock.now < deadline else { throw FleetBenchmarkError("the fleet-wide change was not confirmed by every cluster in time") }
            if rollout.clusters.contains(where: { $0.targetGeneration == nil }) { rollout = try await admin.rollout(rollout.id) }
            let targets = Dictionary(rollout.clusters.compactMap { cluster in cluster.targetGeneration.map { (cluster.name, $0) } }, uniquingKeysWith: max)
            for summary in try await admin.clusters(pageSize: 1000) where confirmed[summary.name] == nil {
                guard let target = targets[summary.name], (summary.observedGeneration ?? 0) >= target, let stored = summary.lastReportAt else { continue }
                confirmed[summary.name] = stored
            }
            if ContinuousClock.now - lastProgress > .seconds(3) {
                lastProgress = .now
                progress("fleet-wide change: \(confirmed.count)/\(rollout.clusters.count) confirmed")
            }
            // The latencies use the hub's arrival times, so polling slowly loses no precision and keeps the
            // benchmark's own reads from loading the hub it measures.
            try await Task.sleep(for: .seconds(2))
        }
        rollout = try await waitUntilDone(rollout.id)
        let latencies = rollout.clusters.compactMap { cluster in
            cluster.appliedAt.flatMap { applied in confirmed[cluster.name].map { $0.timeIntervalSince(applied) } }
        }
        let statistics = LatencyStatistics(latencies: latencies, seconds: 0)
        result.propagationFleet = FleetBenchmarkResult.Percentiles(statistics)
        result.fleetChangeSeconds = (confirmed.values.max() ?? posted).timeIntervalSince(posted)
        progress(String(format: "fleet-wide change confirmed by all %d in %.1fs (p99 %.0f ms)", latencies.count, result.fleetChangeSeconds, statistics.p99 * 1000))
    }

    /// A health-gated rollout over the whole fleet (a canary, then waves of a third, a soak): the dry run, the
    /// create request, and the time until it has finished.
    func measureRollout(_ result: inout FleetBenchmarkResult) async throws {
        let plan = RolloutPlan(
            name: "bench-rollout", selector: RolloutPlan.allClusters, change: FleetPolicy(registry: RegistryPolicy(replicas: 2)),
            strategy: RolloutStrategy(
                canary: CanarySpec(count: 1), maxConcurrency: .percent(34), soakSeconds: 2, progressDeadlineSeconds: 900, maxFailures: .percent(5)))
        var started = ContinuousClock.now
        _ = try await admin.previewRollout(plan)
        result.rolloutDryRunMilliseconds = (ContinuousClock.now - started) / .milliseconds(1)
        progress("health-gated rollout over all \(options.clusters) clusters (canary, waves of 34%, soak 2s)")
        started = ContinuousClock.now
        let rollout = try await admin.createRollout(plan)
        result.rolloutCreateMilliseconds = (ContinuousClock.now - started) / .milliseconds(1)
        let finished = try await waitUntilDone(rollout.id, reporting: true)
        result.rolloutSeconds = (ContinuousClock.now - started) / .seconds(1)
        result.rolloutPhase = finished.phase.rawValue
        result.rolloutWaves = finished.waves.count
        progress("rollout \(finished.phase.rawValue) after " + String(format: "%.1fs", result.rolloutSeconds))
    }

    /// Polls the rollout until it is no longer active.
    func waitUntilDone(_ id: String, reporting: Bool = false) async throws -> Rollout {
        let deadline = ContinuousClock.now + options.phaseTimeout
        var lastProgress = ContinuousClock.now
        while ContinuousClock.now < deadline {
            let rollout = try await admin.rollout(id)
            if !rollout.phase.isActive { return rollout }
            if reporting, ContinuousClock.now - lastProgress > .seconds(3) {
                lastProgress = .now
                let states = Dictionary(grouping: rollout.clusters, by: \.state.rawValue).mapValues(\.count).sorted { $0.key < $1.key }
                progress("rollout \(rollout.phase.rawValue): " + states.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
            try await Task.sleep(for: .seconds(1))
        }
        throw FleetBenchmarkError("rollout \(id) did not finish within \(options.phaseTimeout)")
    }

    /// How long the admin reads take at this fleet size.
    func measureReads(_ result: inout FleetBenchmarkResult) async throws {
        func timed(_ path: String) async throws -> Double {
            let started = ContinuousClock.now
            let (status, _) = try await admin.connection.send(.GET, path)
            guard status == 200 else { throw FleetBenchmarkError("GET \(path) answered \(status)") }
            return (ContinuousClock.now - started) / .milliseconds(1)
        }
        result.listMilliseconds = try await timed("/v1/clusters")
        result.listPageMilliseconds = try await timed("/v1/clusters?limit=500")
        result.healthMilliseconds = try await timed("/v1/health")
        result.dashboardMilliseconds = try await timed("/")
    }
}
