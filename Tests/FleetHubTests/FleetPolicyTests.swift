import FleetClient
import FleetHub
import FleetModel
import Foundation
import RegistryModel
import Testing

/// Fleet policies over a real hub (HTTP, mutual TLS, SQLite): clusters that enroll later get them at once,
/// existing clusters through a rollout with the policy's strategy; labels, priorities, overrides, a cluster's
/// own fields and staged policies decide each field; windows and freezes hold waves back.
@Suite struct FleetPolicyTests {
    static let nightly = "0 3 * * *"
    static let hourly = "15 * * * *"

    static func spec(
        _ selector: String, priority: Int? = nil, template: FleetPolicy? = nil, overrides: [FleetPolicyOverride]? = nil,
        windows: [MaintenanceWindow]? = nil, maxConcurrency: CountOrPercent = .percent(50), soak: Int = 0
    ) -> FleetPolicySpec {
        FleetPolicySpec(
            selector: selector, priority: priority, template: template, overrides: overrides,
            strategy: RolloutStrategy(maxConcurrency: maxConcurrency, soakSeconds: soak, progressDeadlineSeconds: 300), maintenanceWindows: windows)
    }

    static func schedule(_ cron: String) -> FleetPolicy { FleetPolicy(pruner: PrunerPolicy(schedule: cron)) }

    /// The fleet policy rollouts, newest first.
    static func fleetRollouts(_ hub: HubFixture) async throws -> [Rollout] {
        try await hub.server.rollouts.list().filter { $0.source != nil }
    }

    /// Ticks (the controller, then the rollouts) and reports until every fleet policy rollout has ended.
    static func settle(_ hub: HubFixture, _ responder: FleetResponder, rounds: Int = 30) async throws {
        for _ in 0..<rounds {
            try await hub.server.rollouts.tick()
            try await responder.report()
            hub.clock.advance(by: 15)
            let rollouts = try await fleetRollouts(hub)
            if !rollouts.isEmpty, rollouts.allSatisfy({ !$0.phase.isActive }) {
                try await hub.server.rollouts.tick()
                if try await fleetRollouts(hub).allSatisfy({ !$0.phase.isActive }) { return }
            }
        }
    }

    /// A cluster that enrolls after the fleet policy exists starts from it: its agent's first desired state
    /// holds the policy's fields, with no admin action and no rollout; a cluster it does not select gets nothing.
    @Test func aNewClusterConvergesToTheFleetPolicyItMatches() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let template = FleetPolicy(registry: RegistryPolicy(replicas: 3), pruner: PrunerPolicy(schedule: Self.nightly, keepTagRevisions: 5))
            let stored = try await hub.admin.applyFleetPolicy("prod-registries", Self.spec("env=prod", template: template))
            #expect(stored.generation == 1)
            let prod = try await hub.enroll("joiner", labels: ["env": "prod"])
            let dev = try await hub.enroll("other", labels: ["env": "dev"])
            let desired = try await prod.connection.call(.GET, "/v1/agent/desired?after=-1&timeout=0", as: PolicyDocument.self)
            #expect(desired.policy == template, "the first desired state already holds the fleet policy")
            #expect(desired.generation >= 1)
            #expect(try await dev.connection.call(.GET, "/v1/agent/desired?after=-1&timeout=0", as: PolicyDocument.self).policy == FleetPolicy())
            let responder = FleetResponder(hub: hub, agents: [prod, dev]) { _, _ in .healthy }
            try await responder.report()
            try await hub.server.rollouts.tick()
            #expect(try await Self.fleetRollouts(hub).isEmpty, "an enrolling cluster needs no rollout")
            let summary = try await hub.admin.cluster("joiner").summary
            #expect(summary.observedGeneration == summary.desiredGeneration)
            #expect(summary.health.state == .healthy)
            let effective = try await hub.admin.effectivePolicy("joiner")
            #expect(effective.fields.map(\.source) == Array(repeating: "fleet-policy/prod-registries", count: 3), "\(effective.fields)")
            #expect(effective.pending.isEmpty)
            #expect(effective.fleetPolicies == ["prod-registries"])
            let listed = try await hub.admin.fleetPolicies()
            #expect(listed.map(\.status?.matchedClusters) == [1])
            #expect(listed.map(\.status?.pendingClusters) == [0])
            let (metricsStatus, metrics) = try await hub.anonymous.send(.GET, "/metrics")
            let text = String(decoding: metrics, as: UTF8.self)
            #expect(metricsStatus == 200)
            #expect(text.contains(#"regfleet_fleet_policy_clusters{fleet_policy="prod-registries"} 1"#), "\(text.suffix(1500))")
            #expect(text.contains(#"regfleet_fleet_policy_pending_clusters{fleet_policy="prod-registries"} 0"#))
            let (pageStatus, page) = try await hub.admin.connection.send(.GET, "/")
            #expect(pageStatus == 200)
            #expect(String(decoding: page, as: UTF8.self).contains("<td>prod-registries</td><td>env=prod</td>"))
        }
    }

    /// Clusters enrolled before the fleet policy change through a rollout with its strategy (two waves of
    /// 50 %), never all at once; the rollout names the policy and its generation, and ends Succeeded.
    @Test func existingClustersChangeThroughARolloutWithThePolicysStrategy() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 4, labels: { _ in ["env": "prod"] })
            let responder = FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }
            try await responder.report()
            _ = try await hub.admin.applyFleetPolicy("prod", Self.spec("env=prod", template: Self.schedule(Self.nightly)))
            try await hub.server.rollouts.tick()
            let rollouts = try await Self.fleetRollouts(hub)
            #expect(rollouts.count == 1)
            let rollout = try #require(rollouts.first)
            #expect(rollout.source == RolloutSource(fleetPolicy: "prod", generation: 1))
            #expect(rollout.waves == ["wave-1", "wave-2"])
            #expect(rollout.clusters.filter { $0.state == .applying }.count == 2, "only the first wave started")
            try await Self.settle(hub, responder)
            #expect(try await hub.server.rollouts.get(rollout.id).phase == .succeeded)
            for agent in agents {
                #expect(try await hub.admin.policy(agent.cluster).pruner?.schedule == Self.nightly)
            }
            #expect(try await hub.admin.fleetPolicy("prod").status?.pendingClusters == 0)
            try await hub.server.rollouts.tick()
            #expect(try await Self.fleetRollouts(hub).count == 1, "a fleet that holds the policy gets no further rollout")
        }
    }

    /// Relabelling a cluster moves it from one fleet policy to another through a rollout.
    @Test func aLabelChangeRollsTheNewEffectivePolicyOut() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await hub.admin.applyFleetPolicy("prod", Self.spec("env=prod", template: Self.schedule(Self.nightly)))
            _ = try await hub.admin.applyFleetPolicy("dev", Self.spec("env=dev", template: Self.schedule(Self.hourly)))
            let agent = try await hub.enroll("moving", labels: ["env": "dev"])
            #expect(try await hub.admin.policy("moving").pruner?.schedule == Self.hourly)
            let responder = FleetResponder(hub: hub, agents: [agent]) { _, _ in .healthy }
            try await responder.report()
            _ = try await hub.admin.setLabels("moving", labels: ["env": "prod"])
            try await Self.settle(hub, responder)
            let rollouts = try await Self.fleetRollouts(hub)
            #expect(rollouts.map(\.source?.fleetPolicy) == ["prod"])
            #expect(try await hub.admin.policy("moving").pruner?.schedule == Self.nightly)
            #expect(try await hub.admin.effectivePolicy("moving").fields.first { $0.path == "pruner.schedule" }?.source == "fleet-policy/prod")
        }
    }

    /// Per field the higher priority wins; a field only the lower one sets still comes from it; at equal
    /// priority the name first in alphabetical order wins and the conflict is reported.
    @Test func priorityDecidesEachFieldAndTiesAreReported() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await hub.admin.applyFleetPolicy(
                "base", Self.spec("*", template: FleetPolicy(registry: RegistryPolicy(replicas: 2), pruner: PrunerPolicy(schedule: Self.hourly))))
            _ = try await hub.admin.applyFleetPolicy("prod", Self.spec("env=prod", priority: 10, template: FleetPolicy(registry: RegistryPolicy(replicas: 4))))
            _ = try await hub.admin.applyFleetPolicy("zz-tie", Self.spec("env=prod", template: Self.schedule(Self.nightly)))
            _ = try await hub.enroll("p1", labels: ["env": "prod"])
            let policy = try await hub.admin.policy("p1")
            #expect(policy.registry?.replicas == 4, "priority 10 beats 0")
            #expect(policy.pruner?.schedule == Self.hourly, "base and zz-tie tie at 0: base wins by name")
            let effective = try await hub.admin.effectivePolicy("p1")
            let sources = Dictionary(uniqueKeysWithValues: effective.fields.map { ($0.path, $0.source) })
            #expect(sources == ["registry.replicas": "fleet-policy/prod", "pruner.schedule": "fleet-policy/base"])
            #expect(effective.fleetPolicies == ["prod", "base", "zz-tie"])
            #expect(effective.conflicts.count == 1)
            #expect(effective.conflicts.first?.contains("pruner.schedule") == true)
        }
    }

    /// An override gives the clusters its selector also matches a different value.
    @Test func anOverrideAppliesToTheClustersItsLabelsMatch() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let override = FleetPolicyOverride(selector: "region=eu", policy: Self.schedule(Self.nightly))
            _ = try await hub.admin.applyFleetPolicy("pruning", Self.spec("*", template: Self.schedule(Self.hourly), overrides: [override]))
            _ = try await hub.enroll("eu-1", labels: ["region": "eu"])
            _ = try await hub.enroll("us-1", labels: ["region": "us"])
            #expect(try await hub.admin.policy("eu-1").pruner?.schedule == Self.nightly)
            #expect(try await hub.admin.policy("us-1").pruner?.schedule == Self.hourly)
            #expect(try await hub.admin.effectivePolicy("eu-1").fields.first?.source == "fleet-policy/pruning (override region=eu)")
        }
    }

    /// A field the cluster's own policy sets wins over the fleet policy, and stays when the fleet policy
    /// changes that field later; the fields it does not set follow the fleet policy.
    @Test func aClustersOwnFieldsWinOverFleetPolicies() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await hub.admin.applyFleetPolicy(
                "all", Self.spec("*", template: FleetPolicy(registry: RegistryPolicy(replicas: 2), pruner: PrunerPolicy(schedule: Self.hourly))))
            let agent = try await hub.enroll("special")
            let current = try await hub.admin.policy("special")
            var own = current.policy
            own.registry?.replicas = 7
            _ = try await hub.admin.putPolicy("special", PolicyUpdateRequest(policy: own, generation: current.generation))
            let responder = FleetResponder(hub: hub, agents: [agent]) { _, _ in .healthy }
            try await responder.report()
            _ = try await hub.admin.applyFleetPolicy(
                "all", Self.spec("*", template: FleetPolicy(registry: RegistryPolicy(replicas: 3), pruner: PrunerPolicy(schedule: Self.nightly))))
            try await Self.settle(hub, responder)
            let policy = try await hub.admin.policy("special")
            #expect(policy.registry?.replicas == 7, "the cluster's own value stays")
            #expect(policy.pruner?.schedule == Self.nightly, "the field it does not set follows the fleet policy")
            let sources = Dictionary(uniqueKeysWithValues: try await hub.admin.effectivePolicy("special").fields.map { ($0.path, $0.source) })
            #expect(sources == ["registry.replicas": "cluster", "pruner.schedule": "fleet-policy/all"])
        }
    }

    /// A policy staged before enrollment and the fleet policies both reach the first desired state; where
    /// both set a field, the staged (the cluster's own) value wins.
    @Test func aStagedPolicyAndFleetPoliciesMeetAtEnrollment() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await hub.admin.applyFleetPolicy(
                "all", Self.spec("*", template: FleetPolicy(registry: RegistryPolicy(replicas: 2), pruner: PrunerPolicy(schedule: Self.hourly))))
            let staged = try await hub.admin.putPolicy("pending-1", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 5))))
            #expect(staged.staged == true)
            let agent = try await hub.enroll("pending-1")
            let desired = try await agent.connection.call(.GET, "/v1/agent/desired?after=-1&timeout=0", as: PolicyDocument.self)
            #expect(desired.registry?.replicas == 5)
            #expect(desired.pruner?.schedule == Self.hourly)
        }
    }

    /// Outside every maintenance window of its clusters a fleet policy's rollout waits, says why and when the
    /// next window opens, and starts when one opens.
    @Test func rolloutsWaitForAMaintenanceWindow() async throws {
        try await withHub { (hub: HubFixture) async throws in
            // The window opens at the top of the hour after next (UTC), so the rollout first waits for it.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let hour = (calendar.component(.hour, from: hub.clock.now()) + 2) % 24
            let opening = calendar.nextDate(after: hub.clock.now().addingTimeInterval(3600), matching: DateComponents(hour: hour, minute: 0), matchingPolicy: .nextTime)!
            let agents = try await FleetResponder.enroll(hub, count: 2)
            let responder = FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }
            try await responder.report()
            let window = MaintenanceWindow(schedule: "0 \(hour) * * *", duration: "1h", timeZone: "UTC")
            _ = try await hub.admin.applyFleetPolicy("nightly", Self.spec("*", template: Self.schedule(Self.nightly), windows: [window]))
            try await hub.server.rollouts.tick()
            let rollout = try #require(try await Self.fleetRollouts(hub).first)
            let waiting = try await hub.server.rollouts.get(rollout.id)
            #expect(waiting.clusters.allSatisfy { $0.state == .pending }, "nothing changes outside the window")
            #expect(waiting.message?.contains("waiting for a maintenance window") == true, "\(waiting.message ?? "")")
            #expect(waiting.clusters.first?.message?.contains("next opens") == true)
            #expect(try await hub.admin.effectivePolicy("c00").pendingReason?.contains("rollout") == true)
            #expect(waiting.clusters.first?.message?.contains(RFC3339.format(opening)) == true, "\(waiting.clusters.first?.message ?? "")")
            hub.clock.set(opening.addingTimeInterval(60))
            try await Self.settle(hub, responder)
            #expect(try await hub.server.rollouts.get(rollout.id).phase == .succeeded)
            #expect(try await hub.admin.policy("c00").pruner?.schedule == Self.nightly)
        }
    }

    /// A freeze holds every rollout (an admin's too) on the clusters it selects; lifting it lets them go on.
    @Test func aFreezeHoldsRolloutsUntilItIsLifted() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 2, labels: { _ in ["env": "prod"] })
            let responder = FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }
            try await responder.report()
            _ = try await hub.admin.putFreeze("release", FreezeRequest(selector: "env=prod", reason: "release weekend"))
            guard case .created(let rollout) = try await hub.server.rollouts.create(RolloutEngineTests.plan(canary: nil, soak: 0), actor: "admin/test") else {
                Issue.record("expected a rollout")
                return
            }
            try await hub.server.rollouts.tick()
            let held = try await hub.server.rollouts.get(rollout.id)
            #expect(held.clusters.allSatisfy { $0.state == .pending })
            #expect(held.message?.contains("frozen by release: release weekend") == true, "\(held.message ?? "")")
            #expect(try await hub.admin.effectivePolicy("c00").freezes == ["release"])
            _ = try await hub.admin.deleteFreeze("release")
            let done = try await responder.drive(until: { !$0.phase.isActive }, rollout: rollout.id)
            #expect(done.phase == .succeeded, "\(done.message ?? "")")
            let audit = try await hub.admin.audit(limit: 50).map(\.action)
            #expect(audit.contains("freeze.set") && audit.contains("freeze.delete"))
        }
    }

    /// A fleet policy rollout that fails and rolls back is not started again for the same generation (the
    /// status says why); a changed fleet policy starts a new one.
    @Test func aFailedRolloutIsNotRetriedUntilThePolicyChanges() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 2)
            let responder = FleetResponder(hub: hub, agents: agents) { _, document in document.registry?.replicas == 9 ? .degraded : .healthy }
            try await responder.report()
            _ = try await hub.admin.applyFleetPolicy("bad", Self.spec("*", template: FleetPolicy(registry: RegistryPolicy(replicas: 9))))
            try await Self.settle(hub, responder)
            let first = try #require(try await Self.fleetRollouts(hub).first)
            #expect(first.phase == .rolledBack, "\(first.message ?? "")")
            for _ in 0..<3 {
                hub.clock.advance(by: 60)
                try await hub.server.rollouts.tick()
            }
            #expect(try await Self.fleetRollouts(hub).count == 1, "the same generation is not rolled out again")
            let status = try #require(try await hub.admin.fleetPolicy("bad").status)
            #expect(status.pendingClusters == 2)
            #expect(status.message?.contains("ended RolledBack") == true, "\(status.message ?? "")")
            _ = try await hub.admin.applyFleetPolicy("bad", Self.spec("*", template: FleetPolicy(registry: RegistryPolicy(replicas: 4))))
            try await Self.settle(hub, responder)
            let rollouts = try await Self.fleetRollouts(hub)
            #expect(rollouts.count == 2)
            #expect(rollouts.first { $0.id != first.id }?.phase == .succeeded)
            #expect(try await hub.admin.policy("c01").registry?.replicas == 4)
        }
    }

    /// A dry run shows which clusters change and how and writes nothing; Removed over operator-managed storage
    /// needs the acknowledgement; invalid specs are refused naming the field and store nothing.
    @Test func dryRunAndValidationChangeNothing() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 2, labels: { ["env": $0 == 0 ? "prod" : "dev"] })
            try await FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }.report()
            let preview = try await hub.admin.previewFleetPolicy("prod", Self.spec("env=prod", template: Self.schedule(Self.nightly)))
            #expect(preview.matchedClusters == 1)
            #expect(preview.changes.map(\.cluster) == ["c00"])
            #expect(preview.changes.first?.changes.map(\.path) == ["pruner.schedule"])
            #expect(try await hub.admin.fleetPolicies().isEmpty, "a dry run stores nothing")

            let removed = Self.spec("env=prod", template: FleetPolicy(registry: RegistryPolicy(managementState: .removed)))
            let refused = await failureStatus { _ = try await hub.admin.applyFleetPolicy("remove", removed) }
            #expect(refused?.status == 422)
            #expect(refused?.field == "acknowledgeDataLoss")

            let invalid: [(FleetPolicySpec, String)] = [
                (FleetPolicySpec(selector: "", template: Self.schedule(Self.nightly)), "selector"),
                (FleetPolicySpec(selector: "*", template: Self.schedule("61 * * * *")), "template.pruner.schedule"),
                (FleetPolicySpec(selector: "*"), "template"),
                (FleetPolicySpec(selector: "*", priority: 5000, template: Self.schedule(Self.nightly)), "priority"),
                (
                    FleetPolicySpec(selector: "*", maintenanceWindows: [MaintenanceWindow(schedule: "0 2 * * *", duration: "2h", timeZone: "Mars/Olympus")]),
                    "maintenanceWindows[0].timeZone"
                ),
                (FleetPolicySpec(selector: "*", maintenanceWindows: [MaintenanceWindow(schedule: "0 2 * * *", duration: "0s")]), "maintenanceWindows[0].duration"),
            ]
            for (spec, field) in invalid {
                let error = await failureStatus { _ = try await hub.admin.applyFleetPolicy("x", spec) }
                #expect(error?.status == 422, "\(field)")
                #expect(error?.field == field, "\(error?.message ?? "")")
            }
            let badName = await failureStatus { _ = try await hub.admin.applyFleetPolicy("Not_A_Label", Self.spec("*", template: Self.schedule(Self.nightly))) }
            #expect(badName?.status == 422)
            let (status, _) = try await hub.admin.connection.send(.PUT, "/v1/fleet-policies/x", body: Data(#"{"selector":"*","templat":{}}"#.utf8))
            #expect(status == 400 || status == 422)
            #expect(try await hub.admin.fleetPolicies().isEmpty)
            #expect(await failureStatus { _ = try await hub.admin.fleetPolicy("missing") }?.status == 404)
            #expect(await failureStatus { _ = try await hub.admin.deleteFleetPolicy("missing") }?.status == 404)
            #expect(await failureStatus { _ = try await hub.admin.deleteFreeze("missing") }?.status == 404)
            let badFreeze = await failureStatus { _ = try await hub.admin.putFreeze("f", FreezeRequest(selector: "env in (")) }
            #expect(badFreeze?.field == "selector")
            #expect(try await hub.admin.freezes().isEmpty)
        }
    }
}
