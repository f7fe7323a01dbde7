import FleetStore
import Foundation
import RegistryModel

extension RolloutEngine {
    /// What creating a rollout returned: the stored rollout, or the preview of a dry run.
    public enum Creation: Sendable {
        case created(Rollout)
        case preview(RolloutPreview)
    }

    /// Validates a plan, then stores it (or, for a dry run, returns each cluster's diff and the
    /// waves without changing anything). 409 when a selected cluster is in another active rollout.
    ///
    /// The request only plans and persists: no policy is written here. The stored rollout has
    /// every cluster pending, and the engine's next tick (scheduled at once) starts the first
    /// wave, so the answer does not wait for a single policy write whatever the fleet's size.
    public func create(_ plan: RolloutPlan, actor: String) async throws -> Creation {
        let creation = try await serialized { engine in try await engine.createNow(plan, actor: actor) }
        if case .created = creation { scheduleTick() }
        return creation
    }

    private func createNow(_ plan: RolloutPlan, actor: String) async throws -> Creation {
        let errors = plan.validationErrors()
        if !errors.isEmpty { throw HubError(validation: ValidationErrors(errors)) }
        let selector = try LabelSelector(parsing: plan.selector)
        let candidates = try await storeCall { () async throws(StoreError) in try await services.store.rolloutCandidates(matching: selector) }
        let planned = try RolloutPlanner.plan(plan, candidates: candidates)
        if plan.dryRun == true { return .preview(planned.preview) }
        if plan.acknowledgeDataLoss != true, !planned.needAcknowledgement.isEmpty {
            let names = planned.needAcknowledgement
            throw HubError(
                .invalid,
                "switching \(names.count) cluster(s) (\(names.prefix(5).joined(separator: ", "))) to Removed deletes their operator-managed storage and image data; back it up, then repeat with acknowledgeDataLoss: true",
                field: "acknowledgeDataLoss")
        }
        let now = services.clock.now()
        var members: [RolloutCluster] = []
        for (index, wave) in planned.waves.enumerated() {
            members += wave.clusters.map { RolloutCluster(name: $0, wave: index) }
        }
        let rollout = Rollout(
            id: "ro-" + UUID().uuidString.prefix(8).lowercased(), name: plan.name, createdBy: actor, createdAt: now, plan: plan, phase: .progressing,
            waves: planned.waves.map(\.name), clusters: members)
        try await storeCall { () async throws(StoreError) in try await services.store.createRollout(rollout) }
        logger.info("rollout created", metadata: ["rollout": "\(rollout.id)", "clusters": "\(members.count)", "waves": "\(planned.waves.count)"])
        return .created(rollout)
    }

    /// One rollout.
    public func get(_ id: String) async throws -> Rollout {
        try await storeCall { () async throws(StoreError) in try await services.store.rollout(id) }
    }

    /// Rollouts, newest first.
    public func list() async throws -> [Rollout] {
        try await storeCall { () async throws(StoreError) in try await services.store.rollouts() }
    }

    /// Admin actions on a running rollout.
    public enum Action: String, Sendable, CaseIterable {
        case pause, resume, abort, rollback
    }

    /// Pauses (no new wave starts), resumes, aborts (stops; changes stay) or rolls back
    /// (restores every touched cluster's previous policy). 409 when the phase does not allow it.
    public func control(_ id: String, action: Action, actor: String) async throws -> Rollout {
        try await serialized { engine in try await engine.controlNow(id, action: action, actor: actor) }
    }

    private func controlNow(_ id: String, action: Action, actor: String) async throws -> Rollout {
        let read = try await get(id)
        var rollout = read
        let allowed: Bool
        switch action {
        case .pause: allowed = rollout.phase == .progressing
        case .resume: allowed = rollout.phase == .paused
        case .abort: allowed = [.progressing, .paused].contains(rollout.phase)
        case .rollback: allowed = [.progressing, .paused, .failed, .aborted, .succeeded].contains(rollout.phase)
        }
        guard allowed else { throw HubError(.conflict, "cannot \(action.rawValue) rollout \(id): it is \(rollout.phase.rawValue)") }
        switch action {
        case .pause: rollout.phase = .paused
        case .resume: rollout.phase = .progressing
        case .abort: rollout.phase = .aborted
        case .rollback: rollout.phase = .rollingBack
        }
        rollout.message = "\(action.rawValue) by \(actor)"
        rollout.updatedAt = services.clock.now()
        let snapshot = rollout
        let saved = try await storeCall { () async throws(StoreError) in try await services.store.saveRollout(snapshot, replacing: read) }
        // The engine (maybe on another replica) saved a step in between: decide on the new state.
        guard saved != nil else { return try await controlNow(id, action: action, actor: actor) }
        _ = try await storeCall { () async throws(StoreError) in
            try await services.store.appendAudit(actor: actor, action: AuditAction.rolloutControl, target: id, detail: .string(action.rawValue))
        }
        try await advanceAll()
        return try await get(id)
    }
}
