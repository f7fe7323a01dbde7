import Foundation
import KubeClient
import RegistryModel

/// What the simulated controllers remember between rounds: caches and bookkeeping, never
/// cluster state (that lives in the API server, so controllers stay level-based).
struct ControllerState: Sendable {
    /// The store revision after the last settled round; a newer controller input means a new round.
    var settledRevision: UInt64 = 0
    /// Set when something outside the store changed (a fault, a job runner's outcome).
    var roundRequested = true
    /// The earliest time a timer (readiness, deadline, schedule) fires.
    var nextWake: Date?
    /// Pod template hashes by owner uid, valid for one generation.
    var templateHashes: [String: (generation: Int64, hash: String)] = [:]
    /// Parsed cron schedules by expression.
    var schedules: [String: CronSchedule] = [:]
    /// Jobs whose runner has been started, by uid.
    var startedJobRunners: Set<String> = []
    /// Outcomes reported by job runners, by Job uid, until the Job controller applies them.
    var jobOutcomes: [String: JobOutcome] = [:]
}

/// One controller round: the time it runs at, the inputs from outside the store, the memory it
/// may update, and the timers and job runs it asks for.
struct ControllerRound: Sendable {
    /// The time every controller in the round acts at.
    let now: Date
    /// Delays and durations of the simulation.
    let options: SimulationOptions
    /// The faults in force for this round.
    let faults: FaultInjection
    /// True when an embedder's job runner decides how Jobs end.
    let hasJobRunner: Bool
    /// Caches and bookkeeping carried to the next round.
    var memory: ControllerState
    /// The earliest future time some controller must run again.
    var nextWake: Date?
    /// Jobs whose runner should start after this round.
    var jobsToRun: [KubeObject] = []

    /// A round at `now` that starts from `memory`.
    init(now: Date, options: SimulationOptions, faults: FaultInjection, hasJobRunner: Bool, memory: ControllerState) {
        self.now = now
        self.options = options
        self.faults = faults
        self.hasJobRunner = hasJobRunner
        self.memory = memory
    }

    /// Asks for another round at `date` (ignored when it is not in the future).
    mutating func wake(at date: Date) {
        guard date > now else { return }
        nextWake = min(nextWake ?? date, date)
    }

    /// The pod template hash of a workload, as the `pod-template-hash` label carries it.
    mutating func templateHash(of owner: KubeObject) -> String {
        let uid = owner.metadata.uid ?? owner.metadata.name
        if let cached = memory.templateHashes[uid], cached.generation == owner.generation { return cached.hash }
        let template = owner.field("spec", "template") ?? .null
        let bytes = (try? JSONCoding.encode(template)) ?? Data()
        let hash = FNV1a.safeEncoded(FNV1a.hash32(bytes))
        memory.templateHashes[uid] = (owner.generation, hash)
        return hash
    }

    /// A parsed schedule, cached by expression; nil when it does not parse.
    mutating func schedule(_ expression: String) -> CronSchedule? {
        if let cached = memory.schedules[expression] { return cached }
        guard let parsed = try? CronSchedule(expression) else { return nil }
        memory.schedules[expression] = parsed
        return parsed
    }
}
