import FleetAPI
import FleetModel
import Foundation
import Hummingbird
import RegistryModel
import OpenAPIRuntime

/// Builds the hub's API router: every operation of the document, served by `HubAPI` through the
/// generated server interface. A plain function, so the CLI, the demo and the tests build the same
/// application around the same services.
public func buildHubRouter(services: HubServices, rollouts: RolloutEngine) throws -> (router: Router<HubRequestContext>, routes: [RouteDescription]) {
    let router = Router(context: HubRequestContext.self)
    let transport = HubServerTransport(router: router, bodyLimit: services.configuration.bodyLimit)
    router.add(middleware: RequestObserverMiddleware(metrics: services.metrics))
    router.add(middleware: UnmatchedRouteMiddleware(table: transport.table))
    router.add(middleware: IdentityMiddleware(services: services))
    router.add(middleware: ConnectionReserveMiddleware(governor: services.apiConnections))
    let api = HubAPI(services: services, rollouts: rollouts)
    transport.direct[Operations.AgentReport.id] = { request, caller, limit in try await api.agentReport(request, caller: caller, limit: limit) }
    try api.registerHandlers(on: transport, configuration: .hubAPI)
    return (router, transport.routes)
}

/// The second listener's router: the dashboard and the read-only health API without client
/// certificates (browsers rarely hold one), plus metrics and liveness.
public func buildDashboardRouter(services: HubServices) throws -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self)
    let transport = HubServerTransport(router: router, bodyLimit: services.configuration.bodyLimit) { operation in
        dashboardOperations.contains(operation.id) ? .anyone : nil
    }
    router.add(middleware: RequestObserverMiddleware(metrics: services.metrics))
    router.add(middleware: UnmatchedRouteMiddleware(table: transport.table))
    router.add(middleware: ConnectionReserveMiddleware(governor: services.dashboardConnections))
    try HubAPI(services: services, rollouts: nil).registerHandlers(on: transport, configuration: .hubAPI)
    return router
}

/// What the dashboard listener serves.
let dashboardOperations: Set<String> = [
    Operations.Dashboard.id, Operations.DashboardCluster.id, Operations.DashboardRollout.id, Operations.FleetHealth.id,
    Operations.Metrics.id, Operations.Liveness.id,
]

extension HubConfiguration {
    /// The most a request body of `operation` may hold: a report's own limit, small agent and enrollment
    /// messages, the admin limit for the rest.
    func bodyLimit(_ operation: APIOperation) -> Int {
        switch operation.access {
        case .agent, .anyone: operation.id == Operations.AgentReport.id ? reportBodyLimit : 64 * 1024
        case .admin: adminBodyLimit
        }
    }
}

extension HubAPI {
    /// The report route's fast path: the body decoded once, strictly, as `AgentReport` (a concrete type, so
    /// the decoding is specialized), the same handler, its answer encoded as the generated code would (sorted
    /// keys, RFC 3339 dates).
    func agentReport(_ request: Request, caller: Caller, limit: Int) async throws -> Response {
        var request = request
        let (report, bytes) = try await request.strictJSONBody(AgentReport.self, limit: limit)
        let answer = try await RequestScope.$current.withValue(RequestScope(caller: caller, body: bytes)) {
            try await agentReport(.init(body: .json(report)))
        }
        guard case .ok(let ok) = answer else { throw HubError(.internalError, "the report handler answered \(answer), which the fast path does not serve") }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encode(ok.body.json))))
    }
}
