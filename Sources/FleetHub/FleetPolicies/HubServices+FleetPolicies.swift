import FleetModel
import FleetStore
import Foundation
import RegistryModel

extension HubServices {
    /// What applying a fleet policy returned: the stored policy, or the preview of a dry run.
    public enum FleetPolicyApplication: Sendable {
        case applied(FleetPolicyWrite)
        case preview(FleetPolicyPreview)
    }

    /// Every fleet policy with its status, from one read of the fleet.
    public func fleetPolicies() async throws -> [StoredFleetPolicy] {
        let policies = try await storeCall { () async throws(StoreError) in try await store.fleetPolicies() }
        guard !policies.isEmpty else { return [] }
        let candidates = try await storeCall { () async throws(StoreError) in try await store.rolloutCandidates() }
        let coverage = Self.coverage(of: policies, candidates: candidates)
        var result: [StoredFleetPolicy] = []
        for policy in policies {
            result.append(try await withStatus(policy, coverage: coverage[policy.name]))
        }
        return result
    }

    /// One fleet policy with its status; 404 when there is none of this name.
    public func fleetPolicy(_ name: String) async throws -> StoredFleetPolicy {
        try Self.requireName(name, of: "fleet policy")
        let policies = try await storeCall { () async throws(StoreError) in try await store.fleetPolicies() }
        guard let policy = policies.first(where: { $0.name == name }) else { throw HubError(.notFound, "fleet policy \"\(name)\" does not exist", field: "name") }
        let candidates = try await storeCall { () async throws(StoreError) in try await store.rolloutCandidates() }
        return try await withStatus(policy, coverage: Self.coverage(of: policies, candidates: candidates)[policy.name])
    }

    /// Validates and stores a fleet policy (or previews it): the selected clusters' policies change later,
    /// through the rollout engine with the policy's strategy. 422 when it would switch a cluster with
    /// operator-managed storage to Removed without `acknowledgeDataLoss`.
    public func applyFleetPolicy(_ name: String, spec: FleetPolicySpec, dryRun: Bool, actor: String) async throws -> FleetPolicyApplication {
        try Self.requireName(name, of: "fleet policy")
        do {
            try spec.validate()
        } catch {
            throw HubError(validation: error)
        }
        let policies = try await storeCall { () async throws(StoreError) in try await store.fleetPolicies() }
        let candidates = try await storeCall { () async throws(StoreError) in try await store.rolloutCandidates() }
        let preview = Self.preview(name: name, spec: spec, policies: policies, candidates: candidates, now: clock.now())
        try Self.requireDataLossAcknowledgement(of: preview.needAcknowledgement, by: "fleet policy \"\(name)\"", acknowledged: spec.acknowledgeDataLoss)
        if dryRun { return .preview(preview) }
        let written = try await storeCall { () async throws(StoreError) in try await store.putFleetPolicy(name: name, spec: spec, actor: actor) }
        if written.changed { fleetPolicyChanged() }
        return .applied(written)
    }

    /// Deletes a fleet policy. The fields it gave clusters pass to the fleet policies that still select them;
    /// a field no other policy sets stays at its value, no longer managed by the fleet.
    public func deleteFleetPolicy(_ name: String, actor: String) async throws -> StoredFleetPolicy {
        try Self.requireName(name, of: "fleet policy")
        let deleted = try await storeCall { () async throws(StoreError) in try await store.deleteFleetPolicy(name, actor: actor) }
        fleetPolicyChanged()
        return deleted
    }

    /// A cluster's policy field by field with the source of each, and what the fleet policies call for that
    /// has not reached it yet (and why).
    public func effectivePolicy(cluster: String) async throws -> EffectivePolicy {
        try Self.requireClusterName(cluster, field: "name")
        let record = try await storeCall { () async throws(StoreError) in try await store.cluster(cluster) }
        guard record.isActive else { throw HubError(.notFound, "cluster \"\(cluster)\" was deleted") }
        let document = try await storeCall { () async throws(StoreError) in try await store.policy(cluster: cluster) }
        let stored = try await storeCall { () async throws(StoreError) in try await store.fleetLayers(clusters: [cluster]) }[cluster] ?? .empty
        let policies = try await storeCall { () async throws(StoreError) in try await store.fleetPolicies() }
        let freezes = try await storeCall { () async throws(StoreError) in try await store.freezes() }
        let set = FleetPolicySet(policies, freezes: freezes)
        let now = clock.now()
        let target = set.layer(for: record.labels)
        let pending = document.policy.diff(to: stored.rebase(document.policy, onto: target))
        var reason: String?
        if !pending.isEmpty {
            if let holder = try await activeRollout(holding: cluster) {
                reason = "rollout \(holder.id)\(holder.name.map { " (\($0))" } ?? "") holds the cluster; " + (holder.source == nil ? "the fleet policies follow once it ends" : "it is rolling the change out")
            } else if let gate = set.gate(for: record.labels, now: now).waitingReason {
                reason = gate
            } else if let driver = set.driver(from: stored, to: target), let last = try await lastRollout(of: driver),
                let blocked = FleetPolicyPlanner.blocked(driver, last: last)
            {
                reason = blocked
            } else {
                reason = "a rollout starts at the next fleet policy check"
            }
        }
        return EffectivePolicy(
            cluster: cluster, generation: document.generation, fields: EffectivePolicy.fields(of: document.policy, applied: stored), pending: pending,
            pendingReason: reason, fleetPolicies: set.matching(record.labels).map(\.name), conflicts: set.conflicts(for: record.labels),
            maintenanceWindows: set.windows(for: record.labels), freezes: set.freezes(for: record.labels).filter { $0.isActive(at: now) }.map(\.name))
    }

    /// Every freeze, by name.
    public func freezes() async throws -> [ChangeFreeze] {
        try await storeCall { () async throws(StoreError) in try await store.freezes() }
    }

    /// Sets (or replaces) a freeze: from now on no rollout starts changing the clusters it selects.
    public func putFreeze(_ name: String, request: FreezeRequest, actor: String) async throws -> ChangeFreeze {
        try Self.requireName(name, of: "freeze")
        let errors = request.validationErrors()
        if !errors.isEmpty { throw HubError(validation: ValidationErrors(errors)) }
        let freeze = ChangeFreeze(
            name: name, selector: request.selector, reason: request.reason, until: request.until, createdBy: actor, createdAt: clock.now())
        try await storeCall { () async throws(StoreError) in try await store.putFreeze(freeze) }
        fleetPolicyChanged()
        return freeze
    }

    /// Lifts a freeze; 404 when there is none of this name.
    public func deleteFreeze(_ name: String, actor: String) async throws -> ChangeFreeze {
        try Self.requireName(name, of: "freeze")
        let freeze = try await storeCall { () async throws(StoreError) in try await store.deleteFreeze(name, actor: actor) }
        fleetPolicyChanged()
        return freeze
    }

    /// What applying `spec` as `name` would change: each cluster's policy rebased onto its new layer.
    static func preview(name: String, spec: FleetPolicySpec, policies: [StoredFleetPolicy], candidates: [RolloutCandidate], now: Date)
        -> FleetPolicyPreview
    {
        var next = policies.filter { $0.name != name }
        next.append(StoredFleetPolicy(name: name, generation: 0, spec: spec, createdBy: "", createdAt: now, updatedBy: "", updatedAt: now))
        let set = FleetPolicySet(next)
        let selector = (try? spec.labelSelector()) ?? .everything
        var matched = 0
        var changes: [ClusterPolicyDiff] = []
        var needAcknowledgement: [String] = []
        for candidate in candidates {
            if selector.matches(candidate.labels) { matched += 1 }
            let stored = candidate.fleetLayer ?? .empty
            let target = set.layer(for: candidate.labels)
            guard target != stored else { continue }
            let current = candidate.policy.policy
            let rebased = stored.rebase(current, onto: target)
            let diff = current.diff(to: rebased)
            guard !diff.isEmpty else { continue }
            changes.append(ClusterPolicyDiff(cluster: candidate.name, generation: candidate.policy.generation, changes: diff))
            if rebased.removesManagedStorage(previous: current, observedStorageState: candidate.observedStorageState) {
                needAcknowledgement.append(candidate.name)
            }
        }
        return FleetPolicyPreview(matchedClusters: matched, changes: changes, needAcknowledgement: needAcknowledgement)
    }

    /// `policy` with its status over `candidates`.
    private func withStatus(_ policy: StoredFleetPolicy, coverage: FleetPolicyCoverage?) async throws -> StoredFleetPolicy {
        let matched = coverage?.matched ?? []
        let pending = coverage?.pending ?? 0
        let last = try await lastRollout(of: policy)
        var message: String?
        if pending > 0 { message = FleetPolicyPlanner.blocked(policy, last: last) }
        var result = policy
        result.status = FleetPolicyStatus(
            matchedClusters: matched.count, pendingClusters: pending, lastRollout: last?.id, lastRolloutPhase: last?.phase, message: message)
        return result
    }

    /// Which clusters each policy selects and how many of those still need a change, with every cluster's
    /// fleet layer resolved once (the set and the layers are the same for every policy).
    static func coverage(of policies: [StoredFleetPolicy], candidates: [RolloutCandidate]) -> [String: FleetPolicyCoverage] {
        let set = FleetPolicySet(policies)
        let behind = Set(candidates.filter { set.layer(for: $0.labels) != ($0.fleetLayer ?? .empty) }.map(\.name))
        var coverage: [String: FleetPolicyCoverage] = [:]
        for policy in policies {
            let selector = (try? policy.spec.labelSelector()) ?? .everything
            let matched = candidates.filter { selector.matches($0.labels) }
            coverage[policy.name] = FleetPolicyCoverage(matched: matched, pending: matched.filter { behind.contains($0.name) }.count)
        }
        return coverage
    }

    /// Where the newest rollout `policy` started stands; nil when it started none (or that rollout is gone).
    func lastRollout(of policy: StoredFleetPolicy) async throws -> FleetPolicyPlanner.LastRollout? {
        guard let id = policy.lastRollout else { return nil }
        do throws(StoreError) {
            let rollout = try await store.rollout(id)
            return FleetPolicyPlanner.LastRollout(id: id, generation: rollout.source?.generation, phase: rollout.phase)
        } catch where error.code == .notFound {
            return nil
        } catch {
            throw HubError(error)
        }
    }

    /// Whether a rollout may change each of `names` now, by their maintenance windows and the freezes; a
    /// name absent from the answer is open (as every cluster is when no window or freeze exists).
    func changeGates(_ names: [String], now: Date) async throws -> [String: ChangeGate] {
        let policies = try await storeCall { () async throws(StoreError) in try await store.fleetPolicies() }
        let freezes = try await storeCall { () async throws(StoreError) in try await store.freezes() }
        let set = FleetPolicySet(policies, freezes: freezes)
        guard set.mayGate(at: now), !names.isEmpty else { return [:] }
        let records = try await storeCall { () async throws(StoreError) in try await store.clusters(named: names) }
        var gates: [String: ChangeGate] = [:]
        for record in records {
            let gate = set.gate(for: record.labels, now: now)
            if gate != .open { gates[record.name] = gate }
        }
        return gates
    }

    /// Tells the fleet policy controller to look again at its next tick, not at its next resync.
    func fleetPolicyChanged() {
        fleetPolicyChanges.add(1, ordering: .relaxed)
    }

    /// 422 naming `name` unless it is a DNS-1123 label.
    static func requireName(_ name: String, of kind: String) throws(HubError) {
        guard DNSNames.isLabel(name) else { throw HubError(.invalid, "\(kind) name \(DNSNames.labelMessage(name))", field: "name") }
    }
}

/// The clusters a fleet policy selects, and how many of them do not yet hold what the fleet policies call for.
struct FleetPolicyCoverage {
    var matched: [RolloutCandidate]
    var pending: Int
}
