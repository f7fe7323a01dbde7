import ArgumentParser
import FleetEmbedded
import FleetHub
import Foundation
import RegistryModel

/// `regfleet bench fleet-agents`: the agent processes of `bench fleet` (hidden; the benchmark starts them).
struct BenchFleetAgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet-agents", abstract: "Run the agents of one `bench fleet` plan file until SIGTERM.", shouldDisplay: false)

    @Option(name: .long, help: "The plan file written by `regfleet bench fleet`.")
    var plan: String

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger("bench-agents")
        _ = FileDescriptorLimit.raiseToHardLimit()
        let plan = try JSONCoding.decode(AgentSwarmPlan.self, from: try Data(contentsOf: URL(fileURLWithPath: plan)))
        try await SignalWaiter.runUntilInterrupted {
            try await AgentSwarm.run(plan, logger: logger)
        }
    }
}
