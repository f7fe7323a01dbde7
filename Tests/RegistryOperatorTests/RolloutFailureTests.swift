import Foundation
import KubeClient
import KubeSimulator
import Logging
import RegistryModel
import Testing
@testable import RegistryOperator

/// How a stalled rollout and a lost write race show in the status and the logs.
@Suite struct RolloutFailureTests {
    /// A rollout whose pods cannot be scheduled passes its progress deadline: Progressing=False and Degraded=True, both ProgressDeadlineExceeded.
    @Test func progressDeadlineExceededStopsProgressing() async throws {
        let harness = ReconcilerHarness(options: OperatorOptions(progressDeadlineSeconds: 30))
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.editConfig { $0.nodeSelector = ["topology.kubernetes.io/zone": "nowhere"] }
        try await harness.converge(tick: 5) { config in
            config?.status?.conditions?[type: "Degraded"]?.reason == "ProgressDeadlineExceeded"
        }
        let deployment = try await harness.cluster.get(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.registryDeployment)
        #expect(deployment.status?.conditions?[type: "Progressing"]?.reason == "ProgressDeadlineExceeded")
        let conditions = try #require(try await harness.config()?.status?.conditions)
        let progressing = try #require(conditions[type: "Progressing"])
        #expect(progressing.status == .false)
        #expect(progressing.reason == "ProgressDeadlineExceeded")
        #expect(progressing.message?.contains("has not completed") == false)
        #expect(conditions.has("Degraded", .true))
    }

    /// An update that hits 409 because another writer got there first is re-planned and succeeds, logged without a warning.
    @Test func retriedConflictIsNotAWarning() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.editConfig { $0.replicas = 2 }
        let api = RacingWriterAPI(base: harness.cluster, racedResource: .deployments)
        let capture = LogCapture()
        let reconciler = RegistryReconciler(api: api, clock: harness.clock, logger: capture.logger())
        let result = try await reconciler.reconcile()
        #expect(await api.races == 1)
        #expect(result.error == nil)
        let deployment = try await harness.cluster.get(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.registryDeployment)
        #expect(deployment.spec.replicas == 2)
        #expect(deployment.metadata.annotations?["test/raced"] == "true")
        let warnings = capture.entries.filter { $0.level >= .warning }
        #expect(warnings.isEmpty, "\(warnings.map(\.message))")
        #expect(capture.entries.contains { $0.level == .debug && $0.message.contains("retrying") })
    }

    /// A conflict that persists through every attempt is a warning and an apply error.
    @Test func persistentConflictIsAWarning() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.editConfig { $0.replicas = 2 }
        let api = RacingWriterAPI(base: harness.cluster, racedResource: .deployments, races: .max)
        let capture = LogCapture()
        let reconciler = RegistryReconciler(api: api, clock: harness.clock, logger: capture.logger())
        let result = try await reconciler.reconcile()
        #expect(result.error?.code == .apply)
        #expect(capture.entries.contains { $0.level == .warning && $0.message == "apply failed" })
    }
}

/// Forwards to a cluster, but before the first `limit` updates of one resource another writer
/// changes the object, so the forwarded update carries a stale resourceVersion and the real
/// API server semantics answer 409 Conflict.
actor RacingWriterAPI: KubernetesAPI {
    let base: SimulatedCluster
    let racedResource: ResourceType
    let limit: Int
    private(set) var races = 0

    init(base: SimulatedCluster, racedResource: ResourceType, races limit: Int = 1) {
        self.base = base
        self.racedResource = racedResource
        self.limit = limit
    }

    func update(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject {
        if resource == racedResource && races < limit {
            races += 1
            _ = try await base.patch(
                resource, namespace: object.metadata.namespace, name: object.metadata.name,
                mergePatch: ["metadata": ["annotations": ["test/raced": "true", "test/race": .string(String(races))]]])
        }
        return try await base.update(resource, object)
    }

    func get(_ resource: ResourceType, namespace: String?, name: String) async throws -> KubeObject {
        try await base.get(resource, namespace: namespace, name: name)
    }
    func list(_ resource: ResourceType, namespace: String?, options: ListOptions) async throws -> KubeObjectList {
        try await base.list(resource, namespace: namespace, options: options)
    }
    func create(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject { try await base.create(resource, object) }
    func updateStatus(_ resource: ResourceType, _ object: KubeObject) async throws -> KubeObject { try await base.updateStatus(resource, object) }
    func patch(_ resource: ResourceType, namespace: String?, name: String, mergePatch: JSONValue) async throws -> KubeObject {
        try await base.patch(resource, namespace: namespace, name: name, mergePatch: mergePatch)
    }
    func delete(_ resource: ResourceType, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await base.delete(resource, namespace: namespace, name: name, options: options)
    }
    func watch(_ resource: ResourceType, namespace: String?, options: WatchOptions) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        try await base.watch(resource, namespace: namespace, options: options)
    }
}
