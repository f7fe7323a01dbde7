import Foundation
import KubeClient
import KubeREST
import KubeSimulator
import KubeSimulatorServer
import RegistryModel
import RegistryOperator
import Testing

/// The operator's scenarios with every API call going over HTTP to the simulated API server:
/// the same semantics as in process, now through RESTClient.
struct OperatorOverTheWireTests {
    static let operatorAccount = UserInfo.serviceAccount(namespace: RegistryNames.namespace, name: RegistryNames.operatorDeployment)

    /// Reconcile passes bring a fresh cluster to Available=True, Progressing=False, Degraded=False.
    @Test func managedBecomesAvailable() async throws {
        let clock = ManualWallClock()
        try await withWire(cluster: SimulatedCluster(name: "available", clock: clock)) { wire in
            let driver = OperatorDriver(api: wire.client, cluster: wire.cluster, clock: clock)
            let config = try await driver.converge("Config/cluster to be healthy", until: OperatorDriver.isHealthy)
            #expect(config.status?.readyReplicas == 1)
            #expect(
                try await wire.client.getIfExists(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.apiServerDeployment) != nil
            )
            #expect(try await wire.client.getIfExists(CronJob.self, namespace: RegistryNames.namespace, name: RegistryNames.prunerCronJob) != nil)
            let quiet = try await driver.reconciler.reconcile()
            #expect(quiet.writes == 0)
        }
    }

    /// Managed → Removed deletes the runtime, Removed → Managed brings it back, all over HTTP.
    @Test func removedRoundTrip() async throws {
        let clock = ManualWallClock()
        try await withWire(cluster: SimulatedCluster(name: "round-trip", clock: clock)) { wire in
            let driver = OperatorDriver(api: wire.client, cluster: wire.cluster, clock: clock)
            try await driver.converge("the first rollout", until: OperatorDriver.isHealthy)

            _ = try await wire.client.patch(
                .configs, namespace: nil, name: RegistryNames.singleton, mergePatch: ["spec": ["managementState": "Removed"]])
            let removed = try await driver.converge("the registry to be removed") { config in
                let conditions = config.status?.conditions ?? []
                return conditions.has("Removed", .true) && conditions.has("Progressing", .false)
            }
            #expect(removed.status?.conditions?[type: "Available"]?.reason == "Removed")
            #expect(
                try await wire.client.getIfExists(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.registryDeployment) == nil)
            #expect(try await wire.client.getIfExists(APIService.self, name: RegistryNames.apiService) == nil)
            #expect(try await wire.client.getIfExists(CronJob.self, namespace: RegistryNames.namespace, name: RegistryNames.prunerCronJob) == nil)

            _ = try await wire.client.patch(
                .configs, namespace: nil, name: RegistryNames.singleton, mergePatch: ["spec": ["managementState": "Managed"]])
            let restored = try await driver.converge("the registry to come back", until: OperatorDriver.isHealthy)
            #expect(restored.status?.conditions?[type: "Removed"]?.status == .false)
            #expect(
                try await wire.client.getIfExists(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.registryDeployment) != nil)
        }
    }

    /// When the API server refuses `create deployments` (403), Config/cluster is Degraded with a
    /// message naming the verb and the resource (retrying cannot help until the RBAC is fixed).
    @Test func forbiddenCreateSurfacesInStatus() async throws {
        let clock = ManualWallClock()
        let configuration = SimulatedAPIServerConfiguration(
            tokens: [LiveAPIServer.adminToken: .admin(), "operator-token": Self.operatorAccount], authorization: .rbac)
        try await withWire(cluster: SimulatedCluster(name: "forbidden", clock: clock), configuration: configuration) { wire in
            _ = try await wire.client.create(
                ClusterRole(metadata: ObjectMeta(name: "almost-everything"), rules: Self.everythingButCreatingDeployments))
            _ = try await wire.client.create(
                ClusterRoleBinding(
                    metadata: ObjectMeta(name: "operator"), roleRef: RoleRef(kind: "ClusterRole", name: "almost-everything"),
                    subjects: [Subject(kind: "ServiceAccount", name: RegistryNames.operatorDeployment, namespace: RegistryNames.namespace)]))
            try await withClient(wire.server.kubeConfig(token: "operator-token")) { operatorClient in
                let driver = OperatorDriver(api: operatorClient, cluster: wire.cluster, clock: clock)
                let result = try await driver.reconciler.reconcile()
                #expect(result.error?.code == .forbidden)
                let config = try await wire.client.get(Config.self, name: RegistryNames.singleton)
                let degraded = try #require(config.status?.conditions?[type: "Degraded"])
                #expect(degraded.status == .true)
                #expect(degraded.reason == "Forbidden")
                let message = degraded.message ?? ""
                #expect(message.contains("cannot create resource \"deployments\" in API group \"apps\""), "\(message)")
                #expect(message.contains(Self.operatorAccount.name))
            }
        }
    }

    /// A 409 on the operator's update fails that pass; the next pass reads the objects afresh and
    /// applies the change.
    @Test func conflictIsRecoveredWithAFreshRead() async throws {
        let clock = ManualWallClock()
        let cluster = SimulatedCluster(name: "conflict", clock: clock)
        try await withWire(cluster: cluster) { wire in
            let driver = OperatorDriver(api: wire.client, cluster: cluster, clock: clock)
            try await driver.converge("the first rollout", until: OperatorDriver.isHealthy)
            await cluster.injectAPIErrors(rate: 1, status: 409, verbs: [.update], resources: [.deployments])
            _ = try await wire.client.patch(.configs, namespace: nil, name: RegistryNames.singleton, mergePatch: ["spec": ["replicas": 2]])
            let failed = try await driver.reconciler.reconcile()
            #expect(failed.error?.message.contains("Operation cannot be fulfilled") == true)
            await cluster.clearAPIErrors()
            let config = try await driver.converge("two replicas") { $0.status?.readyReplicas == 2 && OperatorDriver.isHealthy($0) }
            #expect(config.spec.replicas == 2)
            let deployment = try await wire.client.get(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.registryDeployment)
            #expect(deployment.spec.replicas == 2)
        }
    }

    /// The operator controller itself (watches over HTTP, live simulated controllers) converges.
    @Test func controllerConvergesOverTheWire() async throws {
        let cluster = SimulatedCluster(
            name: "live", options: SimulationOptions(podReadyDelay: .milliseconds(50), controllerTick: .milliseconds(20)))
        await cluster.startControllers()
        try await withWire(cluster: cluster) { wire in
            let controller = OperatorController(api: wire.client, options: OperatorOptions(convergingRequeue: 0.1), logger: quietLogger)
            let run = Task { await controller.run() }
            defer { run.cancel() }
            try await waitUntil("Config/cluster to be healthy over the wire", timeout: .seconds(30)) {
                guard let config = try await wire.client.getIfExists(Config.self, name: RegistryNames.singleton) else { return false }
                return OperatorDriver.isHealthy(config)
            }
            run.cancel()
            await run.value
        }
        await cluster.stopControllers()
    }

    /// Every verb on every kind the operator touches, except creating Deployments, plus the
    /// rights its own ClusterRoles grant (RBAC refuses granting what one does not hold).
    static var everythingButCreatingDeployments: [PolicyRule] {
        var rules = ResourceType.all.filter { $0 != .deployments }.map { resource in
            PolicyRule(apiGroups: [resource.group], resources: [resource.plural, resource.rbacResource(subresource: "status")], verbs: ["*"])
        }
        rules.append(PolicyRule(apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch", "update", "patch", "delete"]))
        rules.append(PolicyRule(apiGroups: [RegistryNames.imageAPIGroup], resources: ["*"], verbs: ["*"]))
        return rules
    }
}
