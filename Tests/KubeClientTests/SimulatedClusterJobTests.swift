import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Synchronization
import Testing

/// Pins the simulated Job and CronJob controllers, the job runner hook and injected job failures.
@Suite struct SimulatedClusterJobTests {
    private static let everyFiveMinutes = try! CronSchedule("*/5 * * * *")

    /// Moves the clock to the next five-minute boundary and runs the controllers.
    private func advanceToNextRun(_ cluster: SimulatedCluster, _ clock: ManualWallClock) async -> Date {
        let next = Self.everyFiveMinutes.next(after: clock.now())!
        clock.set(next)
        await cluster.step()
        return next
    }

    /// A CronJob creates `<name>-<unix minutes>` on schedule, owned by it, and records the run.
    @Test func cronJobCreatesJobsOnSchedule() async throws {
        let (cluster, clock) = Fixture.cluster()
        _ = try await cluster.create(.cronJobs, Fixture.cronJob("image-pruner"))
        await cluster.step()
        #expect(await cluster.objectCount(.jobs) == 0)

        let due = await advanceToNextRun(cluster, clock)
        let jobs = try await cluster.list(Job.self, namespace: "default")
        #expect(jobs.map(\.metadata.name) == ["image-pruner-\(Int(due.timeIntervalSince1970 / 60))"])
        let cronJob = try #require(try await cluster.stored(CronJob.self, namespace: "default", name: "image-pruner"))
        #expect(jobs.first?.metadata.ownerReferences?.first?.uid == cronJob.metadata.uid)
        #expect(jobs.first?.spec.template.metadata?.labels?["created-by"] == "image-pruner")
        #expect(cronJob.status?.lastScheduleTime == due)
        #expect(cronJob.status?.active?.map(\.name) == jobs.map(\.metadata.name))

        clock.advance(by: 1)
        await cluster.step()
        let finished = try #require(try await cluster.list(Job.self, namespace: "default").first)
        #expect(finished.status?.succeeded == 1)
        #expect(finished.status?.conditions?.status("Complete") == .true)
        #expect(finished.status?.completionTime == clock.now())
        #expect(try await cluster.pods().first?.status?.phase == "Succeeded")
        let after = try #require(try await cluster.stored(CronJob.self, namespace: "default", name: "image-pruner"))
        #expect(after.status?.active == nil)
        #expect(after.status?.lastSuccessfulTime == clock.now())
    }

    /// With a Job still running, Forbid skips the next run, Allow starts another, Replace swaps it.
    @Test(arguments: [("Forbid", 1, false), ("Allow", 2, false), ("Replace", 1, true)])
    func concurrencyPolicy(_ policy: String, _ expectedJobs: Int, _ replaced: Bool) async throws {
        let (cluster, clock) = Fixture.cluster()
        for node in ["node-1", "node-2", "node-3"] { try await cluster.setNodeReady(node, false) }
        _ = try await cluster.create(.cronJobs, Fixture.cronJob("pruner", concurrencyPolicy: policy))
        let first = await advanceToNextRun(cluster, clock)
        let second = await advanceToNextRun(cluster, clock)
        let names = try await cluster.list(Job.self, namespace: "default").map(\.metadata.name)
        #expect(names.count == expectedJobs, "\(policy): \(names)")
        let secondName = "pruner-\(Int(second.timeIntervalSince1970 / 60))"
        let firstName = "pruner-\(Int(first.timeIntervalSince1970 / 60))"
        #expect(names.contains(firstName) == !replaced)
        #expect(names.contains(secondName) == (policy != "Forbid"))
        let status = try #require(try await cluster.stored(CronJob.self, namespace: "default", name: "pruner")?.status)
        #expect(status.lastScheduleTime == (policy == "Forbid" ? first : second))
    }

    /// Finished Jobs beyond the history limits are deleted, oldest first.
    @Test func historyLimitsKeepNewestJobs() async throws {
        let (cluster, clock) = Fixture.cluster()
        _ = try await cluster.create(.cronJobs, Fixture.cronJob("pruner", successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1))
        var runs: [Date] = []
        for _ in 0..<4 {
            runs.append(await advanceToNextRun(cluster, clock))
            clock.advance(by: 1)
            await cluster.step()
        }
        await cluster.step()
        let kept = try await cluster.list(Job.self, namespace: "default").map(\.metadata.name)
        #expect(kept == runs.suffix(2).map { "pruner-\(Int($0.timeIntervalSince1970 / 60))" })

        await cluster.injectJobFailure(namespace: "default", namePrefix: "pruner-")
        for _ in 0..<2 {
            runs.append(await advanceToNextRun(cluster, clock))
            clock.advance(by: 1)
            await cluster.step()
        }
        let jobs = try await cluster.list(Job.self, namespace: "default")
        #expect(jobs.filter(\.hasFailed).map(\.metadata.name) == ["pruner-\(Int(runs.last!.timeIntervalSince1970 / 60))"])
        #expect(jobs.filter { !$0.hasFailed }.count == 2)
        #expect(await cluster.objectCount(.pods) == 3)
    }

    /// A run missed by more than `startingDeadlineSeconds` is skipped; the next one starts.
    @Test func startingDeadlineSkipsLateRuns() async throws {
        let (cluster, clock) = Fixture.cluster()
        var cronJob = Fixture.cronJob("pruner")
        cronJob.spec?["startingDeadlineSeconds"] = 60
        _ = try await cluster.create(.cronJobs, cronJob)
        await cluster.step()
        let missed = Self.everyFiveMinutes.next(after: clock.now())!
        clock.set(missed.addingTimeInterval(120))
        await cluster.step()
        #expect(await cluster.objectCount(.jobs) == 0)
        let next = await advanceToNextRun(cluster, clock)
        let names = try await cluster.list(Job.self, namespace: "default").map(\.metadata.name)
        #expect(names == ["pruner-\(Int(next.timeIntervalSince1970 / 60))"])
    }

    /// A suspended CronJob starts nothing.
    @Test func suspendedCronJobStartsNothing() async throws {
        let (cluster, clock) = Fixture.cluster()
        var cronJob = Fixture.cronJob("pruner")
        cronJob.spec?["suspend"] = true
        _ = try await cluster.create(.cronJobs, cronJob)
        _ = await advanceToNextRun(cluster, clock)
        #expect(await cluster.objectCount(.jobs) == 0)
    }

    /// An injected failure fails the Job with BackoffLimitExceeded and its pod with phase Failed.
    @Test func injectedJobFailure() async throws {
        let (cluster, clock) = Fixture.cluster()
        await cluster.injectJobFailure(namespace: "default", namePrefix: "once", message: "registry unreachable")
        _ = try await cluster.create(.jobs, Fixture.job("once"))
        await cluster.step()
        #expect(try await cluster.stored(Job.self, namespace: "default", name: "once")?.status?.active == 1)
        clock.advance(by: 1)
        await cluster.step()
        let job = try #require(try await cluster.stored(Job.self, namespace: "default", name: "once"))
        let failed = try #require(job.status?.conditions?[type: "Failed"])
        #expect(failed.status == .true)
        #expect(failed.reason == "BackoffLimitExceeded")
        #expect(job.status?.failed == 1)
        #expect(job.status?.active == nil)
        let pod = try #require(try await cluster.pods().first)
        #expect(pod.status?.phase == "Failed")
        #expect(pod.status?.containerStatuses?.first?.state?["terminated"]?["message"] == "registry unreachable")
    }

    /// The job runner is called once per Job with the Job, and its outcome completes the Job.
    @Test func jobRunnerDecidesOutcome() async throws {
        let (cluster, _) = Fixture.cluster()
        let calls = Mutex<[String]>([])
        await cluster.setJobRunner { job in
            calls.withLock { $0.append(job.metadata.name) }
            return job.metadata.name == "good" ? .succeeded : .failed(message: "prune failed: 3 errors")
        }
        _ = try await cluster.create(.jobs, Fixture.job("good"))
        _ = try await cluster.create(.jobs, Fixture.job("bad"))
        await cluster.step()
        try await waitUntil("both jobs finished") {
            let jobs = try await cluster.list(Job.self, namespace: "default")
            return jobs.count == 2 && jobs.allSatisfy { $0.isFinished }
        }
        await cluster.step()
        await cluster.step()
        #expect(calls.withLock { $0.sorted() } == ["bad", "good"])
        #expect(try await cluster.get(Job.self, namespace: "default", name: "good").status?.succeeded == 1)
        let bad = try await cluster.get(Job.self, namespace: "default", name: "bad")
        #expect(bad.hasFailed)
        let badPod = try #require(try await cluster.pods().first { $0.metadata.labels?["job-name"] == "bad" })
        #expect(badPod.status?.containerStatuses?.first?.state?["terminated"]?["message"] == "prune failed: 3 errors")
    }

    /// Without a schedulable node a Job's runner is never called.
    @Test func jobRunnerWaitsForScheduling() async throws {
        let (cluster, _) = Fixture.cluster(options: SimulationOptions(nodeCount: 1, seed: 3))
        try await cluster.setNodeReady("node-1", false)
        let calls = Mutex(0)
        await cluster.setJobRunner { _ in
            calls.withLock { $0 += 1 }
            return .succeeded
        }
        _ = try await cluster.create(.jobs, Fixture.job("once"))
        await cluster.step()
        #expect(calls.withLock { $0 } == 0)
        try await cluster.setNodeReady("node-1", true)
        await cluster.step()
        try await waitUntil("job finished") { try await cluster.get(Job.self, namespace: "default", name: "once").isFinished }
        #expect(calls.withLock { $0 } == 1)
    }
}
