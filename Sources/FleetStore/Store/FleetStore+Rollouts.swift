import Foundation
import RegistryModel

extension FleetStore {
    /// Stores a new rollout, refusing it (`conflict`) when any of its clusters already belongs to
    /// an active rollout — checked and inserted in one transaction (on PostgreSQL under a lock,
    /// so two replicas cannot both take a cluster).
    public func createRollout(_ rollout: Rollout) async throws(StoreError) {
        try checkOpen("create rollout \(rollout.id)")
        try await backend.createRollout(rollout)
    }

    /// Saves a rollout's current state.
    public func saveRollout(_ rollout: Rollout) async throws(StoreError) {
        try checkOpen("save rollout \(rollout.id)")
        try await backend.saveRollout(rollout)
    }

    /// One rollout; `notFound` when there is none with this id.
    public func rollout(_ id: String) async throws(StoreError) -> Rollout {
        try checkOpen("read rollout \(id)")
        guard let found = try await backend.rollout(id) else {
            throw StoreError(code: .notFound, message: "rollout \"\(id)\" does not exist", field: "id")
        }
        return found
    }

    /// Rollouts, newest first; only active ones when asked.
    public func rollouts(activeOnly: Bool = false, limit: Int = 100) async throws(StoreError) -> [Rollout] {
        try checkOpen("list rollouts")
        return try await backend.rollouts(activeOnly: activeOnly, limit: max(0, limit))
    }

    /// Every enrolled cluster matching `selector` with its policy and reported storage state, by
    /// name, from one query on one snapshot: what planning a rollout reads.
    public func rolloutCandidates(matching selector: LabelSelector = .everything) async throws(StoreError) -> [RolloutCandidate] {
        try checkOpen("read rollout candidates")
        return try await backend.rolloutCandidates().filter { selector.matches($0.labels) }
    }
}
