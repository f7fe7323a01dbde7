import Foundation
import KubeClient
import KubeSimulator
import Logging
import RegistryModel
import Testing
@testable import RegistryOperator

/// A simulated cluster on a manual clock and the reconciler against it; `converge` alternates
/// reconcile passes with simulated time and controller rounds until a condition holds.
struct ReconcilerHarness {
    let clock: ManualWallClock
    let cluster: SimulatedCluster
    let reconciler: RegistryReconciler

    init(options: OperatorOptions = OperatorOptions(), simulation: SimulationOptions = SimulationOptions(podReadyDelay: .seconds(2))) {
        clock = ManualWallClock()
        cluster = SimulatedCluster(name: "test", clock: clock, options: simulation)
        var logger = Logger(label: "test.operator")
        logger.logLevel = .critical
        reconciler = RegistryReconciler(api: cluster, clock: clock, options: options, logger: logger)
    }

    /// Runs passes, advancing the clock by `tick` seconds and stepping the controllers between
    /// them, until `done` holds; fails after `maxPasses`.
    @discardableResult
    func converge(tick: TimeInterval = 1, maxPasses: Int = 60, until done: (Config?) async throws -> Bool) async throws -> ReconcileResult {
        var last: ReconcileResult?
        for _ in 0..<maxPasses {
            last = try await reconciler.reconcile()
            if try await done(config()) { return last! }
            clock.advance(by: tick)
            await cluster.step()
        }
        let conditions = try await config()?.status?.conditions ?? []
        Issue.record("did not converge; conditions: \(conditions.map { "\($0.type)=\($0.status.rawValue)/\($0.reason ?? "")" })")
        throw HarnessError.notConverged
    }

    enum HarnessError: Error { case notConverged }

    func config() async throws -> Config? { try await cluster.getIfExists(Config.self, name: RegistryNames.singleton) }
    func pruner() async throws -> ImagePruner? { try await cluster.getIfExists(ImagePruner.self, name: RegistryNames.singleton) }

    /// Sets fields of Config/cluster's spec.
    func editConfig(_ change: (inout ConfigSpec) -> Void) async throws {
        var config = try await cluster.get(Config.self, name: RegistryNames.singleton)
        change(&config.spec)
        _ = try await cluster.update(config)
    }

    /// Sets fields of ImagePruner/cluster's spec.
    func editPruner(_ change: (inout ImagePrunerSpec) -> Void) async throws {
        var pruner = try await cluster.get(ImagePruner.self, name: RegistryNames.singleton)
        change(&pruner.spec)
        _ = try await cluster.update(pruner)
    }

    func exists(_ resource: ResourceType, _ name: String, namespaced: Bool = true) async throws -> Bool {
        try await cluster.getIfExists(resource, namespace: namespaced ? RegistryNames.namespace : nil, name: name) != nil
    }
}

extension Config {
    /// Available=True, Progressing=False, Degraded=False and the status is current.
    var isSettledHealthy: Bool {
        let conditions = status?.conditions ?? []
        return conditions.has("Available", .true) && conditions.has("Progressing", .false) && conditions.has("Degraded", .false)
            && status?.observedGeneration == metadata.generation
    }
}
