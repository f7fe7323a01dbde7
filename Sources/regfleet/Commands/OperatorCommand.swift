import ArgumentParser
import Foundation
import KubeClient
import KubeSimulator
import Logging
import RegistryModel
import RegistryOperator

/// `regfleet operator`: the Image Registry Operator alone, against one cluster.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Run the Image Registry Operator against one cluster.",
        discussion: """
            With --simulated the operator runs against an in-memory cluster with simulated nodes and \
            controllers and prints a live status table. --walkthrough takes that cluster through \
            Managed → Removed → Managed and exits. With --kubeconfig FILE or --in-cluster it runs \
            against a real API server until SIGINT or SIGTERM. `regfleet operator uninstall` removes it from a cluster.
            """,
        subcommands: [OperatorUninstallCommand.self]
    )

    @Flag(name: .long, help: "Run against a simulated cluster in this process.")
    var simulated = false

    @Option(name: .long, help: "Nodes of the simulated cluster.")
    var nodes = 3

    @Flag(name: .long, help: "Simulate an image that cannot be pulled for the image-registry deployment.")
    var injectImagePullFailure = false

    @Flag(name: .long, help: "Take the simulated cluster through Managed → Removed → Managed, then exit.")
    var walkthrough = false

    @Option(name: .long, help: "Time between status table refreshes, a Go duration.")
    var refresh: DurationArgument = "1s"

    @OptionGroup var cluster: KubeConnectionOptions

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard simulated != cluster.isSet else { throw ValidationError("choose a cluster: --simulated, --kubeconfig FILE or --in-cluster") }
        guard nodes >= 1 else { throw ValidationError("--nodes must be at least 1") }
        guard refresh.seconds > 0 else { throw ValidationError("--refresh must be positive") }
    }

    func run() async throws {
        let logger = logging.makeLogger("operator")
        if cluster.isSet { return try await runAgainstAPIServer(logger: logger) }
        let cluster = SimulatedCluster(name: "simulated", options: SimulationOptions(nodeCount: nodes, podReadyDelay: .seconds(2)))
        if injectImagePullFailure {
            await cluster.injectImagePullFailure(namespace: RegistryNames.namespace, deployment: RegistryNames.registryDeployment, message: "manifest unknown")
        }
        await cluster.startControllers()
        let controller = OperatorController(api: cluster, options: OperatorOptions(imagePullDegradedAfter: 20, convergingRequeue: 1), logger: logger)
        let operatorTask = Task { await controller.run() }
        defer { operatorTask.cancel() }
        if walkthrough {
            try await OperatorWalkthrough(api: cluster, refresh: refresh.seconds).run()
        } else {
            try await SignalWaiter.runUntilInterrupted {
                while !Task.isCancelled {
                    let summary = try await OperatorStatusSummary.read(from: cluster)
                    TextTable.clearScreen()
                    print(OperatorStatusText.render(summary, title: "regfleet operator --simulated (Ctrl-C to stop)  \(RFC3339.format(Date()))"))
                    if !TextTable.isInteractive { print("") }
                    try await Task.sleep(for: .milliseconds(Int64(refresh.seconds * 1000)))
                }
            }
        }
        operatorTask.cancel()
        await operatorTask.value
        await cluster.stopControllers()
    }
}
