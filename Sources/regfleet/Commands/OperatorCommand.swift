import ArgumentParser

/// `regfleet operator`: the Image Registry Operator alone, against one cluster.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Run the Image Registry Operator against one cluster."
    )

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        throw ValidationError("the operator is not wired yet")
    }
}
