import KubeClient
import RegistryModel

/// The workload objects whose state the status is computed from, read after the writes.
public struct RuntimeSnapshot: Sendable, Hashable {
    public var registryDeployment: Deployment?
    public var apiServerDeployment: Deployment?
    public var apiService: APIService?
    public var nodeCA: DaemonSet?
    /// The PVC the registry stores its blobs on, when storage is a PVC.
    public var storageClaim: PersistentVolumeClaim?
    public var registryPods: [Pod]
    public var cronJob: CronJob?
    /// Jobs labelled `created-by: image-pruner`.
    public var prunerJobs: [Job]
    /// The ConfigMap the pruner Job records its report in.
    public var lastRunConfigMap: ConfigMap?

    public init(
        registryDeployment: Deployment? = nil, apiServerDeployment: Deployment? = nil, apiService: APIService? = nil, nodeCA: DaemonSet? = nil,
        storageClaim: PersistentVolumeClaim? = nil, registryPods: [Pod] = [], cronJob: CronJob? = nil, prunerJobs: [Job] = [],
        lastRunConfigMap: ConfigMap? = nil
    ) {
        self.registryDeployment = registryDeployment
        self.apiServerDeployment = apiServerDeployment
        self.apiService = apiService
        self.nodeCA = nodeCA
        self.storageClaim = storageClaim
        self.registryPods = registryPods
        self.cronJob = cronJob
        self.prunerJobs = prunerJobs
        self.lastRunConfigMap = lastRunConfigMap
    }
}

extension Deployment {
    /// Available replicas as the deployment controller reports them.
    var availableCount: Int { status?.availableReplicas ?? 0 }

    /// True when the controller has seen the latest spec and the rollout finished.
    var rolloutComplete: Bool {
        guard (status?.observedGeneration ?? 0) >= (metadata.generation ?? 0) else { return false }
        let progressing = status?.conditions?[type: "Progressing"]
        return progressing?.status == .true && progressing?.reason == "NewReplicaSetAvailable"
    }

    /// The Progressing condition when its reason is ProgressDeadlineExceeded.
    var progressDeadlineExceeded: Condition? {
        guard let condition = status?.conditions?[type: "Progressing"], condition.reason == "ProgressDeadlineExceeded" else { return nil }
        return condition
    }

    /// True while the deployment is being deleted.
    var isDeleting: Bool { metadata.deletionTimestamp != nil }
}
