import FleetModel
import RegistryModel

/// The rule that a cluster belongs to at most one active rollout, checked by every backend
/// inside the transaction that inserts a new one (and by a dry run, which inserts nothing).
public enum RolloutConflict {
    /// Throws `conflict` naming the first clusters of `rollout` that an active rollout holds.
    public static func check(_ rollout: Rollout, against active: [Rollout]) throws(StoreError) {
        let names = Set(rollout.clusters.map(\.name))
        for other in active where other.id != rollout.id {
            let taken = names.intersection(other.clusters.map(\.name)).sorted()
            guard !taken.isEmpty else { continue }
            let more = taken.count > 5 ? " and \(taken.count - 5) more" : ""
            throw StoreError(
                code: .conflict,
                message: "cluster(s) \(taken.prefix(5).joined(separator: ", "))\(more) already belong to active rollout \(other.id)",
                field: "selector")
        }
    }
}
