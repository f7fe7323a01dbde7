import ArgumentParser
import Dispatch
import FleetAgent
import Foundation
import KubeSimulator

/// `regfleet agent`: the per-cluster agent — enrolls with the hub, keeps the cluster on its policy, reports.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the fleet agent for one cluster: enroll, apply the hub's policy through the operator, report health."
    )

    @Option(name: .long, help: "The hub's base URL, e.g. https://hub.example.com:8443.")
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

    @Option(name: .long, help: "Kubeconfig of the cluster to manage.")
    var kubeconfig: String?

    @Flag(name: .long, help: "Use the pod's service account to reach the cluster's API server.")
    var inCluster = false

    @Option(name: .long, help: "Seconds between reports (heartbeats); keep well under the hub's 60 s lease.")
    var reportInterval: Double = 15

    @Option(name: .long, help: "Seconds the hub may hold the desired-state long poll.")
    var longPollTimeout: Double = 30

    @Option(name: .long, help: "Seconds between rewrites of the cached policy into the cluster.")
    var resyncInterval: Double = 300

    @Option(name: .long, help: "Most reports kept while the hub is unreachable.")
    var reportQueueLimit: Int = 1000

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        let targets = [simulated, kubeconfig != nil, inCluster].filter { $0 }.count
        guard targets == 1 else { throw ValidationError("give exactly one of --simulated, --kubeconfig or --in-cluster") }
    }

    func run() async throws {
        var configuration = AgentConfiguration(
            hubURL: hub, cluster: cluster, caFile: caFile, stateDirectory: stateDir, bootstrapToken: bootstrapToken, tokenFile: tokenFile)
        configuration.reportInterval = reportInterval
        configuration.longPollTimeout = longPollTimeout
        configuration.resyncInterval = resyncInterval
        configuration.reportQueueLimit = reportQueueLimit
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
        guard simulated else { throw ValidationError("--kubeconfig is not available in this build") }
        let logger = logging.makeLogger("regfleet.agent")
        let kubernetes = SimulatedCluster(name: cluster, logger: logger)
        await kubernetes.startControllers()
        let agent = FleetAgent(configuration: configuration, kubernetes: kubernetes, logger: logger)
        let signals = StopSignals { agent.stop() }
        defer { signals.cancel() }
        do {
            try await agent.run()
        } catch {
            await kubernetes.stopControllers()
            throw error
        }
        await kubernetes.stopControllers()
    }
}

/// SIGTERM and SIGINT call `onStop` once each instead of killing the process, so the agent can stop cleanly.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    /// Starts listening; the signals no longer terminate the process.
    init(onStop: @escaping @Sendable () -> Void) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onStop)
            source.resume()
            return source
        }
    }

    /// Stops listening.
    func cancel() {
        sources.forEach { $0.cancel() }
    }
}
