/// How a `SimulatedCluster` is built and how fast its simulated controllers act.
public struct SimulationOptions: Sendable, Hashable {
    /// Worker nodes created at start (`node-1`, `node-2`, …), all Ready.
    public var nodeCount: Int
    /// Pods each node accepts (`status.capacity.pods`).
    public var podsPerNode: Int
    /// Time from a scheduled pod's creation until it is Running and Ready.
    public var podReadyDelay: Duration
    /// Time a Job's pod runs before the Job completes (when no job runner is set).
    public var jobDuration: Duration
    /// `spec.progressDeadlineSeconds` filled into Deployments that do not set it.
    public var defaultProgressDeadlineSeconds: Int
    /// Changes retained per resource for watches that resume from a resourceVersion; older
    /// versions get 410 Gone.
    public var watchHistorySize: Int
    /// Seed of every random choice (uids, name suffixes, injected errors); nil derives it from
    /// the cluster name, so equal names give equal clusters.
    public var seed: UInt64?
    /// How often `startControllers()` runs a controller round.
    public var controllerTick: Duration
    /// StorageClasses that bind claims; a claim naming another class stays Pending.
    public var storageClasses: Set<String>
    /// The class given to claims that name none (the DefaultStorageClass admission plugin).
    public var defaultStorageClass: String

    /// Options with the documented defaults (3 nodes, 2 s pod readiness, 1 s jobs, 250 ms tick).
    public init(
        nodeCount: Int = 3, podsPerNode: Int = 110, podReadyDelay: Duration = .seconds(2), jobDuration: Duration = .seconds(1),
        defaultProgressDeadlineSeconds: Int = 600, watchHistorySize: Int = 1000, seed: UInt64? = nil,
        controllerTick: Duration = .milliseconds(250), storageClasses: Set<String> = ["standard", "standard-csi"],
        defaultStorageClass: String = "standard"
    ) {
        self.nodeCount = nodeCount
        self.podsPerNode = podsPerNode
        self.podReadyDelay = podReadyDelay
        self.jobDuration = jobDuration
        self.defaultProgressDeadlineSeconds = defaultProgressDeadlineSeconds
        self.watchHistorySize = watchHistorySize
        self.seed = seed
        self.controllerTick = controllerTick
        self.storageClasses = storageClasses
        self.defaultStorageClass = defaultStorageClass
    }
}
