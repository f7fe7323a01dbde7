import FleetModel
import FleetStore
import Foundation
import Hummingbird
import RegistryModel

/// The dashboard: `GET /`, a page per cluster (`/clusters/NAME`) and per rollout (`/rollouts/ID`).
enum DashboardRoutes {
    static func register(_ routes: RouteRegistry, services: HubServices, access: RouteAccess) {
        routes.add(.get, "/", access: access) { request, _ in
            let query = request.uri.queryParameters
            let selectorText = query.get("selector") ?? ""
            let now = services.clock.now()
            var page = DashboardPage(
                clusters: [], health: FleetHealthReport(clusters: [], reports: [:], now: now), rollouts: [], pruneTotals: PruneTotals(),
                selector: selectorText, state: query.get("state").flatMap(ClusterState.init(rawValue:)), search: query.get("q") ?? "",
                sort: query.get("sort").flatMap(DashboardPage.Sort.init(rawValue:)) ?? .name,
                window: query.get("window").flatMap(DashboardPage.Window.init(rawValue:)) ?? .day, generatedAt: now)
            // A selector that does not parse empties the cluster table and says why; the rest of the page stays.
            do {
                let selector = try LabelSelector(parsing: selectorText)
                page.clusters = try await services.clusterSummaries(selector: selector)
                page.health = try await services.health(selector: selector)
            } catch let error as FieldError {
                page.error = "selector: \(error.message)"
            }
            page.rollouts = try await storeCall { () async throws(StoreError) in try await services.store.rollouts(limit: 20) }
            page.pruneTotals = try await services.pruneResults(cluster: nil, since: page.window.start(now), limit: 1000).totals
            page.fleetPolicies = try await services.fleetPolicies()
            page.freezes = try await services.freezes().filter { $0.isActive(at: now) }
            return html(page.render())
        }
        routes.add(.get, "/clusters/:name", access: access) { _, context in
            let name = try context.parameters.require("name")
            let detail: ClusterDetail
            do {
                detail = try await services.clusterDetail(name)
            } catch let error as HubError where error.code == .notFound || error.code == .invalid {
                return html(notFound("cluster", name), status: .notFound)
            }
            let effective = try await services.effectivePolicy(cluster: name)
            let rollouts = try await storeCall { () async throws(StoreError) in try await services.store.rollouts(limit: 100) }
            let reports = try await storeCall { () async throws(StoreError) in try await services.store.reportHistory(cluster: name, limit: 20) }
            let prunes = try await services.pruneResults(cluster: name, since: nil, limit: 20).results
            let page = ClusterPage(
                detail: detail, effective: effective, rollouts: rollouts.filter { $0.clusters.contains { $0.name == name } }, reports: reports,
                pruneRuns: prunes, generatedAt: services.clock.now())
            return html(page.render())
        }
        routes.add(.get, "/rollouts/:id", access: access) { _, context in
            let id = try context.parameters.require("id")
            let rollout: Rollout
            do {
                rollout = try await services.rollout(id)
            } catch let error as HubError where error.code == .notFound {
                return html(notFound("rollout", id), status: .notFound)
            }
            return html(RolloutPage(rollout: rollout, generatedAt: services.clock.now()).render())
        }
    }

    /// A page for a name that is not there, with the way back.
    static func notFound(_ kind: String, _ name: String) -> String {
        DashboardLayout.page(
            title: "no \(kind) \(name) — RegistryFleet", generatedAt: Date(), refreshSeconds: 3600,
            body: "<section><h2>No \(kind) \(HTML.escape(name))</h2><p><a href=\"/\">Back to the fleet</a></p></section>")
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
