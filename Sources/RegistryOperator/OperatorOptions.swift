import Foundation
import RegistryModel

/// Settings of the operator that are not part of the Config or ImagePruner resources.
public struct OperatorOptions: Sendable, Hashable {
    /// Image of the Registry v2 server.
    public var registryImage: String
    /// Image of the Image API server.
    public var apiServerImage: String
    /// Image of the node CA DaemonSet.
    public var nodeCAImage: String
    /// Image that contains `regfleet` (the pruner Job runs `regfleet prune`).
    public var prunerImage: String
    /// Full reconcile even without events.
    public var resyncInterval: TimeInterval
    /// Available=False for this long makes the registry Degraded (`Unavailable`).
    public var unavailableDegradedAfter: TimeInterval
    /// A registry pod that cannot pull its image for this long makes the registry Degraded
    /// (`ImagePullFailed`), without waiting for the deployment's progress deadline.
    public var imagePullDegradedAfter: TimeInterval
    /// `progressDeadlineSeconds` of the operator's Deployments.
    public var progressDeadlineSeconds: Int
    /// How soon to look again while something is still converging.
    public var convergingRequeue: TimeInterval

    public init(
        registryImage: String = "registry.alauda.io/image-registry/registry:v2.8",
        apiServerImage: String = "registry.alauda.io/image-registry/image-api-server:v1",
        nodeCAImage: String = "registry.alauda.io/image-registry/node-ca:v1",
        prunerImage: String = "registry.alauda.io/image-registry/regfleet:\(RegistryFleetVersion.current)",
        resyncInterval: TimeInterval = 600, unavailableDegradedAfter: TimeInterval = 300, imagePullDegradedAfter: TimeInterval = 60,
        progressDeadlineSeconds: Int = 600, convergingRequeue: TimeInterval = 5
    ) {
        self.registryImage = registryImage
        self.apiServerImage = apiServerImage
        self.nodeCAImage = nodeCAImage
        self.prunerImage = prunerImage
        self.resyncInterval = resyncInterval
        self.unavailableDegradedAfter = unavailableDegradedAfter
        self.imagePullDegradedAfter = imagePullDegradedAfter
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.convergingRequeue = convergingRequeue
    }
}
