import Foundation
import RegistryModel

/// Carried by a report when the agent cannot reach its cluster's Kubernetes API server.
///
/// The agent is alive (it still reports, so the hub does not let its lease expire) but cannot see the registry:
/// the hub shows the cluster `Unreachable` (`ClusterAPIUnreachable`) rather than `Offline`, and a rollout cannot
/// confirm it. The report's registry, pruner and workload observations and its `observedGeneration` are the
/// last ones the agent made, at `lastObservedAt`; when it has not reached the API server since it started they
/// are empty and `lastObservedAt` is nil.
public struct ClusterAPIUnreachable: Codable, Hashable, Sendable {
    /// When this outage began: the first failed observation after the last good one.
    public var since: Date
    /// The failure, one line, e.g. `cannot reach the API server: cannot connect to https://10.0.0.1:6443: connection refused`.
    public var message: String
    /// When the observations in the report were made; nil when there was none.
    public var lastObservedAt: Date?

    /// An outage since `since`, failing with `message`, with observations from `lastObservedAt`.
    public init(since: Date, message: String, lastObservedAt: Date? = nil) {
        self.since = since
        self.message = message
        self.lastObservedAt = lastObservedAt
    }
}
