import Foundation
import KubeClient
import Logging
import RegistryModel

extension RegistryReconciler {
    /// Creates `image-registry-system` when it is missing (it is never deleted by the operator).
    func ensureNamespace() async throws -> Int {
        if try await api.getIfExists(.namespaces, namespace: nil, name: RegistryNames.namespace) != nil { return 0 }
        do {
            _ = try await api.create(Namespace(metadata: ObjectMeta(name: RegistryNames.namespace, labels: ["openshift.io/cluster-monitoring": "true"])))
        } catch let error as KubeError where error.code == .alreadyExists {
            return 0
        }
        return 1
    }

    /// Reads the singleton (`Config/cluster` or `ImagePruner/cluster`), creating it with the
    /// bootstrap values when it does not exist; returns it and the number of writes.
    func loadOrBootstrap<T: SingletonResource>(_ type: T.Type) async throws -> (T, Int) {
        if let existing = try await api.getIfExists(T.self, name: RegistryNames.singleton) { return (existing, 0) }
        logger.info("bootstrapping \(T.kindName)/\(RegistryNames.singleton)")
        do {
            return (try await api.create(await T.bootstrap(from: bootstrapSource)), 1)
        } catch let error as KubeError where error.code == .alreadyExists {
            return (try await api.get(T.self, name: RegistryNames.singleton), 0)
        }
    }

    /// Gives every Config or ImagePruner not named `cluster` a condition saying it is ignored.
    func flagIgnoredResources() async throws -> Int {
        try await flagIgnored(Config.self) + flagIgnored(ImagePruner.self)
    }

    private func flagIgnored<T: SingletonResource>(_ type: T.Type) async throws -> Int {
        var writes = 0
        for object in try await api.list(T.self) where object.metadata.name != RegistryNames.singleton {
            let condition = Condition(
                type: "Available", status: .false, reason: "NotSingleton",
                message: "only \(T.kindName)/\(RegistryNames.singleton) is reconciled; \(T.kindName)/\(object.metadata.name) is ignored")
            writes += try await setCondition(condition, on: object)
        }
        return writes
    }

    /// Fills what the operator owns in the spec (upstream step 5): a generated `httpSecret`,
    /// default storage and its management state, and the finalizer. One update, only when needed.
    func writeBackDefaults(_ config: Config) async throws -> (Config, Int) {
        var updated = config
        if (updated.spec.httpSecret ?? "").isEmpty { updated.spec.httpSecret = Self.generateHTTPSecret() }
        var storage = updated.spec.storage ?? StorageSpec(pvc: PVCStorage())
        if (storage.managementState?.rawValue ?? "").isEmpty { storage.managementState = storage.defaultManagementState }
        updated.spec.storage = storage
        var finalizers = updated.metadata.finalizers ?? []
        if !finalizers.contains(Self.finalizer) {
            finalizers.append(Self.finalizer)
            updated.metadata.finalizers = finalizers
        }
        guard updated != config else { return (config, 0) }
        logger.info("writing operator-owned defaults into Config/cluster")
        return (try await api.update(updated), 1)
    }

    /// 64 random bytes, hex-encoded, as upstream generates the registry's HTTP secret.
    static func generateHTTPSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<64).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Reads the objects named by `keys`, concurrently.
    func observe(_ keys: [ObjectKey]) async throws -> [ObjectKey: KubeObject] {
        try await withThrowingTaskGroup(of: (ObjectKey, KubeObject?).self) { group in
            for key in Set(keys) {
                group.addTask { (key, try await api.getIfExists(key.resource, namespace: key.namespace, name: key.name)) }
            }
            var observed: [ObjectKey: KubeObject] = [:]
            for try await (key, object) in group {
                if let object { observed[key] = object }
            }
            return observed
        }
    }

    /// Reads the workload state the status is computed from.
    func readSnapshot(storage: StorageSpec) async throws -> RuntimeSnapshot {
        let namespace = RegistryNames.namespace
        async let registry = api.getIfExists(Deployment.self, namespace: namespace, name: RegistryNames.registryDeployment)
        async let apiServer = api.getIfExists(Deployment.self, namespace: namespace, name: RegistryNames.apiServerDeployment)
        async let apiService = api.getIfExists(APIService.self, name: RegistryNames.apiService)
        async let nodeCA = api.getIfExists(DaemonSet.self, namespace: namespace, name: RegistryNames.nodeCADaemonSet)
        async let cronJob = api.getIfExists(CronJob.self, namespace: namespace, name: RegistryNames.prunerCronJob)
        async let lastRun = api.getIfExists(ConfigMap.self, namespace: namespace, name: RegistryNames.pruneReportConfigMap)
        async let pods = api.list(
            Pod.self, namespace: namespace,
            labelSelector: LabelSelector(requirements: [.in("app", [RegistryNames.registryDeployment, RegistryNames.apiServerDeployment])]))
        async let jobs = api.list(
            Job.self, namespace: namespace,
            labelSelector: LabelSelector(matchLabels: [RegistryNames.prunerJobLabel: RegistryNames.prunerCronJob]))
        var claim: PersistentVolumeClaim?
        if let pvc = storage.pvc {
            let name = (pvc.claim ?? "").isEmpty ? RegistryNames.managedPVC : pvc.claim!
            claim = try await api.getIfExists(PersistentVolumeClaim.self, namespace: namespace, name: name)
        }
        return RuntimeSnapshot(
            registryDeployment: try await registry, apiServerDeployment: try await apiServer, apiService: try await apiService,
            nodeCA: try await nodeCA, storageClaim: claim, registryPods: try await pods, cronJob: try await cronJob,
            prunerJobs: try await jobs, lastRunConfigMap: try await lastRun)
    }
}
