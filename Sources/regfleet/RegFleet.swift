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
            exit(withError: error)
        }
    }
}
