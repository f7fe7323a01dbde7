import FleetStore
import Foundation
import Hummingbird
import RegistryModel

/// `GET /`: the dashboard.
enum DashboardRoutes {
    static func register(_ routes: RouteRegistry, services: HubServices, access: RouteAccess) {
        routes.add(.get, "/", access: access) { request, _ in
            let query = request.uri.queryParameters
            let selectorText = query.get("selector") ?? ""
            var page = DashboardPage(
                clusters: [], health: FleetHealthReport(clusters: [], reports: [:], now: services.clock.now()), rollouts: [], pruneTotals: PruneTotals(),
                selector: selectorText, state: query.get("state").flatMap(ClusterState.init(rawValue:)), generatedAt: services.clock.now())
            do {
                let selector = try LabelSelector(parsing: selectorText)
                page.clusters = try await services.clusterSummaries(selector: selector)
                page.health = try await services.health(selector: selector)
                page.rollouts = try await storeCall { () async throws(StoreError) in try await services.store.rollouts(limit: 20) }
                page.pruneTotals = try await services.pruneResults(cluster: nil, since: nil).totals
                page.fleetPolicies = try await services.fleetPolicies()
                page.freezes = try await services.freezes().filter { $0.isActive(at: services.clock.now()) }
            } catch let error as FieldError {
                page.error = error.message
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.render())))
        }
    }
}
