import Foundation
import KubeClient
import Logging
import RegistryModel

extension RegistryReconciler {
    /// Writes a singleton's status when it differs; returns the number of writes.
    func writeStatus<T: SingletonResource, Status: Equatable>(_ object: T, _ keyPath: WritableKeyPath<T, Status?>, _ status: Status) async throws -> Int {
        guard object[keyPath: keyPath] != status else { return 0 }
        var updated = object
        updated[keyPath: keyPath] = status
        _ = try await api.updateStatus(updated)
        return 1
    }

    /// Sets one condition on a singleton's status, writing only when it changed; returns the
    /// number of writes.
    func setCondition<T: SingletonResource>(_ condition: Condition, on object: T) async throws -> Int {
        var conditions = object.statusConditions
        guard conditions.set(condition, now: clock.now()) else { return 0 }
        var updated = object
        updated.statusConditions = conditions
        _ = try await api.updateStatus(updated)
        return 1
    }

    /// Removed, step 1: Progressing=True `Removing` before anything is deleted.
    func markRemoving(_ config: Config) async throws -> Int {
        try await setCondition(
            Condition(type: ConfigConditionType.progressing, status: .true, reason: "Removing", message: "The registry is being removed"),
            on: config)
    }

    /// Unmanaged: nothing is touched; the conditions say so.
    func reportUnmanaged(config: Config, pruner: ImagePruner, writes: Int) async throws -> ReconcileResult {
        let now = clock.now()
        let inputs = ConfigStatusCalculator.Inputs(
            state: .unmanaged, generation: config.metadata.generation ?? 0, replicas: config.spec.replicas, applyError: nil,
            appliedStorage: config.status?.storage, storageManaged: config.status?.storageManaged ?? false, storageCondition: nil)
        let status = ConfigStatusCalculator(options: options).compute(previous: config.status, inputs: inputs, snapshot: RuntimeSnapshot(), now: now)
        let written = try await writeStatus(config, \.status, status)
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
            total += try await setCondition(
                Condition(type: ConfigConditionType.degraded, status: .true, reason: "RemoveFailed", message: failure.message), on: config)
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
