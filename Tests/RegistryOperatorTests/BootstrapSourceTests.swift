import Foundation
import KubeClient
import KubeSimulator
import Logging
import RegistryModel
import Testing
@testable import RegistryOperator

/// A spec supplied by the embedder (the agent's desired state) for re-created singletons.
struct FixedBootstrapSource: BootstrapSpecSource {
    var config: ConfigSpec?
    var pruner: ImagePrunerSpec?
    func configSpec(default spec: ConfigSpec) async -> ConfigSpec { config ?? spec }
    func prunerSpec(default spec: ImagePrunerSpec) async -> ImagePrunerSpec { pruner ?? spec }
}

@Suite struct BootstrapSourceTests {
    /// A deleted Config/cluster is re-created from the supplied spec (Removed), not as Managed with defaults, and the runtime stays down.
    @Test func recreatedConfigUsesTheSuppliedSpec() async throws {
        let harness = ReconcilerHarness()
        var logger = Logger(label: "test.operator")
        logger.logLevel = .critical
        var pruner = ImagePrunerSpec.bootstrap
        pruner.suspend = true
        let source = FixedBootstrapSource(config: ConfigSpec(managementState: .removed, replicas: 1, storage: StorageSpec(pvc: PVCStorage())), pruner: pruner)
        let reconciler = RegistryReconciler(api: harness.cluster, clock: harness.clock, logger: logger, bootstrapSource: source)
        _ = try await reconciler.reconcile()
        #expect(try await harness.config()?.spec.managementState == .removed)
        #expect(try await harness.pruner()?.spec.suspend == true)
        try await harness.editConfig { $0.managementState = .managed }
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.cluster.delete(Config.self, name: RegistryNames.singleton)
        _ = try await reconciler.reconcile()
        _ = try await reconciler.reconcile()
        let recreated = try #require(try await harness.config())
        #expect(recreated.metadata.deletionTimestamp == nil)
        #expect(recreated.spec.managementState == .removed)
        #expect(try await !harness.exists(.deployments, RegistryNames.registryDeployment))
    }

    /// Without a source the operator bootstraps upstream's defaults.
    @Test func defaultsWithoutASource() async throws {
        let harness = ReconcilerHarness()
        _ = try await harness.reconciler.reconcile()
        let config = try #require(try await harness.config())
        #expect(config.spec.managementState == .managed)
        #expect(config.spec.replicas == 1)
    }
}
