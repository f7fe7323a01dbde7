import FleetModel
import Foundation
import Hummingbird
import RegistryModel

/// Enrollment and the routes an agent calls with its own certificate. The cluster always comes
/// from the certificate; an agent can reach nothing of another cluster.
enum AgentRoutes {
    static func register(_ routes: RouteRegistry, services: HubServices) {
        routes.add(.post, "/v1/enroll", access: .anyone) { request, context in
            var request = request
            let body = try await request.decodeStrict(EnrollRequest.self, limit: 64 * 1024)
            return try JSONResponse(await services.enroll(body)).response(from: request, context: context)
        }
        routes.add(.get, "/v1/agent/desired", access: .agent) { request, context in
            let cluster = try context.caller.cluster()
            let after = try request.uri.queryParameters.integer("after") ?? -1
            var timeout = services.configuration.longPollTimeout
            if let seconds = try request.uri.queryParameters.integer("timeout") {
                guard (0...300).contains(seconds) else { throw HubError(.badRequest, "timeout must be between 0 and 300 seconds", field: "timeout") }
                timeout = min(timeout, .seconds(seconds))
            }
            guard let document = try await services.desiredState(cluster: cluster, after: after, timeout: timeout) else {
                return Response(status: .notModified)
            }
            return try JSONResponse(document).response(from: request, context: context)
        }
        routes.add(.post, "/v1/agent/reports", access: .agent) { request, context in
            let cluster = try context.caller.cluster()
            var request = request
            let (report, body) = try await request.decodeStrictKeepingBody(AgentReport.self, limit: services.configuration.reportBodyLimit)
            return try JSONResponse(await services.ingest(cluster: cluster, report: report, encoded: body)).response(from: request, context: context)
        }
        routes.add(.post, "/v1/agent/renew", access: .agent) { request, context in
            let cluster = try context.caller.cluster()
            var request = request
            let body = try await request.decodeStrict(RenewRequest.self, limit: 64 * 1024)
            guard case .agent(_, let serial) = context.caller else { throw HubError(.forbidden, "\(context.caller) is not an agent") }
            return try JSONResponse(await services.renew(cluster: cluster, replacing: serial, request: body)).response(from: request, context: context)
        }
    }
}

extension Caller {
    /// The agent's cluster; routes registered for agents only.
    func cluster() throws -> String {
        guard case .agent(let cluster, _) = self else { throw HubError(.forbidden, "\(self) is not an agent") }
        return cluster
    }
}

extension Parameters {
    /// An optional integer query parameter; 400 naming it when it does not parse.
    func integer(_ name: String) throws -> Int64? {
        guard let text = get(name) else { return nil }
        guard let value = Int64(text) else { throw HubError(.badRequest, "query parameter \(name) must be an integer, got \"\(text)\"", field: name) }
        return value
    }

    /// An optional RFC 3339 time query parameter.
    func time(_ name: String) throws -> Date? {
        guard let text = get(name) else { return nil }
        guard let value = RFC3339.parse(text) else {
            throw HubError(.badRequest, "query parameter \(name) must be an RFC 3339 time, got \"\(text)\"", field: name)
        }
        return value
    }
}
