import Foundation
import KubeClient
import Logging
import RegistryModel

/// Driving the simulated controllers: by hand with `step()` (deterministic with a manual
/// clock) or live with `startControllers()`.
extension SimulatedCluster {
    /// Runs the controllers at `clock.now()` until they settle. Cheap when nothing changed and
    /// no timer (pod readiness, deadlines, schedules) is due: it then returns at once.
    public func step() async {
        runControllers()
    }

    /// Runs `step()` every `options.controllerTick` until `stopControllers()`.
    public func startControllers() {
        guard controllerTask == nil else { return }
        let tick = options.controllerTick
        controllerTask = Task { [weak self] in
            while !Task.isCancelled {
                guard let cluster = self else { return }
                await cluster.step()
                do {
                    try await Task.sleep(for: tick)
                } catch {
                    return
                }
            }
        }
    }

    /// Stops the live controller loop and waits until it has finished its last round.
    public func stopControllers() async {
        guard let task = controllerTask else { return }
        controllerTask = nil
        task.cancel()
        await task.value
    }

    /// Lets the embedder run the real work of each Job (nil returns to simulated Jobs that take
    /// `options.jobDuration`). The runner is called once per Job, off the actor, after the Job's
    /// pod is scheduled; its outcome completes the Job at once.
    public func setJobRunner(_ runner: JobRunner?) {
        jobRunner = runner
        controllerState.roundRequested = true
    }

    /// One round: passes until nothing changes, then the timers for the next round.
    func runControllers() {
        let now = clock.now()
        let timerDue = controllerState.nextWake.map { now >= $0 } ?? false
        let inputsChanged = server.store.controllerInputRevision > controllerState.settledRevision
        guard controllerState.roundRequested || timerDue || inputsChanged else { return }
        var round = ControllerRound(now: now, options: options, faults: faults, hasJobRunner: jobRunner != nil, memory: controllerState)
        round.memory.roundRequested = false
        for pass in 1...ControllerManager.maximumPasses {
            let before = server.store.revision
            round.nextWake = nil
            ControllerManager.runPass(&server, &round)
            if server.store.revision == before { break }
            if pass == ControllerManager.maximumPasses {
                logger.warning("controllers did not settle", metadata: ["passes": "\(pass)"])
            }
        }
        controllerState = round.memory
        controllerState.nextWake = round.nextWake
        controllerState.settledRevision = server.store.revision
        startJobRunners(round.jobsToRun)
        forgetDeletedObjects()
    }

    private func startJobRunners(_ jobs: [KubeObject]) {
        guard let runner = jobRunner else { return }
        for object in jobs {
            let uid = object.metadata.uid ?? ""
            let job: Job
            do {
                job = try object.decode(as: Job.self)
            } catch {
                finishJob(uid: uid, outcome: .failed(message: "the job runner cannot read the Job: \(error)"))
                continue
            }
            logger.debug("starting job runner", metadata: ["job": "\(object.metadata.qualifiedName)"])
            runningJobs[uid] = Task { [weak self] in
                let outcome = await runner(job)
                await self?.finishJob(uid: uid, outcome: outcome)
            }
        }
    }

    private func finishJob(uid: String, outcome: JobOutcome) {
        runningJobs[uid] = nil
        guard server.store.exists(uid: uid) else { return }
        controllerState.jobOutcomes[uid] = outcome
        controllerState.roundRequested = true
        runControllers()
    }

    /// Cancels runners of Jobs that were deleted and drops what the controllers remembered
    /// about deleted objects.
    private func forgetDeletedObjects() {
        for uid in controllerState.startedJobRunners where !server.store.exists(uid: uid) {
            controllerState.startedJobRunners.remove(uid)
            controllerState.jobOutcomes[uid] = nil
            runningJobs.removeValue(forKey: uid)?.cancel()
        }
        controllerState.templateHashes = controllerState.templateHashes.filter { server.store.exists(uid: $0.key) }
    }
}
