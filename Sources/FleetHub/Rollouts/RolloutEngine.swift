import FleetStore
import Foundation
import Logging
import RegistryModel

/// Runs rollouts: starts waves, watches each cluster's health, fails and rolls back, and
/// persists every step so that a hub killed mid-rollout resumes where it was.
///
/// All decisions happen in `tick()`, one at a time (the actor), from the stored rollout and the
/// latest reports of the clusters it waits on; `run()` calls it every second, and creating a
/// rollout schedules one at once (the request itself writes no policy). A wave's policies are
/// written in one store transaction with the same rows as an admin's change (`putPolicies`), so
/// agents get them by long poll and the audit log names the rollout as the actor. Writing the same policy twice does not move
/// the generation, so a step interrupted between "mark applying" and "saved" is safe to repeat.
///
/// Of several hub replicas on one database exactly one runs the engine: every tick first takes or
/// renews a lease in the database (`rolloutLeaseDuration`), and a replica without it does
/// nothing. When the holder dies its lease expires and the next replica to tick takes over,
/// resuming each rollout from its stored state. Every save is a compare-and-swap on the state
/// the tick read, so a step decided on stale state (an admin paused the rollout on another
/// replica meanwhile) is dropped and decided again on the next tick.
public actor RolloutEngine {
    let services: HubServices
    let logger: Logger
    /// The lease's name in the store.
    static let leaseName = "rollout-engine"
    /// Whether the last tick held the lease, to log when leadership changes hands.
    private var leading = false
    /// The last queued operation; each operation waits for it, so a tick and an admin action
    /// never interleave at their suspension points (actor methods are re-entrant).
    private var tail: Task<Void, Never>?

    public init(services: HubServices) {
        self.services = services
        logger = services.logger
    }

    /// Ticks every `interval` until cancelled.
    public func run(interval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            do {
                try await tick()
            } catch {
                logger.warning("rollout tick failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Runs `body` after every operation queued before it.
    func serialized<T: Sendable>(_ body: @escaping @Sendable (isolated RolloutEngine) async throws -> T) async throws -> T {
        let previous = tail
        let task = Task { () async throws -> T in
            await previous?.value
            return try await body(self)
        }
        tail = Task { _ = try? await task.value }
        return try await task.value
    }

    /// Advances every active rollout by what its clusters' health allows now.
    public func tick() async throws {
        try await serialized { engine in try await engine.advanceAll() }
    }

    /// Starts a tick now, without waiting for it (after a rollout is created, so its first wave
    /// does not wait for the next second). Queued like any operation; a failure is logged.
    nonisolated func scheduleTick() {
        Task { [self] in
            do {
                try await tick()
            } catch {
                logger.warning("rollout tick failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Gives the lease up (a clean stop), so another replica takes over at once.
    public func resign() async {
        guard leading else { return }
        leading = false
        do {
            try await services.store.releaseLease(Self.leaseName, holder: services.configuration.replicaID)
            logger.info("rollout engine lease released", metadata: ["replica": "\(services.configuration.replicaID)"])
        } catch {
            logger.warning("releasing the rollout engine lease failed", metadata: ["error": "\(error)"])
        }
    }

    /// Takes or renews the lease; false when another replica holds it.
    private func holdLease() async throws -> Bool {
        let replica = services.configuration.replicaID
        let held = try await storeCall { () async throws(StoreError) in
            try await services.store.acquireLease(Self.leaseName, holder: replica, duration: services.configuration.rolloutLeaseDuration)
        }
        if held != leading {
            logger.notice(held ? "this replica now runs the rollout engine" : "another replica runs the rollout engine", metadata: ["replica": "\(replica)"])
            leading = held
        }
        return held
    }

    func advanceAll() async throws {
        guard try await holdLease() else { return }
        let active = try await storeCall { () async throws(StoreError) in try await services.store.rollouts(activeOnly: true, limit: 1000) }
        guard !active.isEmpty else { return }
        let summaries = try await services.clusterSummaries(named: Self.awaitedClusters(active))
        for rollout in active {
            try await advance(rollout, summaries: summaries)
        }
    }

    /// The clusters whose health a tick judges: those applying or soaking in an active rollout
    /// (the evaluator ignores every other state). Only these are read, so a tick costs what is
    /// in flight, not the whole fleet.
    static func awaitedClusters(_ rollouts: [Rollout]) -> Set<String> {
        var names: Set<String> = []
        for rollout in rollouts where rollout.phase != .rollingBack {
            for cluster in rollout.clusters where [.applying, .soaking].contains(cluster.state) && cluster.targetGeneration != nil {
                names.insert(cluster.name)
            }
        }
        return names
    }

    private func advance(_ original: Rollout, summaries: [String: ClusterSummary]) async throws {
        do {
            try await advanceStep(original, summaries: summaries)
        } catch let stale as StaleRollout {
            logger.info("rollout changed while a step was decided; deciding again next tick", metadata: ["rollout": "\(stale.id)"])
        }
    }

    private func advanceStep(_ original: Rollout, summaries: [String: ClusterSummary]) async throws {
        var stored = original
        var rollout = original
        let now = services.clock.now()
        if rollout.phase == .rollingBack {
            try await rollBack(&rollout, stored: &stored)
            return
        }
        for index in rollout.clusters.indices {
            rollout.clusters[index] = RolloutEvaluator.evaluate(
                rollout.clusters[index], summary: summaries[rollout.clusters[index].name], strategy: rollout.plan.strategy, now: now)
        }
        if let reason = RolloutEvaluator.failureReason(rollout) {
            rollout.message = reason
            logger.warning("rollout failed", metadata: ["rollout": "\(rollout.id)", "reason": "\(reason)"])
            if rollout.plan.strategy.autoRollback {
                rollout.phase = .rollingBack
                try await save(&rollout, over: &stored)
                try await rollBack(&rollout, stored: &stored)
            } else {
                rollout.phase = .failed
                try await save(&rollout, over: &stored)
            }
            return
        }
        guard let wave = rollout.currentWave else {
            rollout.phase = .succeeded
            rollout.message = "every wave succeeded (\(rollout.failures) failure(s) allowed and seen)"
            logger.info("rollout succeeded", metadata: ["rollout": "\(rollout.id)"])
            try await save(&rollout, over: &stored)
            return
        }
        if rollout.phase == .progressing {
            try await start(wave: wave, of: &rollout, stored: &stored)
        }
        if rollout != stored { try await save(&rollout, over: &stored) }
    }

    /// Writes the change to every pending cluster of a wave. The wave's clusters are marked
    /// applying and saved before their policies are written — all in one store transaction — and
    /// saved again with the generations afterwards. A hub killed in between writes the same
    /// policies again on restart, which moves no generation.
    private func start(wave: Int, of rollout: inout Rollout, stored: inout Rollout) async throws {
        let pending = rollout.clusters.indices.filter { rollout.clusters[$0].wave == wave && rollout.clusters[$0].state == .pending }
        let unsaved = rollout.clusters.indices.filter { rollout.clusters[$0].wave == wave && rollout.clusters[$0].state == .applying && rollout.clusters[$0].targetGeneration == nil }
        guard !pending.isEmpty || !unsaved.isEmpty else { return }
        let now = services.clock.now()
        let names = pending.map { rollout.clusters[$0].name }
        let policies = try await storeCall { () async throws(StoreError) in try await services.store.policies(clusters: names) }
        for index in pending {
            let name = rollout.clusters[index].name
            do {
                guard let current = policies[name] else { throw HubError(.notFound, "cluster \"\(name)\" does not exist") }
                rollout.clusters[index].previousPolicy = current.policy
                rollout.clusters[index].targetPolicy = try RolloutPlanner.target(current: current.policy, plan: rollout.plan, cluster: name)
                rollout.clusters[index].state = .applying
                rollout.clusters[index].appliedAt = now
                rollout.clusters[index].message = "applying"
            } catch {
                rollout.clusters[index].state = .failed
                rollout.clusters[index].finishedAt = now
                rollout.clusters[index].message = "cannot read the policy: \(error)"
            }
        }
        logger.info("rollout wave started", metadata: ["rollout": "\(rollout.id)", "wave": "\(rollout.waves[wave])", "clusters": "\(pending.count)"])
        try await save(&rollout, over: &stored)
        let writing = (pending + unsaved).filter { rollout.clusters[$0].state == .applying && rollout.clusters[$0].targetPolicy != nil }
        let changes = writing.compactMap { index in rollout.clusters[index].targetPolicy.map { (cluster: rollout.clusters[index].name, policy: $0) } }
        let results = try await services.putPolicies(changes, actor: "rollout/\(rollout.id)")
        for index in writing {
            switch results[rollout.clusters[index].name] {
            case .success(let update)?:
                rollout.clusters[index].targetGeneration = update.document.generation
            case .failure(let error)?:
                rollout.clusters[index].state = .failed
                rollout.clusters[index].finishedAt = now
                rollout.clusters[index].message = "cannot write the policy: \(error)"
            case nil:
                rollout.clusters[index].state = .failed
                rollout.clusters[index].finishedAt = now
                rollout.clusters[index].message = "cannot write the policy"
            }
        }
    }

    /// Restores the previous policy on every cluster the rollout changed, in one store
    /// transaction, then saves the rollout once. Restoring is idempotent (the same policy moves
    /// no generation), so a hub killed mid-way simply restores again. A cluster deleted since is
    /// done; any other failure leaves the rollout rolling back and the next tick retries.
    private func rollBack(_ rollout: inout Rollout, stored: inout Rollout) async throws {
        let touched = rollout.clusters.indices.filter {
            [.applying, .soaking, .succeeded, .failed, .aborted].contains(rollout.clusters[$0].state) && rollout.clusters[$0].previousPolicy != nil
        }
        let changes = touched.compactMap { index in rollout.clusters[index].previousPolicy.map { (cluster: rollout.clusters[index].name, policy: $0) } }
        let results = try await services.putPolicies(changes, actor: "rollout/\(rollout.id)")
        var firstError: HubError?
        for index in touched {
            let cluster = rollout.clusters[index]
            switch results[cluster.name] {
            case .success?:
                rollout.clusters[index].state = .rolledBack
                rollout.clusters[index].message = "previous policy restored" + (cluster.message.map { " (was: \($0))" } ?? "")
            case .failure(let error)? where error.code == .notFound:
                rollout.clusters[index].state = .rolledBack
                rollout.clusters[index].message = "the cluster was deleted"
            case .failure(let error)?:
                firstError = firstError ?? error
            case nil:
                firstError = firstError ?? HubError(.internalError, "no result restoring \(cluster.name)")
            }
        }
        if let firstError {
            try await save(&rollout, over: &stored)
            throw firstError
        }
        rollout.phase = .rolledBack
        logger.info("rollout rolled back", metadata: ["rollout": "\(rollout.id)"])
        try await save(&rollout, over: &stored)
    }

    /// Saves `rollout` if the stored state is still `stored` (what this tick read or last saved),
    /// then makes it the new `stored`; throws `StaleRollout` when someone saved in between.
    private func save(_ rollout: inout Rollout, over stored: inout Rollout) async throws {
        rollout.updatedAt = services.clock.now()
        let snapshot = rollout
        let previous = stored
        let saved = try await storeCall { () async throws(StoreError) in try await services.store.saveRollout(snapshot, replacing: previous) }
        guard let saved else { throw StaleRollout(id: rollout.id) }
        stored = saved
        rollout = saved
    }
}

/// A rollout whose stored state changed while the engine decided its next step.
struct StaleRollout: Error {
    var id: String
}
