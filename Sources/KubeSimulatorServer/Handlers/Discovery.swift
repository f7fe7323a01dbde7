import KubeClient
import RegistryModel

/// The discovery documents kubectl and client libraries read before anything else: which groups,
/// versions and resources the server has, and its version.
enum Discovery {
    /// The Kubernetes version the simulation follows.
    static let kubernetesVersion: JSONValue = [
        "major": "1", "minor": "31", "gitVersion": "v1.31.0-regfleet-simulated", "platform": "linux/amd64",
    ]

    /// The short names kubectl accepts (`kubectl get deploy`), as the real API server lists them.
    static let shortNames: [String: [String]] = [
        "namespaces": ["ns"], "nodes": ["no"], "pods": ["po"], "services": ["svc"], "serviceaccounts": ["sa"], "configmaps": ["cm"],
        "persistentvolumeclaims": ["pvc"], "deployments": ["deploy"], "daemonsets": ["ds"], "statefulsets": ["sts"], "replicasets": ["rs"],
        "cronjobs": ["cj"], "poddisruptionbudgets": ["pdb"],
    ]

    /// `/api`.
    static func coreVersions(serverAddress: String) -> JSONValue {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    /// `/apis`: every non-core group with its one version.
    static var groups: JSONValue {
        var seen: [String] = []
        for resource in ResourceType.all where !resource.group.isEmpty && !seen.contains(resource.apiVersion) {
            seen.append(resource.apiVersion)
        }
        let groups: [JSONValue] = seen.map { groupVersion in
            let parts = groupVersion.split(separator: "/").map(String.init)
            let version: JSONValue = ["groupVersion": .string(groupVersion), "version": .string(parts[1])]
            return ["name": .string(parts[0]), "versions": [version], "preferredVersion": version]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    /// `/api/v1` or `/apis/GROUP/VERSION`, nil for a group version the server does not have.
    static func resources(group: String, version: String) -> JSONValue? {
        let members = ResourceType.all.filter { $0.group == group && $0.version == version }
        guard !members.isEmpty else { return nil }
        var resources: [JSONValue] = []
        for resource in members {
            resources.append([
                "name": .string(resource.plural), "singularName": .string(resource.kind.lowercased()), "namespaced": .bool(resource.namespaced),
                "kind": .string(resource.kind),
                "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"],
                "shortNames": .array((shortNames[resource.plural] ?? []).map { .string($0) }),
            ])
            if resource.hasStatusSubresource {
                resources.append([
                    "name": .string(resource.rbacResource(subresource: "status")), "singularName": "", "namespaced": .bool(resource.namespaced),
                    "kind": .string(resource.kind), "verbs": ["get", "patch", "update"],
                ])
            }
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(members[0].apiVersion), "resources": .array(resources)]
    }
}
