import Foundation
import KubeClient
import KubeSimulator
import RegistryModel

@testable import RegistryOperator

/// Every API call the operator makes, derived by running it: a full reconcile through Managed,
/// drift on every owned object, Unmanaged, Removed, Managed again and the deletion of
/// Config/cluster, plus the watches the controller opens.
enum OperatorCallLog {
    /// The calls the operator makes through `operatorAPI` (in process or over the wire) against
    /// `cluster`; `adminAPI` makes the test's own changes (a user editing Config/cluster).
    static func record(
        operatorAPI: any KubernetesAPI, adminAPI: any KubernetesAPI, cluster: SimulatedCluster, clock: ManualWallClock
    ) async throws -> Set<APICall> {
        let recorder = RecordingAPI(operatorAPI)
        let driver = OperatorDriver(api: recorder, cluster: cluster, clock: clock)
        try await driver.converge("the first rollout", until: OperatorDriver.isHealthy)
        // Two replicas add the PodDisruptionBudget; drift on every owned object makes each kind updated.
        _ = try await adminAPI.patch(.configs, namespace: nil, name: RegistryNames.singleton, mergePatch: ["spec": ["replicas": 2]])
        try await driver.converge("two replicas", until: OperatorDriver.isHealthy)
        try await driftEveryOwnedObject(cluster)
        try await driver.converge("drift to be repaired", until: OperatorDriver.isHealthy)
        _ = try await adminAPI.patch(.configs, namespace: nil, name: RegistryNames.singleton, mergePatch: ["spec": ["replicas": 1]])
        try await driver.converge("one replica", until: OperatorDriver.isHealthy)
        for state in ["Unmanaged", "Removed", "Managed"] {
            _ = try await adminAPI.patch(
                .configs, namespace: nil, name: RegistryNames.singleton, mergePatch: ["spec": ["managementState": .string(state)]])
            try await driver.converge("\(state) to settle") { config in
                let conditions = config.status?.conditions ?? []
                return state == "Removed"
                    ? conditions.has("Removed", .true) && conditions.has("Progressing", .false) : conditions.has("Progressing", .false)
            }
        }
        try await adminAPI.delete(.configs, namespace: nil, name: RegistryNames.singleton, options: DeleteOptions())
        for _ in 0..<5 {
            _ = try await driver.reconciler.reconcile()
            await cluster.step()
        }
        for watch in OperatorController.watches {
            let stream = try await recorder.watch(watch.resource, namespace: watch.namespace, options: WatchOptions(labelSelector: watch.selector))
            _ = stream
        }
        return recorder.calls
    }

    /// The rules of the ClusterRoles and Roles the operator creates (which RBAC requires it to hold),
    /// from a fresh Managed rollout.
    static var rulesGrantedByOperator: [PolicyRule] {
        get async {
            let clock = ManualWallClock()
            let cluster = SimulatedCluster(name: "granted", clock: clock)
            let driver = OperatorDriver(api: cluster, cluster: cluster, clock: clock)
            _ = try? await driver.converge("the first rollout", until: OperatorDriver.isHealthy)
            let owned = LabelSelector(matchLabels: [RegistryNames.managedByLabel: RegistryNames.managedByValue])
            var rules: [PolicyRule] = []
            for resource in [ResourceType.clusterRoles, .roles] {
                for object in await cluster.storedObjects(resource) where owned.matches(object.metadata.labels ?? [:]) {
                    rules += (try? object.decode(as: Role.self).rules) ?? []
                }
            }
            return rules
        }
    }

    /// Changes the `app` label of every object the operator owns, so the next pass updates each kind.
    private static func driftEveryOwnedObject(_ cluster: SimulatedCluster) async throws {
        let owned = LabelSelector(matchLabels: [RegistryNames.managedByLabel: RegistryNames.managedByValue])
        for resource in ResourceType.all {
            for object in await cluster.storedObjects(resource) where owned.matches(object.metadata.labels ?? [:]) {
                _ = try await cluster.patch(
                    resource, namespace: object.metadata.namespace, name: object.metadata.name,
                    mergePatch: ["metadata": ["labels": ["app": "drifted"]]])
            }
        }
    }
}
