import Foundation
import KubeClient
import RegistryModel

/// The job controller: one pod per Job (no parallelism, no retries). The Job ends
/// `jobDuration` after its pod was scheduled, or when the embedder's job runner returns; an
/// injected failure (or the active deadline) fails it with the real controller's conditions.
enum JobController {
    /// Reconciles every unfinished Job that is not being deleted.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        let podsByOwner = PodIndex.byController(server.store.items(.pods))
        for job in server.store.items(.jobs) where !job.isTerminating && !job.isFinishedJob {
            guard job.field("spec", "suspend")?.boolValue != true else { continue }
            reconcile(job, pods: podsByOwner[job.metadata.uid ?? ""] ?? [], &server, &round)
        }
    }

    private static func reconcile(_ job: KubeObject, pods: [KubeObject], _ server: inout APIServer, _ round: inout ControllerRound) {
        let now = round.now
        let uid = job.metadata.uid ?? ""
        let namespace = job.metadata.namespace ?? ""
        var status = job.status ?? .object([:])
        let startTime = status["startTime"]?.dateValue ?? now.wholeSeconds
        status["startTime"] = startTime.json
        var pod = pods.first { !$0.isTerminating }
        if pod == nil {
            let template = job.field("spec", "template") ?? .object([:])
            let prefix = "\(job.metadata.name)-"
            if PodFactory.admissionProblem(server, namespace: namespace, template: template, podName: prefix) == nil {
                pod = PodFactory.createPod(&server, owner: job, template: template, namePrefix: prefix, now: now)
            }
        }
        status["active"] = pod.map { $0.isPodTerminal ? nil : 1 } ?? nil
        status["ready"] = .int(pod?.isPodReady == true ? 1 : 0)

        if let seconds = job.field("spec", "activeDeadlineSeconds")?.int {
            let deadline = startTime.addingTimeInterval(TimeInterval(seconds))
            if now >= deadline {
                finish(
                    job, pod: pod, status: status, failure: ("DeadlineExceeded", "Job was active longer than specified deadline"), podMessage: nil,
                    &server, now)
                return
            }
            round.wake(at: deadline)
        }
        guard let running = pod, running.podNodeName != nil else {
            server.writeStatus(.jobs, job.key, status)
            return
        }
        let scheduledAt = running.podCondition("PodScheduled")?["lastTransitionTime"]?.dateValue ?? startTime
        let endsAt = scheduledAt.addingTimeInterval(round.options.jobDuration.timeInterval)
        let backoff = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
        if let message = round.faults.jobFailure(namespace: namespace, name: job.metadata.name) {
            guard now >= endsAt else {
                round.wake(at: endsAt)
                server.writeStatus(.jobs, job.key, status)
                return
            }
            finish(job, pod: running, status: status, failure: backoff, podMessage: message, &server, now)
        } else if round.hasJobRunner {
            switch round.memory.jobOutcomes.removeValue(forKey: uid) {
            case .succeeded:
                finish(job, pod: running, status: status, failure: nil, podMessage: nil, &server, now)
            case .failed(let message):
                finish(job, pod: running, status: status, failure: backoff, podMessage: message, &server, now)
            case nil:
                if round.memory.startedJobRunners.insert(uid).inserted { round.jobsToRun.append(job) }
                server.writeStatus(.jobs, job.key, status)
            }
        } else if now >= endsAt {
            finish(job, pod: running, status: status, failure: nil, podMessage: nil, &server, now)
        } else {
            round.wake(at: endsAt)
            server.writeStatus(.jobs, job.key, status)
        }
    }

    /// Ends a Job: its pod terminates (Succeeded or Failed) and the Job gets the terminal
    /// conditions (SuccessCriteriaMet + Complete, or FailureTarget + Failed).
    private static func finish(
        _ job: KubeObject, pod: KubeObject?, status: JSONValue, failure: (reason: String, message: String)?, podMessage: String?,
        _ server: inout APIServer, _ now: Date
    ) {
        if let pod { terminate(pod, succeeded: failure == nil, message: podMessage, &server, now) }
        var status = status
        var conditions = ConditionList(status["conditions"])
        status["active"] = nil
        status["ready"] = 0
        if let failure {
            status["failed"] = 1
            conditions.set("FailureTarget", "True", reason: failure.reason, message: failure.message, now: now)
            conditions.set("Failed", "True", reason: failure.reason, message: failure.message, now: now)
        } else {
            status["succeeded"] = 1
            status["completionTime"] = now.json
            let message = "Reached expected number of succeeded pods"
            conditions.set("SuccessCriteriaMet", "True", reason: "CompletionsReached", message: message, now: now)
            conditions.set("Complete", "True", reason: "CompletionsReached", message: message, now: now)
        }
        status["conditions"] = conditions.json
        server.writeStatus(.jobs, job.key, status)
    }

    private static func terminate(_ pod: KubeObject, succeeded: Bool, message: String?, _ server: inout APIServer, _ now: Date) {
        var status = pod.status ?? .object([:])
        status["phase"] = succeeded ? "Succeeded" : "Failed"
        var conditions = ConditionList(status["conditions"])
        let reason = succeeded ? "PodCompleted" : "PodFailed"
        conditions.set("Ready", "False", reason: reason, message: nil, now: now)
        conditions.set("ContainersReady", "False", reason: reason, message: nil, now: now)
        status["conditions"] = conditions.json
        let started = pod.metadata.creationTimestamp ?? now
        var terminated: JSONValue = [
            "exitCode": succeeded ? 0 : 1, "reason": succeeded ? "Completed" : "Error", "startedAt": started.json, "finishedAt": now.json,
        ]
        terminated["message"] = message.map(JSONValue.string)
        status["containerStatuses"] = .array(
            (pod.field("spec", "containers")?.arrayValue ?? []).map { container in
                [
                    "name": container["name"] ?? "", "image": container["image"] ?? "", "ready": false, "restartCount": 0, "started": false,
                    "state": ["terminated": terminated],
                ]
            })
        server.writeStatus(.pods, pod.key, status)
    }
}

extension KubeObject {
    /// A Job with a Complete or Failed condition.
    var isFinishedJob: Bool {
        (field("status", "conditions")?.arrayValue ?? []).contains { condition in
            ["Complete", "Failed"].contains(condition["type"]?.stringValue ?? "") && condition["status"]?.stringValue == "True"
        }
    }

    /// A Job with a Failed condition.
    var isFailedJob: Bool {
        (field("status", "conditions")?.arrayValue ?? []).contains { $0["type"]?.stringValue == "Failed" && $0["status"]?.stringValue == "True" }
    }
}
