import Foundation
import KubeClient
import KubeREST
import KubeSimulator
import KubeSimulatorServer
import RegistryModel
import Testing

/// The simulated API server's RBAC: rules from stored roles and bindings, Forbidden messages
/// worded like kube-apiserver's, and the escalation check on roles.
struct AuthorizationTests {
    static let account = UserInfo.serviceAccount(namespace: "apps", name: "deployer")

    /// A server with RBAC where `deployer` may manage ConfigMaps and Roles in `apps` only.
    static func withDeployer(_ body: (Wire, RESTClient) async throws -> Void) async throws {
        let configuration = SimulatedAPIServerConfiguration(
            tokens: [LiveAPIServer.adminToken: .admin(), "deployer-token": account], authorization: .rbac)
        try await withWire(configuration: configuration) { wire in
            _ = try await wire.client.create(.namespaces, Fixtures.namespace("apps"))
            _ = try await wire.client.create(
                Role(
                    metadata: ObjectMeta(name: "deployer", namespace: "apps"),
                    rules: [
                        PolicyRule(apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch", "create", "update"]),
                        PolicyRule(apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["create"]),
                    ]))
            _ = try await wire.client.create(
                RoleBinding(
                    metadata: ObjectMeta(name: "deployer", namespace: "apps"), roleRef: RoleRef(kind: "Role", name: "deployer"),
                    subjects: [Subject(kind: "ServiceAccount", name: "deployer", namespace: "apps")]))
            try await withClient(wire.server.kubeConfig(token: "deployer-token")) { client in
                try await body(wire, client)
            }
        }
    }

    /// Bound rules allow; everything else is 403 with the verb, resource, group and scope named.
    @Test func forbiddenNamesVerbResourceAndScope() async throws {
        try await Self.withDeployer { _, client in
            _ = try await client.create(.configMaps, Fixtures.configMap("ok", namespace: "apps"))
            let otherNamespace = await #expect(throws: KubeError.self) {
                try await client.create(.configMaps, Fixtures.configMap("no", namespace: "default"))
            }
            #expect(otherNamespace?.code == .forbidden)
            #expect(
                otherNamespace?.message
                    == "configmaps is forbidden: User \"system:serviceaccount:apps:deployer\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\""
            )
            let delete = await #expect(throws: KubeError.self) {
                try await client.delete(.configMaps, namespace: "apps", name: "ok", options: DeleteOptions())
            }
            #expect(delete?.message.hasPrefix("configmaps \"ok\" is forbidden") == true)
            let clusterScope = await #expect(throws: KubeError.self) { try await client.list(.nodes, namespace: nil, options: ListOptions()) }
            #expect(clusterScope?.message.hasSuffix("cannot list resource \"nodes\" in API group \"\" at the cluster scope") == true)
            let status = await #expect(throws: KubeError.self) {
                try await client.updateStatus(.deployments, Fixtures.deployment("web", namespace: "apps"))
            }
            #expect(status?.message.contains("cannot update resource \"deployments/status\" in API group \"apps\"") == true)
        }
    }

    /// A Role granting what its creator does not hold is refused, as kube-apiserver prevents
    /// privilege escalation; one within the creator's own rights is accepted.
    @Test func escalationIsRefused() async throws {
        try await Self.withDeployer { _, client in
            _ = try await client.create(
                Role(
                    metadata: ObjectMeta(name: "cm-reader", namespace: "apps"),
                    rules: [PolicyRule(apiGroups: [""], resources: ["configmaps"], verbs: ["get"])]))
            let error = await #expect(throws: KubeError.self) {
                try await client.create(
                    Role(
                        metadata: ObjectMeta(name: "secret-reader", namespace: "apps"),
                        rules: [PolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["get"])]))
            }
            #expect(error?.code == .forbidden)
            #expect(error?.message.contains("is attempting to grant RBAC permissions not currently held") == true)
            #expect(error?.message.contains("{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}") == true)
        }
    }
}
