import FleetAgent
import FleetModel
import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

struct PolicyApplierTests {
    static let policy = FleetPolicy(
        registry: RegistryPolicy(
            managementState: .managed, replicas: 3, logLevel: "Debug", readOnly: true,
            requests: RequestsSpec(read: RequestLimits(maxRunning: 10)), storage: StoragePolicy(managementState: .unmanaged)),
        pruner: PrunerPolicy(schedule: "30 2 * * *", suspend: true, keepTagRevisions: 5, keepYoungerThanDuration: "2h", logLevel: "Debug"))

    /// On an empty cluster both objects are created with the operator's bootstrap values plus the policy.
    @Test func createsMissingObjects() async throws {
        let (cluster, _) = SimulatedClusters.make()
        let result = try await PolicyApplier(api: cluster, logger: quietLogger).apply(Self.policy)
        #expect(result.configWritten && result.prunerWritten)
        let config = try await cluster.get(Config.self, name: RegistryNames.singleton)
        #expect(config.spec.replicas == 3)
        #expect(config.spec.readOnly == true)
        #expect(config.spec.storage?.pvc != nil, "bootstrap storage kept")
        #expect(config.spec.storage?.managementState == .unmanaged)
        let pruner = try await cluster.get(ImagePruner.self, name: RegistryNames.singleton)
        #expect(pruner.spec.schedule == "30 2 * * *")
        #expect(pruner.spec.successfulJobsHistoryLimit == 3, "bootstrap value kept")
    }

    /// Only hub-owned fields change; the cluster's own fields and metadata stay exactly as they were.
    @Test func leavesClusterOwnedFieldsAlone() async throws {
        let (cluster, _) = SimulatedClusters.make()
        var own = Config(
            spec: ConfigSpec(
                managementState: .managed, replicas: 1, storage: StorageSpec(pvc: PVCStorage(claim: "my-claim")), httpSecret: "s3cr3t",
                disableRedirect: true, proxy: ProxySpec(http: "http://proxy:3128"), rolloutStrategy: "Recreate", nodeSelector: ["zone": "a"]))
        own.metadata.labels = ["team": "platform"]
        _ = try await cluster.create(own)
        _ = try await cluster.create(ImagePruner(spec: ImagePrunerSpec(schedule: "0 0 * * *", nodeSelector: ["zone": "b"], tolerations: [Toleration(key: "k")])))
        try await PolicyApplier(api: cluster, logger: quietLogger).apply(Self.policy)

        let config = try await cluster.get(Config.self, name: RegistryNames.singleton)
        var expected = own.spec
        expected.replicas = 3
        expected.logLevel = "Debug"
        expected.readOnly = true
        expected.requests = RequestsSpec(read: RequestLimits(maxRunning: 10))
        expected.storage = StorageSpec(managementState: .unmanaged, pvc: PVCStorage(claim: "my-claim"))
        #expect(config.spec == expected)
        #expect(config.metadata.labels == ["team": "platform"])
        let pruner = try await cluster.get(ImagePruner.self, name: RegistryNames.singleton)
        #expect(pruner.spec.nodeSelector == ["zone": "b"])
        #expect(pruner.spec.tolerations == [Toleration(key: "k")])
        #expect(pruner.spec.keepTagRevisions == 5)
        #expect(pruner.spec.successfulJobsHistoryLimit == nil, "a field the policy does not set is not filled in")
    }

    /// Applying a policy the cluster already has makes zero mutating requests.
    @Test func noOpApplyMakesNoWrites() async throws {
        let (cluster, _) = SimulatedClusters.make()
        let applier = PolicyApplier(api: cluster, logger: quietLogger)
        try await applier.apply(Self.policy)
        await cluster.resetRequestCounts()
        let result = try await applier.apply(Self.policy)
        #expect(!result.changed)
        #expect(await cluster.mutatingRequestCount == 0)
    }

    /// Conflicting updates (409) are retried with a fresh read until the write lands.
    @Test func retriesConflicts() async throws {
        let (cluster, _) = SimulatedClusters.make()
        _ = try await cluster.create(Config(spec: ConfigSpec(replicas: 1)))
        await cluster.injectAPIErrors(rate: 0.6, status: 409, verbs: [.update], resources: [.configs])
        await cluster.resetRequestCounts()
        let result = try await PolicyApplier(api: cluster, logger: quietLogger).apply(FleetPolicy(registry: RegistryPolicy(replicas: 4)))
        #expect(result.configWritten)
        #expect(await cluster.requestCount([.update]) > 1, "at least one conflict was retried")
        await cluster.clearAPIErrors()
        #expect(try await cluster.get(Config.self, name: RegistryNames.singleton).spec.replicas == 4)
    }

    /// Conflicts that never stop end in a `kubernetes` error instead of looping forever.
    @Test func persistentConflictsGiveUp() async throws {
        let (cluster, _) = SimulatedClusters.make()
        _ = try await cluster.create(Config(spec: ConfigSpec(replicas: 1)))
        await cluster.injectAPIErrors(rate: 1, status: 409, verbs: [.update], resources: [.configs])
        await #expect(throws: AgentError(code: .kubernetes, message: "")) {
            try await PolicyApplier(api: cluster, logger: quietLogger, maxAttempts: 3).apply(FleetPolicy(registry: RegistryPolicy(replicas: 4)))
        }
        #expect(await cluster.requestCount([.update]) == 3)
    }

    /// An invalid policy is refused naming the field, and nothing is written.
    @Test func invalidPolicyChangesNothing() async throws {
        let (cluster, _) = SimulatedClusters.make()
        await cluster.resetRequestCounts()
        do throws(AgentError) {
            try await PolicyApplier(api: cluster, logger: quietLogger).apply(FleetPolicy(registry: RegistryPolicy(replicas: -1)))
            Issue.record("a negative replica count was applied")
        } catch {
            #expect(error.code == .invalidPolicy)
            #expect(error.field == "registry.replicas")
        }
        #expect(await cluster.requestCount(Set(APIVerb.allCases)) == 0)
    }

    /// A policy without a pruner section leaves ImagePruner/cluster alone, even when it is missing.
    @Test func nilSectionIsLeftAlone() async throws {
        let (cluster, _) = SimulatedClusters.make()
        let result = try await PolicyApplier(api: cluster, logger: quietLogger).apply(FleetPolicy(registry: RegistryPolicy(replicas: 2)))
        #expect(result.configWritten && !result.prunerWritten)
        #expect(try await cluster.getIfExists(ImagePruner.self, name: RegistryNames.singleton) == nil)
    }
}
