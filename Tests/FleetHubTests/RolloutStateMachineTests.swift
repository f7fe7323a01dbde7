import FleetHub
import FleetModel
import Foundation
import RegistryModel
import Testing

/// Every transition of a rollout, decided by the pure `RolloutStateMachine` from a stored rollout, a fleet
/// snapshot and a time: no store, no clock, no network.
@Suite struct RolloutStateMachineTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let change = FleetPolicy(registry: RegistryPolicy(replicas: 3))

    /// A rollout over `names` in waves of `perWave` after a one-cluster canary, every cluster pending.
    static func rollout(
        _ names: [String] = ["a", "b", "c"], perWave: Int = 2, canary: Bool = true, soak: Int = 10, deadline: Int = 60,
        maxFailures: CountOrPercent = .count(0), autoRollback: Bool = true
    ) -> Rollout {
        let plan = RolloutPlan(
            name: "r", selector: RolloutPlan.allClusters, change: change,
            strategy: RolloutStrategy(
                canary: canary ? CanarySpec(count: 1) : nil, maxConcurrency: .count(perWave), soakSeconds: soak, progressDeadlineSeconds: deadline,
                maxFailures: maxFailures, autoRollback: autoRollback))
        var waves: [String] = []
        var members: [RolloutCluster] = []
        var rest = names[...]
        if canary, let first = rest.popFirst() {
            waves.append("canary")
            members.append(RolloutCluster(name: first, wave: 0))
        }
        while !rest.isEmpty {
            let chunk = rest.prefix(perWave)
            rest = rest.dropFirst(perWave)
            members += chunk.map { RolloutCluster(name: $0, wave: waves.count) }
            waves.append("wave-\(waves.count + (canary ? 0 : 1))")
        }
        return Rollout(id: "ro-1", name: "r", createdBy: "admin/t", createdAt: t0, plan: plan, phase: .progressing, waves: waves, clusters: members)
    }

    static func summary(_ name: String, _ state: ClusterState, observed: Int64?) -> ClusterSummary {
        ClusterSummary(
            name: name, labels: [:], enrolledAt: t0, health: ClusterHealth(state: state, reason: state.rawValue, message: "m"), desiredGeneration: 1,
            observedGeneration: observed, managementState: .managed, lastReportAt: t0, agentVersion: "t")
    }

    static func policies(_ names: [String]) -> [String: PolicyDocument] {
        Dictionary(uniqueKeysWithValues: names.map { ($0, PolicyDocument(cluster: $0, generation: 1, policy: FleetPolicy(registry: RegistryPolicy(replicas: 1)))) })
    }

    /// Steps once, reading policies when asked, and applies a successful write of every target (generation 2).
    static func stepAndWrite(_ rollout: Rollout, health: [String: ClusterSummary] = [:], now: Date) -> (Rollout, [RolloutStateMachine.Effect]) {
        var (next, effects) = RolloutStateMachine.step(rollout, snapshot: .init(summaries: health), now: now)
        if case .readPolicies(let names)? = effects.first {
            (next, effects) = RolloutStateMachine.step(rollout, snapshot: .init(summaries: health, policies: policies(names)), now: now)
        }
        for case .writeTargets(let names) in effects {
            next = RolloutStateMachine.policiesWritten(next, Dictionary(uniqueKeysWithValues: names.map { ($0, .written(generation: 2)) }), now: now)
        }
        return (next, effects)
    }

    static func states(_ rollout: Rollout) -> [String: RolloutClusterState] {
        Dictionary(uniqueKeysWithValues: rollout.clusters.map { ($0.name, $0.state) })
    }

    /// The canary starts alone: the step first asks for its policy, then marks it Applying with the target and
    /// asks for the write; the other waves stay Pending.
    @Test func canaryStartsAlone() {
        let rollout = Self.rollout()
        let (first, asked) = RolloutStateMachine.step(rollout, snapshot: .init(), now: Self.t0)
        #expect(asked == [.readPolicies(["a"])])
        #expect(first == rollout, "nothing decided before the policies are read")
        let (started, effects) = RolloutStateMachine.step(rollout, snapshot: .init(policies: Self.policies(["a"])), now: Self.t0)
        #expect(effects == [.writeTargets(["a"])])
        #expect(Self.states(started) == ["a": .applying, "b": .pending, "c": .pending])
        #expect(started.clusters[0].targetPolicy?.registry?.replicas == 3)
        #expect(started.clusters[0].previousPolicy?.registry?.replicas == 1)
        #expect(started.clusters[0].targetGeneration == nil, "the generation comes from the write")
        let written = RolloutStateMachine.policiesWritten(started, ["a": .written(generation: 2)], now: Self.t0)
        #expect(written.clusters[0].targetGeneration == 2)
    }

    struct HealthCase: Sendable, CustomTestStringConvertible {
        let label: String
        let state: ClusterState
        let observed: Int64?
        let after: TimeInterval
        let expected: RolloutClusterState
        var testDescription: String { label }
    }

    /// How the canary's health decides its state at a given time after its write.
    @Test(arguments: [
        HealthCase(label: "healthy on the old generation waits", state: .healthy, observed: 1, after: 5, expected: .applying),
        HealthCase(label: "healthy on the new generation soaks", state: .healthy, observed: 2, after: 5, expected: .soaking),
        HealthCase(label: "progressing waits", state: .progressing, observed: 2, after: 5, expected: .applying),
        HealthCase(label: "degraded on the new generation fails", state: .degraded, observed: 2, after: 5, expected: .failed),
        HealthCase(label: "degraded on the old generation waits", state: .degraded, observed: 1, after: 5, expected: .applying),
        HealthCase(label: "offline waits within the deadline", state: .offline, observed: 1, after: 30, expected: .applying),
        HealthCase(label: "offline past the deadline fails", state: .offline, observed: 1, after: 61, expected: .failed),
        HealthCase(label: "unreachable past the deadline fails", state: .unreachable, observed: 2, after: 61, expected: .failed),
        HealthCase(label: "a newer generation (a forced edit) counts as applied", state: .healthy, observed: 5, after: 5, expected: .soaking),
    ])
    func canaryHealth(_ testCase: HealthCase) {
        let (started, _) = Self.stepAndWrite(Self.rollout(autoRollback: false), now: Self.t0)
        let health = ["a": Self.summary("a", testCase.state, observed: testCase.observed)]
        let (judged, _) = RolloutStateMachine.step(started, snapshot: .init(summaries: health), now: Self.t0.addingTimeInterval(testCase.after))
        #expect(judged.clusters[0].state == testCase.expected, "\(judged.clusters[0].message ?? "")")
        if testCase.expected == .failed { #expect(judged.phase == .failed && judged.message?.contains("canary failed") == true) }
    }

    /// A cluster deleted from the hub while in flight fails (it can never confirm).
    @Test func deletedClusterFails() {
        let (started, _) = Self.stepAndWrite(Self.rollout(autoRollback: false), now: Self.t0)
        let (judged, _) = RolloutStateMachine.step(started, snapshot: .init(), now: Self.t0.addingTimeInterval(1))
        #expect(judged.clusters[0].state == .failed)
        #expect(judged.clusters[0].message?.contains("deleted") == true)
    }

    /// Soaked canary → wave-1 starts; soaked wave-1 → the rollout succeeds. Soak time counts from the first
    /// healthy report on the new generation.
    @Test func wavesFollowTheSoak() {
        var (rollout, _) = Self.stepAndWrite(Self.rollout(["a", "b", "c"], perWave: 2), now: Self.t0)
        let healthyA = ["a": Self.summary("a", .healthy, observed: 2)]
        (rollout, _) = Self.stepAndWrite(rollout, health: healthyA, now: Self.t0.addingTimeInterval(1))
        #expect(Self.states(rollout)["a"] == .soaking)
        (rollout, _) = Self.stepAndWrite(rollout, health: healthyA, now: Self.t0.addingTimeInterval(10))
        #expect(Self.states(rollout)["a"] == .soaking, "9 s of a 10 s soak")
        var effects: [RolloutStateMachine.Effect]
        (rollout, effects) = Self.stepAndWrite(rollout, health: healthyA, now: Self.t0.addingTimeInterval(11))
        #expect(Self.states(rollout) == ["a": .succeeded, "b": .applying, "c": .applying])
        #expect(effects == [.writeTargets(["b", "c"])])
        let healthyAll = ["b": Self.summary("b", .healthy, observed: 2), "c": Self.summary("c", .healthy, observed: 2)]
        (rollout, _) = Self.stepAndWrite(rollout, health: healthyAll, now: Self.t0.addingTimeInterval(12))
        (rollout, _) = Self.stepAndWrite(rollout, health: healthyAll, now: Self.t0.addingTimeInterval(30))
        #expect(rollout.phase == .succeeded)
        #expect(rollout.clusters.allSatisfy { $0.state == .succeeded })
    }

    struct FailureBudget: Sendable, CustomTestStringConvertible {
        let budget: CountOrPercent
        let failing: Int
        let expected: RolloutPhase
        var testDescription: String { "\(failing) failing of 4 with maxFailures \(budget)" }
    }

    /// maxFailures as a count and as a percentage of all selected clusters.
    @Test(arguments: [
        FailureBudget(budget: .count(1), failing: 1, expected: .progressing),
        FailureBudget(budget: .count(1), failing: 2, expected: .failed),
        FailureBudget(budget: .percent(50), failing: 2, expected: .progressing),
        FailureBudget(budget: .percent(25), failing: 2, expected: .failed),
    ])
    func maxFailures(_ testCase: FailureBudget) {
        let names = ["a", "b", "c", "d"]
        var (rollout, _) = Self.stepAndWrite(Self.rollout(names, perWave: 4, canary: false, maxFailures: testCase.budget, autoRollback: false), now: Self.t0)
        let health = Dictionary(uniqueKeysWithValues: names.enumerated().map { index, name in
            (name, Self.summary(name, index < testCase.failing ? .degraded : .healthy, observed: 2))
        })
        (rollout, _) = Self.stepAndWrite(rollout, health: health, now: Self.t0.addingTimeInterval(1))
        #expect(rollout.phase == testCase.expected, "\(rollout.message ?? "")")
        #expect(rollout.failures == testCase.failing)
    }

    /// A failure with autoRollback restores every cluster the rollout changed; once all are restored it is
    /// RolledBack, and a restore that failed is retried by the next step.
    @Test func failureRollsBackAndRetriesRestores() {
        var (rollout, _) = Self.stepAndWrite(Self.rollout(["a", "b", "c"], perWave: 2), now: Self.t0)
        var effects: [RolloutStateMachine.Effect]
        (rollout, effects) = Self.stepAndWrite(rollout, health: ["a": Self.summary("a", .degraded, observed: 2)], now: Self.t0.addingTimeInterval(1))
        #expect(rollout.phase == .rollingBack)
        #expect(effects == [.restorePrevious(["a"])])
        let failedRestore = RolloutStateMachine.policiesRestored(rollout, ["a": .failed("database is locked")], now: Self.t0)
        #expect(failedRestore.phase == .rollingBack)
        #expect(failedRestore.message?.contains("retrying") == true)
        let (again, retry) = RolloutStateMachine.step(failedRestore, snapshot: .init(), now: Self.t0.addingTimeInterval(2))
        #expect(retry == [.restorePrevious(["a"])])
        let restored = RolloutStateMachine.policiesRestored(again, ["a": .written(generation: 3)], now: Self.t0)
        #expect(restored.phase == .rolledBack)
        #expect(Self.states(restored) == ["a": .rolledBack, "b": .pending, "c": .pending])
    }

    /// Paused: clusters in flight are still judged but no wave starts; resumed, the next wave starts.
    @Test func pauseHoldsTheNextWave() throws {
        var (rollout, _) = Self.stepAndWrite(Self.rollout(soak: 0), now: Self.t0)
        rollout = try RolloutStateMachine.control(rollout, .pause, actor: "admin/t", now: Self.t0)
        #expect(rollout.phase == .paused && rollout.message == "pause by admin/t")
        let healthy = ["a": Self.summary("a", .healthy, observed: 2)]
        var effects: [RolloutStateMachine.Effect]
        (rollout, effects) = Self.stepAndWrite(rollout, health: healthy, now: Self.t0.addingTimeInterval(5))
        #expect(effects.isEmpty)
        #expect(Self.states(rollout) == ["a": .succeeded, "b": .pending, "c": .pending])
        rollout = try RolloutStateMachine.control(rollout, .resume, actor: "admin/t", now: Self.t0)
        (rollout, effects) = Self.stepAndWrite(rollout, now: Self.t0.addingTimeInterval(6))
        #expect(effects == [.writeTargets(["b", "c"])])
    }

    /// Abort leaves written policies in place and marks in-flight clusters Aborted; rollback of an aborted
    /// rollout restores them; actions a phase does not allow are 409.
    @Test func abortAndRollback() throws {
        var (rollout, _) = Self.stepAndWrite(Self.rollout(), now: Self.t0)
        rollout = try RolloutStateMachine.control(rollout, .abort, actor: "admin/t", now: Self.t0)
        #expect(rollout.phase == .aborted)
        #expect(Self.states(rollout) == ["a": .aborted, "b": .pending, "c": .pending])
        #expect(RolloutStateMachine.step(rollout, snapshot: .init(), now: Self.t0).effects.isEmpty, "an aborted rollout does nothing")
        #expect(throws: HubError.self) { try RolloutStateMachine.control(rollout, .resume, actor: "admin/t", now: Self.t0) }
        rollout = try RolloutStateMachine.control(rollout, .rollback, actor: "admin/t", now: Self.t0)
        let (_, effects) = RolloutStateMachine.step(rollout, snapshot: .init(), now: Self.t0)
        #expect(effects == [.restorePrevious(["a"])])
        let done = RolloutStateMachine.policiesRestored(rollout, ["a": .deleted], now: Self.t0)
        #expect(done.phase == .rolledBack)
        #expect(done.clusters[0].message == "the cluster was deleted")
    }

    /// A hub that stopped after marking a wave Applying but before recording the write writes again on
    /// restart (the same policy moves no generation); a cluster whose write failed fails.
    @Test func restartRewritesUnrecordedTargets() {
        let (started, _) = RolloutStateMachine.step(Self.rollout(), snapshot: .init(policies: Self.policies(["a"])), now: Self.t0)
        let (again, effects) = RolloutStateMachine.step(started, snapshot: .init(), now: Self.t0.addingTimeInterval(3))
        #expect(effects == [.writeTargets(["a"])])
        #expect(again.clusters[0].state == .applying)
        let failed = RolloutStateMachine.policiesWritten(again, ["a": .failed("no space")], now: Self.t0)
        #expect(failed.clusters[0].state == .failed && failed.clusters[0].message == "cannot write the policy: no space")
    }

    /// Rolling back with nothing to restore (the canary never got its policy) ends RolledBack at once.
    @Test func rollbackWithNothingTouchedEnds() throws {
        let rollout = try RolloutStateMachine.control(Self.rollout(), .rollback, actor: "admin/t", now: Self.t0)
        let (next, effects) = RolloutStateMachine.step(rollout, snapshot: .init(), now: Self.t0)
        #expect(effects.isEmpty)
        #expect(next.phase == .rolledBack)
    }

    /// A wave's clusters outside their maintenance window or under a freeze stay Pending with the reason; the
    /// others start; once the gates open the waiting ones start and the waiting message goes.
    @Test func gatedClustersWaitAndStartWhenTheGateOpens() {
        let rollout = Self.rollout(["a", "b", "c"], perWave: 3, canary: false, deadline: 7200)
        let opening = Self.t0.addingTimeInterval(3600)
        let gates: [String: ChangeGate] = ["a": .outsideWindow(nextOpening: opening), "b": .frozen(freeze: "release", reason: "weekend")]
        var (held, effects) = RolloutStateMachine.step(
            rollout, snapshot: .init(policies: Self.policies(["a", "b", "c"]), gates: gates), now: Self.t0)
        #expect(effects == [.writeTargets(["c"])])
        #expect(Self.states(held) == ["a": .pending, "b": .pending, "c": .applying])
        #expect(held.clusters[0].message?.contains("next opens \(RFC3339.format(opening))") == true)
        #expect(held.clusters[1].message == "frozen by release: weekend")
        #expect(held.message?.hasPrefix("waiting: wave-1 has 2 cluster(s) ") == true, "\(held.message ?? "")")
        held = RolloutStateMachine.policiesWritten(held, ["c": .written(generation: 2)], now: Self.t0)
        let inFlight = ["c": Self.summary("c", .progressing, observed: 1)]
        let (opened, more) = RolloutStateMachine.step(held, snapshot: .init(summaries: inFlight, policies: Self.policies(["a", "b"])), now: opening)
        #expect(more == [.writeTargets(["a", "b"])])
        #expect(Self.states(opened) == ["a": .applying, "b": .applying, "c": .applying])
        #expect(opened.message == nil)
    }

    /// A fleet policy's cluster gets its policy rebased onto its target layer: its own field stays, the fleet's
    /// field moves, and the layer it had is kept for a rollback.
    @Test func fleetPolicyClustersAreRebasedOntoTheirTargetLayer() {
        var rollout = Self.rollout(["a"], perWave: 1, canary: false)
        let old = FleetLayer(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2), pruner: PrunerPolicy(schedule: "0 1 * * *")))
        let new = FleetLayer(policy: FleetPolicy(registry: RegistryPolicy(replicas: 4), pruner: PrunerPolicy(schedule: "0 2 * * *")))
        rollout.clusters[0].targetLayer = new
        let current = PolicyDocument(
            cluster: "a", generation: 3, policy: FleetPolicy(registry: RegistryPolicy(replicas: 9), pruner: PrunerPolicy(schedule: "0 1 * * *")))
        let (started, effects) = RolloutStateMachine.step(rollout, snapshot: .init(policies: ["a": current], layers: ["a": old]), now: Self.t0)
        #expect(effects == [.writeTargets(["a"])])
        #expect(started.clusters[0].targetPolicy == FleetPolicy(registry: RegistryPolicy(replicas: 9), pruner: PrunerPolicy(schedule: "0 2 * * *")))
        #expect(started.clusters[0].previousLayer == old)
        #expect(started.clusters[0].previousPolicy == current.policy)
    }
}
