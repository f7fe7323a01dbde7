import FleetModel
import FleetPKI
import Foundation
import Logging
import RegistryModel
import Testing

@testable import FleetHub
@testable import FleetStore

/// Rollouts over a fleet far larger than the engine tests use, with the store counting its
/// statements: planning must cost a constant number of queries, not one (or three) per cluster.
@Suite(.serialized) struct RolloutScaleTests {
    static let fleetSize = 2000

    /// A rollout engine over `fleetSize` clusters enrolled directly through a statement-counting store.
    struct Fleet {
        let directory: URL
        let store: FleetStore
        let engine: RolloutEngine

        static func start() async throws -> Fleet {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rollout-scale-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let clock = ManualWallClock(Date())
            let pki = PKIDirectory(path: directory.appendingPathComponent("pki").path)
            try pki.initialize(hubSANs: ["127.0.0.1"], now: clock.now().addingTimeInterval(-60))
            var logger = Logger(label: "test.scale")
            logger.logLevel = .critical
            let databasePath = directory.appendingPathComponent("hub.sqlite").path
            let store = try FleetStore(path: databasePath, clock: clock, logger: logger, configuration: FleetStoreConfiguration(countsStatements: true))
            try await store.enrollDirectly(
                (0..<fleetSize).map { (String(format: "c%04d", $0), ["env": $0 % 2 == 0 ? "prod" : "dev"]) }, at: clock.now())
            let services = try await HubServices(
                configuration: HubConfiguration(databasePath: databasePath, pkiDirectory: pki.path), store: store,
                authority: try pki.loadCertificateAuthority(), clock: clock, logger: logger)
            return Fleet(directory: directory, store: store, engine: RolloutEngine(services: services))
        }

        func stop() async {
            try? await store.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func plan(_ change: FleetPolicy = FleetPolicy(registry: RegistryPolicy(replicas: 3)), dryRun: Bool = false) -> RolloutPlan {
        var plan = RolloutPlan(
            name: "scale", selector: RolloutPlan.allClusters, change: change,
            strategy: RolloutStrategy(canary: CanarySpec(count: 1), maxConcurrency: .percent(25), soakSeconds: 10, progressDeadlineSeconds: 600))
        plan.dryRun = dryRun
        return plan
    }

    /// Over 2,000 clusters a dry run reads in three statements, a refused Removed plan and a created rollout read the fleet in one, and the request writes no policy.
    @Test func planningReadsTheFleetOnce() async throws {
        let fleet = try await Fleet.start()
        do {
            var before = fleet.store.statementsExecuted
            guard case .preview(let preview) = try await fleet.engine.create(Self.plan(dryRun: true), actor: "admin/test") else {
                Issue.record("expected a preview")
                await fleet.stop()
                return
            }
            #expect(fleet.store.statementsExecuted - before == 3, "a dry run is three queries whatever the fleet's size: the candidates, the active rollouts, the health")
            #expect(preview.waves.map(\.clusters.count) == [1, 500, 500, 500, 499])

            before = fleet.store.statementsExecuted
            await #expect(throws: HubError.self) {
                try await fleet.engine.create(Self.plan(FleetPolicy(registry: RegistryPolicy(managementState: .removed))), actor: "admin/test")
            }
            #expect(fleet.store.statementsExecuted - before == 1, "the data-loss check needs no per-cluster read")

            before = fleet.store.statementsExecuted
            guard case .created(let rollout) = try await fleet.engine.create(Self.plan(), actor: "admin/test") else {
                Issue.record("expected a rollout")
                await fleet.stop()
                return
            }
            #expect(rollout.clusters.count == Self.fleetSize)
            #expect(rollout.clusters.allSatisfy { $0.state == .pending }, "no policy is written in the request")
            // The engine starts the canary on its own; wait for it with a deadline.
            try await waitUntil { try await fleet.engine.get(rollout.id).clusters[0].targetGeneration != nil }
            let started = try await fleet.engine.get(rollout.id)
            #expect(started.clusters.filter { $0.state == .applying }.map(\.name) == ["c0000"])
            // Planning and storing (4 statements) plus starting a one-cluster canary, against
            // thousands with a read per cluster.
            #expect(fleet.store.statementsExecuted - before < 40)
            #expect(try await fleet.store.policy(cluster: "c0000").generation == 1)
            #expect(try await fleet.store.policy(cluster: "c0001").generation == 0)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }

    /// A tick reads only the clusters it waits on (the canary), not the fleet's health, however large the fleet.
    @Test func tickReadsOnlyClustersInFlight() async throws {
        let fleet = try await Fleet.start()
        do {
            guard case .created(let rollout) = try await fleet.engine.create(Self.plan(), actor: "admin/test") else {
                Issue.record("expected a rollout")
                await fleet.stop()
                return
            }
            try await waitUntil { try await fleet.engine.get(rollout.id).clusters[0].targetGeneration != nil }
            let active = try await fleet.store.rollouts(activeOnly: true)
            #expect(active.map(RolloutStateMachine.reads) == [["c0000"]])
            let before = fleet.store.statementsExecuted
            try await fleet.engine.tick()
            // The engine's lease, the active rollouts, the canary's record, and at most one save of
            // the rollout (a compare-and-swap: the stored state, then the write).
            #expect(fleet.store.statementsExecuted - before <= 5)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }
}

extension FleetStore {
    /// Enrolls every cluster in one transaction, through the same row code as token enrollment,
    /// so a test fleet of thousands costs one fsync instead of two per cluster.
    func enrollDirectly(_ clusters: [(name: String, labels: [String: String])], at now: Date) async throws {
        let sqlite = try #require(backend as? SQLiteBackend, "the scale tests enroll through the SQLite backend's row code")
        try await sqlite.write("enroll \(clusters.count) test clusters") { db in
            for cluster in clusters { try SQLiteBackend.enroll(db, cluster: cluster.name, labels: cluster.labels, at: now) }
        }
    }
}
