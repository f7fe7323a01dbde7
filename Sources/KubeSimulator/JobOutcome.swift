import KubeClient

/// How a Job run by an embedder's job runner ended.
public enum JobOutcome: Sendable, Hashable {
    /// The Job completes: `succeeded: 1`, condition Complete=True.
    case succeeded
    /// The Job fails: condition Failed=True reason BackoffLimitExceeded, pod phase Failed with
    /// this message.
    case failed(message: String)
}

/// Runs the real work of a Job (for example `regfleet prune`) when the simulated cluster starts
/// it; called once per Job, off the cluster's actor.
public typealias JobRunner = @Sendable (Job) async -> JobOutcome
