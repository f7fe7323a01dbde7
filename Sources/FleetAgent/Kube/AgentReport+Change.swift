import FleetModel
import Foundation
import RegistryModel

extension AgentReport {
    /// True when `other` tells the hub nothing this report did not: the same generations, conditions, readiness,
    /// prune run and API-server outage. Sequence, collection time and queue folding are bookkeeping, not state,
    /// and an outage's message is the same outage.
    func showsSameState(as other: AgentReport) -> Bool {
        normalizedForComparison == other.normalizedForComparison
    }

    private var normalizedForComparison: AgentReport {
        var copy = self
        copy.sequence = 0
        copy.collectedAt = Date(timeIntervalSince1970: 0)
        copy.summarizedReports = nil
        copy.clusterAPIUnreachable = clusterAPIUnreachable.map { ClusterAPIUnreachable(since: $0.since, message: "") }
        return copy
    }
}
