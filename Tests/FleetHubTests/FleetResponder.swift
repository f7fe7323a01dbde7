import FleetClient
import FleetHub
import FleetModel
import Foundation
import RegistryModel

/// Stands in for a fleet of agents in rollout engine tests: each round, every agent reads its
/// desired policy over mutual TLS and reports it applied with the health its behaviour says.
/// (The real agent on simulated clusters is exercised end to end in FleetAgentTests.)
struct FleetResponder: Sendable {
    enum Behaviour: Sendable {
        case healthy
        case degraded
        /// Never reports: Offline after the lease.
        case silent
    }

    let hub: HubFixture
    let agents: [AgentConnection]
    let behaviour: @Sendable (String, PolicyDocument) -> Behaviour

    static func enroll(_ hub: HubFixture, count: Int, labels: @Sendable (Int) -> [String: String] = { _ in [:] }) async throws -> [AgentConnection] {
        var agents: [AgentConnection] = []
        for index in 0..<count {
            agents.append(try await hub.enroll(String(format: "c%02d", index), labels: labels(index)))
        }
        return agents
    }

    /// One round of reports; the sequence grows with the hub's clock.
    func report() async throws {
        let sequence = Int64(hub.clock.now().timeIntervalSince1970 * 10)
        for agent in agents {
            let document = try await agent.connection.call(.GET, "/v1/agent/desired?after=-1&timeout=0", as: PolicyDocument.self)
            let mode = behaviour(agent.cluster, document)
            if case .silent = mode { continue }
            let state = document.registry?.managementState ?? .managed
            var report = HubFixture.report(sequence: sequence, generation: document.generation, state: state, at: hub.clock.now())
            switch (mode, state) {
            case (.degraded, _):
                report.registry.conditions = [
                    Condition(type: "Available", status: .false, reason: "NoReplicasAvailable"),
                    Condition(type: "Degraded", status: .true, reason: "ImagePullFailed", message: "Deployment image-registry: cannot pull image"),
                ]
            case (_, .removed):
                report.registry.conditions = [
                    Condition(type: "Available", status: .true, reason: "Removed"), Condition(type: "Progressing", status: .false, reason: "Removed"),
                    Condition(type: "Removed", status: .true, reason: "Removed"),
                ]
            default: break
            }
            _ = try await agent.report(report)
        }
    }

    /// Report, move the clock, tick the engine — `rounds` times or until `done`.
    @discardableResult
    func drive(rounds: Int = 40, step: TimeInterval = 10, until done: (Rollout) -> Bool, rollout id: String) async throws -> Rollout {
        var rollout = try await hub.server.rollouts.get(id)
        for _ in 0..<rounds {
            if done(rollout) { return rollout }
            try await report()
            hub.clock.advance(by: step)
            try await hub.server.rollouts.tick()
            rollout = try await hub.server.rollouts.get(id)
        }
        return rollout
    }
}
