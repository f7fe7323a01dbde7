import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Objects and clusters the simulated-cluster tests build.
enum Fixture {
    /// A cluster on a manual clock with a fixed seed.
    static func cluster(options: SimulationOptions = SimulationOptions(seed: 42)) -> (SimulatedCluster, ManualWallClock) {
        let clock = ManualWallClock()
        return (SimulatedCluster(name: "test", clock: clock, options: options), clock)
    }

    static func configMap(
        _ name: String, namespace: String = "default", labels: [String: String]? = nil, data: [String: String] = ["k": "v"]
    ) -> KubeObject {
        try! KubeObject(ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace, labels: labels), data: data))
    }

    static func namespace(_ name: String) -> KubeObject {
        try! KubeObject(Namespace(metadata: ObjectMeta(name: name)))
    }

    static func podTemplate(
        labels: [String: String], image: String = "registry.example/app:1.0", nodeSelector: [String: String]? = nil
    ) -> PodTemplateSpec {
        PodTemplateSpec(
            metadata: TemplateMetadata(labels: labels),
            spec: PodSpec(containers: [Container(name: "app", image: image)], nodeSelector: nodeSelector))
    }

    static func deployment(
        _ name: String, namespace: String = "default", replicas: Int = 1, image: String = "registry.example/app:1.0",
        nodeSelector: [String: String]? = nil, progressDeadlineSeconds: Int? = nil
    ) -> KubeObject {
        let labels = ["app": name]
        return try! KubeObject(
            Deployment(
                metadata: ObjectMeta(name: name, namespace: namespace),
                spec: DeploymentSpec(
                    replicas: replicas, selector: LabelSelectorSpec(matchLabels: labels),
                    template: podTemplate(labels: labels, image: image, nodeSelector: nodeSelector), progressDeadlineSeconds: progressDeadlineSeconds)
            ))
    }

    static func daemonSet(_ name: String, namespace: String = "default", nodeSelector: [String: String]? = nil) -> KubeObject {
        let labels = ["app": name]
        return try! KubeObject(
            DaemonSet(
                metadata: ObjectMeta(name: name, namespace: namespace),
                spec: DaemonSetSpec(
                    selector: LabelSelectorSpec(matchLabels: labels), template: podTemplate(labels: labels, nodeSelector: nodeSelector))))
    }

    static func service(_ name: String, namespace: String = "default", selector: [String: String], port: Int = 443) -> KubeObject {
        try! KubeObject(
            Service(
                metadata: ObjectMeta(name: name, namespace: namespace),
                spec: ServiceSpec(selector: selector, ports: [.init(name: "https", port: port)])))
    }

    static func apiService(serviceName: String, namespace: String = "default") -> KubeObject {
        try! KubeObject(
            APIService(
                metadata: ObjectMeta(name: "v1.image.alauda.io"),
                spec: APIServiceSpec(
                    group: "image.alauda.io", version: "v1", service: .init(namespace: namespace, name: serviceName), groupPriorityMinimum: 1000,
                    versionPriority: 15)))
    }

    static func jobSpec() -> JobSpec {
        JobSpec(
            backoffLimit: 0,
            template: PodTemplateSpec(
                metadata: TemplateMetadata(labels: ["created-by": "image-pruner"]),
                spec: PodSpec(containers: [Container(name: "pruner", image: "registry.example/regfleet:1.0")], restartPolicy: "Never")))
    }

    static func job(_ name: String, namespace: String = "default") -> KubeObject {
        try! KubeObject(Job(metadata: ObjectMeta(name: name, namespace: namespace), spec: jobSpec()))
    }

    static func cronJob(
        _ name: String, namespace: String = "default", schedule: String = "*/5 * * * *", concurrencyPolicy: String? = nil,
        successfulJobsHistoryLimit: Int? = nil, failedJobsHistoryLimit: Int? = nil
    ) -> KubeObject {
        try! KubeObject(
            CronJob(
                metadata: ObjectMeta(name: name, namespace: namespace),
                spec: CronJobSpec(
                    schedule: schedule, concurrencyPolicy: concurrencyPolicy, successfulJobsHistoryLimit: successfulJobsHistoryLimit,
                    failedJobsHistoryLimit: failedJobsHistoryLimit, jobTemplate: JobTemplateSpec(spec: jobSpec()))))
    }

    static func config(replicas: Int = 1, managementState: ManagementState = .managed) -> KubeObject {
        try! KubeObject(Config(spec: ConfigSpec(managementState: managementState, replicas: replicas)))
    }

    /// A child ConfigMap owned by `owner`.
    static func owned(_ name: String, by owner: KubeObject, namespace: String = "default") -> KubeObject {
        var child = configMap(name, namespace: namespace)
        child.metadata.ownerReferences = [owner.ownerReference(controller: false)]
        return child
    }
}

extension SimulatedCluster {
    /// The typed object as stored, or nil.
    func stored<T: KubeResource>(_ type: T.Type, namespace: String? = nil, name: String) throws -> T? {
        try storedObject(T.resourceType, namespace: namespace, name: name)?.decode(as: T.self)
    }

    /// The stored pods of a namespace.
    func pods(namespace: String = "default") throws -> [Pod] {
        try storedObjects(.pods, namespace: namespace).map { try $0.decode(as: Pod.self) }
    }
}

/// Waits until `condition` holds, polling, or fails the test after `timeout`.
func waitUntil(timeout: Duration = .seconds(5), _ what: String = "condition", _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting for \(what)")
    throw CancellationError()
}

extension Array where Element == Condition {
    /// The status of a condition type, for short expectations.
    func status(_ type: String) -> ConditionStatus? { self[type: type]?.status }
}
