import Foundation
import KubeClient
import RegistryModel

/// The deployment controller, simplified: a Deployment owns its Pods directly (no ReplicaSet
/// objects), named `<deployment>-<pod-template-hash>-<suffix>`. A rollout creates all new pods
/// at once and retires old pods as new ones become Ready; Recreate removes old pods first.
/// Status and the Available/Progressing conditions follow the real controller.
enum DeploymentController {
    /// Reconciles every Deployment that is not being deleted.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        let podsByOwner = PodIndex.byController(server.store.items(.pods))
        for deployment in server.store.items(.deployments) where !deployment.isTerminating {
            let owned = (podsByOwner[deployment.metadata.uid ?? ""] ?? []).filter { !$0.isPodTerminal && !$0.isTerminating }
            reconcile(deployment, owned: owned, &server, &round)
        }
    }

    private static func reconcile(_ deployment: KubeObject, owned: [KubeObject], _ server: inout APIServer, _ round: inout ControllerRound) {
        let spec = deployment.fields["spec"] ?? .object([:])
        let desired = max(0, spec["replicas"]?.int ?? 1)
        let hash = round.templateHash(of: deployment)
        let paused = spec["paused"]?.boolValue == true
        var current = owned.filter { $0.labels["pod-template-hash"] == hash }
        var old = owned.filter { $0.labels["pod-template-hash"] != hash }
        var createProblem: String?
        if !paused {
            let prefix = "\(deployment.metadata.name)-\(hash)-"
            if spec["strategy"]?["type"]?.stringValue == "Recreate" && !old.isEmpty {
                for pod in old { server.delete(.pods, pod.key, propagation: .background, now: round.now) }
                old = []
            }
            if current.count > desired {
                let excess = current.sorted(by: KubeObject.deletionOrder).prefix(current.count - desired)
                for pod in excess { server.delete(.pods, pod.key, propagation: .background, now: round.now) }
                let removed = Set(excess.map(\.key))
                current.removeAll { removed.contains($0.key) }
            }
            let template = spec["template"] ?? .object([:])
            if current.count < desired {
                let namespace = deployment.metadata.namespace ?? ""
                createProblem = PodFactory.admissionProblem(server, namespace: namespace, template: template, podName: prefix)
                if createProblem == nil {
                    for _ in current.count..<desired {
                        current.append(
                            PodFactory.createPod(
                                &server, owner: deployment, template: template, namePrefix: prefix, extraLabels: ["pod-template-hash": hash],
                                now: round.now))
                    }
                }
            }
            let keepOld = max(0, desired - current.count(where: \.isPodReady))
            if old.count > keepOld {
                let retired = old.sorted(by: KubeObject.deletionOrder).prefix(old.count - keepOld)
                for pod in retired { server.delete(.pods, pod.key, propagation: .background, now: round.now) }
                let removed = Set(retired.map(\.key))
                old.removeAll { removed.contains($0.key) }
            }
        }
        writeStatus(
            deployment, desired: desired, current: current, old: old, hash: hash, paused: paused, createProblem: createProblem, &server, &round)
    }

    private static func writeStatus(
        _ deployment: KubeObject, desired: Int, current: [KubeObject], old: [KubeObject], hash: String, paused: Bool, createProblem: String?,
        _ server: inout APIServer, _ round: inout ControllerRound
    ) {
        let spec = deployment.fields["spec"] ?? .object([:])
        let now = round.now
        let pods = current + old
        let minReady = spec["minReadySeconds"]?.int ?? 0
        let replicas = pods.count
        let updated = current.count
        let ready = pods.count(where: \.isPodReady)
        let available = pods.count { $0.isPodAvailable(minReadySeconds: minReady, now: now) }
        for pod in pods where pod.isPodReady && minReady > 0 {
            if let since = pod.podReadySince { round.wake(at: since.addingTimeInterval(TimeInterval(minReady))) }
        }
        let previous = deployment.status ?? .object([:])
        func count(_ key: String) -> Int { previous[key]?.int ?? 0 }

        var conditions = ConditionList(previous["conditions"])
        if available >= desired - maxUnavailable(spec, desired: desired) {
            conditions.set(
                "Available", "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", now: now, updateTime: true)
        } else {
            conditions.set(
                "Available", "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability.", now: now,
                updateTime: true)
        }
        let replicaSet = "\(deployment.metadata.name)-\(hash)"
        let generationChanged = previous["observedGeneration"]?.intValue != deployment.metadata.generation
        let progressed =
            generationChanged || updated > count("updatedReplicas") || (replicas - updated) < (count("replicas") - count("updatedReplicas"))
            || ready > count("readyReplicas") || available > count("availableReplicas")
        let complete = updated == desired && replicas == desired && available == desired
        let deadline = TimeInterval(spec["progressDeadlineSeconds"]?.int ?? round.options.defaultProgressDeadlineSeconds)
        if paused {
            conditions.set("Progressing", "Unknown", reason: "DeploymentPaused", message: "Deployment is paused", now: now, updateTime: true)
        } else if complete {
            conditions.set(
                "Progressing", "True", reason: "NewReplicaSetAvailable", message: "ReplicaSet \"\(replicaSet)\" has successfully progressed.",
                now: now, updateTime: true)
        } else if progressed || conditions.condition("Progressing") == nil {
            conditions.set(
                "Progressing", "True", reason: "ReplicaSetUpdated", message: "ReplicaSet \"\(replicaSet)\" is progressing.", now: now,
                updateTime: true, touch: true)
            round.wake(at: now.wholeSeconds.addingTimeInterval(deadline))
        } else if conditions.condition("Progressing")?["reason"]?.stringValue != "ProgressDeadlineExceeded" {
            let lastProgress = conditions.condition("Progressing")?["lastUpdateTime"]?.dateValue ?? now
            if now >= lastProgress.addingTimeInterval(deadline) {
                conditions.set(
                    "Progressing", "False", reason: "ProgressDeadlineExceeded", message: "ReplicaSet \"\(replicaSet)\" has timed out progressing.",
                    now: now, updateTime: true)
            } else {
                round.wake(at: lastProgress.addingTimeInterval(deadline))
            }
        }
        if let createProblem {
            conditions.set("ReplicaFailure", "True", reason: "FailedCreate", message: createProblem, now: now, updateTime: true)
        } else {
            conditions.remove("ReplicaFailure")
        }

        var status: JSONValue = ["observedGeneration": .int(deployment.generation), "conditions": conditions.json]
        let total = max(replicas, desired)
        for (key, value) in [
            ("replicas", replicas), ("updatedReplicas", updated), ("readyReplicas", ready), ("availableReplicas", available),
            ("unavailableReplicas", max(0, total - available)),
        ] where value > 0 {
            status[key] = .int(Int64(value))
        }
        server.writeStatus(.deployments, deployment.key, status)
    }

    /// `maxUnavailable` resolved against the replica count (rounded down, as the controller does);
    /// 0 for Recreate.
    static func maxUnavailable(_ spec: JSONValue, desired: Int) -> Int {
        guard spec["strategy"]?["type"]?.stringValue != "Recreate", desired > 0 else { return 0 }
        let rolling = spec["strategy"]?["rollingUpdate"]
        let unavailable = resolve(rolling?["maxUnavailable"] ?? "25%", total: desired, roundUp: false)
        let surge = resolve(rolling?["maxSurge"] ?? "25%", total: desired, roundUp: true)
        if unavailable == 0 && surge == 0 { return 1 }
        return min(unavailable, desired)
    }

    /// An int-or-percent value scaled to `total`.
    static func resolve(_ value: JSONValue, total: Int, roundUp: Bool) -> Int {
        if let number = value.int { return number }
        guard let text = value.stringValue, text.hasSuffix("%"), let percent = Double(text.dropLast()) else { return 0 }
        let scaled = percent * Double(total) / 100
        return Int(roundUp ? scaled.rounded(.up) : scaled.rounded(.down))
    }
}
