import ArgumentParser
import Foundation

/// `regfleet`: one executable for the hub, the agent, the operator, the pruner, the demo and the
/// admin CLI. Each subcommand only turns flags into a configuration and calls one function.
@main
struct RegFleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regfleet",
        abstract: "Fleet controller for the Registry v2 Image Registry Operator.",
        version: "0.1.0",
        subcommands: [
            HubCommand.self,
            AgentCommand.self,
            OperatorCommand.self,
            DemoCommand.self,
            SimAPIServerCommand.self,
            PruneCommand.self,
            PKICommand.self,
            TokenCommand.self,
            ClusterCommand.self,
            PolicyCommand.self,
            RolloutCommand.self,
            FleetPolicyCommand.self,
            FreezeCommand.self,
            ConfigCommand.self,
            HealthCommand.self,
            PruneResultsCommand.self,
            AuditCommand.self,
            BenchCommand.self,
        ]
    )

    /// Parses with the connection flags allowed before the subcommand (`GlobalArguments`), then runs.
    static func main() async {
        do {
            var command = try parseAsRoot(GlobalArguments.reordered(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Help and --version print as ArgumentParser prints them; every error is one line, without the
            // usage block (a hint says where the flags are described).
            guard exitCode(for: error) != .success else { exit(withError: error) }
            let lines = fullMessage(for: error).split(separator: "\n").map(String.init)
            var first = lines.first ?? "\(error)"
            // A value the flag refused: say what the flag takes (its help), on the same line.
            if !first.contains("Please provide"), let help = lines.dropFirst().first(where: { $0.hasPrefix("Help:") }), let what = help.components(separatedBy: "  ").last(where: { !$0.isEmpty }) {
                first += ": " + what.trimmingCharacters(in: .whitespaces)
            }
            let line = first.hasPrefix("Error: ") ? first : "Error: " + first
            let hint = error is ValidationError || exitCode(for: error) == .validationFailure ? " (regfleet help lists the commands; add --help to one for its flags)" : ""
            StandardError.write(line + hint + "\n")
            Foundation.exit(exitCode(for: error).rawValue)
        }
    }
}
