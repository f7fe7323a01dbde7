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
    public func create(_ plan: RolloutPlan, actor: String) async throws -> Creation {
        let errors = plan.validationErrors()
        if !errors.isEmpty { throw HubError(validation: ValidationErrors(errors)) }
        let selector = try LabelSelector(parsing: plan.selector)
        let clusters = try await services.clusterSummaries(selector: selector)
        let waves = try RolloutPlanner.waves(plan: plan, candidates: clusters.map { .init(name: $0.name, labels: $0.labels) })
        var previews: [RolloutWavePreview] = []
        var unchanged: [String] = []
        var needAcknowledgement: [String] = []
        for wave in waves {
            var diffs: [ClusterPolicyDiff] = []
            for name in wave.clusters {
                let current = try await services.policy(cluster: name)
                let target = try RolloutPlanner.target(current: current.policy, plan: plan, cluster: name)
                let changes = current.policy.diff(to: target)
                if changes.isEmpty { unchanged.append(name) }
                diffs.append(ClusterPolicyDiff(cluster: name, generation: current.generation, changes: changes))
                let observed = try await storeCall { () async throws(StoreError) in try await services.store.latestReport(cluster: name) }
                if target.removesManagedStorage(previous: current.policy, observedStorageState: observed?.report.registry.storageManagementState) {
                    needAcknowledgement.append(name)
                }
            }
            previews.append(RolloutWavePreview(name: wave.name, clusters: diffs))
        }
        if plan.dryRun == true { return .preview(RolloutPreview(waves: previews, unchanged: unchanged)) }
        if plan.acknowledgeDataLoss != true, !needAcknowledgement.isEmpty {
            throw HubError(
                .invalid,
                "switching \(needAcknowledgement.count) cluster(s) (\(needAcknowledgement.prefix(5).joined(separator: ", "))) to Removed deletes their operator-managed storage and image data; back it up, then repeat with acknowledgeDataLoss: true",
                field: "acknowledgeDataLoss")
        }
        let now = services.clock.now()
        var members: [RolloutCluster] = []
        for (index, wave) in waves.enumerated() {
            members += wave.clusters.map { RolloutCluster(name: $0, wave: index) }
        }
        let rollout = Rollout(
            id: "ro-" + UUID().uuidString.prefix(8).lowercased(), name: plan.name, createdBy: actor, createdAt: now, plan: plan, phase: .progressing,
            waves: waves.map(\.name), clusters: members)
        try await storeCall { () async throws(StoreError) in try await services.store.createRollout(rollout) }
        logger.info("rollout created", metadata: ["rollout": "\(rollout.id)", "clusters": "\(members.count)", "waves": "\(waves.count)"])
        try await tick()
        return .created(try await get(rollout.id))
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
        var rollout = try await get(id)
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
        try await storeCall { () async throws(StoreError) in
            try await services.store.saveRollout(snapshot)
            try await services.store.appendAudit(actor: actor, action: AuditAction.rolloutControl, target: id, detail: .string(action.rawValue))
        }
        try await tick()
        return try await get(id)
    }
}
