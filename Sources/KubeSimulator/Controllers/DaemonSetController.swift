import Foundation
import KubeClient
import RegistryModel

/// The daemon set controller: one pod per Ready, schedulable node matching the template's
/// `nodeSelector` (a node that already runs the pod keeps it while NotReady, and counts as
/// unavailable). RollingUpdate replaces one outdated pod at a time once every pod is available.
enum DaemonSetController {
    /// Reconciles every DaemonSet that is not being deleted.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        let nodes = server.store.items(.nodes)
        let podsByOwner = PodIndex.byController(server.store.items(.pods))
        for daemonSet in server.store.items(.daemonSets) where !daemonSet.isTerminating {
            let owned = (podsByOwner[daemonSet.metadata.uid ?? ""] ?? []).filter { !$0.isPodTerminal && !$0.isTerminating }
            reconcile(daemonSet, owned: owned, nodes: nodes, &server, &round)
        }
    }

    private static func reconcile(
        _ daemonSet: KubeObject, owned: [KubeObject], nodes: [KubeObject], _ server: inout APIServer, _ round: inout ControllerRound
    ) {
        let spec = daemonSet.fields["spec"] ?? .object([:])
        let template = spec["template"] ?? .object([:])
        let nodeSelector = LabelSelector(matchLabels: template["spec"]?["nodeSelector"]?.stringMap ?? [:])
        let hash = round.templateHash(of: daemonSet)
        let namespace = daemonSet.metadata.namespace ?? ""
        let prefix = "\(daemonSet.metadata.name)-"
        let podsByNode = Dictionary(grouping: owned) { $0.podNodeName ?? "" }
        var kept: [KubeObject] = []
        var desiredNodes = 0
        let knownNodes = Set(nodes.map(\.metadata.name))
        for (nodeName, pods) in podsByNode where !knownNodes.contains(nodeName) {
            for pod in pods { server.delete(.pods, pod.key, propagation: .background, now: round.now) }
        }
        for node in nodes {
            let nodeName = node.metadata.name
            let nodePods = podsByNode[nodeName] ?? []
            let shouldRun = nodeSelector.matches(node.labels) && (node.isSchedulableNode || !nodePods.isEmpty)
            guard shouldRun else {
                for pod in nodePods { server.delete(.pods, pod.key, propagation: .background, now: round.now) }
                continue
            }
            desiredNodes += 1
            if nodePods.isEmpty {
                guard PodFactory.admissionProblem(server, namespace: namespace, template: template, podName: prefix) == nil else { continue }
                let labels = ["controller-revision-hash": hash, "pod-template-generation": String(daemonSet.generation)]
                kept.append(
                    PodFactory.createPod(
                        &server, owner: daemonSet, template: template, namePrefix: prefix, extraLabels: labels, nodeName: nodeName, now: round.now))
            } else {
                let ordered = nodePods.sorted {
                    ($0.labels["controller-revision-hash"] == hash ? 0 : 1) < ($1.labels["controller-revision-hash"] == hash ? 0 : 1)
                }
                kept.append(ordered[0])
                for pod in ordered.dropFirst() { server.delete(.pods, pod.key, propagation: .background, now: round.now) }
            }
        }
        if spec["updateStrategy"]?["type"]?.stringValue != "OnDelete" {
            kept = rollOut(kept, hash: hash, desiredNodes: desiredNodes, &server, round.now)
        }
        writeStatus(daemonSet, pods: kept, desiredNodes: desiredNodes, hash: hash, &server, &round)
    }

    /// Deletes outdated pods that are not Ready, then one outdated Ready pod when nothing else is
    /// unavailable; the next pass recreates them from the new template.
    private static func rollOut(_ pods: [KubeObject], hash: String, desiredNodes: Int, _ server: inout APIServer, _ now: Date) -> [KubeObject] {
        var remaining = pods
        let outdated = pods.filter { $0.labels["controller-revision-hash"] != hash }.sorted { ($0.podNodeName ?? "") < ($1.podNodeName ?? "") }
        guard !outdated.isEmpty else { return pods }
        for pod in outdated where !pod.isPodReady {
            server.delete(.pods, pod.key, propagation: .background, now: now)
            remaining.removeAll { $0.key == pod.key }
        }
        let unavailable = desiredNodes - remaining.count(where: \.isPodReady)
        if unavailable == 0, let next = outdated.first(where: \.isPodReady) {
            server.delete(.pods, next.key, propagation: .background, now: now)
            remaining.removeAll { $0.key == next.key }
        }
        return remaining
    }

    private static func writeStatus(
        _ daemonSet: KubeObject, pods: [KubeObject], desiredNodes: Int, hash: String, _ server: inout APIServer, _ round: inout ControllerRound
    ) {
        let minReady = daemonSet.field("spec", "minReadySeconds")?.int ?? 0
        let ready = pods.count(where: \.isPodReady)
        let available = pods.count { $0.isPodAvailable(minReadySeconds: minReady, now: round.now) }
        for pod in pods where pod.isPodReady && minReady > 0 {
            if let since = pod.podReadySince { round.wake(at: since.addingTimeInterval(TimeInterval(minReady))) }
        }
        var status: JSONValue = [
            "observedGeneration": .int(daemonSet.generation), "desiredNumberScheduled": .int(Int64(desiredNodes)),
            "currentNumberScheduled": .int(Int64(pods.count)), "numberMisscheduled": 0, "numberReady": .int(Int64(ready)),
        ]
        let updated = pods.count { $0.labels["controller-revision-hash"] == hash }
        for (key, value) in [
            ("numberAvailable", available), ("numberUnavailable", max(0, desiredNodes - available)), ("updatedNumberScheduled", updated),
        ]
        where value > 0 {
            status[key] = .int(Int64(value))
        }
        server.writeStatus(.daemonSets, daemonSet.key, status)
    }
}
