import Foundation
import KubeClient
import KubeSimulator
import Logging
import RegistryModel
import Testing
@testable import RegistryOperator

/// `regfleet operator uninstall` on a simulator with the API server's finalizer, CRD and
/// discovery semantics: the documented kubectl steps hang; the uninstaller completes.
@Suite struct UninstallTests {
    private static let installLabel = ["app.kubernetes.io/name": RegistryNames.operatorDeployment, "app.kubernetes.io/part-of": "regfleet"]

    /// What deploy/operator creates besides the namespace: the operator Deployment (with its pod) and its cluster RBAC.
    private func installOperator(_ cluster: SimulatedCluster) async throws {
        let container = Container(name: "agent", image: "registry.alauda.io/image-registry/regfleet:test")
        _ = try await cluster.create(
            Deployment(
                metadata: ObjectMeta(name: RegistryNames.operatorDeployment, namespace: RegistryNames.namespace, labels: Self.installLabel),
                spec: DeploymentSpec(
                    replicas: 1, selector: LabelSelectorSpec(matchLabels: ["app.kubernetes.io/name": RegistryNames.operatorDeployment]),
                    template: PodTemplateSpec(metadata: TemplateMetadata(labels: Self.installLabel), spec: PodSpec(containers: [container])))))
        _ = try await cluster.create(
            ClusterRole(
                metadata: ObjectMeta(name: RegistryNames.operatorDeployment, labels: Self.installLabel),
                rules: [PolicyRule(apiGroups: ["*"], resources: ["*"], verbs: ["*"])]))
        _ = try await cluster.create(
            ClusterRoleBinding(
                metadata: ObjectMeta(name: RegistryNames.operatorDeployment, labels: Self.installLabel),
                roleRef: RoleRef(kind: "ClusterRole", name: RegistryNames.operatorDeployment),
                subjects: [Subject(kind: "ServiceAccount", name: RegistryNames.operatorDeployment, namespace: RegistryNames.namespace)]))
        await cluster.step()
    }

    private func uninstaller(_ harness: ReconcilerHarness, timeout: Duration = .seconds(10)) -> OperatorUninstaller {
        var logger = Logger(label: "test.uninstall")
        logger.logLevel = .critical
        return OperatorUninstaller(api: harness.cluster, logger: logger, timeout: timeout, pollInterval: .milliseconds(20))
    }

    /// Steps the controllers for ten simulated minutes: long enough for anything that would complete.
    private func waitBounded(_ harness: ReconcilerHarness) async {
        for _ in 0..<20 {
            harness.clock.advance(by: 30)
            await harness.cluster.step()
        }
    }

    /// Nothing of the registry, the operator or its CRDs is left, and the custom kinds are no longer served.
    private func expectNothingLeft(_ harness: ReconcilerHarness) async throws {
        let cluster = harness.cluster
        #expect(await cluster.storedObject(.namespaces, name: RegistryNames.namespace) == nil)
        #expect(await cluster.storedObjects(.customResourceDefinitions).isEmpty)
        #expect(await cluster.storedObjects(.apiServices).isEmpty)
        // Only Kubernetes' own bootstrap roles remain.
        for resource in [ResourceType.clusterRoles, .clusterRoleBindings] {
            let left = await cluster.storedObjects(resource).filter { $0.metadata.labels?["kubernetes.io/bootstrapping"] == nil }.map(\.metadata.name)
            #expect(left.isEmpty, "\(resource): \(left)")
        }
        for resource in [ResourceType.roles, .roleBindings] {
            let left = await cluster.storedObjects(resource, namespace: "kube-system").filter { $0.metadata.labels?["kubernetes.io/bootstrapping"] == nil }
            #expect(left.isEmpty, "\(resource) in kube-system: \(left.map(\.metadata.name))")
        }
        for resource in ResourceType.all where resource.namespaced {
            #expect(await cluster.objectCount(resource, namespace: RegistryNames.namespace) == 0, "\(resource)")
        }
        await #expect(throws: KubeError.self) { _ = try await cluster.list(.configs, namespace: nil, options: ListOptions()) }
    }

    /// The install guide's old kubectl steps hang: the re-created Config's finalizer holds the CRD (InstanceDeletionInProgress) and the APIService without a backend holds the namespace (NamespaceDeletionDiscoveryFailure); the uninstaller then completes.
    @Test func oldProcedureHangsAndUninstallCompletes() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await installOperator(harness.cluster)
        // kubectl delete config cluster: the operator finalizes it, then re-creates it with defaults.
        let first = try #require(try await harness.config())
        try await harness.cluster.delete(Config.self, name: RegistryNames.singleton)
        try await harness.converge { config in
            guard let config, config.metadata.uid != first.metadata.uid else { return false }
            return config.metadata.finalizers?.contains(RegistryReconciler.finalizer) == true && config.isSettledHealthy
        }
        // kubectl delete deployment cluster-image-registry-operator: no more reconciles.
        try await harness.cluster.delete(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.operatorDeployment)
        // kubectl delete -f deploy/operator/rbac.yaml -f deploy/crds/
        for name in [RegistryNames.operatorDeployment] {
            try await harness.cluster.delete(.clusterRoleBindings, namespace: nil, name: name, options: DeleteOptions())
            try await harness.cluster.delete(.clusterRoles, namespace: nil, name: name, options: DeleteOptions())
        }
        for resource in ResourceType.customResources {
            try await harness.cluster.delete(.customResourceDefinitions, namespace: nil, name: resource.definitionName, options: DeleteOptions())
        }
        await waitBounded(harness)
        let definition = try #require(await harness.cluster.storedObject(.customResourceDefinitions, name: ResourceType.configs.definitionName))
        #expect(definition.metadata.deletionTimestamp != nil)
        #expect(UninstallTests.condition("Terminating", of: definition)?["reason"]?.stringValue == "InstanceDeletionInProgress")
        #expect(try await harness.exists(.deployments, RegistryNames.registryDeployment))
        #expect(try await harness.exists(.deployments, RegistryNames.apiServerDeployment))
        #expect(try await harness.exists(.apiServices, RegistryNames.apiService, namespaced: false))
        // kubectl delete namespace image-registry-system
        try await harness.cluster.delete(.namespaces, namespace: nil, name: RegistryNames.namespace, options: DeleteOptions())
        await waitBounded(harness)
        let namespace = try #require(await harness.cluster.storedObject(.namespaces, name: RegistryNames.namespace))
        let failure = try #require(UninstallTests.condition("NamespaceDeletionDiscoveryFailure", of: namespace))
        #expect(failure["status"]?.stringValue == "True")
        #expect(failure["message"]?.stringValue?.contains("image.alauda.io/v1") == true)

        let report = try await uninstaller(harness).uninstall()
        #expect(report.removed.contains("APIService/\(RegistryNames.apiService)"))
        try await expectNothingLeft(harness)
    }

    /// On a running install the uninstaller stops the operator and removes everything, Managed storage included, leaving nothing behind.
    @Test func uninstallLeavesNothingBehind() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await installOperator(harness.cluster)
        #expect(await harness.cluster.storedObjects(.pods, namespace: RegistryNames.namespace).contains { $0.metadata.name.hasPrefix(RegistryNames.operatorDeployment) })
        let report = try await uninstaller(harness).uninstall()
        #expect(report.kept.isEmpty, "\(report.kept)")
        #expect(report.removed.first == "Deployment/\(RegistryNames.namespace)/\(RegistryNames.operatorDeployment)")
        #expect(report.removed.firstIndex(of: "APIService/\(RegistryNames.apiService)")! < report.removed.firstIndex(of: "Namespace/\(RegistryNames.namespace)")!)
        try await expectNothingLeft(harness)
    }

    /// Unmanaged storage is retained: the claim and the namespace holding it stay, with nothing else in it, and the report says so.
    @Test func uninstallKeepsUnmanagedStorage() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.editConfig { $0.storage?.managementState = .unmanaged }
        try await harness.converge { $0?.isSettledHealthy == true && $0?.status?.storageManaged == false }
        try await installOperator(harness.cluster)
        let claim = try #require(await harness.cluster.storedObject(.persistentVolumeClaims, namespace: RegistryNames.namespace, name: RegistryNames.managedPVC))
        let report = try await uninstaller(harness).uninstall()
        #expect(report.kept.contains { $0.hasPrefix("PersistentVolumeClaim/\(RegistryNames.namespace)/\(RegistryNames.managedPVC)") })
        #expect(report.kept.contains { $0.hasPrefix("Namespace/\(RegistryNames.namespace)") })
        let kept = try #require(await harness.cluster.storedObject(.persistentVolumeClaims, namespace: RegistryNames.namespace, name: RegistryNames.managedPVC))
        #expect(kept.metadata.uid == claim.metadata.uid)
        let left = await harness.cluster.storedObjects(.pods, namespace: RegistryNames.namespace) + harness.cluster.storedObjects(.deployments, namespace: RegistryNames.namespace)
        #expect(left.isEmpty)
        #expect(await harness.cluster.storedObjects(.customResourceDefinitions).isEmpty)
        #expect(await harness.cluster.storedObjects(.apiServices).isEmpty)
    }

    /// A finalizer the uninstaller does not own makes it fail at its deadline, naming the finalizer and the CRD's condition, instead of hanging.
    @Test func blockedStepFailsNamingTheBlocker() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        _ = try await harness.cluster.modify(ImagePruner.self, name: RegistryNames.singleton) { pruner in
            pruner.metadata.finalizers = ["example.com/hold"]
        }
        let started = ContinuousClock.now
        let error = await #expect(throws: UninstallError.self) { _ = try await uninstaller(harness, timeout: .milliseconds(500)).uninstall() }
        #expect(ContinuousClock.now - started < .seconds(10))
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains(ResourceType.imagePruners.definitionName))
        #expect(text.contains("example.com/hold"))
        #expect(text.contains("InstanceDeletionInProgress"))
    }

    static func condition(_ type: String, of object: KubeObject) -> JSONValue? {
        object.status?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }
}
