import FleetAgent
import FleetModel
import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

struct ReportBuilderTests {
    /// A converged cluster reports every workload ready, Available=True and the operator caught up.
    @Test func convergedClusterIsReady() async throws {
        let (cluster, clock) = SimulatedClusters.make()
        try await SimulatedClusters.reconcile(cluster, clock: clock, until: SimulatedClusters.isAvailable)
        let desired = PolicyDocument(cluster: "edge-1", generation: 4, policy: FleetPolicy())
        let report = try await ReportBuilder(api: cluster, clock: clock, agentVersion: "9.9.9").observe(desired: desired)
        #expect(report.observedGeneration == 4)
        #expect(report.agentVersion == "9.9.9")
        #expect(report.collectedAt == clock.now())
        #expect(report.registry.conditions.has(ConfigConditionType.available, .true))
        #expect(report.registry.generation == report.registry.observedGeneration)
        #expect(report.workloads.map(\.name) == ["image-registry", "image-api-server", "node-ca", "v1.image.alauda.io", "image-pruner"])
        for workload in report.workloads {
            #expect(workload.present && workload.ready, "\(workload)")
        }
        #expect(report.pruner?.schedule == "0 0 * * *")
        #expect(report.pruneResults == nil)
    }

    /// A registry whose image cannot be pulled is reported not ready, saying why.
    @Test func imagePullFailureIsExplained() async throws {
        let (cluster, clock) = SimulatedClusters.make()
        await cluster.injectImagePullFailure(namespace: RegistryNames.namespace, deployment: RegistryNames.registryDeployment)
        try await SimulatedClusters.reconcile(cluster, clock: clock) { config in
            config?.status?.conditions?[type: ConfigConditionType.degraded]?.status == .true
        }
        let report = try await ReportBuilder(api: cluster, clock: clock).observe(desired: nil)
        let registry = try #require(report.workloads.first { $0.name == RegistryNames.registryDeployment })
        #expect(registry.present && !registry.ready)
        #expect(registry.readyCount == 0)
        #expect(registry.message?.contains("ImagePull") == true, "\(registry.message ?? "")")
        #expect(report.workloads.first { $0.name == RegistryNames.apiServerDeployment }?.ready == true)
    }

    /// An empty cluster reports every workload absent rather than failing.
    @Test func emptyClusterReportsAbsence() async throws {
        let (cluster, clock) = SimulatedClusters.make()
        let report = try await ReportBuilder(api: cluster, clock: clock).observe(desired: nil)
        #expect(report.workloads.allSatisfy { !$0.present && !$0.ready })
        #expect(report.pruner == nil)
        #expect(report.registry.conditions.isEmpty)
    }

    /// The ImagePruner's last run travels in the report.
    @Test func lastPruneRunIsForwarded() async throws {
        let (cluster, clock) = SimulatedClusters.make()
        var pruner = try await cluster.create(ImagePruner())
        let run = PruneReport(runID: "run-1", registryURL: RegistryNames.internalRegistryURL, dryRun: false, startedAt: clock.now(), finishedAt: clock.now(), deleted: 4)
        pruner.status = ImagePrunerStatus(lastRun: run)
        _ = try await cluster.updateStatus(pruner)
        let report = try await ReportBuilder(api: cluster, clock: clock).observe(desired: nil)
        #expect(report.pruneResults == [run])
    }

    /// The generation is claimed only while the live objects carry the policy: after a hand edit it is 0, after
    /// the repair it is claimed again; a policy section whose object is missing is not carried either.
    @Test func generationIsComputedFromTheLiveObjects() async throws {
        let (cluster, clock) = SimulatedClusters.make()
        let builder = ReportBuilder(api: cluster, clock: clock)
        let desired = PolicyDocument(
            cluster: "edge-1", generation: 6, policy: FleetPolicy(registry: RegistryPolicy(managementState: .removed), pruner: PrunerPolicy(suspend: true)))
        #expect(try await builder.observe(desired: desired).observedGeneration == 0, "nothing written yet")
        try await PolicyApplier(api: cluster, logger: quietLogger).apply(desired.policy)
        #expect(try await builder.observe(desired: desired).observedGeneration == 6)

        _ = try await cluster.patch(.configs, namespace: nil, name: RegistryNames.singleton, mergePatch: ["spec": ["managementState": "Managed"]])
        #expect(try await builder.observe(desired: desired).observedGeneration == 0, "Config edited by hand")
        try await PolicyApplier(api: cluster, logger: quietLogger).apply(desired.policy)
        #expect(try await builder.observe(desired: desired).observedGeneration == 6)

        try await cluster.delete(ImagePruner.self, name: RegistryNames.singleton)
        #expect(try await builder.observe(desired: desired).observedGeneration == 0, "ImagePruner deleted")
    }

    /// An unreachable API server is its own error; the report for it repeats the last observation, marked.
    @Test func unreachableAPIServerIsReportedAsSuch() async throws {
        let (cluster, clock) = SimulatedClusters.make()
        let builder = ReportBuilder(api: cluster, clock: clock)
        let last = try await builder.observe(desired: nil)
        await cluster.makeAPIUnreachable()
        do {
            _ = try await builder.observe(desired: nil)
            Issue.record("observed an unreachable cluster")
        } catch {
            #expect(error.code == .clusterAPIUnreachable)
            #expect(error.message == "cannot reach the API server: connection refused")
        }
        clock.advance(by: 30)
        let report = builder.unreachable(since: clock.now(), message: "cannot reach the API server: connection refused", last: last)
        #expect(report.clusterAPIUnreachable?.lastObservedAt == last.collectedAt)
        #expect(report.collectedAt == clock.now())
        #expect(report.workloads == last.workloads)
        let first = builder.unreachable(since: clock.now(), message: "down", last: nil)
        #expect(first.clusterAPIUnreachable?.lastObservedAt == nil)
        #expect(first.observedGeneration == 0)
    }
}
