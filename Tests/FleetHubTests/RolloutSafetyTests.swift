import FleetClient
import FleetHub
import FleetModel
import FleetStore
import Foundation
import RegistryModel
import Testing

/// What keeps a rollout honest: a dry run refuses what a create refuses and warns about clusters that would
/// hold a wave, an admin's write to a cluster in flight needs `force`, an abort says which clusters it left
/// unjudged, a canary count picks clusters with a change, and a rollout is found by its name.
@Suite struct RolloutSafetyTests {
    private func create(_ hub: HubFixture, _ plan: RolloutPlan) async throws -> Rollout {
        guard case .created(let rollout) = try await hub.server.rollouts.create(plan, actor: "admin/test") else {
            throw HubError(.internalError, "expected a rollout")
        }
        return rollout
    }

    private func send(_ hub: HubFixture, _ plan: RolloutPlan) async throws -> (status: Int, error: HubClientError?) {
        let (status, body) = try await hub.admin.connection.send(.POST, "/v1/rollouts", body: try JSONCoding.encode(plan))
        return (status, status >= 400 ? HubConnection.error(status: status, body: body) : nil)
    }

    /// A dry run of a plan that the real create refuses is refused the same way: Removed without the
    /// acknowledgement (422), and clusters another active rollout holds (409).
    @Test func dryRunRunsTheCreateChecks() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 3)
            try await FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }.report()
            var removed = RolloutEngineTests.plan(change: FleetPolicy(registry: RegistryPolicy(managementState: .removed)))
            removed.dryRun = true
            let refused = try await send(hub, removed)
            #expect(refused.status == 422)
            #expect(refused.error?.field == "acknowledgeDataLoss")

            let running = try await create(hub, RolloutEngineTests.plan())
            var overlapping = RolloutEngineTests.plan(change: FleetPolicy(registry: RegistryPolicy(replicas: 5)))
            overlapping.dryRun = true
            let conflict = try await send(hub, overlapping)
            #expect(conflict.status == 409)
            #expect(conflict.error?.message.contains(running.id) == true, "\(conflict.error?.message ?? "")")
            #expect(try await hub.server.rollouts.list().map(\.id) == [running.id], "no dry run stored a rollout")
        }
    }

    /// A dry run names the clusters that would hold their wave (Offline, never reported, Degraded) and gives
    /// each wave's deadline.
    @Test func dryRunWarnsAboutClustersThatWouldHoldAWave() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 4)
            let responder = FleetResponder(hub: hub, agents: agents) { name, _ in
                switch name {
                case "c01": return .degraded
                case "c02", "c03": return .silent
                default: return .healthy
                }
            }
            try await responder.report()
            // c02 reported once long ago (Offline now); c03 never did (Unknown).
            try await FleetResponder(hub: hub, agents: [agents[2]]) { _, _ in .healthy }.report()
            hub.clock.advance(by: 3600)
            try await FleetResponder(hub: hub, agents: [agents[0], agents[1]]) { name, _ in name == "c01" ? .degraded : .healthy }.report()
            var plan = RolloutEngineTests.plan(deadline: 900)
            plan.dryRun = true
            guard case .preview(let preview) = try await hub.server.rollouts.create(plan, actor: "admin/test") else {
                Issue.record("expected a preview")
                return
            }
            #expect(preview.waves.allSatisfy { $0.progressDeadlineSeconds == 900 })
            let byCluster = Dictionary(uniqueKeysWithValues: preview.warnings.map { ($0.cluster, $0.state) })
            #expect(byCluster == ["c01": .degraded, "c02": .offline, "c03": .unknown], "\(preview.warnings)")
            #expect(preview.warnings.allSatisfy { !$0.wave.isEmpty && !$0.message.isEmpty })
        }
    }

    /// An admin's policy write to a cluster that an active rollout holds gets 409 naming the rollout; with
    /// `force` it is stored and the audit log records the override. Clusters outside the rollout are free.
    @Test func policyWriteDuringARolloutNeedsForce() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 3, labels: { ["env": $0 < 2 ? "prod" : "dev"] })
            try await FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }.report()
            var plan = RolloutEngineTests.plan()
            plan.selector = "env=prod"
            let rollout = try await create(hub, plan)
            let change = PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(logLevel: "Debug")))
            let (status, body) = try await hub.admin.connection.send(.PUT, "/v1/clusters/c01/policy", body: try JSONCoding.encode(change))
            #expect(status == 409)
            let error = HubConnection.error(status: status, body: body)
            #expect(error.field == "force")
            #expect(error.message.contains(rollout.id))
            #expect(try await hub.admin.policy("c01").generation == 0, "nothing stored")

            #expect(try await hub.admin.putPolicy("c02", change).generation == 1, "a cluster outside the rollout needs no force")

            var forced = change
            forced.force = true
            let stored = try await hub.admin.putPolicy("c01", forced)
            #expect(stored.registry?.logLevel == "Debug")
            let overrides = try await hub.admin.audit(limit: 100).filter { $0.action == AuditAction.policyForce }
            #expect(overrides.map(\.target) == ["c01"])
            #expect(overrides.first?.detail == .object(["rollout": .string(rollout.id), "generation": .int(stored.generation)]))
        }
    }

    /// Aborting marks the clusters in flight Aborted (their new policy stays), leaves the rest Pending, and
    /// ends the rollout Aborted; nothing is shown as still soaking.
    @Test func abortTellsInFlightClustersApart() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 5)
            let responder = FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }
            let rollout = try await create(hub, RolloutEngineTests.plan(soak: 600))
            let soaking = try await responder.drive(rounds: 10, until: { $0.clusters.contains { $0.state == .soaking } }, rollout: rollout.id)
            #expect(soaking.clusters.first?.state == .soaking)
            let aborted = try await hub.server.rollouts.control(rollout.id, action: .abort, actor: "admin/test")
            #expect(aborted.phase == .aborted)
            #expect(aborted.clusters(inWave: 0).map(\.state) == [.aborted])
            #expect(aborted.clusters.filter { $0.wave > 0 }.allSatisfy { $0.state == .pending })
            #expect(try await hub.admin.policy("c00").registry?.replicas == 3, "an abort leaves the change in place")
        }
    }

    /// A canary count takes clusters that the change moves: a cluster already on the target is no canary.
    @Test func canaryCountPicksClustersWithAChange() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 4)
            for name in ["c00", "c01"] {
                _ = try await hub.admin.putPolicy(name, PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 3))))
            }
            try await FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }.report()
            let rollout = try await create(hub, RolloutEngineTests.plan(canary: CanarySpec(count: 1)))
            #expect(rollout.clusters(inWave: 0).map(\.name) == ["c02"])
        }
    }

    /// A rollout is found by its name as well as its id (the newest of that name), through the API too.
    @Test func rolloutsAreAddressableByName() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 2)
            try await FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }.report()
            var plan = RolloutEngineTests.plan()
            plan.name = "replicas-three"
            let rollout = try await create(hub, plan)
            #expect(try await hub.admin.rollout("replicas-three").id == rollout.id)
            let paused = try await hub.admin.controlRollout("replicas-three", action: .pause)
            #expect(paused.id == rollout.id && paused.phase == .paused)
            let (status, body) = try await hub.admin.connection.send(.GET, "/v1/rollouts/no-such-rollout", body: nil)
            #expect(status == 404)
            #expect(HubConnection.error(status: status, body: body).message.contains("no-such-rollout"))
        }
    }
}
