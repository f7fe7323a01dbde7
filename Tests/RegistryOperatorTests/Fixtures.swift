import Foundation
import KubeClient
import RegistryModel
@testable import RegistryOperator

/// Builders for the objects the operator tests need.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func config(state: ManagementState = .managed, replicas: Int = 1, storage: StorageSpec? = StorageSpec(managementState: .managed, pvc: PVCStorage())) -> Config {
        Config(spec: ConfigSpec(managementState: state, replicas: replicas, storage: storage, httpSecret: "secret"))
    }

    static func registry(_ config: Config = config()) -> RegistryResources {
        RegistryResources(spec: config.spec, storage: config.spec.storage ?? StorageSpec(pvc: PVCStorage()), options: OperatorOptions(), owner: nil)
    }

    static func deployment(
        name: String, replicas: Int = 1, available: Int = 1, generation: Int64 = 1, observedGeneration: Int64 = 1,
        progressing: (ConditionStatus, String)? = (.true, "NewReplicaSetAvailable"), message: String? = nil
    ) -> Deployment {
        var metadata = ObjectMeta(name: name, namespace: RegistryNames.namespace)
        metadata.generation = generation
        let conditions = progressing.map { [Condition(type: "Progressing", status: $0.0, reason: $0.1, message: message)] }
        return Deployment(
            metadata: metadata,
            spec: DeploymentSpec(
                replicas: replicas, selector: LabelSelectorSpec(matchLabels: ["app": name]),
                template: PodTemplateSpec(metadata: TemplateMetadata(labels: ["app": name]), spec: PodSpec(containers: [Container(name: "c", image: "i")]))),
            status: DeploymentStatus(
                observedGeneration: observedGeneration, replicas: replicas, readyReplicas: available, availableReplicas: available,
                conditions: conditions))
    }

    static func healthySnapshot(replicas: Int = 1) -> RuntimeSnapshot {
        RuntimeSnapshot(
            registryDeployment: deployment(name: RegistryNames.registryDeployment, replicas: replicas, available: replicas),
            apiServerDeployment: deployment(name: RegistryNames.apiServerDeployment, replicas: 1, available: 1),
            apiService: APIService(
                metadata: ObjectMeta(name: RegistryNames.apiService),
                spec: APIServiceSpec(group: RegistryNames.imageAPIGroup, version: "v1", service: nil, groupPriorityMinimum: 1000, versionPriority: 15),
                status: APIServiceStatus(conditions: [Condition(type: "Available", status: .true, reason: "Passed")])))
    }

    static func inputs(state: ManagementState = .managed, error: OperatorError? = nil) -> ConfigStatusCalculator.Inputs {
        ConfigStatusCalculator.Inputs(
            state: state, generation: 2, replicas: 1, applyError: error, appliedStorage: nil, storageManaged: true, storageCondition: nil)
    }

    static func pod(app: String, created: Date, waitingReason: String?) -> Pod {
        var metadata = ObjectMeta(name: "\(app)-abc", namespace: RegistryNames.namespace, labels: ["app": app])
        metadata.creationTimestamp = created
        let state: JSONValue? = waitingReason.map { ["waiting": ["reason": .string($0), "message": "pull access denied"]] }
        return Pod(
            metadata: metadata, spec: PodSpec(containers: [Container(name: "registry", image: "bad/image:1")]),
            status: PodStatus(phase: "Pending", containerStatuses: [.init(name: "registry", image: "bad/image:1", ready: false, state: state)]))
    }
}
