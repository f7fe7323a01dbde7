import Foundation
import KubeClient
import Logging
import RegistryModel

/// Removes the operator, the registry it runs and the operator's install from a cluster, in the
/// order that cannot hang:
///
/// 1. the operator Deployment (and its pods), so nothing re-creates Config/cluster;
/// 2. the APIService `v1.image.alauda.io`, before its backend goes, so API discovery (which the
///    namespace controller needs) never fails;
/// 3. the registry's cluster-scoped objects and its RoleBinding in kube-system;
/// 4. every Config and ImagePruner, releasing the operator's finalizer itself (the operator is
///    gone, so nobody else would), then the CRDs, which wait for their objects;
/// 5. the operator's ClusterRole and ClusterRoleBinding, and its Role and RoleBinding in kube-system;
/// 6. the namespace, unless it holds retained storage.
///
/// Storage follows the same rule as Removed: a claim whose `storage.managementState` is
/// `Managed` is deleted (its image data is lost); an `Unmanaged` or user-supplied claim is kept,
/// and then so is the namespace that holds it, with nothing else left in it.
///
/// Every wait has a deadline; when one passes, the error names what still holds the step.
/// Works through `KubernetesAPI`, so against a real cluster and the simulator alike.
public struct OperatorUninstaller: Sendable {
    let api: any KubernetesAPI
    let logger: Logger
    /// How long each wait (pods, objects, CRDs, namespace) may take.
    public var timeout: Duration
    /// How often a wait looks again.
    public var pollInterval: Duration

    /// The operator's own install objects (deploy/operator), by name.
    static let installName = RegistryNames.operatorDeployment
    /// The pod label of the operator Deployment.
    static let operatorPodLabel = "app.kubernetes.io/name"

    public init(api: any KubernetesAPI, logger: Logger, timeout: Duration = .seconds(120), pollInterval: Duration = .milliseconds(250)) {
        self.api = api
        self.logger = logger
        self.timeout = timeout
        self.pollInterval = pollInterval
    }

    /// Runs every step; returns what was removed and kept, or throws the first step that failed.
    public func uninstall() async throws -> UninstallReport {
        var report = UninstallReport()
        try await stopOperator(&report)
        let retained = try await retainedClaims()
        try await deleteOwned(.apiServices, nil, RegistryNames.apiService, &report)
        for (resource, name) in Self.clusterScopedRuntime {
            try await deleteOwned(resource, nil, name, &report)
        }
        try await deleteOwned(.roleBindings, ImageAPIDelegation.authReaderNamespace, ImageAPIDelegation.authReaderBinding, &report)
        if !retained.contains(RegistryNames.managedPVC), try await managedClaimIsOperatorMade() {
            try await deleteOwned(.persistentVolumeClaims, RegistryNames.namespace, RegistryNames.managedPVC, &report)
        }
        for resource in ResourceType.customResources {
            try await deleteCustomResources(resource, &report)
        }
        for resource in ResourceType.customResources {
            try await deleteDefinition(resource, &report)
        }
        for resource in [ResourceType.clusterRoleBindings, .clusterRoles] {
            try await deleteNamed(resource, nil, Self.installName, &report)
        }
        for resource in [ResourceType.roleBindings, .roles] {
            try await deleteNamed(resource, ImageAPIDelegation.authReaderNamespace, Self.installName, &report)
        }
        try await removeNamespace(keeping: retained, &report)
        logger.info("uninstalled", metadata: ["removed": "\(report.removed.count)", "kept": "\(report.kept)"])
        return report
    }

    /// The registry's cluster-scoped objects besides the APIService (namespaced ones go with
    /// the namespace, or one by one when it is kept).
    static let clusterScopedRuntime: [(ResourceType, String)] = [
        (.clusterRoleBindings, RegistryNames.registryClusterRoleBinding), (.clusterRoles, RegistryNames.registryClusterRole),
        (.clusterRoleBindings, RegistryNames.prunerClusterRoleBinding), (.clusterRoles, RegistryNames.prunerClusterRole),
        (.clusterRoleBindings, ImageAPIDelegation.authDelegatorBinding),
    ]

    // MARK: Steps

    private func stopOperator(_ report: inout UninstallReport) async throws {
        try await deleteNamed(.deployments, RegistryNames.namespace, Self.installName, &report)
        let selector = LabelSelector(matchLabels: [Self.operatorPodLabel: Self.installName])
        try await waitUntil("stop the operator (Deployment \(RegistryNames.namespace)/\(Self.installName))") {
            let pods = try await list(.pods, RegistryNames.namespace, selector)
            return pods.isEmpty ? nil : pods.map { "Pod \(RegistryNames.namespace)/\($0.metadata.name) still running" }
        }
    }

    /// The claims that must survive: the Config's claim when its storage is Unmanaged (a user
    /// claim is Unmanaged by default), or the managed claim when no Config says otherwise.
    func retainedClaims() async throws -> Set<String> {
        guard let config = try await api.getIfExists(Config.self, name: RegistryNames.singleton) else {
            // Without a Config nothing proves the storage is Managed: keep the data.
            return [RegistryNames.managedPVC]
        }
        guard let storage = config.spec.storage, let pvc = storage.pvc else { return [] }
        guard storage.effectiveManagementState == .unmanaged else { return [] }
        return [(pvc.claim ?? "").isEmpty ? RegistryNames.managedPVC : pvc.claim!]
    }

    private func managedClaimIsOperatorMade() async throws -> Bool {
        guard let claim = try await api.getIfExists(.persistentVolumeClaims, namespace: RegistryNames.namespace, name: RegistryNames.managedPVC) else {
            return false
        }
        return claim.metadata.labels?[RegistryNames.managedByLabel] == RegistryNames.managedByValue
    }

    /// Releases the operator's finalizer on every object of a custom kind and deletes it.
    private func deleteCustomResources(_ resource: ResourceType, _ report: inout UninstallReport) async throws {
        guard let objects = try await listServed(resource) else { return }
        for object in objects {
            let name = object.metadata.name
            if object.metadata.finalizers?.contains(RegistryReconciler.finalizer) == true {
                try await request("release the operator's finalizer on \(resource.kind)/\(name)") {
                    _ = try await modifyIfExists(resource, name) { current in
                        current.metadata.finalizers = current.metadata.finalizers?.filter { $0 != RegistryReconciler.finalizer }
                    }
                }
            }
            try await deleteNamed(resource, nil, name, &report)
        }
    }

    private func deleteDefinition(_ resource: ResourceType, _ report: inout UninstallReport) async throws {
        let name = resource.definitionName
        guard try await api.getIfExists(.customResourceDefinitions, namespace: nil, name: name) != nil else { return }
        try await request("delete CustomResourceDefinition \(name)") {
            _ = try await api.deleteIfExists(.customResourceDefinitions, namespace: nil, name: name)
        }
        try await waitUntil("delete CustomResourceDefinition \(name)") {
            guard let definition = try await api.getIfExists(.customResourceDefinitions, namespace: nil, name: name) else { return nil }
            var blocking = Self.trueConditions(definition).map { "CustomResourceDefinition \(name) \($0)" }
            for object in (try? await api.listAll(resource, namespace: nil).items) ?? [] {
                blocking.append("\(resource.kind)/\(object.metadata.name) finalizers \(object.metadata.finalizers ?? [])")
            }
            return blocking.isEmpty ? ["CustomResourceDefinition \(name) still exists"] : blocking
        }
        report.removed.append("CustomResourceDefinition/\(name)")
    }

    private func removeNamespace(keeping retained: Set<String>, _ report: inout UninstallReport) async throws {
        let namespace = RegistryNames.namespace
        guard try await api.getIfExists(.namespaces, namespace: nil, name: namespace) != nil else { return }
        let existing = try await list(.persistentVolumeClaims, namespace, nil).map(\.metadata.name)
        let kept = retained.intersection(existing).sorted()
        guard kept.isEmpty else {
            try await emptyNamespace(except: Set(kept), &report)
            report.kept += kept.map { "PersistentVolumeClaim/\(namespace)/\($0) (storage is Unmanaged: its image data is retained)" }
            report.kept.append("Namespace/\(namespace) (it holds the retained storage; delete it yourself to delete the data)")
            return
        }
        try await deleteNamed(.namespaces, nil, namespace, &report)
        try await waitUntil("delete Namespace \(namespace)") {
            guard let object = try await api.getIfExists(.namespaces, namespace: nil, name: namespace) else { return nil }
            var blocking = Self.trueConditions(object).map { "Namespace \(namespace) \($0)" }
            if let finalizers = object.metadata.finalizers, !finalizers.isEmpty { blocking.append("Namespace \(namespace) finalizers \(finalizers)") }
            return blocking.isEmpty ? ["Namespace \(namespace) is still terminating"] : blocking
        }
    }

    /// Deletes every namespaced object in the operator namespace except the retained claims
    /// (and the `default` ServiceAccount, which the namespace always has).
    private func emptyNamespace(except retained: Set<String>, _ report: inout UninstallReport) async throws {
        let namespace = RegistryNames.namespace
        for resource in ResourceType.all where resource.namespaced {
            for object in try await list(resource, namespace, nil) {
                let name = object.metadata.name
                if resource == .persistentVolumeClaims && retained.contains(name) { continue }
                if resource == .serviceAccounts && name == "default" { continue }
                if resource == .pods && !(object.metadata.ownerReferences ?? []).isEmpty { continue }
                try await deleteNamed(resource, namespace, name, &report)
            }
        }
        try await waitUntil("empty Namespace \(namespace)") {
            var left: [String] = []
            for resource in ResourceType.all where resource.namespaced {
                for object in try await list(resource, namespace, nil) {
                    let name = object.metadata.name
                    if resource == .persistentVolumeClaims && retained.contains(name) { continue }
                    if resource == .serviceAccounts && name == "default" { continue }
                    left.append("\(resource.kind)/\(namespace)/\(name)")
                }
            }
            return left.isEmpty ? nil : left
        }
    }

    // MARK: Requests

    /// Deletes an object the operator made (managed-by label); a same-named object of a user is kept.
    private func deleteOwned(_ resource: ResourceType, _ namespace: String?, _ name: String, _ report: inout UninstallReport) async throws {
        guard let object = try await api.getIfExists(resource, namespace: namespace, name: name) else { return }
        guard object.metadata.labels?[RegistryNames.managedByLabel] == RegistryNames.managedByValue else {
            report.kept.append("\(Self.describe(resource, namespace, name)) (not made by the operator)")
            return
        }
        try await deleteNamed(resource, namespace, name, &report)
    }

    private func deleteNamed(_ resource: ResourceType, _ namespace: String?, _ name: String, _ report: inout UninstallReport) async throws {
        let description = Self.describe(resource, namespace, name)
        var deleted = false
        try await request("delete \(description)") {
            deleted = try await api.deleteIfExists(resource, namespace: namespace, name: name)
        }
        if deleted {
            logger.info("deleted", metadata: ["object": "\(description)"])
            report.removed.append(description)
        }
    }

    private func modifyIfExists(_ resource: ResourceType, _ name: String, _ change: (inout KubeObject) -> Void) async throws -> Bool {
        for _ in 0..<5 {
            guard var object = try await api.getIfExists(resource, namespace: nil, name: name) else { return false }
            let before = object
            change(&object)
            if object.metadata.finalizers?.isEmpty == true { object.metadata.finalizers = nil }
            guard object != before else { return true }
            do {
                _ = try await api.update(resource, object)
                return true
            } catch let error as KubeError where error.code == .conflict {
                continue
            } catch let error as KubeError where error.code == .notFound {
                return false
            }
        }
        throw UninstallError(step: "update \(resource.kind)/\(name)", message: "kept conflicting with another writer")
    }

    /// Lists a custom kind; nil when its CRD is not installed (the kind is not served).
    private func listServed(_ resource: ResourceType) async throws -> [KubeObject]? {
        do {
            return try await api.listAll(resource, namespace: nil).items
        } catch let error as KubeError where error.code == .notFound {
            return nil
        }
    }

    private func list(_ resource: ResourceType, _ namespace: String?, _ selector: LabelSelector?) async throws -> [KubeObject] {
        try await api.listAll(resource, namespace: namespace, labelSelector: selector).items
    }

    /// Runs one request, wrapping a failure with the step it belongs to.
    private func request(_ step: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as UninstallError {
            throw error
        } catch {
            throw UninstallError(step: step, message: "\(error)")
        }
    }

    /// Polls `blockers` until it returns nil; past the timeout, throws naming the last blockers.
    private func waitUntil(_ step: String, _ blockers: () async throws -> [String]?) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let current: [String]?
            do {
                current = try await blockers()
            } catch {
                throw UninstallError(step: step, message: "\(error)")
            }
            guard let blocking = current else { return }
            if clock.now >= deadline {
                throw UninstallError(step: step, message: "did not complete within \(timeout)", blocking: blocking)
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// `Type=True reason: message` of every condition whose status is True.
    static func trueConditions(_ object: KubeObject) -> [String] {
        (object.status?["conditions"]?.arrayValue ?? []).compactMap { condition in
            guard condition["status"]?.stringValue == "True", let type = condition["type"]?.stringValue, type != "Established", type != "NamesAccepted"
            else { return nil }
            let reason = condition["reason"]?.stringValue ?? ""
            let message = condition["message"]?.stringValue ?? ""
            return "\(type)=True \(reason): \(message)"
        }
    }

    static func describe(_ resource: ResourceType, _ namespace: String?, _ name: String) -> String {
        "\(resource.kind)/\(namespace.map { "\($0)/" } ?? "")\(name)"
    }
}
