import Foundation
import ImagePruning
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

@Suite struct PruneResultRecorderTests {
    /// The report lands in the ConfigMap the operator reads, created the first time and replaced after.
    @Test func recordsAndReplacesTheReport() async throws {
        let cluster = SimulatedCluster(name: "recorder")
        _ = try await cluster.create(Namespace(metadata: ObjectMeta(name: RegistryNames.namespace)))
        let first = PruneReport(registryURL: "https://r", dryRun: false, startedAt: Date(timeIntervalSince1970: 1), finishedAt: Date(timeIntervalSince1970: 2), deleted: 3)
        var second = first
        second.runID = "second"
        second.deleted = 9
        for report in [first, second] {
            try await PruneResultRecorder.record(report, namespace: RegistryNames.namespace, name: RegistryNames.pruneReportConfigMap, api: cluster)
            let map = try await cluster.get(ConfigMap.self, namespace: RegistryNames.namespace, name: RegistryNames.pruneReportConfigMap)
            let stored = try JSONCoding.decode(PruneReport.self, from: Data(try #require(map.data?[RegistryNames.pruneReportDataKey]).utf8))
            #expect(stored == report)
        }
        #expect(await cluster.objectCount(.configMaps, namespace: RegistryNames.namespace) >= 1)
    }
}
