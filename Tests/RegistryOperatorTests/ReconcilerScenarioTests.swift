import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing
@testable import RegistryOperator

@Suite struct ReconcilerScenarioTests {
    /// A fresh cluster is bootstrapped and converges to Available=True, Progressing=False, Degraded=False.
    @Test func freshClusterConvergesHealthy() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let config = try #require(try await harness.config())
        #expect(config.spec.httpSecret?.count == 128)
        #expect(config.spec.storage?.managementState == .managed)
        #expect(config.status?.readyReplicas == 1)
        #expect(config.status?.conditions?.has("ImageAPIAvailable", .true) == true)
        #expect(config.status?.conditions?.has("NodeCADaemonAvailable", .true) == true)
        #expect(config.status?.conditions?.has("StorageExists", .true) == true)
        for name in [RegistryNames.registryDeployment, RegistryNames.apiServerDeployment] {
            #expect(try await harness.exists(.deployments, name))
        }
        #expect(try await harness.exists(.apiServices, RegistryNames.apiService, namespaced: false))
        #expect(try await harness.exists(.cronJobs, RegistryNames.prunerCronJob))
        #expect(try await harness.exists(.persistentVolumeClaims, RegistryNames.managedPVC))
        let pruner = try #require(try await harness.pruner())
        #expect(pruner.status?.conditions?.has("Available", .true) == true)
    }

    /// Once converged, another pass writes nothing at all.
    @Test func noOpReconcileMakesZeroWrites() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        await harness.cluster.resetRequestCounts()
        let result = try await harness.reconciler.reconcile()
        #expect(result.writes == 0)
        #expect(result.actions.isEmpty)
        #expect(await harness.cluster.mutatingRequestCount == 0)
    }

    /// An image that cannot be pulled degrades the registry with a message naming the deployment.
    @Test func imagePullFailureDegrades() async throws {
        let harness = ReconcilerHarness(options: OperatorOptions(imagePullDegradedAfter: 30))
        await harness.cluster.injectImagePullFailure(namespace: RegistryNames.namespace, deployment: RegistryNames.registryDeployment, message: "manifest unknown")
        try await harness.converge(tick: 5) { $0?.status?.conditions?.has("Degraded", .true) == true }
        let degraded = try #require(try await harness.config()?.status?.conditions?[type: "Degraded"])
        #expect(degraded.reason == "ImagePullFailed")
        #expect(degraded.message?.contains("Deployment image-registry") == true)
        #expect(try await harness.config()?.status?.conditions?.has("Available", .false) == true)
    }

    /// Managed → Removed deletes the runtime, the APIService and the CronJob and keeps Unmanaged storage.
    @Test func removedKeepsUnmanagedStorage() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0 != nil }
        _ = try await harness.cluster.create(
            PersistentVolumeClaim(
                metadata: ObjectMeta(name: "user-claim", namespace: RegistryNames.namespace),
                spec: PersistentVolumeClaimSpec(accessModes: ["ReadWriteMany"], resources: ResourceRequirements(requests: ["storage": "10Gi"]))))
        try await harness.editConfig { $0.storage = StorageSpec(managementState: .unmanaged, pvc: PVCStorage(claim: "user-claim")) }
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.editConfig { $0.managementState = .removed }
        try await harness.converge { config in
            let conditions = config?.status?.conditions ?? []
            return conditions.has("Removed", .true) && conditions.has("Progressing", .false)
        }
        for name in [RegistryNames.registryDeployment, RegistryNames.apiServerDeployment] {
            #expect(try await !harness.exists(.deployments, name))
        }
        #expect(try await !harness.exists(.apiServices, RegistryNames.apiService, namespaced: false))
        #expect(try await !harness.exists(.cronJobs, RegistryNames.prunerCronJob))
        #expect(try await harness.exists(.persistentVolumeClaims, "user-claim"))
        #expect(try await harness.exists(.daemonSets, RegistryNames.nodeCADaemonSet))
        let config = try #require(try await harness.config())
        #expect(config.status?.conditions?[type: "Available"]?.reason == "Removed")
        #expect(config.status?.storage == nil)
        #expect(try await harness.pruner()?.status?.conditions?[type: "Available"]?.reason == "RegistryRemoved")
        let scheduled = try #require(try await harness.pruner()?.status?.conditions?[type: "Scheduled"])
        #expect(scheduled.status == .false && scheduled.reason == "RegistryRemoved")
    }

    /// Removed deletes operator-managed storage (the data-loss case the fleet guards), and Managed brings back everything with a new claim.
    @Test func removedThenManagedRestoresEverything() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let firstClaim = try await harness.cluster.get(.persistentVolumeClaims, namespace: RegistryNames.namespace, name: RegistryNames.managedPVC)
        try await harness.editConfig { $0.managementState = .removed }
        try await harness.converge { $0?.status?.conditions?.has("Removed", .true) == true && $0?.status?.conditions?.has("Progressing", .false) == true }
        #expect(try await !harness.exists(.persistentVolumeClaims, RegistryNames.managedPVC))
        try await harness.editConfig { $0.managementState = .managed }
        try await harness.converge { $0?.isSettledHealthy == true }
        for name in [RegistryNames.registryDeployment, RegistryNames.apiServerDeployment] {
            #expect(try await harness.exists(.deployments, name))
        }
        #expect(try await harness.exists(.apiServices, RegistryNames.apiService, namespaced: false))
        #expect(try await harness.exists(.cronJobs, RegistryNames.prunerCronJob))
        let newClaim = try await harness.cluster.get(.persistentVolumeClaims, namespace: RegistryNames.namespace, name: RegistryNames.managedPVC)
        #expect(newClaim.metadata.uid != firstClaim.metadata.uid)
        #expect(try await harness.config()?.status?.conditions?.has("Removed", .false) == true)
    }

    /// Unmanaged touches nothing: a hand-deleted deployment stays deleted, and the conditions say Unmanaged.
    @Test func unmanagedTouchesNothing() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.editConfig { $0.managementState = .unmanaged }
        _ = try await harness.cluster.deleteIfExists(.deployments, namespace: RegistryNames.namespace, name: RegistryNames.apiServerDeployment)
        try await harness.converge { $0?.status?.conditions?[type: "Available"]?.reason == "Unmanaged" }
        #expect(try await !harness.exists(.deployments, RegistryNames.apiServerDeployment))
        await harness.cluster.resetRequestCounts()
        let result = try await harness.reconciler.reconcile()
        #expect(result.writes == 0)
    }

    /// Pruner schedule, suspend and retention edits reach the CronJob.
    @Test func prunerEditsUpdateCronJob() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.editPruner {
            $0.schedule = "15 3 * * *"
            $0.suspend = true
            $0.keepTagRevisions = 7
            $0.keepYoungerThanDuration = "90m"
            $0.successfulJobsHistoryLimit = 1
        }
        _ = try await harness.reconciler.reconcile()
        let cronJob = try await harness.cluster.get(CronJob.self, namespace: RegistryNames.namespace, name: RegistryNames.prunerCronJob)
        #expect(cronJob.spec.schedule == "15 3 * * *")
        #expect(cronJob.spec.suspend == true)
        #expect(cronJob.spec.successfulJobsHistoryLimit == 1)
        let command = cronJob.spec.jobTemplate.spec.template.spec.containers.first?.command ?? []
        #expect(command.contains("--keep-tag-revisions=7"))
        #expect(command.contains("--keep-younger-than=1h30m0s"))
        #expect(try await harness.pruner()?.status?.conditions?[type: "Scheduled"]?.reason == "Suspended")
    }

    /// An invalid schedule leaves the CronJob as it was and degrades the pruner with the validation message.
    @Test func invalidPrunerLeavesCronJob() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let before = try await harness.cluster.get(CronJob.self, namespace: RegistryNames.namespace, name: RegistryNames.prunerCronJob)
        try await harness.editPruner { $0.schedule = "61 * * * *"; $0.keepTagRevisions = 9 }
        _ = try await harness.reconciler.reconcile()
        let after = try await harness.cluster.get(CronJob.self, namespace: RegistryNames.namespace, name: RegistryNames.prunerCronJob)
        #expect(after.spec == before.spec)
        #expect(after.metadata.resourceVersion == before.metadata.resourceVersion)
        let degraded = try #require(try await harness.pruner()?.status?.conditions?[type: "Degraded"])
        #expect(degraded.status == .true)
        #expect(degraded.reason == "InvalidSchedule")
        #expect(degraded.message?.contains("invalid cron expression \"61 * * * *\"") == true)
        #expect(try await harness.config()?.isSettledHealthy == true)
    }

    /// Owned objects deleted or edited by hand are restored on the next pass.
    @Test func driftIsRepaired() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        _ = try await harness.cluster.deleteIfExists(.services, namespace: RegistryNames.namespace, name: RegistryNames.registryService)
        var deployment = try await harness.cluster.get(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.registryDeployment)
        deployment.spec.replicas = 5
        deployment.spec.template.spec.nodeSelector?["hand"] = "edited"
        _ = try await harness.cluster.update(deployment)
        let result = try await harness.reconciler.reconcile()
        #expect(result.actions.count == 2)
        #expect(try await harness.exists(.services, RegistryNames.registryService))
        let repaired = try await harness.cluster.get(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.registryDeployment)
        #expect(repaired.spec.replicas == 1)
        #expect(repaired.spec.template.spec.nodeSelector == ["kubernetes.io/os": "linux"])
    }

    /// Negative replicas (from before the CRD refused them) are a permanent VerificationFailed with nothing applied.
    @Test func verificationFailureIsPermanent() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0 != nil }
        let config = try #require(try await harness.config())
        var bad = config
        bad.spec.managementState = .force
        #expect(harness.reconciler.verify(bad)?.code == .verificationFailed)
        #expect(harness.reconciler.verify(bad)?.isPermanent == true)
    }

    /// Only Config/cluster is reconciled; another Config gets a condition saying it is ignored.
    @Test func otherNamesAreIgnored() async throws {
        let harness = ReconcilerHarness()
        _ = try await harness.cluster.create(Config(metadata: ObjectMeta(name: "other")))
        try await harness.converge { $0?.isSettledHealthy == true }
        let other = try await harness.cluster.get(Config.self, name: "other")
        let condition = try #require(other.status?.conditions?[type: "Available"])
        #expect(condition.reason == "NotSingleton")
        #expect(condition.message?.contains("Config/other is ignored") == true)
        #expect(try await harness.cluster.list(Deployment.self, namespace: RegistryNames.namespace).count == 2)
    }

    /// More than one replica adds a PodDisruptionBudget; going back to one removes it.
    @Test func disruptionBudgetFollowsReplicas() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.editConfig { $0.replicas = 3 }
        try await harness.converge { $0?.isSettledHealthy == true && $0?.status?.readyReplicas == 3 }
        #expect(try await harness.exists(.podDisruptionBudgets, RegistryNames.podDisruptionBudget))
        try await harness.editConfig { $0.replicas = 1 }
        try await harness.converge { $0?.isSettledHealthy == true && $0?.status?.readyReplicas == 1 }
        #expect(try await !harness.exists(.podDisruptionBudgets, RegistryNames.podDisruptionBudget))
    }

    /// Deleting Config/cluster removes the runtime through the finalizer before the object goes.
    @Test func deletionFinalizes() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.cluster.delete(Config.self, name: RegistryNames.singleton)
        #expect(try await harness.config()?.metadata.deletionTimestamp != nil)
        _ = try await harness.reconciler.reconcile()
        #expect(try await !harness.exists(.deployments, RegistryNames.registryDeployment))
        #expect(try await !harness.exists(.persistentVolumeClaims, RegistryNames.managedPVC))
    }
}
