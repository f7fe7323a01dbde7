import ArgumentParser
import FleetStore
import Foundation

/// `regfleet bench store`: report ingestion into the hub's SQLite store with group commit.
struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Measure report ingestion into the hub store (reports/s, acknowledgement latency, transactions)."
    )

    @Option(help: "Clusters reporting.")
    var clusters: Int = 50

    @Option(help: "Reports each cluster sends.")
    var reportsPerCluster: Int = 200

    @Option(help: "Reports in flight at once.")
    var concurrency: Int = 256

    @Option(help: "Reports per group-commit transaction at most.")
    var batchSize: Int = FleetStoreConfiguration().reportBatchSize

    @Option(help: "SQLite file to create (must not exist); a temporary file, removed afterwards, when absent.")
    var path: String?

    @OptionGroup var logging: LoggingOptions

    /// Runs the benchmark in a fresh file and prints its figures.
    func run() async throws {
        let logger = logging.makeLogger("bench")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("regfleet-bench-\(UUID().uuidString)")
        if path == nil { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        defer { if path == nil { try? FileManager.default.removeItem(at: directory) } }
        let file = path ?? directory.appendingPathComponent("hub.sqlite").path
        let result = try await StoreBenchmark.ingest(
            path: file, clusters: clusters, reportsPerCluster: reportsPerCluster, concurrency: concurrency,
            configuration: FleetStoreConfiguration(reportBatchSize: batchSize), logger: logger)
        print("store ingest: \(clusters) clusters × \(reportsPerCluster) reports, concurrency \(concurrency), batch size \(batchSize)")
        print(result)
    }
}
