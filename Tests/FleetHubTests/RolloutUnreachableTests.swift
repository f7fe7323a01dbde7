import FleetHub
import FleetModel
import Foundation
import RegistryModel
import Testing

/// How a rollout treats a cluster whose agent reports but cannot reach its cluster's API server.
struct RolloutUnreachableTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    /// A cluster of a rollout on generation 7, applying since `start`.
    static func applying() -> RolloutCluster {
        var cluster = RolloutCluster(name: "edge-1", wave: 0, state: .applying)
        cluster.targetGeneration = 7
        cluster.targetPolicy = FleetPolicy(registry: RegistryPolicy(replicas: 2))
        cluster.appliedAt = start
        return cluster
    }

    /// The summary of an Unreachable cluster that last observed generation 7 applied.
    static func unreachable() -> ClusterSummary {
        ClusterSummary(
            name: "edge-1", labels: [:], enrolledAt: start,
            health: ClusterHealth(state: .unreachable, reason: "ClusterAPIUnreachable", message: "cannot reach the API server: connection refused"),
            desiredGeneration: 7, observedGeneration: 7, managementState: .managed, lastReportAt: start, agentVersion: "0.1.0")
    }

    /// Unreachable is not success (even with the generation applied when last seen) and not a failure before the
    /// deadline: the cluster stays Applying with the reason shown, and fails at the progress deadline.
    @Test func unreachableBlocksConfirmationUntilTheDeadline() {
        let strategy = RolloutStrategy(soakSeconds: 0, progressDeadlineSeconds: 60)
        var soaking = Self.applying()
        soaking.state = .soaking
        soaking.healthySince = Self.start
        let early = RolloutEvaluator.evaluate(soaking, summary: Self.unreachable(), strategy: strategy, now: Self.start.addingTimeInterval(10))
        #expect(early.state == .applying)
        #expect(early.healthySince == nil, "the soak starts over")
        #expect(early.message?.contains("cannot confirm: Unreachable (ClusterAPIUnreachable)") == true, "\(early.message ?? "")")

        let late = RolloutEvaluator.evaluate(early, summary: Self.unreachable(), strategy: strategy, now: Self.start.addingTimeInterval(61))
        #expect(late.state == .failed)
        #expect(late.message?.contains("ClusterAPIUnreachable") == true)
    }
}
