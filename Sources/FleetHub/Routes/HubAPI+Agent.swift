import FleetAPI
import FleetModel
import Foundation
import RegistryModel

/// Enrollment and the operations an agent calls with its own certificate. The cluster always comes
/// from the certificate; an agent can reach nothing of another cluster.
extension HubAPI {
    func enroll(_ input: Operations.Enroll.Input) async throws -> Operations.Enroll.Output {
        let body = switch input.body { case .json(let body): body }
        return .ok(.init(body: .json(try await services.enroll(body))))
    }

    func agentDesired(_ input: Operations.AgentDesired.Input) async throws -> Operations.AgentDesired.Output {
        let cluster = try caller.cluster()
        var timeout = services.configuration.longPollTimeout
        if let seconds = input.query.timeout {
            guard (0...300).contains(seconds) else { throw HubError(.badRequest, "timeout must be between 0 and 300 seconds", field: "timeout") }
            timeout = min(timeout, .seconds(seconds))
        }
        guard let document = try await services.desiredState(cluster: cluster, after: Int64(input.query.after ?? -1), timeout: timeout) else {
            return .notModified(.init())
        }
        return .ok(.init(body: .json(document)))
    }

    func agentReport(_ input: Operations.AgentReport.Input) async throws -> Operations.AgentReport.Output {
        let cluster = try caller.cluster()
        let report = switch input.body { case .json(let report): report }
        // The bytes as they came (strictly decoded once by the transport) are what the store keeps.
        return .ok(.init(body: .json(try await services.ingest(cluster: cluster, report: report, encoded: RequestScope.current.body))))
    }

    func agentRenew(_ input: Operations.AgentRenew.Input) async throws -> Operations.AgentRenew.Output {
        guard case .agent(let cluster, let serial) = caller else { throw HubError(.forbidden, "\(caller) is not an agent") }
        let body = switch input.body { case .json(let body): body }
        return .ok(.init(body: .json(try await services.renew(cluster: cluster, replacing: serial, request: body))))
    }
}

extension Caller {
    /// The agent's cluster; operations for agents only.
    func cluster() throws(HubError) -> String {
        guard case .agent(let cluster, _) = self else { throw HubError(.forbidden, "\(self) is not an agent") }
        return cluster
    }
}
