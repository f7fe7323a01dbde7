import Foundation
import KubeClient
import RegistryModel

/// How workload controllers create pods from their templates, through the same storage path as
/// clients (minus validation, which the template already passed).
enum PodFactory {
    /// Why the pod cannot be created (its ServiceAccount is missing), in the API server's words.
    static func admissionProblem(_ server: APIServer, namespace: String, template: JSONValue, podName: String) -> String? {
        let account = template["spec"]?["serviceAccountName"]?.stringValue ?? "default"
        guard server.store.object(.serviceAccounts, ObjectKey(namespace: namespace, name: account)) == nil else { return nil }
        return "pods \"\(podName)\" is forbidden: error looking up service account \(namespace)/\(account): serviceaccount \"\(account)\" not found"
    }

    /// Creates a pod controlled by `owner` from `template`, named `prefix` plus a random suffix.
    @discardableResult
    static func createPod(
        _ server: inout APIServer, owner: KubeObject, template: JSONValue, namePrefix: String, extraLabels: [String: String] = [:],
        nodeName: String? = nil, now: Date
    ) -> KubeObject {
        let namespace = owner.metadata.namespace ?? ""
        var name = namePrefix + server.random.nameSuffix()
        while server.store.object(.pods, ObjectKey(namespace: namespace, name: name)) != nil {
            name = namePrefix + server.random.nameSuffix()
        }
        var metadata = ObjectMeta(name: name, namespace: namespace)
        let labels = (template["metadata"]?["labels"]?.stringMap ?? [:]).merging(extraLabels) { $1 }
        metadata.labels = labels.isEmpty ? nil : labels
        let annotations = template["metadata"]?["annotations"]?.stringMap ?? [:]
        metadata.annotations = annotations.isEmpty ? nil : annotations
        metadata.ownerReferences = [owner.ownerReference(controller: true)]
        var spec = template["spec"] ?? .object([:])
        let account = spec["serviceAccountName"]?.stringValue ?? "default"
        spec["serviceAccountName"] = .string(account)
        spec["serviceAccount"] = .string(account)
        if let nodeName { spec["nodeName"] = .string(nodeName) }
        var pod = KubeObject(apiVersion: "v1", kind: "Pod", metadata: metadata, fields: ["spec": spec])
        if nodeName != nil {
            pod.status = ["phase": "Pending", "conditions": [["type": "PodScheduled", "status": "True", "lastTransitionTime": now.json]]]
        }
        return server.insertNew(.pods, pod, now: now)
    }
}
