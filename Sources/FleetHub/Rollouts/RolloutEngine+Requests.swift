import FleetModel
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
        let selector = try plan.labelSelector()
        let candidates = try await storeCall { () async throws(StoreError) in try await services.store.rolloutCandidates(matching: selector) }
        let planned = try RolloutPlanner.plan(plan, candidates: candidates)
        try HubServices.requireDataLossAcknowledgement(of: planned.needAcknowledgement, by: "the rollout", acknowledged: plan.acknowledgeDataLoss)
        let now = services.clock.now()
        var members: [RolloutCluster] = []
        for (index, wave) in planned.waves.enumerated() {
            members += wave.clusters.map { RolloutCluster(name: $0, wave: index) }
        }
        let rollout = Rollout(
            id: Self.newRolloutID(), name: plan.name, createdBy: actor, createdAt: now, plan: plan, phase: .progressing,
            waves: planned.waves.map(\.name), clusters: members)
        if plan.dryRun == true {
            // The store checks this again, atomically, when a real create inserts the rollout.
            let active = try await storeCall { () async throws(StoreError) in try await services.store.rollouts(activeOnly: true, limit: 1000) }
            do {
                try RolloutConflict.check(rollout, against: active)
            } catch {
                throw HubError(error)
            }
            var preview = planned.preview
            preview.warnings = try await warnings(for: planned)
            return .preview(preview)
        }
        try await storeCall { () async throws(StoreError) in try await services.store.createRollout(rollout) }
        logger.info("rollout created", metadata: ["rollout": "\(rollout.id)", "clusters": "\(members.count)", "waves": "\(planned.waves.count)"])
        return .created(rollout)
    }

    /// The planned clusters whose health now cannot pass a wave's gate.
    private func warnings(for planned: RolloutPlanner.PlannedRollout) async throws -> [RolloutPreviewWarning] {
        let names = Set(planned.waves.flatMap(\.clusters))
        let summaries = try await services.clusterSummaries(named: names)
        var warnings: [RolloutPreviewWarning] = []
        for wave in planned.waves {
            for name in wave.clusters {
                guard let health = summaries[name]?.health, let why = Self.gateWarning(health.state) else { continue }
                warnings.append(RolloutPreviewWarning(cluster: name, wave: wave.name, state: health.state, message: why))
            }
        }
        return warnings
    }

    /// Why a cluster in `state` would hold its wave, or nil when it can pass.
    static func gateWarning(_ state: ClusterState) -> String? {
        switch state {
        case .healthy, .progressing, .removed: return nil
        case .offline: return "no report within the lease: its wave waits for the agent until the deadline, then counts it as failed"
        case .unknown: return "has never reported: its wave waits for the agent until the deadline, then counts it as failed"
        case .unreachable: return "its agent cannot reach the cluster's API server: the change cannot be confirmed before it is back"
        case .degraded: return "Degraded now: unless the change repairs it, it fails its wave's health gate"
        }
    }

    /// One rollout by id or by name (the newest of that name: a plan re-run under the same name is the
    /// one people mean).
    public func get(_ reference: String) async throws -> Rollout {
        try await services.rollout(reference)
    }

    /// Rollouts, newest first.
    public func list() async throws -> [Rollout] {
        try await storeCall { () async throws(StoreError) in try await services.store.rollouts() }
    }

    /// Admin actions on a running rollout.
    public typealias Action = RolloutStateMachine.Action

    /// Pauses (no new wave starts), resumes, aborts (stops; changes stay) or rolls back
    /// (restores every touched cluster's previous policy). 409 when the phase does not allow it.
    public func control(_ id: String, action: Action, actor: String) async throws -> Rollout {
        try await serialized { engine in try await engine.controlNow(id, action: action, actor: actor) }
    }

    private func controlNow(_ id: String, action: Action, actor: String) async throws -> Rollout {
        let read = try await get(id)
        var rollout = try RolloutStateMachine.control(read, action, actor: actor, now: services.clock.now())
        rollout.updatedAt = services.clock.now()
        let snapshot = rollout
        let saved = try await storeCall { () async throws(StoreError) in try await services.store.saveRollout(snapshot, replacing: read) }
        // The engine (maybe on another replica) saved a step in between: decide on the new state.
        guard saved != nil else { return try await controlNow(id, action: action, actor: actor) }
        _ = try await storeCall { () async throws(StoreError) in
            try await services.store.appendAudit(actor: actor, action: AuditAction.rolloutControl, target: read.id, detail: .string(action.rawValue))
        }
        try await advanceAll()
        return try await get(id)
    }
}
