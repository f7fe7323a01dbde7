import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import RegistryOperator
import Testing

/// Simulated clusters driven by a manual clock, for the applier and report tests.
enum SimulatedClusters {
    /// A cluster with a deterministic seed and its clock.
    static func make(_ name: String = "edge-1") -> (SimulatedCluster, ManualWallClock) {
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_790_000_000))
        return (SimulatedCluster(name: name, clock: clock, options: SimulationOptions(seed: 7), logger: quietLogger), clock)
    }

    /// Runs operator passes, advancing the clock and the controllers between them, until `done` holds.
    static func reconcile(
        _ cluster: SimulatedCluster, clock: ManualWallClock, passes: Int = 40, until done: (Config?) -> Bool
    ) async throws {
        let reconciler = RegistryReconciler(api: cluster, clock: clock, logger: quietLogger)
        for _ in 0..<passes {
            _ = try await reconciler.reconcile()
            await cluster.step()
            if done(try await cluster.getIfExists(Config.self, name: RegistryNames.singleton)) { return }
            clock.advance(by: 3)
            await cluster.step()
        }
        Issue.record("the operator did not reach the expected state in \(passes) passes")
    }

    /// True when Config/cluster reports Available=True and nothing in progress.
    static func isAvailable(_ config: Config?) -> Bool {
        let conditions = config?.status?.conditions ?? []
        return conditions.has(ConfigConditionType.available, .true) && !conditions.has(ConfigConditionType.progressing, .true)
    }
}
