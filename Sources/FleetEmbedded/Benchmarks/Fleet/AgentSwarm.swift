import FleetAgent
import Foundation
import KubeSimulator
import Logging
import RegistryModel
import RegistryOperator

/// Many real agents in one process, each with its own key, certificate, state directory, long poll and
/// simulated cluster, against a hub in another process: the agent side of `regfleet bench fleet`.
///
/// Running many agents per process is what lets one machine hold thousands of clusters without thousands of
/// processes; every agent still speaks to the hub over its own mutual-TLS connections exactly as `regfleet
/// agent` does.
public enum AgentSwarm {
    /// Starts every member of `plan` (at most `startConcurrency` enrolling at once) and runs them until the task
    /// is cancelled; then stops each agent and cluster.
    public static func run(_ plan: AgentSwarmPlan, logger: Logger) async throws {
        let simulation = SimulationOptions(
            podReadyDelay: .milliseconds(plan.podReadyDelayMilliseconds), controllerTick: .milliseconds(plan.controllerTickMilliseconds))
        var running: [(agent: FleetAgent, cluster: SimulatedCluster, task: Task<Void, Never>)] = []
        defer {
            for member in running { member.agent.stop() }
        }
        for (index, member) in plan.members.enumerated() {
            if Task.isCancelled { break }
            let cluster = SimulatedCluster(name: member.name, options: simulation, logger: logger)
            await cluster.startControllers()
            let stateDirectory = URL(fileURLWithPath: plan.stateRoot).appendingPathComponent(member.name).path
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
            var configuration = AgentConfiguration(
                hubURL: plan.hubURL, cluster: member.name, caFile: plan.caFile, stateDirectory: stateDirectory, bootstrapToken: member.token)
            configuration.reportInterval = plan.reportIntervalSeconds
            configuration.retryMaxDelay = 5
            configuration.operatorOptions = OperatorOptions(imagePullDegradedAfter: 15, convergingRequeue: 1)
            let agent = FleetAgent(configuration: configuration, kubernetes: cluster, logger: logger)
            let name = member.name
            let task = Task {
                do {
                    try await agent.run()
                } catch {
                    logger.error("agent stopped with an error", metadata: ["cluster": "\(name)", "error": "\(error)"])
                }
            }
            running.append((agent, cluster, task))
            // Pace the start so enrollment (key generation and a CSR per agent) does not starve the running ones.
            if (index + 1) % max(1, plan.startConcurrency) == 0 {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        for member in running { member.agent.stop() }
        for member in running {
            await member.task.value
            await member.cluster.stopControllers()
        }
        running.removeAll()
    }
}
