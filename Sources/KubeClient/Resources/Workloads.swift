import Foundation
import RegistryModel

/// apps/v1 Deployment.
public struct Deployment: KubeResource, Hashable {
    public static var resourceType: ResourceType { .deployments }
    public var apiVersion = "apps/v1"
    public var kind = "Deployment"
    public var metadata: ObjectMeta
    public var spec: DeploymentSpec
    public var status: DeploymentStatus?

    public init(metadata: ObjectMeta, spec: DeploymentSpec, status: DeploymentStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// Deployment spec.
public struct DeploymentSpec: Codable, Hashable, Sendable {
    public struct Strategy: Codable, Hashable, Sendable {
        public struct RollingUpdate: Codable, Hashable, Sendable {
            public var maxUnavailable: IntOrString?
            public var maxSurge: IntOrString?
            public init(maxUnavailable: IntOrString? = nil, maxSurge: IntOrString? = nil) {
                self.maxUnavailable = maxUnavailable
                self.maxSurge = maxSurge
            }
        }
        public var type: String?
        public var rollingUpdate: RollingUpdate?
        public init(type: String? = nil, rollingUpdate: RollingUpdate? = nil) {
            self.type = type
            self.rollingUpdate = rollingUpdate
        }
    }
    public var replicas: Int?
    public var selector: LabelSelectorSpec
    public var template: PodTemplateSpec
    public var strategy: Strategy?
    public var progressDeadlineSeconds: Int?
    public var minReadySeconds: Int?

    public init(
        replicas: Int?, selector: LabelSelectorSpec, template: PodTemplateSpec, strategy: Strategy? = nil, progressDeadlineSeconds: Int? = nil,
        minReadySeconds: Int? = nil
    ) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.strategy = strategy
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.minReadySeconds = minReadySeconds
    }
}

/// Deployment status as the deployment controller writes it.
public struct DeploymentStatus: Codable, Hashable, Sendable {
    public var observedGeneration: Int64?
    public var replicas: Int?
    public var updatedReplicas: Int?
    public var readyReplicas: Int?
    public var availableReplicas: Int?
    public var unavailableReplicas: Int?
    public var conditions: [Condition]?
    public init(
        observedGeneration: Int64? = nil, replicas: Int? = nil, updatedReplicas: Int? = nil, readyReplicas: Int? = nil,
        availableReplicas: Int? = nil, unavailableReplicas: Int? = nil, conditions: [Condition]? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.updatedReplicas = updatedReplicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.unavailableReplicas = unavailableReplicas
        self.conditions = conditions
    }
}

/// apps/v1 DaemonSet.
public struct DaemonSet: KubeResource, Hashable {
    public static var resourceType: ResourceType { .daemonSets }
    public var apiVersion = "apps/v1"
    public var kind = "DaemonSet"
    public var metadata: ObjectMeta
    public var spec: DaemonSetSpec
    public var status: DaemonSetStatus?
    public init(metadata: ObjectMeta, spec: DaemonSetSpec, status: DaemonSetStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// DaemonSet spec.
public struct DaemonSetSpec: Codable, Hashable, Sendable {
    public var selector: LabelSelectorSpec
    public var template: PodTemplateSpec
    public init(selector: LabelSelectorSpec, template: PodTemplateSpec) {
        self.selector = selector
        self.template = template
    }
}

/// DaemonSet status.
public struct DaemonSetStatus: Codable, Hashable, Sendable {
    public var observedGeneration: Int64?
    public var desiredNumberScheduled: Int?
    public var currentNumberScheduled: Int?
    public var numberReady: Int?
    public var numberAvailable: Int?
    public var numberUnavailable: Int?
    public var updatedNumberScheduled: Int?
    public var numberMisscheduled: Int?
    public init(
        observedGeneration: Int64? = nil, desiredNumberScheduled: Int? = nil, currentNumberScheduled: Int? = nil, numberReady: Int? = nil,
        numberAvailable: Int? = nil, numberUnavailable: Int? = nil, updatedNumberScheduled: Int? = nil, numberMisscheduled: Int? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.desiredNumberScheduled = desiredNumberScheduled
        self.currentNumberScheduled = currentNumberScheduled
        self.numberReady = numberReady
        self.numberAvailable = numberAvailable
        self.numberUnavailable = numberUnavailable
        self.updatedNumberScheduled = updatedNumberScheduled
        self.numberMisscheduled = numberMisscheduled
    }
}

/// apps/v1 StatefulSet (read by the pruner for image references).
public struct StatefulSet: KubeResource, Hashable {
    public static var resourceType: ResourceType { .statefulSets }
    public var apiVersion = "apps/v1"
    public var kind = "StatefulSet"
    public var metadata: ObjectMeta
    public var spec: WorkloadTemplateSpec
    public init(metadata: ObjectMeta, spec: WorkloadTemplateSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// apps/v1 ReplicaSet (read by the pruner for image references).
public struct ReplicaSet: KubeResource, Hashable {
    public static var resourceType: ResourceType { .replicaSets }
    public var apiVersion = "apps/v1"
    public var kind = "ReplicaSet"
    public var metadata: ObjectMeta
    public var spec: WorkloadTemplateSpec
    public init(metadata: ObjectMeta, spec: WorkloadTemplateSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// The template part shared by workload kinds that the pruner only reads.
public struct WorkloadTemplateSpec: Codable, Hashable, Sendable {
    public var replicas: Int?
    public var selector: LabelSelectorSpec?
    public var template: PodTemplateSpec
    public init(replicas: Int? = nil, selector: LabelSelectorSpec? = nil, template: PodTemplateSpec) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
    }
}

/// core/v1 Pod.
public struct Pod: KubeResource, Hashable {
    public static var resourceType: ResourceType { .pods }
    public var apiVersion = "v1"
    public var kind = "Pod"
    public var metadata: ObjectMeta
    public var spec: PodSpec
    public var status: PodStatus?
    public init(metadata: ObjectMeta, spec: PodSpec, status: PodStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// Pod status.
public struct PodStatus: Codable, Hashable, Sendable {
    public struct ContainerStatus: Codable, Hashable, Sendable {
        public var name: String
        public var image: String
        public var ready: Bool
        public var restartCount: Int?
        /// `{"waiting": {"reason": "ErrImagePull", "message": …}}` or `{"running": {…}}`.
        public var state: JSONValue?
        public init(name: String, image: String, ready: Bool, restartCount: Int? = 0, state: JSONValue? = nil) {
            self.name = name
            self.image = image
            self.ready = ready
            self.restartCount = restartCount
            self.state = state
        }
    }
    /// Pending, Running, Succeeded, Failed, Unknown.
    public var phase: String?
    public var conditions: [Condition]?
    public var containerStatuses: [ContainerStatus]?
    public var startTime: Date?
    public var reason: String?
    public var message: String?
    public init(
        phase: String? = nil, conditions: [Condition]? = nil, containerStatuses: [ContainerStatus]? = nil, startTime: Date? = nil,
        reason: String? = nil, message: String? = nil
    ) {
        self.phase = phase
        self.conditions = conditions
        self.containerStatuses = containerStatuses
        self.startTime = startTime
        self.reason = reason
        self.message = message
    }
}

/// core/v1 Node.
public struct Node: KubeResource, Hashable {
    public static var resourceType: ResourceType { .nodes }
    public var apiVersion = "v1"
    public var kind = "Node"
    public var metadata: ObjectMeta
    public var spec: NodeSpec?
    public var status: NodeStatus?
    public init(metadata: ObjectMeta, spec: NodeSpec? = nil, status: NodeStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// True when the node's Ready condition is True and it is schedulable.
    public var isReady: Bool { status?.conditions?.has("Ready", .true) ?? false }
}

/// Node spec.
public struct NodeSpec: Codable, Hashable, Sendable {
    public var unschedulable: Bool?
    public init(unschedulable: Bool? = nil) { self.unschedulable = unschedulable }
}

/// Node status.
public struct NodeStatus: Codable, Hashable, Sendable {
    public var conditions: [Condition]?
    public var allocatable: [String: String]?
    public var capacity: [String: String]?
    public init(conditions: [Condition]? = nil, allocatable: [String: String]? = nil, capacity: [String: String]? = nil) {
        self.conditions = conditions
        self.allocatable = allocatable
        self.capacity = capacity
    }
}
