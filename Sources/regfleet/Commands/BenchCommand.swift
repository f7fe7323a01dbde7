import ArgumentParser

/// `regfleet bench`: the benchmarks whose figures the docs quote.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks",
        subcommands: [
            BenchStoreCommand.self,
            BenchPruneCommand.self,
            BenchHubCommand.self,
            BenchFleetCommand.self,
            BenchFleetAgentsCommand.self,
        ]
    )
}
