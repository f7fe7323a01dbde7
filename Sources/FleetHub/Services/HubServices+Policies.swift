import FleetModel
import FleetStore
import Foundation
import RegistryModel

extension HubServices {
    /// A cluster's desired policy; for a cluster that has not enrolled, the policy staged for it (`staged`).
    public func policy(cluster: String) async throws -> PolicyDocument {
        try Self.requireClusterName(cluster, field: "name")
        do throws(StoreError) {
            return try await store.policy(cluster: cluster)
        } catch where error.code == .notFound {
            guard let staged = try await storeCall({ () async throws(StoreError) in try await store.stagedPolicy(cluster: cluster) }) else {
                throw HubError(error)
            }
            return staged
        } catch {
            throw HubError(error)
        }
    }

    /// Validates and stores a new policy; the generation moves only when the content changes, and
    /// the cluster's long poll wakes at once.
    ///
    /// Switching to Removed while the cluster's storage is operator-managed deletes its image data,
    /// so it needs `acknowledgeDataLoss: true` (422 otherwise, naming the field). A cluster that an
    /// active rollout holds needs `force: true` (409 otherwise): the rollout would overwrite the change
    /// unannounced; a forced write is audited as `policy.force` naming the rollout.
    public func putPolicy(cluster: String, request: PolicyUpdateRequest, actor: String) async throws -> PolicyUpdate {
        try Self.requireClusterName(cluster, field: "name")
        let policy = request.policy
        do {
            try policy.validate()
        } catch {
            throw HubError(validation: error)
        }
        let current: PolicyDocument
        do throws(StoreError) {
            current = try await store.policy(cluster: cluster)
        } catch where error.code == .notFound {
            return try await stagePolicy(cluster: cluster, request: request, actor: actor)
        } catch {
            throw HubError(error)
        }
        if request.acknowledgeDataLoss != true {
            let observed = try await storeCall { () async throws(StoreError) in try await store.latestReport(cluster: cluster) }
            try Self.requireDataLossAcknowledgement(
                policy, previous: current.policy, observed: observed?.report.registry.storageManagementState,
                change: "switching cluster \"\(cluster)\" to Removed deletes")
        }
        let holder = try await activeRollout(holding: cluster)
        if let holder, request.force != true {
            throw HubError(
                .conflict,
                "cluster \"\(cluster)\" belongs to active rollout \(holder.id)\(holder.name.map { " (\($0))" } ?? ""), which would overwrite this change; wait for it, abort it, or repeat with force: true",
                field: "force")
        }
        let update = try await storeCall { () async throws(StoreError) in
            try await store.putPolicy(cluster: cluster, policy: policy, expectedGeneration: request.generation, actor: actor)
        }
        if let holder, update.changed {
            _ = try await storeCall { () async throws(StoreError) in
                try await store.appendAudit(
                    actor: actor, action: AuditAction.policyForce, target: cluster,
                    detail: .object(["rollout": .string(holder.id), "generation": .int(update.document.generation)]))
            }
        }
        if update.changed {
            notifier.publish(cluster: cluster, generation: update.document.generation)
            logger.info(
                "policy updated",
                metadata: ["cluster": "\(cluster)", "generation": "\(update.document.generation)", "actor": "\(actor)"])
        }
        return update
    }

    /// Stages the policy of a cluster that has not enrolled: its enrollment makes it the cluster's first
    /// desired state, so the agent never runs on the operator's defaults first. Removed needs the data-loss
    /// acknowledgement here too: the registry may exist in the cluster before its agent does.
    private func stagePolicy(cluster: String, request: PolicyUpdateRequest, actor: String) async throws -> PolicyUpdate {
        let staged = try await storeCall { () async throws(StoreError) in try await store.stagedPolicy(cluster: cluster) }
        if let expected = request.generation, expected != 0 {
            throw HubError(.conflict, "cluster \"\(cluster)\" has not enrolled: its policy is staged at generation 0, not \(expected)", field: "generation")
        }
        if request.acknowledgeDataLoss != true {
            try Self.requireDataLossAcknowledgement(
                request.policy, previous: staged?.policy ?? FleetPolicy(), observed: nil,
                change: "staging Removed for cluster \"\(cluster)\" deletes, when it enrolls,")
        }
        let document = try await storeCall { () async throws(StoreError) in
            try await store.stagePolicy(cluster: cluster, policy: request.policy, actor: actor)
        }
        logger.info("policy staged for a cluster that has not enrolled", metadata: ["cluster": "\(cluster)", "actor": "\(actor)"])
        return PolicyUpdate(document: document, changed: staged?.policy != request.policy, previousGeneration: 0)
    }

    /// 422 naming `acknowledgeDataLoss` when `policy` turns operator-managed storage Removed; `change` says
    /// what would delete it.
    static func requireDataLossAcknowledgement(_ policy: FleetPolicy, previous: FleetPolicy, observed: ManagementState?, change: String) throws(HubError) {
        guard policy.removesManagedStorage(previous: previous, observedStorageState: observed) else { return }
        throw HubError(
            .invalid,
            "\(change) its operator-managed storage and the image data in it; back it up, or set registry.storage.managementState to Unmanaged, then repeat with acknowledgeDataLoss: true",
            field: "acknowledgeDataLoss")
    }

    /// 422 naming `acknowledgeDataLoss` when a rollout or fleet policy (`what`) would switch `clusters` with
    /// operator-managed storage to Removed.
    static func requireDataLossAcknowledgement(of clusters: [String], by what: String, acknowledged: Bool?) throws(HubError) {
        guard acknowledged != true, !clusters.isEmpty else { return }
        throw HubError(
            .invalid,
            "\(what) switches \(clusters.count) cluster(s) (\(clusters.prefix(5).joined(separator: ", "))) to Removed, which deletes their operator-managed storage and image data; back it up, then repeat with acknowledgeDataLoss: true",
            field: "acknowledgeDataLoss")
    }

    /// The active rollout that holds `cluster`, if any.
    func activeRollout(holding cluster: String) async throws -> Rollout? {
        let active = try await storeCall { () async throws(StoreError) in try await store.rollouts(activeOnly: true, limit: 1000) }
        return active.first { $0.clusters.contains { $0.name == cluster } }
    }

    /// The desired state for an agent: at once when newer than `after`, else after the next change
    /// or nil at the timeout.
    public func desiredState(cluster: String, after: Int64, timeout: Duration) async throws -> PolicyDocument? {
        let current = try await storeCall { () async throws(StoreError) in try await store.policy(cluster: cluster) }
        if current.generation > after { return current }
        guard await notifier.wait(cluster: cluster, after: after, timeout: timeout) != nil else { return nil }
        return try await storeCall { () async throws(StoreError) in try await store.policy(cluster: cluster) }
    }
}

extension HubServices {
    /// Validates and stores many clusters' policies in one store transaction and wakes the long
    /// poll of each cluster whose generation moved. The caller has done the data-loss check (a
    /// rollout does it when it is created). A policy that fails validation, or a cluster that
    /// cannot take it, gets its error in the result; the others are stored.
    public func putPolicies(_ changes: [PolicyWrite], actor: String) async throws -> [String: Result<PolicyUpdate, HubError>] {
        var results: [String: Result<PolicyUpdate, HubError>] = [:]
        var valid: [PolicyWrite] = []
        for change in changes {
            do {
                try change.policy.validate()
                valid.append(change)
            } catch {
                results[change.cluster] = .failure(HubError(validation: error))
            }
        }
        let batch = valid
        let stored = try await storeCall { () async throws(StoreError) in try await store.putPolicies(batch, actor: actor) }
        for (cluster, result) in stored {
            switch result {
            case .success(let update):
                if update.changed { notifier.publish(cluster: cluster, generation: update.document.generation) }
                results[cluster] = .success(update)
            case .failure(let error):
                results[cluster] = .failure(HubError(error))
            }
        }
        return results
    }
}
