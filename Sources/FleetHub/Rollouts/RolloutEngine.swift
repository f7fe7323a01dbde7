import FleetModel
import FleetStore
import Foundation
import Logging
import RegistryModel

/// Runs rollouts: starts waves, watches each cluster's health, fails and rolls back, and
/// persists every step so that a hub killed mid-rollout resumes where it was.
///
/// Every decision is `RolloutStateMachine`'s, a pure function; the engine only reads what it asks
/// for, saves what it decides and carries out its effects. Ticks run one at a time (the actor),
/// from the stored rollout and the latest reports of the clusters it waits on; `run()` calls it every second, and creating a
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
    /// The fleet policy controller's bookkeeping: the change count it last looked at, and when it looks
    /// again regardless.
    var fleetPolicyChangesSeen = -1
    var nextFleetPolicyResync = Date.distantPast

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
        do {
            try await reconcileFleetPolicies(now: services.clock.now())
        } catch {
            // Rollouts in flight still advance; the controller tries again at its next resync.
            logger.warning("fleet policy check failed", metadata: ["error": "\(error)"])
        }
        let active = try await storeCall { () async throws(StoreError) in try await services.store.rollouts(activeOnly: true, limit: 1000) }
        guard !active.isEmpty else { return }
        let inFlight = active.reduce(into: Set<String>()) { $0.formUnion(RolloutStateMachine.reads($1)) }
        let summaries = try await services.clusterSummaries(named: inFlight)
        for rollout in active {
            try await advance(rollout, snapshot: RolloutStateMachine.Snapshot(summaries: summaries))
        }
    }

    private func advance(_ original: Rollout, snapshot: RolloutStateMachine.Snapshot) async throws {
        do {
            try await advanceStep(original, snapshot: snapshot)
        } catch let stale as StaleRollout {
            logger.info("rollout changed while a step was decided; deciding again next tick", metadata: ["rollout": "\(stale.id)"])
        }
    }

    /// Decides the step (RolloutStateMachine), saves it, then carries out its effects, saving after each: a
    /// wave's clusters are marked applying and saved before their policies are written in one store
    /// transaction, and saved again with the generations. A hub killed in between writes the same policies
    /// again on restart, which moves no generation.
    private func advanceStep(_ original: Rollout, snapshot: RolloutStateMachine.Snapshot) async throws {
        let now = services.clock.now()
        var stored = original
        var (decided, effects) = RolloutStateMachine.step(original, snapshot: snapshot, now: now)
        if case .readPolicies(let names)? = effects.first {
            let policies = try await storeCall { () async throws(StoreError) in try await services.store.policies(clusters: names) }
            var withPolicies = snapshot
            withPolicies.policies = policies
            withPolicies.policiesRead = Set(names)
            withPolicies.layers = try await storeCall { () async throws(StoreError) in try await services.store.fleetLayers(clusters: names) }
            withPolicies.gates = try await services.changeGates(names, now: now)
            (decided, effects) = RolloutStateMachine.step(original, snapshot: withPolicies, now: now)
        }
        var rollout = decided
        logTransition(from: original, to: rollout)
        if rollout != stored { try await save(&rollout, over: &stored) }
        for effect in effects {
            let before = rollout
            switch effect {
            case .readPolicies:
                continue
            case .writeTargets(let names):
                let outcomes = try await write(names, of: rollout, \.targetPolicy, layer: \.targetLayer)
                rollout = RolloutStateMachine.policiesWritten(rollout, outcomes, now: now)
            case .restorePrevious(let names):
                let outcomes = try await write(names, of: rollout, \.previousPolicy, layer: \.previousLayer)
                rollout = RolloutStateMachine.policiesRestored(rollout, outcomes, now: now)
            }
            logTransition(from: before, to: rollout)
            try await save(&rollout, over: &stored)
        }
    }

    /// Writes the policy at `policy` (with the fleet layer at `layer`, for a fleet policy's rollout) of each
    /// named cluster in one store transaction, as the rollout's actor.
    private func write(
        _ names: [String], of rollout: Rollout, _ policy: KeyPath<RolloutCluster, FleetPolicy?>, layer: KeyPath<RolloutCluster, FleetLayer?>
    ) async throws -> [String: RolloutStateMachine.WriteOutcome] {
        let byName = Dictionary(rollout.clusters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let changes = names.compactMap { name in
            byName[name].flatMap { cluster in
                cluster[keyPath: policy].map { PolicyWrite(cluster: name, policy: $0, fleetLayer: cluster[keyPath: layer]) }
            }
        }
        let results = try await services.putPolicies(changes, actor: "rollout/\(rollout.id)")
        var outcomes: [String: RolloutStateMachine.WriteOutcome] = [:]
        for cluster in changes.map(\.cluster) {
            switch results[cluster] {
            case .success(let update)?: outcomes[cluster] = .written(generation: update.document.generation)
            case .failure(let error)? where error.code == .notFound: outcomes[cluster] = .deleted
            case .failure(let error)?: outcomes[cluster] = .failed(error.message)
            case nil: outcomes[cluster] = .failed("no result for the write")
            }
        }
        return outcomes
    }

    /// Logs phase changes and wave starts.
    private func logTransition(from before: Rollout, to after: Rollout) {
        let metadata: Logger.Metadata = ["rollout": "\(after.id)"]
        if before.phase != after.phase {
            switch after.phase {
            case .failed, .rollingBack: logger.warning("rollout \(after.phase.rawValue)", metadata: metadata.merging(["reason": "\(after.message ?? "")"]) { $1 })
            default: logger.info("rollout \(after.phase.rawValue)", metadata: metadata)
            }
        }
        let started = after.clusters.indices.filter { before.clusters[$0].state == .pending && after.clusters[$0].state == .applying }
        if let first = started.first {
            logger.info("rollout wave started", metadata: metadata.merging(["wave": "\(after.waves[after.clusters[first].wave])", "clusters": "\(started.count)"]) { $1 })
        }
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
