import Foundation
import KubeClient
import KubeREST
import KubeSimulator
import KubeSimulatorServer
import RegistryModel
import Testing

/// deploy/operator/rbac.yaml against the code: every call the operator makes (recorded through
/// Managed, drift, Unmanaged, Removed, Managed and deletion, plus its watches) and the agent's
/// writes are allowed; nothing is granted that no call or grant needs; and the operator runs over
/// the wire as its service account under exactly these rules.
struct DeployRBACTests {
    /// The deployed rules: ClusterRole rules apply everywhere, each Role's in its namespace (the
    /// operator namespace, and kube-system for image-api-server's authentication-reader binding).
    struct DeployedRules {
        var cluster: [PolicyRule]
        var namespaced: [String: [PolicyRule]]

        static func load() throws -> DeployedRules {
            let manifests = try Manifests.load("operator/rbac.yaml")
            let clusterRole = try #require(manifests.first { $0.kind == "ClusterRole" }).decode(as: ClusterRole.self)
            var namespaced: [String: [PolicyRule]] = [:]
            for manifest in manifests where manifest.kind == "Role" {
                namespaced[manifest.namespace ?? "", default: []] += try manifest.decode(as: Role.self).rules
            }
            #expect(Set(namespaced.keys) == [RegistryNames.namespace, "kube-system"])
            return DeployedRules(cluster: clusterRole.rules, namespaced: namespaced)
        }

        /// The rules restricted to named roles with `bind`: what lets the operator bind the
        /// built-in roles of an aggregated API server without holding their permissions. They are
        /// needed by the escalation check, which `operatorRunsUnderTheDeployedRules` exercises.
        var bindRules: [PolicyRule] {
            (cluster + namespaced.values.flatMap { $0 }).filter { $0.verbs == ["bind"] && !($0.resourceNames ?? []).isEmpty }
        }

        /// Whether `call` is allowed.
        func allows(_ call: APICall) -> Bool {
            let rules = cluster + (call.namespace.flatMap { namespaced[$0] } ?? [])
            return rules.contains { rule in
                Self.has(rule.verbs, call.verb) && Self.has(rule.apiGroups ?? [], call.group) && Self.has(rule.resources ?? [], call.resource)
                    && (rule.resourceNames ?? []).isEmpty
            }
        }

        /// Every (verb, group, resource, scope) granted.
        var grants: [APICall] {
            func expand(_ rules: [PolicyRule], namespace: String?) -> [APICall] {
                rules.flatMap { rule in
                    (rule.apiGroups ?? []).flatMap { group in
                        (rule.resources ?? []).flatMap { resource in
                            rule.verbs.map { APICall(verb: $0, group: group, resource: resource, namespace: namespace) }
                        }
                    }
                }
            }
            let unnamed = { (rules: [PolicyRule]) in rules.filter { ($0.resourceNames ?? []).isEmpty } }
            return expand(unnamed(cluster), namespace: nil)
                + namespaced.sorted { $0.key < $1.key }.flatMap { expand(unnamed($0.value), namespace: $0.key) }
        }

        private static func has(_ values: [String], _ value: String) -> Bool { values.contains(value) || values.contains("*") }
    }

    /// What the agent does besides running the operator: it writes the spec of Config/cluster and
    /// ImagePruner/cluster from the hub's policy (creating them when missing) and reads them back.
    static let agentCalls: [APICall] = ["get", "list", "watch", "create", "update", "patch"].flatMap { verb in
        ["configs", "imagepruners"].map { APICall(verb: verb, group: RegistryNames.group, resource: $0, namespace: nil) }
    }

    /// The operator's calls, recorded in process against a simulated cluster.
    static func recordedCalls() async throws -> (calls: Set<APICall>, grantedByOperator: [PolicyRule]) {
        let clock = ManualWallClock()
        let cluster = SimulatedCluster(name: "rbac", clock: clock)
        let calls = try await OperatorCallLog.record(operatorAPI: cluster, adminAPI: cluster, cluster: cluster, clock: clock)
        return (calls, await OperatorCallLog.rulesGrantedByOperator)
    }

    /// Every call the operator and the agent make is allowed by the deployed rules.
    @Test func rbacCoversEveryCall() async throws {
        let rules = try DeployedRules.load()
        let (calls, _) = try await Self.recordedCalls()
        #expect(calls.count > 60)
        let denied = (calls.sorted() + Self.agentCalls).filter { !rules.allows($0) }
        #expect(denied.isEmpty, "not allowed by deploy/operator/rbac.yaml: \(denied)")
    }

    /// Nothing is granted that neither a call of the operator or agent nor a rule the operator
    /// grants to others (which RBAC requires it to hold) needs, and namespaced kinds are granted in
    /// image-registry-system unless a cluster-wide grant needs them.
    @Test func rbacGrantsNothingUnneeded() async throws {
        let rules = try DeployedRules.load()
        let (calls, granted) = try await Self.recordedCalls()
        let escalation = Set(
            granted.flatMap { rule in
                (rule.apiGroups ?? []).flatMap { group in
                    (rule.resources ?? []).flatMap { resource in rule.verbs.map { "\($0) \(group)/\(resource)" } }
                }
            })
        let needed = Set((calls.map { $0 } + Self.agentCalls).map { "\($0.verb) \($0.group)/\($0.resource)@\($0.namespace ?? "")" })
        var unneeded: [String] = []
        for grant in rules.grants {
            let key = "\(grant.verb) \(grant.group)/\(grant.resource)"
            let usedHere = needed.contains("\(key)@\(grant.namespace ?? "")")
            let usedInNamespace = grant.namespace == nil && needed.contains("\(key)@\(RegistryNames.namespace)")
            if !(usedHere || usedInNamespace || escalation.contains(key)) { unneeded.append("\(key) \(grant.namespace ?? "cluster-wide")") }
        }
        #expect(unneeded.isEmpty, "granted but never needed: \(unneeded)")
        let bound = Set(rules.bindRules.flatMap { $0.resourceNames ?? [] })
        #expect(bound == ["system:auth-delegator", "extension-apiserver-authentication-reader"], "bind granted on \(bound)")
        let clusterWideNamespaced = rules.cluster.flatMap { rule in (rule.resources ?? []).map { ($0, rule) } }.filter { resource, rule in
            guard let type = ResourceType.forPlural(group: rule.apiGroups?.first ?? "", plural: resource), type.namespaced else { return false }
            return !rule.verbs.allSatisfy { verb in escalation.contains("\(verb) \(rule.apiGroups?.first ?? "")/\(resource)") }
        }
        #expect(clusterWideNamespaced.isEmpty, "namespaced kinds granted cluster-wide without need: \(clusterWideNamespaced.map(\.0))")
    }

    /// Over HTTP with RBAC enforced, the operator authenticated as its service account, bound to
    /// exactly the deployed rules, goes through every state and grants its own roles (escalation
    /// checks included) without a single 403; the agent's Config write is allowed too.
    @Test func operatorRunsUnderTheDeployedRules() async throws {
        let clock = ManualWallClock()
        let cluster = SimulatedCluster(name: "deployed-rbac", clock: clock)
        let account = UserInfo.serviceAccount(namespace: RegistryNames.namespace, name: RegistryNames.operatorDeployment)
        let configuration = SimulatedAPIServerConfiguration(
            tokens: [LiveAPIServer.adminToken: .admin(), "operator-token": account], authorization: .rbac)
        try await withWire(cluster: cluster, configuration: configuration) { wire in
            for file in ["operator/namespace.yaml", "operator/serviceaccount.yaml", "operator/rbac.yaml"] {
                for manifest in try Manifests.load(file) {
                    let object = try manifest.object
                    _ = try await wire.client.create(try #require(object.resourceType), object)
                }
            }
            try await withClient(wire.server.kubeConfig(token: "operator-token")) { operatorClient in
                let calls = try await OperatorCallLog.record(operatorAPI: operatorClient, adminAPI: wire.client, cluster: cluster, clock: clock)
                #expect(calls.count > 60)
                let config = try await operatorClient.modify(Config.self, name: RegistryNames.singleton) { $0.spec.logLevel = "Debug" }
                #expect(config.spec.logLevel == "Debug")
            }
        }
    }
}
