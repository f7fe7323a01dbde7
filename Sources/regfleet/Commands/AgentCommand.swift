import ArgumentParser
import FleetAgent
import Foundation
import KubeClient
import KubeSimulator
import Logging

/// `regfleet agent`: the per-cluster agent — enrolls with the hub, keeps the cluster on its policy, reports.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the fleet agent for one cluster: enroll, apply the hub's policy through the operator, report health."
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The hub's base URL, e.g. https://hub.example.com:8443.",
            discussion: "For an HA hub give every replica, comma-separated (https://hub-0:8443,https://hub-1:8443), or one Service address in front of them; the agent moves to the next replica when one is unavailable."))
    var hub: String

    @Option(name: .long, help: "This cluster's name on the hub (a DNS-1123 label).")
    var cluster: String

    @Option(name: .customLong("ca-file"), help: "PEM file with the fleet CA that verifies the hub's certificate.")
    var caFile: String

    @Option(name: .long, help: "Bootstrap token for the first enrollment (prefer --token-file).")
    var bootstrapToken: String?

    @Option(name: .long, help: "File holding the bootstrap token for the first enrollment.")
    var tokenFile: String?

    @Option(name: .customLong("state-dir"), help: "Directory for the agent's key, certificates, cached policy and report queue.")
    var stateDir: String

    @Flag(name: .long, help: "Run against an in-memory simulated cluster named after --cluster.")
    var simulated = false

    @OptionGroup var kube: KubeConnectionOptions

    @Option(name: .long, help: "Time between reports (heartbeats), a Go duration; keep well under the hub's 60s lease.")
    var reportInterval: DurationArgument = "15s"

    @Option(name: .long, help: "How long the hub may hold the desired-state long poll, a Go duration.")
    var longPollTimeout: DurationArgument = "30s"

    @Option(name: .long, help: "Time between rewrites of the cached policy into the cluster, a Go duration.")
    var resyncInterval: DurationArgument = "5m"

    @Option(name: .long, help: "Most reports kept while the hub is unreachable.")
    var reportQueueLimit: Int = 1000

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        let targets = [simulated, kube.kubeconfig != nil, kube.inCluster].filter { $0 }.count
        guard targets == 1 else { throw ValidationError("give exactly one of --simulated, --kubeconfig or --in-cluster") }
    }

    func run() async throws {
        var configuration = AgentConfiguration(
            hubURL: hub, cluster: cluster, caFile: caFile, stateDirectory: stateDir, bootstrapToken: bootstrapToken, tokenFile: tokenFile)
        configuration.reportInterval = reportInterval.seconds
        configuration.longPollTimeout = longPollTimeout.seconds
        configuration.resyncInterval = resyncInterval.seconds
        configuration.reportQueueLimit = reportQueueLimit
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
        let logger = logging.makeLogger("regfleet.agent")
        if simulated {
            let kubernetes = SimulatedCluster(name: cluster, logger: logger)
            await kubernetes.startControllers()
            do {
                try await run(configuration, kubernetes: kubernetes, logger: logger)
            } catch {
                await kubernetes.stopControllers()
                throw error
            }
            await kubernetes.stopControllers()
        } else {
            let client = try kube.makeClient(logger: logger)
            do {
                try await run(configuration, kubernetes: client, logger: logger)
            } catch {
                try? await client.shutdown()
                throw error
            }
            try? await client.shutdown()
        }
    }

    /// Runs the agent until SIGTERM or SIGINT, which stop it cleanly.
    private func run(_ configuration: AgentConfiguration, kubernetes: any KubernetesAPI, logger: Logger) async throws {
        let agent = FleetAgent(configuration: configuration, kubernetes: kubernetes, logger: logger)
        try await SignalWaiter.runUntilInterrupted {
            do {
                try await agent.run()
            } catch {
                throw ValidationFailure("\(error)")
            }
        }
        agent.stop()
    }
}

