import Foundation
import ImagePruning
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Reading the images in use from a simulated cluster.
@Suite struct ImageReferenceCollectorTests {
    static let registry = "image-registry.image-registry-system.svc:5000"
    static let migrateDigest = "sha256:" + String(repeating: "a", count: 64)

    private static func podSpec(_ name: String, init initImage: String? = nil, restartPolicy: String? = nil) -> PodSpec {
        PodSpec(
            containers: [Container(name: "main", image: "\(registry)/team/\(name):v1")],
            initContainers: initImage.map { [Container(name: "setup", image: $0)] }, restartPolicy: restartPolicy)
    }

    private static func template(_ name: String, init initImage: String? = nil, restartPolicy: String? = nil) -> PodTemplateSpec {
        PodTemplateSpec(metadata: TemplateMetadata(labels: ["app": "x"]), spec: podSpec(name, init: initImage, restartPolicy: restartPolicy))
    }

    private static func meta(_ name: String) -> ObjectMeta { ObjectMeta(name: name, namespace: "default") }

    /// Creates a pod and, as a kubelet would, sets its phase (the API server ignores status on
    /// create).
    private static func pod(_ cluster: SimulatedCluster, _ name: String, spec: PodSpec, phase: String) async throws {
        var pod = try await cluster.create(Pod(metadata: meta(name), spec: spec))
        pod.status = PodStatus(phase: phase)
        _ = try await cluster.updateStatus(pod)
    }

    /// One object of each kind the pruner reads, and pods in several phases, two of them finished
    /// before the keep-younger-than window (the clock moves two hours between).
    private static func populate(_ cluster: SimulatedCluster, clock: ManualWallClock) async throws {
        let selector = LabelSelectorSpec(matchLabels: ["app": "x"])
        try await pod(cluster, "old-done", spec: podSpec("old-done"), phase: "Succeeded")
        try await pod(cluster, "old-failed", spec: podSpec("old-failed"), phase: "Failed")
        clock.advance(by: 2 * 3600)
        try await pod(cluster, "young-done", spec: podSpec("young-done"), phase: "Succeeded")
        try await pod(cluster, "running", spec: podSpec("running", init: "busybox:1.36"), phase: "Running")
        try await pod(cluster, "pending", spec: podSpec("pending"), phase: "Pending")
        _ = try await cluster.create(
            Deployment(
                metadata: meta("deploy"),
                spec: DeploymentSpec(replicas: 0, selector: selector, template: template("deploy", init: "\(registry)/team/migrate@\(migrateDigest)"))))
        _ = try await cluster.create(DaemonSet(metadata: meta("daemon"), spec: DaemonSetSpec(selector: selector, template: template("daemon"))))
        _ = try await cluster.create(
            StatefulSet(metadata: meta("stateful"), spec: WorkloadTemplateSpec(replicas: 0, selector: selector, template: template("stateful"))))
        _ = try await cluster.create(
            ReplicaSet(metadata: meta("replica"), spec: WorkloadTemplateSpec(replicas: 0, selector: selector, template: template("replica"))))
        _ = try await cluster.create(Job(metadata: meta("job"), spec: JobSpec(template: template("job", restartPolicy: "Never"))))
        _ = try await cluster.create(
            CronJob(
                metadata: meta("cron"),
                spec: CronJobSpec(
                    schedule: "0 0 * * *", suspend: true, jobTemplate: JobTemplateSpec(spec: JobSpec(template: template("cron", restartPolicy: "Never"))))))
    }

    /// Every container and init container of every workload kind counts; pods count while
    /// Running or Pending, or when younger than keep-younger-than.
    @Test func collectsImagesOfWorkloadsAndLivePods() async throws {
        let clock = ManualWallClock(Fixtures.now)
        let cluster = SimulatedCluster(name: "collector", clock: clock)
        try await Self.populate(cluster, clock: clock)
        let collector = ImageReferenceCollector(api: cluster, keepYoungerThan: GoDuration(nanoseconds: 3_600_000_000_000), clock: clock)
        let found = try await collector.imageReferences()

        let images = Set(found.map(\.image))
        let expected: Set<String> = Set(
            ["young-done", "running", "pending", "deploy", "daemon", "stateful", "replica", "job", "cron"].map { "\(Self.registry)/team/\($0):v1" })
            .union(["busybox:1.36", "\(Self.registry)/team/migrate@\(Self.migrateDigest)"])
        #expect(images == expected)
        #expect(found.contains(ImageReferenceOccurrence(image: "busybox:1.36", source: "pod default/running init container setup")))
        #expect(found.contains(ImageReferenceOccurrence(image: "\(Self.registry)/team/cron:v1", source: "cronjob default/cron container main")))
    }

    /// References read from the cluster protect images in a real registry: the in-use tag and
    /// the pinned digest survive a confirmed prune that keeps no revisions.
    @Test func clusterReferencesProtectImagesInAPrune() async throws {
        try await RegistryFixture.with { fixture in
            let old = Fixtures.daysAgo(30)
            let layers = [Fixtures.sharedLayer]
            let pinned = try await fixture.pusher.pushImage(repository: "team/app", tag: "v1", created: old, name: "pinned", layers: layers)
            let inUse = try await fixture.pusher.pushImage(repository: "team/app", tag: "v2", created: old, name: "in-use", layers: layers)
            let unused = try await fixture.pusher.pushImage(repository: "team/app", tag: "v3", created: old, name: "unused", layers: layers)

            let clock = ManualWallClock(Fixtures.now)
            let cluster = SimulatedCluster(name: "prune", clock: clock)
            let spec = PodSpec(containers: [
                Container(name: "a", image: "\(Self.registry)/team/app@\(pinned.digest)"), Container(name: "b", image: "\(Self.registry)/team/app:v2"),
            ])
            try await Self.pod(cluster, "web", spec: spec, phase: "Running")
            let configuration = try PruneArguments(
                registryURL: fixture.registry.endpoint.baseURL, keepTagRevisions: 0, confirm: true, registryAliases: [Self.registry]
            ).validated()
            let collector = ImageReferenceCollector(api: cluster, keepYoungerThan: configuration.run.keepYoungerThan, clock: clock)
            let report = try await RegistryPruner.run(configuration: configuration, references: collector, clock: clock)

            #expect(report.succeeded)
            #expect(report.keptByRule == [PruneRule.referenced.rawValue: 1, PruneRule.tagInUse.rawValue: 1])
            #expect(report.deleted == 1)
            #expect(try await fixture.exists("team/app", pinned.digest))
            #expect(try await fixture.exists("team/app", inUse.digest))
            #expect(try await fixture.exists("team/app", unused.digest) == false)
        }
    }
}
