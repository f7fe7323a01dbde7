import FleetStore
import Foundation
import RegistryModel
import Testing

@Suite struct StoreOpeningTests {
    /// Opening a new file runs every migration, and reopening keeps the data and runs nothing again.
    @Test func migrationsCreateTheSchemaAndReopeningKeepsData() async throws {
        let fixture = try await StoreFixture()
        let store = try await fixture.open()
        #expect(try await store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        try await store.enrollCluster("edge-1", labels: ["env": "prod"])
        try await store.putPolicy(cluster: "edge-1", policy: Fixtures.policy(replicas: 2), actor: "admin/alice")
        _ = try await store.ingest(cluster: "edge-1", report: Fixtures.report(1))
        try await store.close()

        let reopened = try await fixture.open()
        #expect(try await reopened.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        let cluster = try await reopened.cluster("edge-1")
        #expect(cluster.labels == ["env": "prod"])
        #expect(cluster.policyGeneration == 1)
        #expect(cluster.latestReport?.sequence == 1)
        #expect(try await reopened.policy(cluster: "edge-1").policy == Fixtures.policy(replicas: 2))
        try await reopened.close()
    }

    /// The writer connection runs WAL with synchronous=FULL and foreign keys, so an acknowledged write is durable.
    @Test func writerConnectionIsDurable() async throws {
        let fixture = try await StoreFixture()
        let store = try await fixture.open()
        let settings = try await store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)
        #expect(settings.foreignKeys)
        try await store.close()
    }

    /// After close every operation fails with `closed` instead of touching a closed file.
    @Test func operationsAfterCloseFailWithClosed() async throws {
        let fixture = try await StoreFixture()
        let store = try await fixture.open()
        try await store.enrollCluster("edge-1")
        try await store.close()
        await #expect(throws: StoreError(code: .closed, message: "")) { _ = try await store.ingest(cluster: "edge-1", report: Fixtures.report(1)) }
        await #expect(throws: StoreError(code: .closed, message: "")) { _ = try await store.cluster("edge-1") }
        await #expect(throws: StoreError(code: .closed, message: "")) {
            _ = try await store.createToken(cluster: "edge-2", ttl: 60, createdBy: "admin/alice")
        }
    }

    /// A path that cannot be opened is a `database` error naming the path.
    @Test func unopenablePathIsADatabaseError() async throws {
        let fixture = try await StoreFixture()
        let path = fixture.directory.appendingPathComponent("missing/dir/hub.sqlite").path
        let error = #expect(throws: StoreError.self) { _ = try FleetStore(path: path, clock: fixture.clock) }
        #expect(error?.code == .database)
        #expect(error?.message.contains(path) == true)
    }
}
