import Foundation
import KubeClient
import Logging
import RegistryModel

/// Reconciles `Config/cluster` and `ImagePruner/cluster` into the registry runtime in
/// `image-registry-system`.
///
/// Level-triggered: every pass reads the desired and the actual state, plans the difference with
/// the pure `ApplyPlanner`, performs only those writes, and recomputes the status from what
/// exists. A pass over a converged cluster makes no writes at all.
public struct RegistryReconciler: Sendable {
    let api: any KubernetesAPI
    let clock: any WallClock
    let options: OperatorOptions
    let logger: Logger
    /// Where a re-created Config/cluster or ImagePruner/cluster gets its spec; nil: the defaults.
    let bootstrapSource: (any BootstrapSpecSource)?
    /// The last pass's desired objects, reused while their inputs are unchanged.
    let desiredMemo = DesiredObjectMemo()

    /// Finalizer that lets the operator remove the runtime (and managed storage) before Config/cluster goes away.
    public static let finalizer = "imageregistry.operator.alauda.io/finalizer"

    public init(
        api: any KubernetesAPI, clock: any WallClock = SystemWallClock(), options: OperatorOptions = OperatorOptions(), logger: Logger,
        bootstrapSource: (any BootstrapSpecSource)? = nil
    ) {
        self.api = api
        self.clock = clock
        self.options = options
        self.logger = logger
        self.bootstrapSource = bootstrapSource
    }

    /// One full pass.
    public func reconcile() async throws -> ReconcileResult {
        var writes = 0
        writes += try await ensureNamespace()
        writes += try await flagIgnoredResources()
        var (config, configWrites) = try await loadOrBootstrap(Config.self)
        writes += configWrites
        let (pruner, prunerWrites) = try await loadOrBootstrap(ImagePruner.self)
        writes += prunerWrites
        writes += try await releaseStorageOwnership(config)

        if config.metadata.deletionTimestamp != nil {
            return try await finalize(config, writes: writes)
        }
        let state = config.spec.managementState
        if state == .unmanaged {
            return try await reportUnmanaged(config: config, pruner: pruner, writes: writes)
        }
        let verification = verify(config)
        if verification == nil, state == .managed {
            let (updated, defaultWrites) = try await writeBackDefaults(config)
            config = updated
            writes += defaultWrites
        }
        let prunerError = verifyPruner(pruner)
        let storage = config.spec.storage ?? StorageSpec(pvc: PVCStorage())
        let storageManaged = storage.effectiveManagementState == .managed
        let owner = OwnedMetadata.owner(apiVersion: config.apiVersion, kind: config.kind, name: config.metadata.name, uid: config.metadata.uid)
        let prunerOwner = OwnedMetadata.owner(apiVersion: pruner.apiVersion, kind: pruner.kind, name: pruner.metadata.name, uid: pruner.metadata.uid)
        let prunerResources = PrunerResources(spec: pruner.spec, options: options, owner: prunerOwner)

        var desired = try desiredMemo.objects(.clusterWide, from: ClusterWideResources(options: options, owner: owner)) { try $0.desired() }
            + desiredMemo.objects(.prunerCompanions, from: prunerResources) { try $0.companions() }
        var absent: [ObjectKey] = []
        switch state {
        case .removed:
            absent += RegistryResources.runtimeKeys() + [PrunerResources.cronJobKey]
            if storageManaged { absent.append(RegistryResources.managedClaimKey) }
        default:
            if verification == nil {
                let (servingCA, certificateWrites) = try await ensureServingCertificate(owner: owner)
                writes += certificateWrites
                var registry = RegistryResources(spec: config.spec, storage: storage, options: options, owner: owner)
                registry.servingCA = servingCA
                desired += try desiredMemo.objects(.registry, from: registry) { try $0.desired() }
                if config.spec.replicas <= 1 {
                    absent.append(ObjectKey(.podDisruptionBudgets, namespace: RegistryNames.namespace, name: RegistryNames.podDisruptionBudget))
                }
                if prunerError == nil { desired += try desiredMemo.objects(.prunerCronJob, from: prunerResources) { [try $0.cronJobObject()] } }
            }
        }

        let observed = try await observe(desired.map(\.key) + absent)
        let actions = ApplyPlanner.plan(desired: desired, absent: absent, observed: observed)
        if state == .removed, actions.contains(where: { if case .delete = $0 { return true } else { return false } }) {
            writes += try await markRemoving(config)
            config = try await api.get(Config.self, name: RegistryNames.singleton)
        }
        let executor = ActionExecutor(api: api, logger: logger, desired: Dictionary(desired.map { ($0.key, $0) }) { first, _ in first })
        let outcome = await executor.execute(actions)
        writes += outcome.writes
        var applyError = verification
        if applyError == nil, let (action, error) = outcome.errors.first(where: { ($0.1 as? KubeError)?.code == .forbidden }) ?? outcome.errors.first {
            let forbidden = (error as? KubeError)?.code == .forbidden
            applyError = OperatorError(code: forbidden ? .forbidden : .apply, message: "\(action): \(error)", isPermanent: forbidden)
        }

        let snapshot = try await readSnapshot(storage: storage)
        let storageOutcome = StorageStatus.decide(state: state, storage: storage, managed: storageManaged, claim: snapshot.storageClaim, removalFailed: !outcome.errors.isEmpty)
        if applyError == nil, let storageError = storageOutcome.error { applyError = storageError }
        let now = clock.now()
        let inputs = ConfigStatusCalculator.Inputs(
            state: state, generation: config.metadata.generation ?? 0, replicas: config.spec.replicas, applyError: applyError,
            appliedStorage: storageOutcome.applied, storageManaged: storageManaged, storageCondition: storageOutcome.condition)
        let status = ConfigStatusCalculator(options: options).compute(previous: config.status, inputs: inputs, snapshot: snapshot, now: now)
        writes += try await writeStatus(config, \.status, status)

        let prunerInputs = PrunerStatusCalculator.Inputs(
            generation: pruner.metadata.generation ?? 0, suspended: pruner.spec.effectiveSuspend, registryState: state,
            error: prunerError ?? prunerApplyError(outcome))
        let prunerStatus = PrunerStatusCalculator().compute(previous: pruner.status, inputs: prunerInputs, snapshot: snapshot, now: now)
        writes += try await writeStatus(pruner, \.status, prunerStatus)

        logger.debug("reconciled", metadata: ["writes": "\(writes)", "actions": "\(actions.count)", "state": "\(state)"])
        return ReconcileResult(
            writes: writes, actions: actions, requeueAfter: requeueAfter(status: status, snapshot: snapshot, applyError: applyError, now: now),
            error: applyError ?? prunerError)
    }

    /// The operator's own verification of a Config the API server accepted (upstream refuses
    /// negative replicas and unknown states as permanent `VerificationFailed` errors).
    func verify(_ config: Config) -> OperatorError? {
        do {
            try config.validate()
        } catch {
            return OperatorError(code: .verificationFailed, message: error.description, isPermanent: true)
        }
        if let s3 = config.spec.storage?.s3, (s3.bucket ?? "").isEmpty {
            return OperatorError(
                code: .storageNotConfigured, message: "storage backend not configured: spec.storage.s3.bucket is empty and buckets cannot be created on this platform",
                isPermanent: true)
        }
        return nil
    }

    /// An invalid ImagePruner is reported and its CronJob left as it was.
    func verifyPruner(_ pruner: ImagePruner) -> OperatorError? {
        do {
            try pruner.validate()
            return nil
        } catch {
            let isSchedule = error.errors.contains { $0.path == "spec.schedule" }
            return OperatorError(code: isSchedule ? .invalidSchedule : .invalidPrunerSpec, message: error.description, isPermanent: true)
        }
    }

    private func prunerApplyError(_ outcome: ActionExecutor.Outcome) -> OperatorError? {
        guard let (action, error) = outcome.errors.first(where: { $0.0.key == PrunerResources.cronJobKey }) else { return nil }
        return OperatorError(code: .apply, message: "\(action): \(error)")
    }

    /// The next time the status can change without an event: while converging, soon; while
    /// unavailable or failing to pull, exactly when the Degraded grace period ends.
    func requeueAfter(status: ConfigStatus, snapshot: RuntimeSnapshot, applyError: OperatorError?, now: Date) -> TimeInterval? {
        var candidates: [TimeInterval] = []
        let conditions = status.conditions ?? []
        if let error = applyError, !error.isPermanent { candidates.append(options.convergingRequeue) }
        if conditions.has(ConfigConditionType.progressing, .true) { candidates.append(options.convergingRequeue) }
        if let available = conditions[type: ConfigConditionType.available], available.status != .true,
            !conditions.has(ConfigConditionType.degraded, .true)
        {
            let since = available.lastTransitionTime ?? now
            candidates.append(max(1, options.unavailableDegradedAfter - now.timeIntervalSince(since)))
        }
        for pod in snapshot.registryPods where !(pod.status?.containerStatuses ?? []).allSatisfy(\.ready) {
            if let created = pod.metadata.creationTimestamp {
                let remaining = options.imagePullDegradedAfter - now.timeIntervalSince(created)
                if remaining > 0 { candidates.append(remaining) }
            }
        }
        return candidates.min()
    }
}
