import Foundation
import KubeClient
import RegistryModel

/// The kubelets and the node lifecycle controller: a bound pod starts `podReadyDelay` after its
/// creation and is then Running and Ready (no probes are run). It stays in ContainerCreating
/// while a ConfigMap or Secret volume it needs is missing, fails with ErrImagePull and then
/// ImagePullBackOff when its Deployment has an injected pull failure, and loses readiness while
/// its node is NotReady. Pods bound to nodes that no longer exist are deleted (pod GC).
enum Kubelet {
    private static let conditionOrder = ["Initialized", "Ready", "ContainersReady", "PodScheduled"]

    /// Updates the status of every bound, running pod.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        let nodes = Dictionary(server.store.items(.nodes).map { ($0.metadata.name, $0) }) { first, _ in first }
        for pod in server.store.items(.pods) where !pod.isPodTerminal && !pod.isTerminating {
            guard let nodeName = pod.podNodeName else { continue }
            guard let node = nodes[nodeName] else {
                server.delete(.pods, pod.key, propagation: .background, now: round.now)
                continue
            }
            server.writeStatus(.pods, pod.key, status(of: pod, on: node, server, &round))
        }
    }

    private static func status(of pod: KubeObject, on node: KubeObject, _ server: APIServer, _ round: inout ControllerRound) -> JSONValue {
        let now = round.now
        let delay = round.options.podReadyDelay.timeInterval
        let created = pod.metadata.creationTimestamp ?? now
        let readyAt = created.addingTimeInterval(delay)
        let containers = pod.field("spec", "containers")?.arrayValue ?? []
        var status = pod.status ?? .object([:])
        var conditions = ConditionList(status["conditions"])
        conditions.set("PodScheduled", "True", reason: nil, message: nil, now: now)
        conditions.set("Initialized", "True", reason: nil, message: nil, now: now)
        status["startTime"] = created.json
        status["hostIP"] = node.internalIP.map(JSONValue.string)

        if !node.isNodeReady {
            conditions.set("Ready", "False", reason: "NodeNotReady", message: "Node \(node.metadata.name) is not ready", now: now)
            if let statuses = status["containerStatuses"]?.arrayValue {
                status["containerStatuses"] = .array(
                    statuses.map {
                        var copy = $0; copy["ready"] = false; return copy
                    })
            }
        } else if pod.podPhase != "Running", now >= readyAt, let failure = imagePullFailure(of: pod, round.faults) {
            let backingOff = now >= readyAt.addingTimeInterval(delay)
            if !backingOff { round.wake(at: readyAt.addingTimeInterval(delay)) }
            status["phase"] = "Pending"
            status["containerStatuses"] = .array(
                containers.map { container in
                    let image = container["image"]?.stringValue ?? ""
                    let waiting: JSONValue =
                        backingOff
                        ? ["reason": "ImagePullBackOff", "message": .string("Back-off pulling image \"\(image)\": ErrImagePull: \(failure)")]
                        : ["reason": "ErrImagePull", "message": .string("Failed to pull image \"\(image)\": \(failure)")]
                    return containerStatus(container, ready: false, state: ["waiting": waiting])
                })
            setNotReady(&conditions, containers, now)
        } else if pod.podPhase != "Running", now >= readyAt, missingVolumeSource(pod, server) == nil {
            status["phase"] = "Running"
            status["containerStatuses"] = .array(
                containers.map { containerStatus($0, ready: true, started: true, state: ["running": ["startedAt": readyAt.json]]) })
            conditions.set("ContainersReady", "True", reason: nil, message: nil, now: now)
            conditions.set("Ready", "True", reason: nil, message: nil, now: now)
        } else if pod.podPhase == "Running" {
            status["containerStatuses"] = .array(
                containers.map { containerStatus($0, ready: true, started: true, state: ["running": ["startedAt": readyAt.json]]) })
            conditions.set("ContainersReady", "True", reason: nil, message: nil, now: now)
            conditions.set("Ready", "True", reason: nil, message: nil, now: now)
        } else {
            if now < readyAt { round.wake(at: readyAt) }
            status["phase"] = "Pending"
            status["containerStatuses"] = .array(
                containers.map { containerStatus($0, ready: false, state: ["waiting": ["reason": "ContainerCreating"]]) })
            setNotReady(&conditions, containers, now)
        }
        conditions.order(conditionOrder)
        status["conditions"] = conditions.json
        return status
    }

    private static func setNotReady(_ conditions: inout ConditionList, _ containers: [JSONValue], _ now: Date) {
        let names = containers.compactMap { $0["name"]?.stringValue }.joined(separator: " ")
        let message = "containers with unready status: [\(names)]"
        conditions.set("ContainersReady", "False", reason: "ContainersNotReady", message: message, now: now)
        conditions.set("Ready", "False", reason: "ContainersNotReady", message: message, now: now)
    }

    private static func containerStatus(_ container: JSONValue, ready: Bool, started: Bool = false, state: JSONValue) -> JSONValue {
        [
            "name": container["name"] ?? "", "image": container["image"] ?? "", "ready": .bool(ready), "restartCount": 0,
            "started": .bool(started), "state": state,
        ]
    }

    /// The injected pull failure of the Deployment controlling this pod.
    private static func imagePullFailure(of pod: KubeObject, _ faults: FaultInjection) -> String? {
        guard let owner = pod.metadata.ownerReferences?.first(where: { $0.controller == true }), owner.kind == "Deployment" else { return nil }
        return faults.imagePullFailures[ObjectKey(namespace: pod.metadata.namespace ?? "", name: owner.name)]
    }

    /// A ConfigMap or Secret volume whose source does not exist (the kubelet cannot mount it).
    private static func missingVolumeSource(_ pod: KubeObject, _ server: APIServer) -> String? {
        let namespace = pod.metadata.namespace ?? ""
        for volume in pod.field("spec", "volumes")?.arrayValue ?? [] {
            if let source = volume["configMap"], source["optional"]?.boolValue != true, let name = source["name"]?.stringValue,
                server.store.object(.configMaps, ObjectKey(namespace: namespace, name: name)) == nil
            {
                return "configmap \"\(name)\" not found"
            }
            if let source = volume["secret"], source["optional"]?.boolValue != true, let name = source["secretName"]?.stringValue,
                server.store.object(.secrets, ObjectKey(namespace: namespace, name: name)) == nil
            {
                return "secret \"\(name)\" not found"
            }
        }
        return nil
    }
}
