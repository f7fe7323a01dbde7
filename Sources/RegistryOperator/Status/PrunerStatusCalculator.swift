import Foundation
import KubeClient
import RegistryModel

/// Computes ImagePruner's status from the CronJob, its Jobs and the last prune report, purely
/// (upstream-reference.md §2.2, plus `RegistryRemoved` from the seed).
public struct PrunerStatusCalculator: Sendable {
    public init() {}

    /// The inputs besides the snapshot.
    public struct Inputs: Sendable {
        public var generation: Int64
        public var suspended: Bool
        public var registryState: ManagementState
        /// Validation or apply failure of the pruner; the CronJob was left as it was.
        public var error: OperatorError?

        public init(generation: Int64, suspended: Bool, registryState: ManagementState, error: OperatorError?) {
            self.generation = generation
            self.suspended = suspended
            self.registryState = registryState
            self.error = error
        }
    }

    /// The new status.
    public func compute(previous: ImagePrunerStatus?, inputs: Inputs, snapshot: RuntimeSnapshot, now: Date) -> ImagePrunerStatus {
        var conditions = previous?.conditions ?? []
        conditions.set(available(inputs, snapshot), now: now)
        conditions.set(scheduled(inputs, snapshot), now: now)
        let newestFinished = snapshot.prunerJobs.filter(\.isFinished).max { lhs, rhs in
            (lhs.status?.completionTime ?? lhs.metadata.creationTimestamp ?? .distantPast)
                < (rhs.status?.completionTime ?? rhs.metadata.creationTimestamp ?? .distantPast)
        }
        conditions.set(failed(newestFinished), now: now)
        conditions.set(degraded(inputs, newestFinished), now: now)
        return ImagePrunerStatus(observedGeneration: inputs.generation, conditions: conditions, lastRun: lastRun(snapshot) ?? previous?.lastRun)
    }

    func available(_ inputs: Inputs, _ snapshot: RuntimeSnapshot) -> Condition {
        let type = PrunerConditionType.available
        if inputs.registryState == .removed {
            return Condition(type: type, status: .false, reason: "RegistryRemoved", message: "Scheduled pruning is unavailable while the registry is removed")
        }
        if snapshot.cronJob == nil {
            return Condition(type: type, status: .false, reason: "Error", message: "Pruner CronJob does not exist")
        }
        return Condition(type: type, status: .true, reason: "AsExpected", message: "Pruner CronJob has been created")
    }

    /// Scheduled says whether a CronJob will start pruner Jobs, first match wins: not while the
    /// registry is Removed (its CronJob is deleted), not without a CronJob, not while suspended.
    func scheduled(_ inputs: Inputs, _ snapshot: RuntimeSnapshot) -> Condition {
        let type = PrunerConditionType.scheduled
        if inputs.registryState == .removed {
            return Condition(type: type, status: .false, reason: "RegistryRemoved", message: "The pruner job is not scheduled while the registry is removed")
        }
        if snapshot.cronJob == nil {
            return Condition(type: type, status: .false, reason: "CronJobNotFound", message: "The pruner CronJob \(RegistryNames.prunerCronJob) does not exist")
        }
        if inputs.suspended {
            return Condition(type: type, status: .false, reason: "Suspended", message: "The pruner job has been suspended")
        }
        return Condition(type: type, status: .true, reason: "Scheduled", message: "The pruner job has been scheduled")
    }

    func failed(_ newest: Job?) -> Condition {
        let type = PrunerConditionType.failed
        guard let newest else { return Condition(type: type, status: .false, reason: "NotRun", message: "The pruner has not run yet") }
        if let failure = newest.status?.conditions?[type: "Failed"], failure.status == .true {
            return Condition(type: type, status: .true, reason: failure.reason ?? "JobFailed", message: failure.message ?? "Job \(newest.metadata.name) failed")
        }
        return Condition(type: type, status: .false, reason: "Complete", message: "Pruner completed successfully")
    }

    func degraded(_ inputs: Inputs, _ newest: Job?) -> Condition {
        let type = PrunerConditionType.degraded
        if let error = inputs.error {
            let reason = error.code == .apply ? "SyncError" : error.reason
            return Condition(type: type, status: .true, reason: reason, message: "Error: \(error.message)")
        }
        if let newest, newest.hasFailed {
            let message = newest.status?.conditions?[type: "Failed"]?.message ?? "Job \(newest.metadata.name) failed"
            return Condition(type: type, status: .true, reason: "JobFailed", message: message)
        }
        return Condition(type: type, status: .false, reason: "AsExpected", message: "The pruner is healthy")
    }

    /// The report the pruner Job stored, when it parses.
    func lastRun(_ snapshot: RuntimeSnapshot) -> PruneReport? {
        guard let text = snapshot.lastRunConfigMap?.data?[RegistryNames.pruneReportDataKey] else { return nil }
        return try? JSONCoding.decode(PruneReport.self, from: Data(text.utf8))
    }
}

