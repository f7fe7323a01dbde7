import ArgumentParser
import FleetEmbedded
import FleetStore
import Foundation
import Logging

/// `regfleet bench hub`.
struct BenchHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub", abstract: "Report ingestion over mutual TLS vs a bare route, and long-poll wake-up latency, on SQLite or PostgreSQL.",
        discussion: """
            --database sqlite (the default) runs on a SQLite file in a temporary directory; --database postgres starts a \
            throwaway PostgreSQL (Debian's postgresql package) for the run; a postgres:// URL runs on that database \
            (password from --database-password-file or REGFLEET_DATABASE_PASSWORD). --compare runs SQLite with one hub, \
            then PostgreSQL with one and with --replicas hubs (at least 2), in the same run, and prints them side by side.
            """)

    @Option(name: .long, help: "Agents sending reports.")
    var clusters = 50
    @Option(name: .long, help: "Reports to send (and requests to the bare route).")
    var reports = 20_000
    @Option(name: .long, help: "Requests in flight.")
    var concurrency = 128
    @Option(name: .long, help: "Long polls to hold.")
    var heldPolls = 1000
    @Option(name: .long, help: "Polls to wake, one at a time, for the latency figures.")
    var wakeSamples = 200
    @OptionGroup var store: BenchDatabaseOptions
    @Flag(name: .long, help: "Run SQLite ×1, PostgreSQL ×1 and PostgreSQL ×--replicas (at least 2) in one run and compare them.")
    var compare = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard clusters >= 1, reports >= 1, concurrency >= 1, heldPolls >= 1, wakeSamples >= 1 else {
            throw ValidationError("--clusters, --reports, --concurrency, --held-polls and --wake-samples must be at least 1")
        }
        try store.validate(sharedLater: compare)
    }

    func run() async throws {
        var logger = logging.makeLogger("bench")
        logger.logLevel = .error
        var options = HubBenchmark.Options()
        options.clusters = clusters
        options.reports = reports
        options.concurrency = concurrency
        options.heldPolls = heldPolls
        options.wakeSamples = min(wakeSamples, heldPolls)
        let databases = store.databases()
        let replicas = store.replicas
        defer { databases.close() }
        let setups: [(engine: BenchDatabases.Engine, replicas: Int)] =
            compare ? [(.sqlite, 1), (.postgres, 1), (.postgres, max(2, replicas))] : [(databases.engine, replicas)]
        var rows: [(String, Int, HubBenchmark.Result)] = []
        for setup in setups {
            var run = options
            run.replicas = setup.replicas
            run.database = try await databases.location(for: setup.engine)
            run.namePrefix = "bench-" + UUID().uuidString.prefix(6).lowercased()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("regfleet-bench-hub-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let label = "\(setup.engine.rawValue) ×\(setup.replicas)"
            let result = try await HubBenchmark.run(options: run, directory: directory, logger: logger) { message in
                StandardError.write("… [\(label)] \(message)\n")
            }
            if !compare { print(Self.detail(result, engine: setup.engine.rawValue, replicas: setup.replicas)) }
            rows.append((setup.engine.rawValue, setup.replicas, result))
        }
        if compare { print(Self.table(rows)) }
        await databases.stop()
    }

    private static func detail(_ result: HubBenchmark.Result, engine: String, replicas: Int) -> String {
        let hubs = replicas == 1 ? "hub" : "\(replicas) hubs"
        return """
            report ingestion (\(hubs), \(engine), mTLS): \(result.ingestion)
            bare route (same mTLS):              \(result.echo)
            \(String(format: "hub cost / bare cost:                %.2f×", result.costRatio))
            store transactions for \(result.ingestion.count) reports: \(result.transactions)
            long-poll wake-up with \(result.held) held\(replicas > 1 ? " (change on replica 0, polls on all)" : ""):   \(result.wakeUp)
            """
    }

    private static func table(_ rows: [(String, Int, HubBenchmark.Result)]) -> String {
        let baseline = rows.first?.2.ingestion.rate ?? 1
        var lines = ["engine     replicas  reports/s  vs SQLite  ingest p50  ingest p99  wake p50  wake p99  tx/report"]
        for (engine, replicas, result) in rows {
            lines.append(
                engine.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(
                    format: " %8d  %9.0f  %8.2f×  %8.1f ms  %8.1f ms  %5.1f ms  %5.1f ms  %9.3f", replicas, result.ingestion.rate,
                    result.ingestion.rate / max(baseline, 1), result.ingestion.p50 * 1000, result.ingestion.p99 * 1000, result.wakeUp.p50 * 1000,
                    result.wakeUp.p99 * 1000, Double(result.transactions) / Double(max(1, result.ingestion.count))))
        }
        return lines.joined(separator: "\n")
    }
}
