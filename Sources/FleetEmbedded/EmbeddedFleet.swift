import FleetAgent
import FleetClient
import FleetHub
import FleetModel
import Foundation
import KubeSimulator
import Logging
import RegistryModel
import RegistryOperator
import Synchronization

/// A hub and many agents in one process, each agent on its own simulated cluster, talking over
/// real mutual TLS on loopback: the demo, the end-to-end tests and the fleet benchmark.
public final class EmbeddedFleet: Sendable {
    /// How the agents and their clusters behave.
    public struct Options: Sendable {
        /// How often agents report (the hub's lease is 60 s).
        public var reportInterval: TimeInterval = 2
        public var longPollTimeout: TimeInterval = 30
        /// Time for a simulated pod to become ready.
        public var podReadyDelay: Duration = .seconds(2)
        /// Controller tick of each simulated cluster.
        public var controllerTick: Duration = .milliseconds(250)
        public var operatorOptions = OperatorOptions(imagePullDegradedAfter: 15, convergingRequeue: 1)
        public var agentClock: any WallClock = SystemWallClock()
        public init() {}
    }

    /// One simulated cluster with its agent.
    public struct Member: Sendable {
        public let name: String
        public let labels: [String: String]
        public let cluster: SimulatedCluster
        public let agent: FleetAgent
        public let stateDirectory: URL
        let task: Task<Void, Never>
    }

    public let hub: EmbeddedHub
    public let options: Options
    let logger: Logger
    private let members = Mutex<[String: Member]>([:])

    public init(hub: EmbeddedHub, options: Options = Options(), logger: Logger) {
        self.hub = hub
        self.options = options
        self.logger = logger
    }

    /// The members, by name.
    public var all: [Member] { members.withLock { $0.values.sorted { $0.name < $1.name } } }

    /// One member.
    public func member(_ name: String) -> Member? { members.withLock { $0[name] } }

    /// Creates a simulated cluster, a bootstrap token for it, and starts its agent, which makes
    /// its own key, enrolls, and begins reporting. `configure` can inject faults before the agent starts.
    @discardableResult
    public func addCluster(
        _ name: String, labels: [String: String], configure: @Sendable (SimulatedCluster) async throws -> Void = { _ in }
    ) async throws -> Member {
        let cluster = SimulatedCluster(
            name: name, options: SimulationOptions(podReadyDelay: options.podReadyDelay, controllerTick: options.controllerTick), logger: logger)
        try await configure(cluster)
        await cluster.setJobRunner(SimulatedPruneRunner.runner(for: cluster, clusterName: name))
        await cluster.startControllers()
        let token = try await hub.admin.createToken(TokenRequest(cluster: name, labels: labels))
        return try await startAgent(name, labels: labels, cluster: cluster, token: token.token)
    }

    /// Starts (or restarts) the agent of an existing member; a restarted agent reuses the
    /// certificate in its state directory.
    @discardableResult
    public func startAgent(_ name: String, labels: [String: String], cluster: SimulatedCluster, token: String?) async throws -> Member {
        let stateDirectory = hub.directory.appendingPathComponent("agents").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        let caFile = stateDirectory.appendingPathComponent("hub-ca.crt")
        try hub.caCertificatePEM.write(to: caFile, atomically: true, encoding: .utf8)
        var configuration = AgentConfiguration(
            hubURL: hub.baseURL, cluster: name, caFile: caFile.path, stateDirectory: stateDirectory.appendingPathComponent("state").path,
            bootstrapToken: token)
        configuration.reportInterval = options.reportInterval
        configuration.longPollTimeout = options.longPollTimeout
        configuration.operatorOptions = options.operatorOptions
        configuration.clock = options.agentClock
        configuration.retryMaxDelay = 5
        let agent = FleetAgent(configuration: configuration, kubernetes: cluster, logger: logger)
        let logger = logger
        let task = Task {
            do {
                try await agent.run()
            } catch {
                logger.error("agent stopped with an error", metadata: ["cluster": "\(name)", "error": "\(error)"])
            }
        }
        let member = Member(name: name, labels: labels, cluster: cluster, agent: agent, stateDirectory: stateDirectory, task: task)
        members.withLock { $0[name] = member }
        return member
    }

    /// Stops one member's agent (its cluster keeps running, as a real cluster would).
    public func stopAgent(_ name: String) async {
        guard let member = member(name) else { return }
        member.agent.stop()
        await member.task.value
    }

    /// Stops every agent and cluster, then the hub.
    public func stop() async {
        for member in all {
            member.agent.stop()
            member.task.cancel()
        }
        for member in all {
            await member.task.value
            await member.cluster.stopControllers()
        }
        await hub.stop()
    }
}
