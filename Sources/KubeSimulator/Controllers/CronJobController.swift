import Foundation
import KubeClient
import RegistryModel

/// The cron job controller: starts the latest missed run since `status.lastScheduleTime` (or
/// creation), within `startingDeadlineSeconds`, honouring `concurrencyPolicy`; names Jobs
/// `<cronjob>-<scheduled time in unix minutes>`; keeps `status.active`, `lastScheduleTime` and
/// `lastSuccessfulTime`; deletes finished Jobs beyond the history limits, oldest first.
/// Schedules are UTC (`spec.timeZone` is not modelled).
enum CronJobController {
    /// Reconciles every CronJob that is not being deleted.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        let cronJobs = server.store.items(.cronJobs).filter { !$0.isTerminating }
        guard !cronJobs.isEmpty else { return }
        var jobsByOwner: [String: [KubeObject]] = [:]
        for job in server.store.items(.jobs) where !job.isTerminating {
            if let uid = job.controllerUID { jobsByOwner[uid, default: []].append(job) }
        }
        for cronJob in cronJobs {
            reconcile(cronJob, jobs: jobsByOwner[cronJob.metadata.uid ?? ""] ?? [], &server, &round)
        }
    }

    private static func reconcile(_ cronJob: KubeObject, jobs: [KubeObject], _ server: inout APIServer, _ round: inout ControllerRound) {
        let now = round.now
        let spec = cronJob.fields["spec"] ?? .object([:])
        var status = cronJob.status ?? .object([:])
        var active = jobs.filter { !$0.isFinishedJob }
        pruneHistory(jobs.filter(\.isFinishedJob), spec: spec, &server, now)

        let successTimes = jobs.filter { $0.isFinishedJob && !$0.isFailedJob }.compactMap { $0.field("status", "completionTime")?.dateValue }
        if let latest = (successTimes + [status["lastSuccessfulTime"]?.dateValue].compactMap { $0 }).max() {
            status["lastSuccessfulTime"] = latest.json
        }
        if spec["suspend"]?.boolValue != true, let schedule = round.schedule(spec["schedule"]?.stringValue ?? "") {
            var windowStart = status["lastScheduleTime"]?.dateValue ?? cronJob.metadata.creationTimestamp ?? now
            if let deadline = spec["startingDeadlineSeconds"]?.int {
                windowStart = max(windowStart, now.addingTimeInterval(-TimeInterval(deadline)))
            }
            if let due = schedule.latest(after: windowStart, upTo: now)?.time {
                let policy = spec["concurrencyPolicy"]?.stringValue ?? "Allow"
                // Forbid with a Job still active skips the run without recording it, so it starts
                // when that Job ends if it is still within the starting deadline.
                if policy != "Forbid" || active.isEmpty {
                    if policy == "Replace" {
                        for job in active { server.delete(.jobs, job.key, propagation: .background, now: now) }
                        active = []
                    }
                    active.append(startJob(cronJob, scheduledAt: due, &server, now))
                    status["lastScheduleTime"] = due.json
                }
            }
            if let next = schedule.next(after: now) { round.wake(at: next) }
        }
        let references: [JSONValue] = active.sorted { $0.metadata.name < $1.metadata.name }.map { job in
            [
                "apiVersion": "batch/v1", "kind": "Job", "name": .string(job.metadata.name), "namespace": .string(job.metadata.namespace ?? ""),
                "uid": .string(job.metadata.uid ?? ""),
            ]
        }
        status["active"] = references.isEmpty ? nil : .array(references)
        server.writeStatus(.cronJobs, cronJob.key, status)
    }

    /// Creates the Job for one scheduled time (or returns the one that already exists).
    private static func startJob(_ cronJob: KubeObject, scheduledAt: Date, _ server: inout APIServer, _ now: Date) -> KubeObject {
        let namespace = cronJob.metadata.namespace ?? ""
        let name = "\(cronJob.metadata.name)-\(Int(scheduledAt.timeIntervalSince1970 / 60))"
        if let existing = server.store.object(.jobs, ObjectKey(namespace: namespace, name: name)) { return existing }
        let template = cronJob.field("spec", "jobTemplate") ?? .object([:])
        var metadata = ObjectMeta(name: name, namespace: namespace)
        let labels = template["metadata"]?["labels"]?.stringMap ?? [:]
        metadata.labels = labels.isEmpty ? nil : labels
        var annotations = template["metadata"]?["annotations"]?.stringMap ?? [:]
        annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] = RFC3339.format(scheduledAt)
        metadata.annotations = annotations
        metadata.ownerReferences = [cronJob.ownerReference(controller: true)]
        var spec = template["spec"] ?? .object([:])
        ObjectDefaults.defaultJobSpec(&spec)
        return server.insertNew(.jobs, KubeObject(apiVersion: "batch/v1", kind: "Job", metadata: metadata, fields: ["spec": spec]), now: now)
    }

    /// Deletes the oldest finished Jobs beyond `successfulJobsHistoryLimit` and `failedJobsHistoryLimit`.
    private static func pruneHistory(_ finished: [KubeObject], spec: JSONValue, _ server: inout APIServer, _ now: Date) {
        let groups = [
            (finished.filter { !$0.isFailedJob }, spec["successfulJobsHistoryLimit"]?.int ?? 3),
            (finished.filter(\.isFailedJob), spec["failedJobsHistoryLimit"]?.int ?? 1),
        ]
        for (jobs, limit) in groups where jobs.count > limit {
            let oldestFirst = jobs.sorted {
                ($0.field("status", "startTime")?.dateValue ?? $0.metadata.creationTimestamp ?? .distantPast, $0.metadata.name)
                    < ($1.field("status", "startTime")?.dateValue ?? $1.metadata.creationTimestamp ?? .distantPast, $1.metadata.name)
            }
            for job in oldestFirst.prefix(jobs.count - limit) {
                server.delete(.jobs, job.key, propagation: .background, now: now)
            }
        }
    }
}
