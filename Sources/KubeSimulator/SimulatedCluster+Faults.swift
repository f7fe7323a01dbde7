import Foundation
import KubeClient
import RegistryModel

/// Fault injection: what a real cluster does to software that runs on it.
extension SimulatedCluster {
    /// Pods of this Deployment that have not started yet cannot pull their images: their
    /// containers wait with ErrImagePull, then ImagePullBackOff, with a message naming the image.
    public func injectImagePullFailure(namespace: String, deployment: String, message: String = "manifest unknown") {
        faults.imagePullFailures[ObjectKey(namespace: namespace, name: deployment)] = message
        controllerState.roundRequested = true
    }

    /// Lets the Deployment's pods pull their images again.
    public func clearImagePullFailure(namespace: String, deployment: String) {
        faults.imagePullFailures[ObjectKey(namespace: namespace, name: deployment)] = nil
        controllerState.roundRequested = true
    }

    /// Marks a node Ready or NotReady (condition Ready and the `node.kubernetes.io/not-ready`
    /// taint). Pods on a NotReady node lose readiness; no new pods are scheduled there.
    public func setNodeReady(_ node: String, _ ready: Bool) throws {
        guard var object = server.store.object(.nodes, ObjectKey(namespace: "", name: node)) else {
            throw KubeError.notFound(.nodes, node)
        }
        let now = clock.now()
        var conditions = ConditionList(object.field("status", "conditions"))
        if ready {
            conditions.set("Ready", "True", reason: "KubeletReady", message: "kubelet is posting ready status", now: now)
        } else {
            conditions.set("Ready", "False", reason: "KubeletNotReady", message: "container runtime network not ready", now: now)
        }
        object.setField(conditions.json, at: "status", "conditions")
        var taints = (object.field("spec", "taints")?.arrayValue ?? []).filter { $0["key"]?.stringValue != "node.kubernetes.io/not-ready" }
        if !ready { taints.append(["key": "node.kubernetes.io/not-ready", "effect": "NoSchedule", "timeAdded": now.json]) }
        object.setField(taints.isEmpty ? nil : .array(taints), at: "spec", "taints")
        server.writeObject(.nodes, object)
        controllerState.roundRequested = true
    }

    /// Makes a fraction of client requests fail with `status` (500, 429 with Retry-After, 409),
    /// chosen by the seeded generator so a test sees the same failures every run. `verbs` and
    /// `resources` narrow which requests may fail (nil resources: all).
    public func injectAPIErrors(
        rate: Double, status: Int = 500, verbs: Set<APIVerb> = Set(APIVerb.allCases), resources: Set<ResourceType>? = nil
    ) {
        faults.apiErrors = FaultInjection.APIErrors(rate: min(max(rate, 0), 1), status: status, verbs: verbs, resources: resources)
    }

    /// Stops injecting API errors.
    public func clearAPIErrors() {
        faults.apiErrors = nil
    }

    /// Adds `latency` before every client request is served (`.zero` to stop).
    public func setLatency(_ latency: Duration) {
        faults.latency = latency
    }

    /// Jobs in `namespace` whose name starts with `namePrefix` fail `jobDuration` after they
    /// start (Failed=True reason BackoffLimitExceeded, pod phase Failed with `message`); the job
    /// runner is not called for them.
    public func injectJobFailure(namespace: String, namePrefix: String = "", message: String = "simulated job failure") {
        faults.jobFailures.removeAll { $0.namespace == namespace && $0.namePrefix == namePrefix }
        faults.jobFailures.append(FaultInjection.JobFailure(namespace: namespace, namePrefix: namePrefix, message: message))
        controllerState.roundRequested = true
    }

    /// Stops failing the Jobs selected by `injectJobFailure` with the same arguments.
    public func clearJobFailure(namespace: String, namePrefix: String = "") {
        faults.jobFailures.removeAll { $0.namespace == namespace && $0.namePrefix == namePrefix }
        controllerState.roundRequested = true
    }
}
