import FleetClient
import FleetHub
import FleetModel
import Foundation
import RegistryModel
import Testing

@Suite struct RolloutEngineTests {
    static func plan(
        canary: CanarySpec? = CanarySpec(count: 1), concurrency: CountOrPercent = .count(4), maxFailures: CountOrPercent = .count(0),
        soak: Int = 20, deadline: Int = 120, autoRollback: Bool = true, change: FleetPolicy = FleetPolicy(registry: RegistryPolicy(replicas: 3))
    ) -> RolloutPlan {
        RolloutPlan(
            name: "test", selector: RolloutPlan.allClusters, change: change,
            strategy: RolloutStrategy(
                canary: canary, maxConcurrency: concurrency, soakSeconds: soak, progressDeadlineSeconds: deadline, maxFailures: maxFailures,
                autoRollback: autoRollback))
    }

    private func create(_ hub: HubFixture, _ plan: RolloutPlan) async throws -> Rollout {
        guard case .created(let rollout) = try await hub.server.rollouts.create(plan, actor: "admin/test") else {
            throw HubError(.internalError, "expected a rollout")
        }
        return rollout
    }

    /// A canary and three waves over healthy clusters: each wave starts only after the previous one soaked, and every cluster ends on the new policy.
    @Test func canaryThenWavesSucceed() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 13)
            let responder = FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }
            try await responder.report()
            let rollout = try await create(hub, Self.plan())
            #expect(rollout.waves == ["canary", "wave-1", "wave-2", "wave-3"])
            #expect(rollout.clusters(inWave: 0).map(\.name) == ["c00"])
            #expect(rollout.clusters(inWave: 1).count == 4)
            #expect(rollout.clusters.allSatisfy { $0.state == .pending }, "the request writes no policy")
            try await hub.server.rollouts.tick()
            #expect(try await hub.server.rollouts.get(rollout.id).clusters.filter { $0.state == .applying }.map(\.name) == ["c00"])
            var sawWaveOneBeforeCanaryDone = false
            let done = try await responder.drive(until: { rollout in
                let canaryDone = rollout.clusters(inWave: 0).allSatisfy { $0.state == .succeeded }
                if !canaryDone && rollout.clusters(inWave: 1).contains(where: { $0.state != .pending }) { sawWaveOneBeforeCanaryDone = true }
                return !rollout.phase.isActive
            }, rollout: rollout.id)
            #expect(!sawWaveOneBeforeCanaryDone)
            #expect(done.phase == .succeeded, "\(done.message ?? "")")
            for agent in agents {
                #expect(try await hub.admin.policy(agent.cluster).registry?.replicas == 3)
            }
        }
    }

    /// A canary that degrades stops the rollout and restores its previous policy; no wave starts.
    @Test func failingCanaryRollsBack() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 6)
            for agent in agents { _ = try await hub.admin.putPolicy(agent.cluster, PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 1)))) }
            let responder = FleetResponder(hub: hub, agents: agents) { _, document in document.registry?.replicas == 3 ? .degraded : .healthy }
            let rollout = try await create(hub, Self.plan())
            let done = try await responder.drive(until: { !$0.phase.isActive }, rollout: rollout.id)
            #expect(done.phase == .rolledBack)
            #expect(done.message?.contains("canary failed") == true)
            #expect(done.clusters.first { $0.name == "c00" }?.state == .rolledBack)
            #expect(done.clusters.filter { $0.wave > 0 }.allSatisfy { $0.state == .pending })
            #expect(try await hub.admin.policy("c00").registry?.replicas == 1)
            #expect(try await hub.admin.policy("c01").generation == 1)
        }
    }

    /// maxFailures is respected: one degraded cluster within the allowance lets the rollout finish; two fail it.
    @Test(arguments: [(1, RolloutPhase.succeeded), (2, RolloutPhase.failed)])
    func maxFailuresIsRespected(degradedCount: Int, expected: RolloutPhase) async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 8)
            let degraded = Set(agents.suffix(degradedCount).map(\.cluster))
            let responder = FleetResponder(hub: hub, agents: agents) { name, document in
                degraded.contains(name) && document.registry?.replicas == 3 ? .degraded : .healthy
            }
            let rollout = try await create(hub, Self.plan(canary: nil, concurrency: .percent(50), maxFailures: .count(1), autoRollback: false))
            let done = try await responder.drive(until: { !$0.phase.isActive }, rollout: rollout.id)
            #expect(done.phase == expected, "\(done.message ?? "")")
            #expect(done.failures == degradedCount)
        }
    }

    /// Paused, no new wave starts however long it waits; resumed, it completes.
    @Test func pauseAndResume() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 5)
            let responder = FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }
            let rollout = try await create(hub, Self.plan())
            try await hub.server.rollouts.tick()
            let paused = try await hub.server.rollouts.control(rollout.id, action: .pause, actor: "admin/test")
            #expect(paused.phase == .paused)
            let stillPaused = try await responder.drive(rounds: 10, until: { _ in false }, rollout: rollout.id)
            #expect(stillPaused.phase == .paused)
            #expect(stillPaused.clusters(inWave: 0).first?.state == .succeeded)
            #expect(stillPaused.clusters.filter { $0.wave > 0 }.allSatisfy { $0.state == .pending })
            let resumed = try await hub.server.rollouts.control(rollout.id, action: .resume, actor: "admin/test")
            #expect(resumed.phase == .progressing)
            let done = try await responder.drive(until: { !$0.phase.isActive }, rollout: rollout.id)
            #expect(done.phase == .succeeded)
            let controls = try await hub.admin.audit(limit: 100).filter { $0.action == "rollout.control" }
            #expect(controls.count == 2)
        }
    }

    /// A rollback restores every changed cluster's previous policy and counts a cluster deleted since as done.
    @Test func rollbackRestoresAndSkipsDeletedClusters() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await FleetResponder.enroll(hub, count: 3)
            let rollout = try await create(hub, Self.plan(canary: nil, concurrency: .count(3)))
            try await hub.server.rollouts.tick()
            #expect(try await hub.admin.policy("c00").generation == 1)
            _ = try await hub.services.deleteCluster("c01", actor: "admin/test")
            // The engine's own tick may see the deleted cluster first and roll back on its own
            // (autoRollback); either way the rollout ends RolledBack with the other clusters restored.
            let rolledBack: Rollout
            do {
                rolledBack = try await hub.server.rollouts.control(rollout.id, action: .rollback, actor: "admin/test")
            } catch let error as HubError where error.code == .conflict {
                rolledBack = try await hub.server.rollouts.get(rollout.id)
            }
            #expect(rolledBack.phase == .rolledBack, "\(rolledBack.message ?? "")")
            #expect(rolledBack.clusters.allSatisfy { $0.state == .rolledBack })
            #expect(rolledBack.clusters.first { $0.name == "c01" }?.message == "the cluster was deleted")
            for name in ["c00", "c02"] {
                let policy = try await hub.admin.policy(name)
                #expect(policy.generation == 2)
                #expect(policy.registry?.replicas == nil)
            }
        }
    }

    /// An offline cluster never counts as success: it fails at the deadline.
    @Test func offlineNeverSucceeds() async throws {
        try await withHub(lease: 30) { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 2)
            let responder = FleetResponder(hub: hub, agents: agents) { name, _ in name == "c00" ? .silent : .healthy }
            let rollout = try await create(hub, Self.plan(canary: nil, concurrency: .count(2), deadline: 60, autoRollback: false))
            let done = try await responder.drive(until: { !$0.phase.isActive }, rollout: rollout.id)
            #expect(done.phase == .failed)
            let offline = try #require(done.clusters.first { $0.name == "c00" })
            #expect(offline.state == .failed)
            #expect(offline.message?.contains("within 60s") == true)
        }
    }

    /// A cluster belongs to only one active rollout; an overlapping one gets 409 and nothing is stored.
    @Test func overlappingRolloutConflicts() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await FleetResponder.enroll(hub, count: 3)
            _ = try await create(hub, Self.plan())
            let (status, body) = try await hub.admin.connection.send(.POST, "/v1/rollouts", body: try JSONCoding.encode(Self.plan(change: FleetPolicy(pruner: PrunerPolicy(suspend: true)))))
            #expect(status == 409, "\(String(decoding: body, as: UTF8.self))")
            #expect(try await hub.server.rollouts.list().count == 1)
        }
    }

    /// A dry run returns each cluster's diff and the waves and changes nothing.
    @Test func dryRunChangesNothing() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await FleetResponder.enroll(hub, count: 5)
            var plan = Self.plan(concurrency: .count(2))
            plan.dryRun = true
            guard case .preview(let preview) = try await hub.server.rollouts.create(plan, actor: "admin/test") else {
                Issue.record("expected a preview")
                return
            }
            #expect(preview.waves.map(\.name) == ["canary", "wave-1", "wave-2"])
            #expect(preview.waves[0].clusters.first?.changes == [PolicyFieldChange(path: "registry.replicas", from: nil, to: 3)])
            #expect(try await hub.server.rollouts.list().isEmpty)
            #expect(try await hub.admin.policy("c00").generation == 0)
            #expect(try await hub.admin.audit(limit: 100).filter { $0.action.hasPrefix("rollout") || $0.action == "policy.update" }.isEmpty)
        }
    }

    /// A rollout to Removed needs the data-loss acknowledgement like a single policy change.
    @Test func removedNeedsAcknowledgement() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await FleetResponder.enroll(hub, count: 2)
            let plan = Self.plan(change: FleetPolicy(registry: RegistryPolicy(managementState: .removed)))
            let (status, body) = try await hub.admin.connection.send(.POST, "/v1/rollouts", body: try JSONCoding.encode(plan))
            #expect(status == 422)
            #expect(HubConnection.error(status: status, body: body).field == "acknowledgeDataLoss")
            var acknowledged = plan
            acknowledged.acknowledgeDataLoss = true
            #expect(try await hub.admin.connection.send(.POST, "/v1/rollouts", body: try JSONCoding.encode(acknowledged)).status == 201)
        }
    }

    /// Bad plans are refused with the field named.
    @Test(arguments: [
        (#"{"selector":"env in prod","change":{"registry":{"replicas":2}}}"#, "selector"),
        (#"{"change":{"registry":{"replicas":2}}}"#, "selector"),
        (#"{"selector":"","change":{"registry":{"replicas":2}}}"#, "selector"),
        (#"{"selector":"*","change":{}}"#, "change"),
        (#"{"selector":"*","change":{"registry":{"replicas":2}},"strategy":{"maxConcurrency":0}}"#, "strategy.maxConcurrency"),
        (#"{"selector":"*","change":{"registry":{"replicas":2}},"strategy":{"maxConcurrency":"150%"}}"#, "strategy.maxConcurrency"),
        (#"{"selector":"*","change":{"registry":{"replicas":2}},"strategy":{"canary":{}}}"#, "strategy.canary"),
        (#"{"selector":"*","change":{"pruner":{"schedule":"* * *"}}}"#, "change.pruner.schedule"),
        (#"{"selector":"*","change":{"registry":{"replicas":2}},"strategy":{"soak":5}}"#, "strategy.soak"),
    ])
    func badPlansAreRefused(body: String, field: String) async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await FleetResponder.enroll(hub, count: 1)
            let (status, answer) = try await hub.admin.connection.send(.POST, "/v1/rollouts", body: Data(body.utf8))
            #expect(status == 422 || status == 400)
            #expect(HubConnection.error(status: status, body: answer).field == field, "\(String(decoding: answer, as: UTF8.self))")
            #expect(try await hub.server.rollouts.list().isEmpty)
        }
    }

    /// A well-formed plan that selects no cluster conflicts with the fleet as it is: 409, nothing created.
    @Test func planSelectingNothingConflicts() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await FleetResponder.enroll(hub, count: 1)
            let body = #"{"selector":"env=nowhere","change":{"registry":{"replicas":2}}}"#
            let (status, answer) = try await hub.admin.connection.send(.POST, "/v1/rollouts", body: Data(body.utf8))
            #expect(status == 409)
            #expect(HubConnection.error(status: status, body: answer).field == "selector")
            #expect(try await hub.server.rollouts.list().isEmpty)
        }
    }

    /// Staggered pruner schedules get different minutes per cluster, deterministically.
    @Test func staggeredSchedules() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 10)
            var plan = Self.plan(canary: nil, concurrency: .percent(100), change: FleetPolicy(pruner: PrunerPolicy(schedule: "0 1 * * *")))
            plan.staggerPrunerSchedules = true
            _ = try await create(hub, plan)
            try await hub.server.rollouts.tick()
            var schedules: Set<String> = []
            for agent in agents { schedules.insert(try #require(try await hub.admin.policy(agent.cluster).pruner?.schedule)) }
            #expect(schedules.count >= 8)
            for schedule in schedules {
                let fields = schedule.split(separator: " ")
                #expect(fields.count == 5)
                #expect((1...4).contains(Int(fields[1]) ?? -1))
            }
        }
    }

    /// A hub restarted mid-rollout resumes it and re-applies no finished wave.
    @Test func resumesAfterRestart() async throws {
        let first = try await HubFixture.start()
        let directory = first.directory
        let clock = first.clock
        let agents = try await FleetResponder.enroll(first, count: 6)
        let rollout: Rollout
        do {
            let responder = FleetResponder(hub: first, agents: agents) { _, _ in .healthy }
            rollout = try await create(first, Self.plan(concurrency: .count(2)))
            _ = try await responder.drive(until: { $0.clusters(inWave: 1).allSatisfy { $0.state == .succeeded } }, rollout: rollout.id)
        }
        await first.stop(keepFiles: true)
        let second = try await HubFixture.start(directory: directory, clock: clock)
        do {
            var resumedAgents: [AgentConnection] = []
            for agent in agents {
                let connection = second.track(
                    try HubConnection(
                        baseURL: second.baseURL, caCertificatePEM: try second.pki.loadCACertificatePEM(),
                        clientCertificatePEM: agent.certificate.certificate, clientKeyPEM: agent.keyPEM))
                resumedAgents.append(AgentConnection(cluster: agent.cluster, connection: connection, certificate: agent.certificate, keyPEM: agent.keyPEM))
            }
            let responder = FleetResponder(hub: second, agents: resumedAgents) { _, _ in .healthy }
            let done = try await responder.drive(until: { !$0.phase.isActive }, rollout: rollout.id)
            #expect(done.phase == .succeeded)
            let writes = try await second.admin.audit(limit: 1000, actor: "rollout/\(rollout.id)").filter { $0.action == "policy.update" }
            for agent in agents {
                #expect(writes.filter { $0.target == agent.cluster }.count == 1, "\(agent.cluster)")
            }
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }
}
