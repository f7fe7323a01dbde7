import Foundation
import KubeClient
import RegistryModel

/// What controllers read from a Pod.
extension KubeObject {
    /// `status.phase`, Pending when unset.
    var podPhase: String { field("status", "phase")?.stringValue ?? "Pending" }

    /// Succeeded or Failed: the pod will not run again.
    var isPodTerminal: Bool { podPhase == "Succeeded" || podPhase == "Failed" }

    /// The node the pod is bound to.
    var podNodeName: String? { field("spec", "nodeName")?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }

    /// The pod's Ready condition is True.
    var isPodReady: Bool { podCondition("Ready")?["status"]?.stringValue == "True" }

    /// When the pod last became Ready.
    var podReadySince: Date? { podCondition("Ready")?["lastTransitionTime"]?.dateValue }

    /// Ready for at least `minReadySeconds` at `now`: what workload controllers count as available.
    func isPodAvailable(minReadySeconds: Int, now: Date) -> Bool {
        guard isPodReady else { return false }
        guard minReadySeconds > 0 else { return true }
        guard let since = podReadySince else { return false }
        return since.addingTimeInterval(TimeInterval(minReadySeconds)) <= now
    }

    /// A condition of the pod's status.
    func podCondition(_ type: String) -> JSONValue? {
        field("status", "conditions")?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    /// The order in which workload controllers give up pods: unscheduled, then not ready, then
    /// the newest first (like the ReplicaSet controller's ActivePods ordering).
    static func deletionOrder(_ lhs: KubeObject, _ rhs: KubeObject) -> Bool {
        if (lhs.podNodeName == nil) != (rhs.podNodeName == nil) { return lhs.podNodeName == nil }
        if lhs.isPodReady != rhs.isPodReady { return !lhs.isPodReady }
        let left = lhs.metadata.creationTimestamp ?? .distantPast
        let right = rhs.metadata.creationTimestamp ?? .distantPast
        if left != right { return left > right }
        return lhs.metadata.name > rhs.metadata.name
    }
}

/// Pods grouped by the uid of their controlling owner.
enum PodIndex {
    /// Non-terminal and terminal pods by controller uid.
    static func byController(_ pods: [KubeObject]) -> [String: [KubeObject]] {
        var index: [String: [KubeObject]] = [:]
        for pod in pods {
            guard let uid = pod.controllerUID else { continue }
            index[uid, default: []].append(pod)
        }
        return index
    }
}
