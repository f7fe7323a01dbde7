import FleetStore
import Foundation
import Testing

@Suite struct StoreBenchmarkTests {
    /// The benchmark acknowledges every report it sends and counts the transactions it used.
    @Test func benchmarkAcknowledgesEveryReport() async throws {
        let fixture = try await StoreFixture()
        let result = try await StoreBenchmark.ingest(path: fixture.path, clusters: 3, reportsPerCluster: 20, concurrency: 8)
        #expect(result.reports == 60)
        #expect((1...60).contains(result.transactions))
        #expect(result.p50Milliseconds <= result.p99Milliseconds)
    }

    /// The benchmark refuses to write into an existing file (it could be a hub's database).
    @Test func benchmarkRefusesAnExistingFile() async throws {
        let fixture = try await StoreFixture()
        try Data().write(to: URL(fileURLWithPath: fixture.path))
        await #expect(throws: StoreError(code: .alreadyExists, message: "")) {
            _ = try await StoreBenchmark.ingest(path: fixture.path, clusters: 1, reportsPerCluster: 1, concurrency: 1)
        }
    }
}
