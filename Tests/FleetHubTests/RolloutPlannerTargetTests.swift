import FleetHub
import FleetModel
import RegistryModel
import Testing

/// What a rollout writes to each cluster: the plan's change over the cluster's policy, with pruner schedules
/// spread per cluster when the plan asks.
@Suite struct RolloutPlannerTargetTests {
    static func plan(_ change: FleetPolicy) -> RolloutPlan {
        RolloutPlan(selector: RolloutPlan.allClusters, change: change, strategy: RolloutStrategy(), staggerPrunerSchedules: true)
    }

    /// A schedule is spread by cluster name: the same cluster gets the same minute, and the rest of the schedule stays.
    @Test func schedulesAreSpreadPerCluster() throws {
        let plan = Self.plan(FleetPolicy(pruner: PrunerPolicy(schedule: "0 3 * * *")))
        let first = try RolloutPlanner.target(current: FleetPolicy(), plan: plan, cluster: "edge-1").pruner?.schedule
        #expect(first == (try RolloutPlanner.target(current: FleetPolicy(), plan: plan, cluster: "edge-1").pruner?.schedule))
        #expect(first?.hasSuffix(" 3 * * *") == true, "\(first ?? "nil")")
    }

    /// An empty schedule means unset, as a policy write accepts it; staggering leaves it alone instead of refusing the plan.
    @Test func anUnsetScheduleIsNotSpread() throws {
        let plan = Self.plan(FleetPolicy(pruner: PrunerPolicy(schedule: "")))
        #expect(try RolloutPlanner.target(current: FleetPolicy(), plan: plan, cluster: "edge-1").pruner?.schedule == "")
        let unset = Self.plan(FleetPolicy(registry: RegistryPolicy(replicas: 2)))
        #expect(try RolloutPlanner.target(current: FleetPolicy(), plan: unset, cluster: "edge-1").pruner?.schedule == nil)
    }
}
