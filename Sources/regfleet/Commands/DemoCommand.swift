import ArgumentParser
import FleetEmbedded
import Foundation
import Logging

/// `regfleet demo`: the whole system on one machine.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a hub and N agents on simulated clusters over real mutual TLS, and walk through a fleet rollout.",
        discussion: "Ctrl-C stops it cleanly. The PKI and the SQLite file stay in --dir, so the admin commands it prints work while it runs."
    )

    @Option(name: .long, help: "Number of simulated clusters.")
    var clusters = 12

    @Option(name: .long, help: "Directory for the PKI, the hub's database and the agents' state (recreated).")
    var dir = ".regfleet-demo"

    @Flag(name: .long, help: "Exit after the walkthrough instead of keeping the fleet running.")
    var exitWhenDone = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...DemoScenario.maxClusters).contains(clusters) else {
            throw ValidationError("--clusters must be between 1 and \(DemoScenario.maxClusters), got \(clusters)")
        }
    }

    func run() async throws {
        var logger = logging.makeLogger("demo")
        if logging.logLevel == .info { logger.logLevel = .error }
        FleetLogging.bootstrap(level: logging.logLevel == .info ? .error : logging.logLevel)
        let directory = URL(fileURLWithPath: dir).standardizedFileURL
        let scenario = DemoScenario(clusters: clusters, directory: directory) { print($0) }
        let exitWhenDone = exitWhenDone
        let demoLogger = logger
        try await SignalWaiter.runUntilInterrupted {
            let outcome = try await scenario.run(logger: demoLogger)
            do {
                try await Self.present(outcome, keepRunning: !exitWhenDone)
            } catch {
                print("stopping…")
                await outcome.fleet.stop()
                if error is CancellationError { return }
                throw error
            }
            await outcome.fleet.stop()
        }
    }

    /// Prints the fleet after the walkthrough and, unless told to exit, what to try next; then
    /// waits until cancelled (Ctrl-C).
    static func present(_ outcome: DemoScenario.Outcome, keepRunning: Bool) async throws {
        let hub = outcome.fleet.hub
        print(ClusterTable.render(try await hub.admin.clusters()))
        print("")
        print(HealthText.render(try await hub.admin.health()))
        let totals = try await hub.admin.pruneResults().totals
        print("\npruning: \(totals.runs) run(s) on \(totals.clusters) cluster(s), \(totals.manifestsDeleted) manifest(s) deleted, "
            + "\(ByteCountFormatter.string(fromByteCount: totals.reclaimableBytes, countStyle: .binary)) reclaimable (simulated registries)")
        print(String(format: "\nconverged in %.1fs; walkthrough took %.1fs", outcome.convergedAfter, outcome.totalSeconds))
        guard keepRunning else { return }
        print(
            """

            The fleet keeps running. In another terminal, try:
              export REGFLEET_HUB=\(hub.baseURL) REGFLEET_PKI_DIR=\(hub.pki.path)
              regfleet cluster ls
              regfleet health
              regfleet cluster ls --selector env=prod
              regfleet policy get prod-eu-01
              regfleet policy set prod-eu-01 --replicas 2
              regfleet rollout ls
              regfleet rollout create -f fleet-examples/rollouts/managed-canary.yaml --dry-run
              regfleet prune-results
              regfleet audit
            Dashboard (no client certificate needed): http://127.0.0.1:\(hub.server.dashboardPort ?? 0)/
            (use .build/debug/regfleet if regfleet is not on your PATH)
            Ctrl-C stops the hub and every agent.
            """)
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
