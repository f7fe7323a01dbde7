import ArgumentParser
import FleetEmbedded
import Foundation
import RegistryModel

/// `regfleet bench fleet`: the hub as its own process and N real agents in K others, over mutual TLS.
struct BenchFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "A hub and N agents on simulated clusters in K processes: enrollment, propagation, rollouts, hub cost.",
        discussion: """
            Runs `regfleet hub` (SQLite on disk) as a child process and N agents spread over K `regfleet bench fleet-agents` \
            processes, all over mutual TLS on loopback. Raise the open-file limit first for large fleets (ulimit -n 20000): \
            the hub holds about two connections per agent. Progress goes to stderr, the figures to stdout.
            --database postgres (a throwaway local PostgreSQL) or a postgres:// URL runs the hub on PostgreSQL; with \
            --replicas N it runs N hub processes on it, every agent given every replica's URL.
            """)

    @Option(name: .long, help: "Clusters (agents), each with its own simulated cluster.")
    var clusters = 100
    @Option(name: .long, help: "Processes the agents are spread over.")
    var agentProcesses = 1
    @Option(name: [.short, .long], help: "Output: table or json.")
    var output: OutputFormat = .table
    @Option(name: .long, help: "Agent heartbeat, a Go duration (the hub's lease is three of these).")
    var reportInterval: DurationArgument = "30s"
    @Option(name: .long, help: "How long to measure the hub at rest, a Go duration.")
    var rest: DurationArgument = "30s"
    @Option(name: .long, help: "Work directory (kept); a temporary one, removed afterwards, when absent.")
    var directory: String?
    @OptionGroup var store: BenchDatabaseOptions

    func validate() throws {
        guard (1...20_000).contains(clusters) else { throw ValidationError("--clusters must be between 1 and 20000, got \(clusters)") }
        guard (1...64).contains(agentProcesses) else { throw ValidationError("--agent-processes must be between 1 and 64, got \(agentProcesses)") }
        guard output != .yaml else { throw ValidationError("--output must be table or json") }
        guard reportInterval.seconds >= 1, rest.seconds >= 1 else { throw ValidationError("--report-interval and --rest must be at least 1s") }
        try store.validate(sharedLater: false)
    }

    func run() async throws {
        var options = FleetBenchmark.Options()
        options.clusters = clusters
        options.agentProcesses = agentProcesses
        options.reportInterval = reportInterval.seconds
        options.restSeconds = rest.seconds
        let work = directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("regfleet-bench-fleet-\(UUID().uuidString)")
        defer { if directory == nil { try? FileManager.default.removeItem(at: work) } }
        let databases = store.databases()
        defer { databases.close() }
        if let hubDatabase = try await databases.hubArguments(for: databases.engine, directory: work) {
            options.database = hubDatabase.database
            options.databasePasswordFile = hubDatabase.passwordFile
        }
        options.replicas = store.replicas
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let benchmark = FleetBenchmark(options: options, executable: executable, directory: work) { message in
            StandardError.write("… \(message)\n")
        }
        let result = try await benchmark.run()
        await databases.stop()
        switch output {
        case .json: print(String(decoding: try JSONCoding.encode(result), as: UTF8.self))
        default: print(result.table)
        }
    }
}
