import FleetModel
import Foundation
import Logging
import RegistryModel

/// The store's ingest benchmark, run by `regfleet bench store`: many agents reporting at once
/// into a fresh file with the production durability settings.
public enum StoreBenchmark {
    /// Enrolls `clusters` clusters in a new store at `path` (which must not exist), then sends
    /// `reportsPerCluster` reports per cluster with `concurrency` reports in flight, and measures
    /// throughput, acknowledgement latency and transactions.
    public static func ingest(
        path: String, clusters: Int, reportsPerCluster: Int, concurrency: Int,
        configuration: FleetStoreConfiguration = FleetStoreConfiguration(), logger: Logger = Logger(label: "regfleet.bench")
    ) async throws(StoreError) -> BenchmarkResult {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError(code: .alreadyExists, message: "\(path) exists; the benchmark needs a new file", field: "path")
        }
        let store = try FleetStore(path: path, logger: logger, configuration: configuration)
        let names = (0..<max(1, clusters)).map { "bench-\($0)" }
        for name in names {
            let token = try await store.createToken(cluster: name, labels: ["bench": "true"], ttl: 3600, createdBy: "admin/bench")
            _ = try await store.enroll(token: token.token, cluster: name)
        }
        let total = names.count * max(1, reportsPerCluster)
        let workers = max(1, min(concurrency, total))
        let clock = ContinuousClock()
        let start = clock.now
        let outcomes = await withTaskGroup(of: Result<[Double], StoreError>.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var latencies: [Double] = []
                    // Worker w sends items w, w + workers, …; item i is report i / clusters + 1 of
                    // cluster i % clusters, so every cluster's sequences arrive roughly in order.
                    for item in stride(from: worker, to: total, by: workers) {
                        let report = sampleReport(sequence: Int64(item / names.count + 1), item: item)
                        let sent = clock.now
                        do throws(StoreError) {
                            _ = try await store.ingest(cluster: names[item % names.count], report: report)
                        } catch {
                            return .failure(error)
                        }
                        latencies.append(milliseconds(sent.duration(to: clock.now)))
                    }
                    return .success(latencies)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = milliseconds(start.duration(to: clock.now)) / 1000
        let transactions = store.ingestStatistics.transactions
        try await store.close()
        var latencies: [Double] = []
        for outcome in outcomes { latencies += try outcome.get() }
        latencies.sort()
        return BenchmarkResult(
            reports: latencies.count, seconds: elapsed, reportsPerSecond: Double(latencies.count) / max(elapsed, 1e-9),
            p50Milliseconds: percentile(latencies, 0.50), p99Milliseconds: percentile(latencies, 0.99), transactions: transactions)
    }

    /// A report the size of a real one: conditions, five workloads, and a prune run every 20th.
    static func sampleReport(sequence: Int64, item: Int) -> AgentReport {
        let now = Date()
        let conditions = ["Available", "Progressing", "Degraded", "Removed"].map { type in
            Condition(
                type: type, status: type == "Available" ? .true : .false, reason: "Ready", message: "The registry is ready",
                lastTransitionTime: now)
        }
        let workloads = ["image-registry", "image-api-server", "node-ca", "v1.image.registry.io", "image-pruner"].map { name in
            WorkloadStatus(kind: "Deployment", name: name, present: true, ready: true, desired: 2, readyCount: 2)
        }
        let prune =
            item % 20 == 0
            ? [
                PruneReport(
                    runID: "bench-run-\(item)", registryURL: "https://image-registry.svc:5000", dryRun: false, startedAt: now,
                    finishedAt: now, repositoriesScanned: 12, manifestsScanned: 340, keptByRule: ["young": 200, "revisions": 120],
                    deleted: 20, unreferencedBlobs: 44, reclaimableBytes: 1_234_567_890)
            ] : nil
        return AgentReport(
            sequence: sequence, observedGeneration: 3, agentVersion: RegistryFleetVersion.current, collectedAt: now,
            registry: RegistryObservation(
                managementState: .managed, storageManagementState: .managed, replicas: 2, readyReplicas: 2, generation: 5,
                observedGeneration: 5, conditions: conditions),
            pruner: PrunerObservation(schedule: "0 0 * * *", suspend: false, conditions: []), workloads: workloads, pruneResults: prune)
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    private static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))]
    }
}
