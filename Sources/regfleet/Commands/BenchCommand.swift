import ArgumentParser

/// `regfleet bench`: the benchmarks, one subcommand per component.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark.",
        subcommands: [
            BenchPruneCommand.self,
        ]
    )
}
