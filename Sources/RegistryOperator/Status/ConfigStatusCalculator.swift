import Foundation
import KubeClient
import RegistryModel

/// Computes Config's status from what exists, purely (upstream-reference.md §3.6, first matching
/// rule wins), extended so that Available=True needs both image-registry and image-api-server.
public struct ConfigStatusCalculator: Sendable {
    public var options: OperatorOptions

    public init(options: OperatorOptions) { self.options = options }

    /// The inputs besides the snapshot.
    public struct Inputs: Sendable {
        public var state: ManagementState
        public var generation: Int64
        public var replicas: Int
        /// The permanent or transient error of this reconcile, if any.
        public var applyError: OperatorError?
        /// The storage actually applied (nil after removal or before the first apply).
        public var appliedStorage: StorageSpec?
        /// Whether the storage is operator-managed.
        public var storageManaged: Bool
        /// StorageExists as decided by the storage step.
        public var storageCondition: Condition?

        public init(
            state: ManagementState, generation: Int64, replicas: Int, applyError: OperatorError?, appliedStorage: StorageSpec?,
            storageManaged: Bool, storageCondition: Condition?
        ) {
            self.state = state
            self.generation = generation
            self.replicas = replicas
            self.applyError = applyError
            self.appliedStorage = appliedStorage
            self.storageManaged = storageManaged
            self.storageCondition = storageCondition
        }
    }

    /// The new status; condition transition times move only when a status changes.
    public func compute(previous: ConfigStatus?, inputs: Inputs, snapshot: RuntimeSnapshot, now: Date) -> ConfigStatus {
        var conditions = previous?.conditions ?? []
        let available = availableCondition(inputs, snapshot)
        conditions.set(available, now: now)
        conditions.set(progressingCondition(inputs, snapshot), now: now)
        let availableSince = conditions[type: ConfigConditionType.available]?.lastTransitionTime ?? now
        conditions.set(degradedCondition(inputs, snapshot, available: available, availableSince: availableSince, now: now), now: now)
        conditions.set(removedCondition(inputs), now: now)
        conditions.set(imageAPICondition(inputs, snapshot), now: now)
        if inputs.state != .unmanaged {
            for condition in nodeCAConditions(snapshot) { conditions.set(condition, now: now) }
            if let storage = inputs.storageCondition { conditions.set(storage, now: now) }
        }
        return ConfigStatus(
            observedGeneration: inputs.generation, conditions: conditions,
            readyReplicas: snapshot.registryDeployment?.status?.readyReplicas ?? 0,
            storageManaged: inputs.storageManaged, storage: inputs.appliedStorage)
    }

    private func condition(_ type: String, _ status: ConditionStatus, _ reason: String, _ message: String) -> Condition {
        Condition(type: type, status: status, reason: reason, message: message)
    }

    func availableCondition(_ inputs: Inputs, _ snapshot: RuntimeSnapshot) -> Condition {
        let type = ConfigConditionType.available
        if inputs.state == .unmanaged { return condition(type, .true, "Unmanaged", "The registry configuration is unmanaged") }
        let registry = snapshot.registryDeployment
        let apiServer = snapshot.apiServerDeployment
        if registry == nil, let error = inputs.applyError, error.isPermanent {
            return condition(type, .false, error.reason, "Error: \(error.message)")
        }
        if inputs.state == .removed {
            if registry == nil && apiServer == nil { return condition(type, .true, "Removed", "The registry is removed") }
        }
        guard let registry else { return condition(type, .false, "DeploymentNotFound", "The deployment image-registry does not exist") }
        if registry.isDeleting { return condition(type, .false, "DeploymentDeleted", "The deployment image-registry is being deleted") }
        if registry.availableCount == 0 {
            return condition(type, .false, "NoReplicasAvailable", "The deployment image-registry does not have available replicas")
        }
        guard let apiServer else {
            return condition(type, .false, "DeploymentNotFound", "The deployment image-api-server does not exist")
        }
        if (apiServer.spec.replicas ?? 1) > 0 && apiServer.availableCount == 0 {
            return condition(type, .false, "NoReplicasAvailable", "The deployment image-api-server does not have available replicas")
        }
        if registry.availableCount != (registry.spec.replicas ?? 1) {
            return condition(type, .true, "MinimumAvailability", "The registry has minimum availability")
        }
        return condition(type, .true, "Ready", "The registry is ready")
    }

    func progressingCondition(_ inputs: Inputs, _ snapshot: RuntimeSnapshot) -> Condition {
        let type = ConfigConditionType.progressing
        if inputs.state == .unmanaged { return condition(type, .false, "Unmanaged", "The registry configuration is unmanaged") }
        let deployments = [snapshot.registryDeployment, snapshot.apiServerDeployment].compactMap { $0 }
        if inputs.state == .removed {
            if !deployments.isEmpty { return condition(type, .true, "DeletingDeployment", "The registry deployments are being deleted") }
            if let error = inputs.applyError {
                return condition(type, .true, "Removing", "Unable to remove registry resources: \(error.message)")
            }
            return condition(type, .false, "Removed", "All registry resources are removed")
        }
        if let error = inputs.applyError {
            return condition(type, error.isPermanent ? .false : .true, "Error", "Unable to apply resources: \(error.message)")
        }
        guard let registry = snapshot.registryDeployment else {
            return condition(type, .true, "WaitingForDeployment", "Waiting for the deployment image-registry to be created")
        }
        if registry.isDeleting { return condition(type, .true, "FinalizingDeployment", "The deployment image-registry is being finalized") }
        if let stalled = stalledRollout(snapshot) { return stalled }
        if !registry.rolloutComplete {
            return condition(type, .true, "DeploymentNotCompleted", "The deployment image-registry has not completed")
        }
        guard let apiServer = snapshot.apiServerDeployment else {
            return condition(type, .true, "WaitingForDeployment", "Waiting for the deployment image-api-server to be created")
        }
        if !apiServer.rolloutComplete {
            return condition(type, .true, "DeploymentNotCompleted", "The deployment image-api-server has not completed")
        }
        return condition(type, .false, "Ready", "The registry is ready")
    }

    func degradedCondition(_ inputs: Inputs, _ snapshot: RuntimeSnapshot, available: Condition, availableSince: Date, now: Date) -> Condition {
        let type = ConfigConditionType.degraded
        if inputs.state == .unmanaged { return condition(type, .false, "Unmanaged", "The registry configuration is unmanaged") }
        if let error = inputs.applyError, error.isPermanent { return condition(type, .true, error.reason, error.message) }
        if inputs.state == .removed { return condition(type, .false, "Removed", "The registry is removed") }
        if let failure = imagePullFailure(snapshot, now: now) { return failure }
        if available.status != .true && now.timeIntervalSince(availableSince) >= options.unavailableDegradedAfter {
            return condition(type, .true, "Unavailable", available.message ?? "The registry is unavailable")
        }
        for (name, deployment) in deployments(snapshot) {
            if let exceeded = deployment.progressDeadlineExceeded {
                return condition(type, .true, "ProgressDeadlineExceeded", "Deployment \(name): \(exceeded.message ?? "progress deadline exceeded")")
            }
        }
        return condition(type, .false, "AsExpected", "The registry is healthy")
    }

    /// The two Deployments with their names, registry first.
    private func deployments(_ snapshot: RuntimeSnapshot) -> [(String, Deployment)] {
        [(RegistryNames.registryDeployment, snapshot.registryDeployment), (RegistryNames.apiServerDeployment, snapshot.apiServerDeployment)]
            .compactMap { name, deployment in deployment.map { (name, $0) } }
    }

    /// Progressing=False `ProgressDeadlineExceeded` once a Deployment's controller has given up
    /// (its own Progressing=False): the rollout is no longer progressing, so saying "has not
    /// completed" would hide the failure that Degraded reports.
    private func stalledRollout(_ snapshot: RuntimeSnapshot) -> Condition? {
        for (name, deployment) in deployments(snapshot) where deployment.progressDeadlineExceeded != nil {
            return condition(
                ConfigConditionType.progressing, .false, "ProgressDeadlineExceeded",
                "The deployment \(name) exceeded its progress deadline and is no longer progressing")
        }
        return nil
    }

    /// A registry or api-server pod that has failed to pull its image for longer than the grace
    /// period; the message names the deployment, the container and the image.
    func imagePullFailure(_ snapshot: RuntimeSnapshot, now: Date) -> Condition? {
        for pod in snapshot.registryPods {
            guard let created = pod.metadata.creationTimestamp, now.timeIntervalSince(created) >= options.imagePullDegradedAfter else { continue }
            for container in pod.status?.containerStatuses ?? [] {
                guard let waiting = container.state?["waiting"], let reason = waiting["reason"]?.stringValue,
                    ["ErrImagePull", "ImagePullBackOff", "InvalidImageName"].contains(reason)
                else { continue }
                let deployment = pod.metadata.labels?["app"] ?? RegistryNames.registryDeployment
                let detail = waiting["message"]?.stringValue.map { ": \($0)" } ?? ""
                return Condition(
                    type: ConfigConditionType.degraded, status: .true, reason: "ImagePullFailed",
                    message: "Deployment \(deployment): container \(container.name) cannot pull image \(container.image) (\(reason))\(detail)")
            }
        }
        return nil
    }

    func removedCondition(_ inputs: Inputs) -> Condition {
        inputs.state == .removed
            ? condition(ConfigConditionType.removed, .true, "Removed", "The registry is removed")
            : condition(ConfigConditionType.removed, .false, inputs.state.rawValue, "The registry is \(inputs.state.rawValue.lowercased())")
    }

    func imageAPICondition(_ inputs: Inputs, _ snapshot: RuntimeSnapshot) -> Condition {
        let type = ConfigConditionType.imageAPIAvailable
        switch inputs.state {
        case .unmanaged: return condition(type, .unknown, "Unmanaged", "The registry configuration is unmanaged")
        case .removed: return condition(type, .false, "Removed", "The Image API is removed with the registry")
        default: break
        }
        guard let apiServer = snapshot.apiServerDeployment else {
            return condition(type, .false, "DeploymentNotFound", "The deployment image-api-server does not exist")
        }
        if (apiServer.spec.replicas ?? 1) > 0 && apiServer.availableCount == 0 {
            return condition(type, .false, "NoReplicasAvailable", "The deployment image-api-server does not have available replicas")
        }
        guard let service = snapshot.apiService else {
            return condition(type, .false, "APIServiceNotFound", "APIService \(RegistryNames.apiService) does not exist")
        }
        guard let available = service.status?.conditions?[type: "Available"], available.status == .true else {
            let message = service.status?.conditions?[type: "Available"]?.message ?? "not yet available"
            return condition(type, .false, "APIServiceUnavailable", "APIService \(RegistryNames.apiService): \(message)")
        }
        return condition(type, .true, "Ready", "The Image API is available")
    }

    func nodeCAConditions(_ snapshot: RuntimeSnapshot) -> [Condition] {
        guard let daemonSet = snapshot.nodeCA else {
            return [
                condition(ConfigConditionType.nodeCADaemonAvailable, .false, "NotFound", "The daemon set node-ca does not exist"),
                condition(ConfigConditionType.nodeCADaemonProgressing, .true, "NotFound", "The daemon set node-ca does not exist"),
            ]
        }
        let status = daemonSet.status ?? DaemonSetStatus()
        let available = (status.numberAvailable ?? 0) > 0
        let desired = status.desiredNumberScheduled ?? 0
        let rolling = (status.observedGeneration ?? 0) < (daemonSet.metadata.generation ?? 0) || (status.updatedNumberScheduled ?? 0) < desired
            || (status.numberAvailable ?? 0) < desired
        return [
            available
                ? condition(ConfigConditionType.nodeCADaemonAvailable, .true, "AsExpected", "The daemon set node-ca has available replicas")
                : condition(ConfigConditionType.nodeCADaemonAvailable, .false, "NoAvailableReplicas", "The daemon set node-ca does not have available replicas"),
            rolling
                ? condition(ConfigConditionType.nodeCADaemonProgressing, .true, "Rollout", "The daemon set node-ca is rolling out (\(status.numberAvailable ?? 0)/\(desired) available)")
                : condition(ConfigConditionType.nodeCADaemonProgressing, .false, "AsExpected", "The daemon set node-ca is updated"),
        ]
    }
}
