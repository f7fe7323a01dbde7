import FleetModel
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

    /// Saves a rollout's current state, whatever is stored.
    public func saveRollout(_ rollout: Rollout) async throws(StoreError) {
        try checkOpen("save rollout \(rollout.id)")
        _ = try await backend.saveRollout(rollout, replacing: nil)
    }

    /// Saves `rollout` only if the stored state is still exactly `previous` (compare and swap) and
    /// returns it as a later read will (timestamps at the stored precision); nil, and nothing
    /// written, when someone saved it in between — an admin's pause on another replica, say — so a
    /// step decided on stale state is never stored over a newer one.
    public func saveRollout(_ rollout: Rollout, replacing previous: Rollout) async throws(StoreError) -> Rollout? {
        try checkOpen("save rollout \(rollout.id)")
        guard try await backend.saveRollout(rollout, replacing: previous) else { return nil }
        do {
            return try JSONColumn.value(Rollout.self, from: try JSONColumn.text(rollout))
        } catch {
            throw StoreError.database("re-read rollout \(rollout.id)", error)
        }
    }

    /// One rollout; `notFound` when there is none with this id.
    public func rollout(_ id: String) async throws(StoreError) -> Rollout {
        try checkOpen("read rollout \(id)")
        guard let found = try await backend.rollout(id) else {
            throw StoreError(code: .notFound, message: "rollout \"\(id)\" does not exist", field: "id")
        }
        return found
    }

    /// The newest rollout named `name`, or nil; one row read, whatever the number of rollouts.
    public func rollout(named name: String) async throws(StoreError) -> Rollout? {
        try checkOpen("read rollout named \(name)")
        return try await backend.rollout(named: name)
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
