import FleetAPI
import OpenAPIRuntime
import FleetModel
import FleetStore
import Foundation
import RegistryModel

/// The dashboard: `GET /`, a page per cluster (`/clusters/NAME`) and per rollout (`/rollouts/ID`).
extension HubAPI {
    func dashboard(_ input: Operations.Dashboard.Input) async throws -> Operations.Dashboard.Output {
        let query = input.query
        let selectorText = query.selector ?? ""
        let now = services.clock.now()
        var page = DashboardPage(
            clusters: [], health: FleetHealthReport(clusters: [], reports: [:], now: now), rollouts: [], pruneTotals: PruneTotals(),
            selector: selectorText, state: query.state.flatMap(ClusterState.init(rawValue:)), search: query.q ?? "",
            sort: query.sort.flatMap { DashboardPage.Sort(rawValue: $0.rawValue) } ?? .name,
            window: query.window.flatMap { DashboardPage.Window(rawValue: $0.rawValue) } ?? .day, generatedAt: now)
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
        return .ok(Self.page(page.render()))
    }

    func dashboardCluster(_ input: Operations.DashboardCluster.Input) async throws -> Operations.DashboardCluster.Output {
        let name = input.path.name
        let detail: ClusterDetail
        do {
            detail = try await services.clusterDetail(name)
        } catch let error as HubError where error.code == .notFound || error.code == .invalid {
            return .notFound(Self.notFound("cluster", name))
        }
        let effective = try await services.effectivePolicy(cluster: name)
        let rollouts = try await storeCall { () async throws(StoreError) in try await services.store.rollouts(limit: 100) }
        let reports = try await storeCall { () async throws(StoreError) in try await services.store.reportHistory(cluster: name, limit: 20) }
        let prunes = try await services.pruneResults(cluster: name, since: nil, limit: 20).results
        let page = ClusterPage(
            detail: detail, effective: effective, rollouts: rollouts.filter { $0.clusters.contains { $0.name == name } }, reports: reports,
            pruneRuns: prunes, generatedAt: services.clock.now())
        return .ok(Self.page(page.render()))
    }

    func dashboardRollout(_ input: Operations.DashboardRollout.Input) async throws -> Operations.DashboardRollout.Output {
        let id = input.path.id
        let rollout: Rollout
        do {
            rollout = try await services.rollout(id)
        } catch let error as HubError where error.code == .notFound {
            return .notFound(Self.notFound("rollout", id))
        }
        return .ok(Self.page(RolloutPage(rollout: rollout, generatedAt: services.clock.now()).render()))
    }

    static func page(_ html: String) -> Components.Responses.Page {
        .init(headers: .init(cacheControl: .noStore), body: .html(HTTPBody(text: html)))
    }

    /// A page for a name that is not there, with the way back.
    static func notFound(_ kind: String, _ name: String) -> Components.Responses.PageNotFound {
        let html = DashboardLayout.page(
            title: "no \(kind) \(name) — RegistryFleet", generatedAt: Date(), refreshSeconds: 3600,
            body: "<section><h2>No \(kind) \(HTML.escape(name))</h2><p><a href=\"/\">Back to the fleet</a></p></section>")
        return .init(headers: .init(cacheControl: .noStore), body: .html(HTTPBody(text: html)))
    }
}
