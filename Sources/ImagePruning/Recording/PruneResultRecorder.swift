import Foundation
import KubeClient
import RegistryModel

/// Records a prune report on the cluster: ConfigMap `NAMESPACE/NAME`, key `report.json`. The
/// operator reads it into ImagePruner `status.lastRun`, and the agent forwards it to the hub.
public enum PruneResultRecorder {
    public static func record(_ report: PruneReport, namespace: String, name: String, api: any KubernetesAPI) async throws {
        let text = String(decoding: try JSONCoding.encode(report), as: UTF8.self)
        let data = [RegistryNames.pruneReportDataKey: text]
        do {
            _ = try await api.modify(ConfigMap.self, namespace: namespace, name: name) { map in map.data = data }
        } catch let error as KubeError where error.code == .notFound {
            _ = try await api.create(ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace), data: data))
        }
    }
}
