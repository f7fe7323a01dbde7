import FleetClient
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// `regfleet rollout status` as a pipeline uses it.
struct RolloutStatusCommandTests {
    /// `status --watch` of a rollout that ended Aborted exits non-zero, says why on stderr, and shows the
    /// clusters it never started as not started; the rollout is found by its name, and `describe` tells the
    /// plan, each cluster's state and the control events.
    @Test func watchFailsUnlessTheRolloutSucceeded() async throws {
        let fixture = try await CLIHub("rollout-status")
        let admin = fixture.admin
        for name in ["edge-1", "edge-2"] { try await fixture.enroll(name).shutdown() }
        let rollout = try await admin.createRollout(
            RolloutPlan(
                name: "two-replicas", selector: RolloutPlan.allClusters, change: FleetPolicy(registry: RegistryPolicy(replicas: 2)),
                strategy: RolloutStrategy(canary: CanarySpec(count: 1), maxConcurrency: .count(1), progressDeadlineSeconds: 600)))
        _ = try await admin.controlRollout(rollout.id, action: .abort)
        let watched = try await fixture.run(["rollout", "status", "two-replicas", "-w", "--interval", "200ms"])
        #expect(watched.status != 0, "\(watched.stdout)")
        #expect(watched.stderr.contains("rollout \(rollout.id) ended Aborted"), "\(watched.stderr)")
        #expect(watched.stdout.contains("not started"), "\(watched.stdout)")
        #expect(!watched.stdout.contains("in progress"), "\(watched.stdout)")

        let described = try await fixture.run(["rollout", "describe", "two-replicas"])
        #expect(described.status == 0, "\(described.stderr)")
        for expected in ["Name:       two-replicas (\(rollout.id))", "Phase:      Aborted", "Selector:   * (every cluster)", "canary:", "edge-1", "edge-2",
            "rollout.control  by admin/admin"] {
            #expect(described.stdout.contains(expected), "\(expected) in:\n\(described.stdout)")
        }

        let once = try await fixture.run(["rollout", "status", rollout.id])
        #expect(once.status == 0, "without --watch the status is only shown: \(once.stderr)")
        try await fixture.stop()
    }
}
