import FleetModel
import Foundation
import RegistryModel
import Testing

/// The pure parts of fleet policies: resolving a cluster's layer, rebasing its policy, windows.
@Suite struct FleetPolicyModelTests {
    static func stored(_ name: String, _ spec: FleetPolicySpec) -> StoredFleetPolicy {
        let date = Date(timeIntervalSince1970: 0)
        return StoredFleetPolicy(name: name, generation: 1, spec: spec, createdBy: "a", createdAt: date, updatedBy: "a", updatedAt: date)
    }

    /// Rebasing moves the fields the cluster took from the old layer, drops those the new one no longer
    /// sets, and keeps the cluster's own values.
    @Test func rebaseMovesOnlyFleetFields() {
        let old = FleetLayer(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2, logLevel: "Debug"), pruner: PrunerPolicy(schedule: "0 1 * * *")))
        let new = FleetLayer(policy: FleetPolicy(registry: RegistryPolicy(replicas: 3), pruner: PrunerPolicy(schedule: "0 2 * * *")))
        let desired = FleetPolicy(registry: RegistryPolicy(replicas: 7, logLevel: "Debug", readOnly: true), pruner: PrunerPolicy(schedule: "0 1 * * *"))
        let rebased = old.rebase(desired, onto: new)
        #expect(rebased == FleetPolicy(registry: RegistryPolicy(replicas: 7, readOnly: true), pruner: PrunerPolicy(schedule: "0 2 * * *")))
        #expect(FleetLayer.empty.rebase(FleetPolicy(), onto: new) == new.policy)
    }

    /// Higher priority wins per field; overrides win over their template; selectors and ties by name.
    @Test func layerResolvesPriorityOverridesAndTies() {
        let set = FleetPolicySet([
            Self.stored("b-low", FleetPolicySpec(selector: "*", template: FleetPolicy(registry: RegistryPolicy(replicas: 1, logLevel: "Debug")))),
            Self.stored("a-low", FleetPolicySpec(selector: "*", template: FleetPolicy(registry: RegistryPolicy(logLevel: "Trace")))),
            Self.stored(
                "high",
                FleetPolicySpec(
                    selector: "env=prod", priority: 10, template: FleetPolicy(registry: RegistryPolicy(replicas: 3)),
                    overrides: [FleetPolicyOverride(selector: "region=eu", policy: FleetPolicy(registry: RegistryPolicy(replicas: 5)))])),
        ])
        let eu = set.layer(for: ["env": "prod", "region": "eu"])
        #expect(eu.policy == FleetPolicy(registry: RegistryPolicy(replicas: 5, logLevel: "Trace")))
        #expect(eu.sources["registry.replicas"] == FieldSource(fleetPolicy: "high", override: "region=eu"))
        #expect(eu.sources["registry.logLevel"] == FieldSource(fleetPolicy: "a-low"), "equal priority: the first name wins")
        #expect(set.layer(for: ["env": "prod"]).policy.registry?.replicas == 3)
        #expect(set.layer(for: ["env": "dev"]).policy.registry?.replicas == 1)
        #expect(set.matching(["env": "prod"]).map(\.name) == ["high", "a-low", "b-low"])
        #expect(set.conflicts(for: [:]).count == 1)
    }

    /// A window is open from each start for its duration, in its time zone; the next opening is reported.
    @Test func maintenanceWindowsFollowTheirTimeZone() throws {
        let window = MaintenanceWindow(schedule: "0 2 * * *", duration: "2h", timeZone: "Asia/Tokyo")  // 17:00-19:00 UTC
        let day = try #require(RFC3339.parse("2026-12-02T00:00:00Z"))
        #expect(!window.isOpen(at: day.addingTimeInterval(16.9 * 3600)))
        #expect(window.isOpen(at: day.addingTimeInterval(17 * 3600)))
        #expect(window.isOpen(at: day.addingTimeInterval(18.9 * 3600)))
        #expect(!window.isOpen(at: day.addingTimeInterval(19 * 3600)))
        #expect(window.nextOpening(after: day) == day.addingTimeInterval(17 * 3600))
        let gate = ChangeGate.evaluate(windows: [window], freezes: [], now: day)
        #expect(gate == .outsideWindow(nextOpening: day.addingTimeInterval(17 * 3600)))
        let freeze = ChangeFreeze(name: "f", selector: "*", reason: nil, until: day.addingTimeInterval(60), createdBy: "a", createdAt: day)
        #expect(ChangeGate.evaluate(windows: [], freezes: [freeze], now: day) == .frozen(freeze: "f", reason: nil))
        #expect(ChangeGate.evaluate(windows: [], freezes: [freeze], now: day.addingTimeInterval(61)) == .open, "an expired freeze holds nothing")
    }

    /// Every invalid part of a spec is reported with its path.
    @Test func specValidationNamesEachField() {
        let spec = FleetPolicySpec(
            selector: "env in (", priority: -2000, template: FleetPolicy(registry: RegistryPolicy(replicas: -1)),
            overrides: [FleetPolicyOverride(selector: "", policy: FleetPolicy())],
            strategy: RolloutStrategy(maxConcurrency: .count(0)),
            maintenanceWindows: [MaintenanceWindow(schedule: "nope", duration: "forever", timeZone: "Nowhere/Else")])
        let paths = Set(spec.validationErrors().map(\.path))
        #expect(
            paths == [
                "selector", "priority", "template.registry.replicas", "overrides[0].selector", "overrides[0].policy", "strategy.maxConcurrency",
                "maintenanceWindows[0].schedule", "maintenanceWindows[0].duration", "maintenanceWindows[0].timeZone",
            ], "\(spec.validationErrors())")
    }
}
