import FleetModel
import Foundation
import RegistryModel

/// Decides, purely, which clusters a plan selects and in which waves, and what each cluster's
/// policy becomes.
public enum RolloutPlanner {
    /// A cluster as the planner needs it.
    public struct Candidate: Sendable, Hashable {
        public var name: String
        public var labels: [String: String]
        /// Whether the plan's change moves this cluster's policy; a canary count prefers these, since a
        /// canary with nothing to apply proves nothing.
        public var changes: Bool
        public init(name: String, labels: [String: String], changes: Bool = true) {
            self.name = name
            self.labels = labels
            self.changes = changes
        }
    }

    /// Waves of cluster names: the canary first (when the plan has one), then chunks of
    /// `maxConcurrency`, everything in name order. A canary count takes the first clusters the change
    /// moves, then (when fewer are moved than asked) the first of the others.
    public static func waves(plan: RolloutPlan, candidates: [Candidate]) throws -> [(name: String, clusters: [String])] {
        let selector = try plan.labelSelector()
        let selected = candidates.filter { selector.matches($0.labels) }.sorted { $0.name < $1.name }
        guard !selected.isEmpty else { throw HubError(.conflict, "selector \"\(plan.selector)\" matches no cluster", field: "selector") }
        var waves: [(String, [String])] = []
        var rest = selected
        if let canary = plan.strategy.canary {
            let chosen: [Candidate]
            if let count = canary.count {
                chosen = Array((selected.filter(\.changes) + selected.filter { !$0.changes }).prefix(count))
            } else {
                let canarySelector = try LabelSelector(parsing: canary.selector ?? "")
                chosen = selected.filter { canarySelector.matches($0.labels) }
            }
            guard !chosen.isEmpty else {
                throw HubError(.conflict, "the canary selects none of the rollout's clusters", field: "strategy.canary")
            }
            waves.append(("canary", chosen.map(\.name)))
            let canaryNames = Set(chosen.map(\.name))
            rest.removeAll { canaryNames.contains($0.name) }
        }
        let size = plan.strategy.maxConcurrency.resolve(total: rest.count, minimum: 1)
        var index = 0
        while index < rest.count {
            waves.append(("wave-\(waves.count + (plan.strategy.canary == nil ? 1 : 0))", rest[index..<min(index + size, rest.count)].map(\.name)))
            index += size
        }
        return waves
    }

    /// A cluster's policy after the change, with its pruner schedule spread when asked.
    public static func target(current: FleetPolicy, plan: RolloutPlan, cluster: String) throws -> FleetPolicy {
        var target = current.merging(plan.change)
        if plan.staggerPrunerSchedules == true, let schedule = target.pruner?.schedule, !schedule.isEmpty {
            do {
                target.pruner?.schedule = try CronSchedule.spread(schedule, key: cluster).expression
            } catch {
                throw HubError(.invalid, "change.pruner.schedule: \(error.message)", field: "change.pruner.schedule")
            }
        }
        return target
    }
}
