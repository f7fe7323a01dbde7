import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import RegistryOperator

/// Drives the operator's reconciler against an API (over the wire in these tests) and the
/// simulated cluster behind it: a reconcile pass, then the cluster's controllers, then time.
struct OperatorDriver {
    let reconciler: RegistryReconciler
    let api: any KubernetesAPI
    let cluster: SimulatedCluster
    let clock: ManualWallClock

    init(api: any KubernetesAPI, cluster: SimulatedCluster, clock: ManualWallClock) {
        self.api = api
        self.cluster = cluster
        self.clock = clock
        reconciler = RegistryReconciler(api: api, clock: clock, logger: quietLogger)
    }

    /// Runs passes until `done` holds for Config/cluster; throws after `maxPasses`.
    @discardableResult
    func converge(_ what: String, maxPasses: Int = 30, until done: (Config) -> Bool) async throws -> Config {
        for _ in 0..<maxPasses {
            _ = try await reconciler.reconcile()
            await cluster.step()
            clock.advance(by: 3)
            let config = try await api.get(Config.self, name: RegistryNames.singleton)
            if done(config) { return config }
        }
        throw WaitTimeout(what: what)
    }

    /// Config/cluster's conditions as `Type=Status` for readable failures.
    static func conditions(_ config: Config) -> [String: ConditionStatus] {
        Dictionary((config.status?.conditions ?? []).map { ($0.type, $0.status) }, uniquingKeysWith: { first, _ in first })
    }

    /// Available=True, Progressing=False, Degraded=False.
    static func isHealthy(_ config: Config) -> Bool {
        let conditions = config.status?.conditions ?? []
        return conditions.has("Available", .true) && conditions.has("Progressing", .false) && conditions.has("Degraded", .false)
            && config.status?.observedGeneration == config.metadata.generation
    }
}
