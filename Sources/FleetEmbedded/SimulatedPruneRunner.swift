import Foundation
import ImagePruning
import KubeClient
import KubeSimulator
import RegistryModel

/// What runs when a simulated cluster's `image-pruner` CronJob fires: a prune of the cluster's
/// simulated registry, recorded the way `regfleet prune --result-configmap` records a real one
/// (ConfigMap `image-pruner-last-run`, key `report.json`), so the operator, the agent and the hub
/// handle it exactly as in a real cluster. The figures come from the cluster's name and the run's
/// time: a simulated registry has no blobs to count.
enum SimulatedPruneRunner {
    static func runner(for cluster: SimulatedCluster, clusterName: String) -> JobRunner {
        { job in
            let started = Date()
            var seed: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in "\(clusterName)\(job.metadata.name)".utf8 {
                seed ^= UInt64(byte)
                seed = seed &* 0x0000_0100_0000_01b3
            }
            let manifests = 200 + Int(seed % 800)
            let deleted = Int(seed >> 12 % 97) % max(manifests / 4, 1)
            let report = PruneReport(
                registryURL: RegistryNames.internalRegistryURL, dryRun: false, startedAt: started, finishedAt: started.addingTimeInterval(1),
                repositoriesScanned: 10 + Int(seed % 40), manifestsScanned: manifests,
                keptByRule: ["revisions": manifests - deleted - 20, "young": 12, "referenced": 8], deleted: deleted,
                unreferencedBlobs: deleted * 3, reclaimableBytes: Int64(deleted) * 48 * 1024 * 1024)
            do {
                try await PruneResultRecorder.record(report, namespace: RegistryNames.namespace, name: RegistryNames.pruneReportConfigMap, api: cluster)
                return .succeeded
            } catch {
                return .failed(message: "recording the prune result failed: \(error)")
            }
        }
    }
}
