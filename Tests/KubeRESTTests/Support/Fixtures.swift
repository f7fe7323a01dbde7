import Foundation
import KubeClient
import RegistryModel

/// Small objects for the wire tests.
enum Fixtures {
    /// A namespace object.
    static func namespace(_ name: String) -> KubeObject {
        KubeObject(apiVersion: "v1", kind: "Namespace", metadata: ObjectMeta(name: name))
    }

    /// A ConfigMap with labels and data.
    static func configMap(_ name: String, namespace: String = "default", labels: [String: String]? = nil, data: [String: String] = [:]) -> KubeObject
    {
        KubeObject(
            apiVersion: "v1", kind: "ConfigMap", metadata: ObjectMeta(name: name, namespace: namespace, labels: labels),
            fields: data.isEmpty ? [:] : ["data": .object(data.mapValues { .string($0) })])
    }

    /// A minimal valid Deployment.
    static func deployment(_ name: String, namespace: String = "default", replicas: Int64 = 1) -> KubeObject {
        let labels: JSONValue = ["app": .string(name)]
        return KubeObject(
            apiVersion: "apps/v1", kind: "Deployment", metadata: ObjectMeta(name: name, namespace: namespace),
            fields: [
                "spec": [
                    "replicas": .int(replicas), "selector": ["matchLabels": labels],
                    "template": ["metadata": ["labels": labels], "spec": ["containers": [["name": "main", "image": "registry.example/app:1"]]]],
                ]
            ])
    }
}
