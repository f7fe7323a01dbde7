import FleetAgent
import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Synchronization

/// The real hub (in-process, SQLite, mutual TLS on loopback), a simulated cluster with live controllers and a
/// state directory, and agents run against them.
final class AgentHarness: Sendable {
    let hub: RealHub
    let cluster: SimulatedCluster
    let directory: TemporaryDirectory
    let clusterName = "edge-1"

    /// Agent certificates live `agentCertificateLifetime` seconds; a cluster without a report for `lease` seconds is Offline.
    init(agentCertificateLifetime: TimeInterval = 7 * 86_400, lease: TimeInterval = 60) async throws {
        hub = try await RealHub(agentCertificateLifetime: agentCertificateLifetime, lease: lease)
        directory = TemporaryDirectory()
        try hub.writeCAFile(to: directory.path("ca.crt"))
        cluster = SimulatedCluster(
            name: clusterName, options: SimulationOptions(podReadyDelay: .milliseconds(200), seed: 11, controllerTick: .milliseconds(50)),
            logger: quietLogger)
        await cluster.startControllers()
    }

    /// The state directory agents use.
    var stateDirectory: String { directory.path("state") }

    /// A configuration with fast intervals; `token` nil means "already enrolled".
    func configuration(token: String? = nil, clock: any WallClock = SystemWallClock()) -> AgentConfiguration {
        var configuration = AgentConfiguration(
            hubURL: hub.url, cluster: clusterName, caFile: directory.path("ca.crt"), stateDirectory: stateDirectory, bootstrapToken: token)
        configuration.reportInterval = 0.1
        configuration.longPollTimeout = 2
        configuration.resyncInterval = 3600
        configuration.retryBaseDelay = 0.05
        configuration.retryMaxDelay = 0.3
        configuration.renewalCheckInterval = 0.02
        configuration.clock = clock
        return configuration
    }

    /// Starts `run()` of an agent in a task.
    func start(_ configuration: AgentConfiguration) -> RunningAgent {
        RunningAgent(FleetAgent(configuration: configuration, kubernetes: cluster, logger: quietLogger))
    }

    /// Config/cluster's replicas as stored.
    func replicas() async throws -> Int? {
        try await cluster.getIfExists(Config.self, name: RegistryNames.singleton)?.spec.replicas
    }

    /// Changes Config/cluster's replicas by hand, as a cluster admin would.
    func editReplicas(_ replicas: Int) async throws {
        // The agent and the operator write Config/cluster too: re-read and retry on a conflict.
        _ = try await cluster.modify(Config.self, name: RegistryNames.singleton) { $0.spec.replicas = replicas }
    }

    /// Stops everything and removes the files.
    func tearDown() async {
        await hub.tearDown()
        await cluster.stopControllers()
        directory.remove()
    }
}

/// An agent whose `run()` is under way in a task.
final class RunningAgent: Sendable {
    let agent: FleetAgent
    let task: Task<Result<Void, AgentError>, Never>
    private let done = FinishFlag()

    init(_ agent: FleetAgent) {
        self.agent = agent
        let done = done
        task = Task {
            defer { done.set() }
            do throws(AgentError) {
                try await agent.run()
                return .success(())
            } catch {
                return .failure(error)
            }
        }
    }

    /// True once `run()` has returned.
    var isFinished: Bool { done.isSet }

    /// The agent's status now.
    var status: AgentStatus {
        get async { await agent.status }
    }

    /// Asks the agent to stop and waits for `run()` to return.
    @discardableResult
    func stop() async -> Result<Void, AgentError> {
        agent.stop()
        return await task.value
    }
}

/// A flag set once from any task.
final class FinishFlag: Sendable {
    private let value = Mutex(false)

    /// Sets the flag.
    func set() { value.withLock { $0 = true } }

    /// True once set.
    var isSet: Bool { value.withLock { $0 } }
}
