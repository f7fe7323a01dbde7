import Foundation
import RegistryModel

/// Every fleet policy of the hub with its selectors parsed once: what resolves a cluster's fleet layer, its
/// maintenance windows and its freezes from its labels, for one cluster or ten thousand.
public struct FleetPolicySet: Sendable {
    struct Entry: Sendable {
        var policy: StoredFleetPolicy
        var selector: LabelSelector
        var overrides: [(selector: LabelSelector, override: FleetPolicyOverride)]
    }

    /// Highest priority first; equal priorities by name.
    let entries: [Entry]
    let freezes: [(freeze: ChangeFreeze, selector: LabelSelector)]

    /// Policies (or freezes) whose selector no longer parses match nothing; validation refuses them before
    /// they are stored.
    public init(_ policies: [StoredFleetPolicy], freezes: [ChangeFreeze] = []) {
        entries = policies.sorted { ($0.priority, $1.name) > ($1.priority, $0.name) }.compactMap { policy in
            guard let selector = try? policy.spec.labelSelector() else { return nil }
            let overrides = (policy.spec.overrides ?? []).compactMap { override in
                (try? LabelSelector(parsing: override.selector)).map { (selector: $0, override: override) }
            }
            return Entry(policy: policy, selector: selector, overrides: overrides)
        }
        self.freezes = freezes.compactMap { freeze in (try? freeze.labelSelector()).map { (freeze: freeze, selector: $0) } }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The policies by name.
    public var policies: [StoredFleetPolicy] { entries.map(\.policy) }

    /// The fleet policies a cluster with `labels` matches, highest priority first.
    public func matching(_ labels: [String: String]) -> [StoredFleetPolicy] {
        entries.filter { $0.selector.matches(labels) }.map(\.policy)
    }

    /// The fields the fleet policies give a cluster with `labels`: per field, the highest-priority policy that
    /// sets it (its matching overrides, later ones first, over its template).
    public func layer(for labels: [String: String]) -> FleetLayer {
        var fields: [String: JSONValue] = [:]
        var sources: [String: FieldSource] = [:]
        for entry in entries where entry.selector.matches(labels) {
            let name = entry.policy.name
            for (selector, override) in entry.overrides.reversed() where selector.matches(labels) {
                for (path, value) in override.policy.fields() where fields[path] == nil {
                    fields[path] = value
                    sources[path] = FieldSource(fleetPolicy: name, override: override.selector)
                }
            }
            for (path, value) in (entry.policy.spec.template ?? FleetPolicy()).fields() where fields[path] == nil {
                fields[path] = value
                sources[path] = FieldSource(fleetPolicy: name)
            }
        }
        guard !fields.isEmpty, let policy = FleetPolicy(fields: fields) else { return .empty }
        return FleetLayer(policy: policy, sources: sources)
    }

    /// Fields two matching policies of equal priority set to different values, with the policy that won.
    public func conflicts(for labels: [String: String]) -> [String] {
        var conflicts: [String] = []
        let matching = entries.filter { $0.selector.matches(labels) }
        for (index, first) in matching.enumerated() {
            for second in matching[(index + 1)...] where second.policy.priority == first.policy.priority {
                let mine = (first.policy.spec.template ?? FleetPolicy()).fields()
                let theirs = (second.policy.spec.template ?? FleetPolicy()).fields()
                for (path, value) in mine.sorted(by: { $0.key < $1.key }) where theirs[path].map({ $0 != value }) ?? false {
                    conflicts.append("\(path): \(first.policy.name) and \(second.policy.name) have priority \(first.policy.priority); \(first.policy.name) wins by name")
                }
            }
        }
        return conflicts
    }

    /// The maintenance windows of every fleet policy a cluster with `labels` matches.
    public func windows(for labels: [String: String]) -> [MaintenanceWindow] {
        entries.filter { $0.selector.matches(labels) }.flatMap { $0.policy.spec.maintenanceWindows ?? [] }
    }

    /// The freezes whose selector matches `labels` (active or not).
    public func freezes(for labels: [String: String]) -> [ChangeFreeze] {
        freezes.filter { $0.selector.matches(labels) }.map(\.freeze)
    }

    /// Whether any cluster could be gated at `now`: some policy has a window or some freeze holds.
    public func mayGate(at now: Date) -> Bool {
        entries.contains { !($0.policy.spec.maintenanceWindows ?? []).isEmpty } || freezes.contains { $0.freeze.isActive(at: now) }
    }

    /// Whether a rollout may change a cluster with `labels` at `now`.
    public func gate(for labels: [String: String], now: Date) -> ChangeGate {
        ChangeGate.evaluate(windows: windows(for: labels), freezes: freezes(for: labels), now: now)
    }

    /// The policy that drives a layer change: the highest-priority one among those behind a field that
    /// changes; nil when every changed field is one no fleet policy sets any more.
    public func driver(from old: FleetLayer, to new: FleetLayer) -> StoredFleetPolicy? {
        let before = old.policy.fields()
        let after = new.policy.fields()
        let names = Set(after.keys.filter { before[$0] != after[$0] }.compactMap { new.sources[$0]?.fleetPolicy })
        return entries.first { names.contains($0.policy.name) }?.policy
    }
}
