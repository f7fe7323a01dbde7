import Foundation
import KubeClient
import RegistryModel
import Testing
@testable import RegistryOperator

@Suite struct PrunerStatusCalculatorTests {
    private func job(_ name: String, finishedAt offset: TimeInterval, failed: Bool) -> Job {
        var metadata = ObjectMeta(name: name, namespace: RegistryNames.namespace)
        metadata.creationTimestamp = Fixtures.now
        let condition = failed
            ? Condition(type: "Failed", status: .true, reason: "BackoffLimitExceeded", message: "failed to ping registry: i/o timeout")
            : Condition(type: "Complete", status: .true)
        return Job(
            metadata: metadata, spec: JobSpec(template: PodTemplateSpec(spec: PodSpec(containers: []))),
            status: JobStatus(completionTime: Fixtures.now.addingTimeInterval(offset), conditions: [condition]))
    }

    private func inputs(state: ManagementState = .managed, suspended: Bool = false, error: OperatorError? = nil) -> PrunerStatusCalculator.Inputs {
        PrunerStatusCalculator.Inputs(generation: 4, suspended: suspended, registryState: state, error: error)
    }

    /// The newest finished Job decides Failed and Degraded: a failure after a success degrades, a success after a failure heals.
    @Test(arguments: [(true, false), (false, true)]) func newestJobDecides(newestFailed: Bool, olderFailed: Bool) {
        let snapshot = RuntimeSnapshot(cronJob: nil, prunerJobs: [job("old", finishedAt: 10, failed: olderFailed), job("new", finishedAt: 20, failed: newestFailed)])
        let status = PrunerStatusCalculator().compute(previous: nil, inputs: inputs(), snapshot: snapshot, now: Fixtures.now)
        #expect(status.conditions?.has("Failed", newestFailed ? .true : .false) == true)
        let degraded = status.conditions?[type: "Degraded"]
        #expect(degraded?.status == (newestFailed ? .true : .false))
        if newestFailed { #expect(degraded?.message == "failed to ping registry: i/o timeout") }
    }

    /// A removed registry makes the pruner unavailable.
    @Test func removedIsUnavailable() {
        let status = PrunerStatusCalculator().compute(previous: nil, inputs: inputs(state: .removed, suspended: true), snapshot: RuntimeSnapshot(), now: Fixtures.now)
        #expect(status.conditions?[type: "Available"]?.reason == "RegistryRemoved")
    }

    private static let cronJob = CronJob(
        metadata: ObjectMeta(name: RegistryNames.prunerCronJob, namespace: RegistryNames.namespace),
        spec: CronJobSpec(schedule: "0 0 * * *", jobTemplate: JobTemplateSpec(spec: JobSpec(template: PodTemplateSpec(spec: PodSpec(containers: []))))))

    /// Scheduled, first match wins: Removed registry (no CronJob) → False RegistryRemoved; no CronJob → False; suspended → False; else True.
    @Test(arguments: [
        (ManagementState.removed, false, false, ConditionStatus.false, "RegistryRemoved"),
        (.removed, true, false, .false, "RegistryRemoved"),
        (.removed, false, true, .false, "RegistryRemoved"),
        (.managed, false, false, .false, "CronJobNotFound"),
        (.managed, true, true, .false, "Suspended"),
        (.managed, false, true, .true, "Scheduled"),
    ])
    func scheduledTable(state: ManagementState, suspended: Bool, hasCronJob: Bool, status: ConditionStatus, reason: String) {
        let snapshot = RuntimeSnapshot(cronJob: hasCronJob ? Self.cronJob : nil)
        let computed = PrunerStatusCalculator().compute(previous: nil, inputs: inputs(state: state, suspended: suspended), snapshot: snapshot, now: Fixtures.now)
        let scheduled = computed.conditions?[type: "Scheduled"]
        #expect(scheduled?.status == status)
        #expect(scheduled?.reason == reason)
    }

    /// An invalid schedule degrades with reason InvalidSchedule and the validation message.
    @Test func invalidScheduleDegrades() {
        let error = OperatorError(code: .invalidSchedule, message: "spec.schedule: invalid cron expression \"61 * * * *\": minute value 61 is out of range 0-59", isPermanent: true)
        let status = PrunerStatusCalculator().compute(previous: nil, inputs: inputs(error: error), snapshot: RuntimeSnapshot(), now: Fixtures.now)
        let degraded = status.conditions?[type: "Degraded"]
        #expect(degraded?.reason == "InvalidSchedule")
        #expect(degraded?.message?.contains("61 * * * *") == true)
    }

    /// The last run is read from the pruner's result ConfigMap.
    @Test func lastRunFromConfigMap() throws {
        let report = PruneReport(registryURL: "https://r", dryRun: false, startedAt: Fixtures.now, finishedAt: Fixtures.now.addingTimeInterval(3), deleted: 7)
        let text = String(decoding: try JSONCoding.encode(report), as: UTF8.self)
        let snapshot = RuntimeSnapshot(lastRunConfigMap: ConfigMap(metadata: ObjectMeta(name: RegistryNames.pruneReportConfigMap), data: [RegistryNames.pruneReportDataKey: text]))
        let status = PrunerStatusCalculator().compute(previous: nil, inputs: inputs(), snapshot: snapshot, now: Fixtures.now)
        #expect(status.lastRun == report)
    }
}
