import Foundation
import KubeClient
import Logging
import RegistryModel

extension RegistryReconciler {
    /// Writes Config's status when it differs; returns the number of writes.
    func writeStatus(_ config: Config, _ status: ConfigStatus) async throws -> Int {
        guard config.status != status else { return 0 }
        var updated = config
        updated.status = status
        _ = try await api.updateStatus(updated)
        return 1
    }

    /// Writes ImagePruner's status when it differs; returns the number of writes.
    func writeStatus(_ pruner: ImagePruner, _ status: ImagePrunerStatus) async throws -> Int {
        guard pruner.status != status else { return 0 }
        var updated = pruner
        updated.status = status
        _ = try await api.updateStatus(updated)
        return 1
    }

    /// Removed, step 1: Progressing=True `Removing` before anything is deleted.
    func markRemoving(_ config: Config) async throws -> Int {
        var status = config.status ?? ConfigStatus()
        var conditions = status.conditions ?? []
        let changed = conditions.set(
            Condition(type: ConfigConditionType.progressing, status: .true, reason: "Removing", message: "The registry is being removed"),
            now: clock.now())
        guard changed else { return 0 }
        status.conditions = conditions
        return try await writeStatus(config, status)
    }

    /// Unmanaged: nothing is touched; the conditions say so.
    func reportUnmanaged(config: Config, pruner: ImagePruner, writes: Int) async throws -> ReconcileResult {
        let now = clock.now()
        let inputs = ConfigStatusCalculator.Inputs(
            state: .unmanaged, generation: config.metadata.generation ?? 0, replicas: config.spec.replicas, applyError: nil,
            appliedStorage: config.status?.storage, storageManaged: config.status?.storageManaged ?? false, storageCondition: nil)
        let status = ConfigStatusCalculator(options: options).compute(previous: config.status, inputs: inputs, snapshot: RuntimeSnapshot(), now: now)
        let written = try await writeStatus(config, status)
        return ReconcileResult(writes: writes + written, actions: [], requeueAfter: nil, error: nil)
    }

    /// Config/cluster is being deleted: remove the runtime and managed storage as Removed does,
    /// then release the finalizer.
    func finalize(_ config: Config, writes: Int) async throws -> ReconcileResult {
        var absent = RegistryResources.runtimeKeys() + [PrunerResources.cronJobKey]
        if (config.spec.storage ?? StorageSpec(pvc: PVCStorage())).effectiveManagementState == .managed {
            absent.append(RegistryResources.managedClaimKey)
        }
        let observed = try await observe(absent)
        let actions = ApplyPlanner.plan(desired: [], absent: absent, observed: observed)
        let outcome = await ActionExecutor(api: api, logger: logger).execute(actions)
        var total = writes + outcome.writes
        if let (action, error) = outcome.errors.first {
            let failure = OperatorError(code: .apply, message: "Unable to remove registry: \(action): \(error)")
            var status = config.status ?? ConfigStatus()
            var conditions = status.conditions ?? []
            conditions.set(Condition(type: ConfigConditionType.degraded, status: .true, reason: "RemoveFailed", message: failure.message), now: clock.now())
            status.conditions = conditions
            total += try await writeStatus(config, status)
            return ReconcileResult(writes: total, actions: actions, requeueAfter: options.convergingRequeue, error: failure)
        }
        if config.metadata.finalizers?.contains(Self.finalizer) == true {
            var released = config
            released.metadata.finalizers = config.metadata.finalizers?.filter { $0 != Self.finalizer }
            _ = try await api.update(released)
            total += 1
        }
        logger.info("Config/cluster finalized")
        return ReconcileResult(writes: total, actions: actions, requeueAfter: 1, error: nil)
    }
}
