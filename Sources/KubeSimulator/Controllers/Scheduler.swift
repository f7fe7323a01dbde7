import Foundation
import KubeClient
import RegistryModel

/// The scheduler: binds each unbound pod to the least-loaded Ready, schedulable node that
/// matches its `nodeSelector` and has pod capacity left, once its PersistentVolumeClaims are
/// Bound. A pod that fits nowhere stays Pending with PodScheduled=False reason Unschedulable and
/// the scheduler's per-node explanation. Affinity, taints and tolerations are not modelled.
enum Scheduler {
    /// Binds or explains every pending pod, oldest first.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        let pods = server.store.items(.pods)
        let pending = pods.filter { $0.podNodeName == nil && !$0.isPodTerminal && !$0.isTerminating }
        guard !pending.isEmpty else { return }
        let nodes = server.store.items(.nodes)
        var load: [String: Int] = [:]
        for pod in pods where !pod.isPodTerminal {
            if let node = pod.podNodeName { load[node, default: 0] += 1 }
        }
        let ordered = pending.sorted {
            ($0.metadata.creationTimestamp ?? .distantPast, $0.metadata.name) < ($1.metadata.creationTimestamp ?? .distantPast, $1.metadata.name)
        }
        for pod in ordered {
            if let problem = volumeProblem(pod, server) {
                markUnschedulable(pod, message: "0/\(nodes.count) nodes are available: \(problem).", &server, round.now)
                continue
            }
            let selector = LabelSelector(matchLabels: pod.field("spec", "nodeSelector")?.stringMap ?? [:])
            var reasons: [String: Int] = [:]
            var best: KubeObject?
            for node in nodes {
                let name = node.metadata.name
                let reason: String?
                if !node.isNodeReady {
                    reason = "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"
                } else if !node.isSchedulableNode {
                    reason = "node(s) were unschedulable"
                } else if !selector.matches(node.labels) {
                    reason = "node(s) didn't match Pod's node affinity/selector"
                } else if load[name, default: 0] >= node.podCapacity {
                    reason = "Too many pods"
                } else {
                    reason = nil
                }
                if let reason {
                    reasons[reason, default: 0] += 1
                } else if best.map({ load[name, default: 0] < load[$0.metadata.name, default: 0] }) ?? true {
                    best = node
                }
            }
            guard let node = best else {
                let detail = reasons.keys.sorted().map { "\(reasons[$0]!) \($0)" }.joined(separator: ", ")
                markUnschedulable(pod, message: "0/\(nodes.count) nodes are available: \(detail).", &server, round.now)
                continue
            }
            bind(pod, to: node, &server, round.now)
            load[node.metadata.name, default: 0] += 1
        }
    }

    private static func volumeProblem(_ pod: KubeObject, _ server: APIServer) -> String? {
        let namespace = pod.metadata.namespace ?? ""
        for volume in pod.field("spec", "volumes")?.arrayValue ?? [] {
            guard let claim = volume["persistentVolumeClaim"]?["claimName"]?.stringValue else { continue }
            guard let object = server.store.object(.persistentVolumeClaims, ObjectKey(namespace: namespace, name: claim)) else {
                return "persistentvolumeclaim \"\(claim)\" not found"
            }
            if object.field("status", "phase")?.stringValue != "Bound" { return "pod has unbound immediate PersistentVolumeClaims" }
        }
        return nil
    }

    private static func bind(_ pod: KubeObject, to node: KubeObject, _ server: inout APIServer, _ now: Date) {
        var bound = pod
        bound.setField(.string(node.metadata.name), at: "spec", "nodeName")
        var conditions = ConditionList(pod.field("status", "conditions"))
        conditions.set("PodScheduled", "True", reason: nil, message: nil, now: now)
        bound.setField(conditions.json, at: "status", "conditions")
        server.writeObject(.pods, bound)
    }

    private static func markUnschedulable(_ pod: KubeObject, message: String, _ server: inout APIServer, _ now: Date) {
        var conditions = ConditionList(pod.field("status", "conditions"))
        conditions.set("PodScheduled", "False", reason: "Unschedulable", message: message, now: now)
        var status = pod.status ?? .object([:])
        status["phase"] = "Pending"
        status["conditions"] = conditions.json
        server.writeStatus(.pods, pod.key, status)
    }
}
