import FleetModel
import FleetStore
import Foundation
import RegistryModel
import Testing

/// The database engines the store runs on; tests that hold for both take this as an argument.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A fresh store per test with a manual clock: a SQLite file in a unique temporary directory
/// (removed when the fixture goes away), or a new database on the test process's PostgreSQL.
final class StoreFixture: Sendable {
    /// The directory holding the store file, unique per test.
    let directory: URL
    /// The clock every store opened here uses.
    let clock = ManualWallClock(Date(timeIntervalSince1970: 1_790_000_000))
    /// The store file (SQLite).
    let path: String
    /// Which engine.
    let kind: StoreKind
    /// The database (PostgreSQL).
    let location: StoreLocation

    /// Creates the directory, or the database.
    init(_ kind: StoreKind = .sqlite) async throws {
        self.kind = kind
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fleetstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("hub.sqlite").path
        switch kind {
        case .sqlite:
            location = .sqlite(path: path)
        case .postgres:
            let server = try await TestPostgres.shared()
            let database = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
            try await server.createDatabase(database)
            location = .postgres(server.settings(database: database))
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Opens (or reopens) the store.
    func open(_ configuration: FleetStoreConfiguration = FleetStoreConfiguration()) async throws -> FleetStore {
        try await FleetStore.open(location, clock: clock, configuration: configuration)
    }

    /// Every byte the database has written: the main file and its WAL.
    func fileContents() throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: path + "-wal")) { data.append(wal) }
        return data
    }
}

extension FleetStore {
    /// Creates a token for `name` and enrolls with it, as the hub's enrollment does.
    @discardableResult
    func enrollCluster(_ name: String, labels: [String: String] = [:]) async throws -> ClusterRecord {
        let token = try await createToken(cluster: name, labels: labels, ttl: 3600, createdBy: "admin/alice")
        return try await enroll(token: token.token, cluster: name)
    }
}

/// Builders for wire values.
enum Fixtures {
    /// A minimal healthy report with `sequence`.
    static func report(_ sequence: Int64, pruneRuns: [String] = [], at date: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> AgentReport {
        AgentReport(
            sequence: sequence, observedGeneration: 1, agentVersion: "0.1.0", collectedAt: date,
            registry: RegistryObservation(
                managementState: .managed, conditions: [Condition(type: "Available", status: .true, reason: "Ready")]),
            pruneResults: pruneRuns.isEmpty ? nil : pruneRuns.map { pruneRun($0, finishedAt: date) })
    }

    /// A prune run with `runID` that finished at `finishedAt`.
    static func pruneRun(_ runID: String, finishedAt: Date) -> PruneReport {
        PruneReport(
            runID: runID, registryURL: "https://registry.example:5000", dryRun: false, startedAt: finishedAt.addingTimeInterval(-30),
            finishedAt: finishedAt, repositoriesScanned: 3, manifestsScanned: 40, keptByRule: ["young": 30], deleted: 10,
            reclaimableBytes: 4096)
    }

    /// A policy with the registry at `replicas` replicas.
    static func policy(replicas: Int) -> FleetPolicy {
        FleetPolicy(registry: RegistryPolicy(managementState: .managed, replicas: replicas), pruner: PrunerPolicy(schedule: "0 3 * * *"))
    }
}

/// Waits until `condition` holds, polling; fails with a timeout error after `timeout` seconds.
func waitUntil(timeout: TimeInterval = 10, _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try await !condition() {
        guard Date() < deadline else { throw WaitTimeout() }
        try await Task.sleep(for: .milliseconds(2))
    }
}

/// `waitUntil` ran out of time.
struct WaitTimeout: Error {}
