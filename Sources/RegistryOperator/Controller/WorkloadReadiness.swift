import Foundation
import KubeClient
import RegistryModel

/// How each runtime object of the registry counts as ready in a report, and why not.
public enum WorkloadReadiness {
    /// Ready when the controller has seen the latest spec and every desired replica is available; otherwise the
    /// first waiting container's reason (e.g. `ImagePullBackOff`) or the Deployment's condition explains why.
    public static func deployment(_ deployment: Deployment?, name: String, pods: [Pod]) -> WorkloadStatus {
        guard let deployment else { return absent("Deployment", name) }
        let desired = deployment.spec.replicas ?? 1
        let available = deployment.status?.availableReplicas ?? 0
        let current = (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
        let ready = current && available >= desired
        var message: String?
        if !ready {
            let waiting = pods.filter { $0.metadata.labels?["app"] == name }.lazy.compactMap(waitingReason).first
            let condition = deployment.status?.conditions?.first { $0.status != .true && $0.message != nil }
            message = waiting ?? condition?.message ?? (current ? "\(available) of \(desired) replicas available" : "rollout not yet observed")
        }
        return WorkloadStatus(kind: "Deployment", name: name, present: true, ready: ready, desired: desired, readyCount: available, message: message)
    }

    /// Ready when every scheduled pod is ready and the controller has seen the latest spec.
    public static func daemonSet(_ daemonSet: DaemonSet?, name: String) -> WorkloadStatus {
        guard let daemonSet else { return absent("DaemonSet", name) }
        let desired = daemonSet.status?.desiredNumberScheduled ?? 0
        let readyCount = daemonSet.status?.numberReady ?? 0
        let current = (daemonSet.status?.observedGeneration ?? 0) >= (daemonSet.metadata.generation ?? 0)
        let ready = current && readyCount >= desired
        return WorkloadStatus(
            kind: "DaemonSet", name: name, present: true, ready: ready, desired: desired, readyCount: readyCount,
            message: ready ? nil : "\(readyCount) of \(desired) pods ready")
    }

    /// Ready when its `Available` condition is True.
    public static func apiService(_ apiService: APIService?, name: String) -> WorkloadStatus {
        guard let apiService else { return absent("APIService", name) }
        let available = apiService.status?.conditions?[type: "Available"]
        let ready = available?.status == .true
        return WorkloadStatus(
            kind: "APIService", name: name, present: true, ready: ready,
            message: ready ? nil : available?.message ?? available?.reason ?? "no Available condition yet")
    }

    /// Ready when it exists (a suspended CronJob is a policy choice, noted in the message).
    public static func cronJob(_ cronJob: CronJob?, name: String) -> WorkloadStatus {
        guard let cronJob else { return absent("CronJob", name) }
        let suspended = cronJob.spec.suspend ?? false
        return WorkloadStatus(
            kind: "CronJob", name: name, present: true, ready: true,
            message: suspended ? "suspended" : "schedule \(cronJob.spec.schedule)")
    }

    private static func absent(_ kind: String, _ name: String) -> WorkloadStatus {
        WorkloadStatus(kind: kind, name: name, present: false, ready: false, message: "\(kind) \(name) does not exist")
    }

    /// `container: Reason: message` of the first container waiting for something other than a normal start.
    private static func waitingReason(_ pod: Pod) -> String? {
        for container in pod.status?.containerStatuses ?? [] where !container.ready {
            guard let waiting = container.state?["waiting"], let reason = waiting["reason"]?.stringValue, reason != "ContainerCreating" else {
                continue
            }
            let detail = waiting["message"]?.stringValue.map { ": \($0)" } ?? ""
            return "\(pod.metadata.name) container \(container.name): \(reason)\(detail)"
        }
        return nil
    }
}
