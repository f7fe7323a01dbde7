import ArgumentParser
import FleetEmbedded
import Foundation
import Logging

/// `regfleet bench hub`.
struct BenchHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub", abstract: "Report ingestion over mutual TLS vs a bare route, and long-poll wake-up latency.")

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

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var logger = logging.makeLogger("bench")
        logger.logLevel = .error
        var options = HubBenchmark.Options()
        options.clusters = clusters
        options.reports = reports
        options.concurrency = concurrency
        options.heldPolls = heldPolls
        options.wakeSamples = min(wakeSamples, heldPolls)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("regfleet-bench-hub-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await HubBenchmark.run(options: options, directory: directory, logger: logger) { message in
            FileHandle.standardError.write(Data("… \(message)\n".utf8))
        }
        print("report ingestion (hub, SQLite, mTLS): \(result.ingestion)")
        print("bare route (same mTLS):              \(result.echo)")
        print(String(format: "hub cost / bare cost:                %.2f×", result.costRatio))
        print("SQLite transactions for \(result.ingestion.count) reports: \(result.transactions)")
        print("long-poll wake-up with \(result.held) held:   \(result.wakeUp)")
    }
}
