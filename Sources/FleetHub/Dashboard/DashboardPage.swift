import FleetModel
import Foundation
import RegistryModel

/// The dashboard's front page: fleet counts, pruning over a chosen window, rollouts, fleet policies and the
/// cluster table, filterable by label selector and state, searchable by name and sortable, with each cluster
/// and rollout linking to its own page. The live sections update in place (`DashboardLayout`).
struct DashboardPage {
    /// How the cluster table is ordered.
    enum Sort: String, CaseIterable {
        case name, state, report, generation
    }

    /// The pruning telemetry's window.
    enum Window: String, CaseIterable {
        case day = "24h", week = "7d", all

        /// The start of the window at `now`; nil for all time.
        func start(_ now: Date) -> Date? {
            switch self {
            case .day: return now.addingTimeInterval(-86_400)
            case .week: return now.addingTimeInterval(-7 * 86_400)
            case .all: return nil
            }
        }
    }

    var clusters: [ClusterSummary]
    var health: FleetHealthReport
    var rollouts: [Rollout]
    var pruneTotals: PruneTotals
    var selector: String
    var state: ClusterState?
    var search = ""
    var sort = Sort.name
    var window = Window.day
    var generatedAt: Date
    var refreshSeconds = 5
    var error: String?
    var fleetPolicies: [StoredFleetPolicy] = []
    /// The freezes holding now.
    var freezes: [ChangeFreeze] = []

    func render() -> String {
        let shown = sorted(clusters.filter { (state == nil || $0.health.state == state) && (search.isEmpty || $0.name.contains(search.lowercased())) })
        let body = """
            \(error.map { "<p class=\"error\" id=\"error\">\(HTML.escape($0))</p>" } ?? "")
            \(summaryCards())
            \(rolloutSection())
            \(fleetPolicySection())
            <section>
            <h2>Clusters</h2>
            <form method="get" action="/">
            <label>Label selector <input name="selector" value="\(HTML.escape(selector))" placeholder="env=prod,region in (eu)"></label>
            <label>State <select name="state"><option value="">any</option>\(ClusterState.allCases.map { "<option\($0 == state ? " selected" : "")>\($0.rawValue)</option>" }.joined())</select></label>
            <label>Name <input id="search" name="q" value="\(HTML.escape(search))" placeholder="search" autocomplete="off"></label>
            <label>Pruning over <select name="window">\(Window.allCases.map { "<option value=\"\($0.rawValue)\"\($0 == window ? " selected" : "")>\($0 == .all ? "all time" : $0.rawValue)</option>" }.joined())</select></label>
            <input type="hidden" name="sort" value="\(sort.rawValue)">
            <button type="submit">Filter</button>
            </form>
            \(DashboardLayout.table(id: "clusters", header: [sortLink(.name, "Cluster"), sortLink(.state, "State"), "Reason", "Management", sortLink(.generation, "Generation (observed/desired)"), sortLink(.report, "Last report"), "Labels"], rows: shown.map(clusterRow)))
            \(shown.isEmpty ? "<p class=\"muted\" id=\"empty\" data-live>No cluster matches.</p>" : "")
            </section>
            """
        return DashboardLayout.page(title: "RegistryFleet — \(health.total) clusters", generatedAt: generatedAt, refreshSeconds: refreshSeconds, body: body)
    }

    private func sorted(_ clusters: [ClusterSummary]) -> [ClusterSummary] {
        switch sort {
        case .name: return clusters.sorted { $0.name < $1.name }
        case .state: return clusters.sorted { ($0.health.state.rawValue, $0.name) < ($1.health.state.rawValue, $1.name) }
        case .report: return clusters.sorted { ($0.lastReportAt ?? .distantPast, $1.name) > ($1.lastReportAt ?? .distantPast, $0.name) }
        case .generation:
            return clusters.sorted { (($0.desiredGeneration - ($0.observedGeneration ?? 0)), $1.name) > (($1.desiredGeneration - ($1.observedGeneration ?? 0)), $0.name) }
        }
    }

    /// A column header that orders the table by it, keeping the filters.
    private func sortLink(_ key: Sort, _ title: String) -> String {
        var items = [URLQueryItem(name: "sort", value: key.rawValue)]
        if !selector.isEmpty { items.append(URLQueryItem(name: "selector", value: selector)) }
        if let state { items.append(URLQueryItem(name: "state", value: state.rawValue)) }
        if !search.isEmpty { items.append(URLQueryItem(name: "q", value: search)) }
        if window != .day { items.append(URLQueryItem(name: "window", value: window.rawValue)) }
        var components = URLComponents()
        components.queryItems = items
        return "<a href=\"/\(HTML.escape(components.percentEncodedQuery.map { "?" + $0 } ?? ""))\">\(title)\(key == sort ? " ▾" : "")</a>"
    }

    private func summaryCards() -> String {
        let cards = ClusterState.allCases.map { state in
            "<div class=\"card \(state.rawValue.lowercased())\"><span class=\"count\">\(health.counts[state.rawValue] ?? 0)</span><span>\(state.rawValue)</span></div>"
        }.joined()
        let bytes = ByteCountFormatter.string(fromByteCount: pruneTotals.reclaimableBytes, countStyle: .binary)
        let span = window == .all ? "all time" : "last \(window.rawValue)"
        let pruning = """
            <div class="card pruning"><span class="count">\(HTML.escape(bytes))</span><span>reclaimable by pruning, \(span) · \(pruneTotals.manifestsDeleted) manifests deleted · \(pruneTotals.runs) runs on \(pruneTotals.clusters) clusters\(pruneTotals.failedRuns > 0 ? " · \(pruneTotals.failedRuns) failed" : "")</span></div>
            """
        return "<section class=\"cards\" id=\"summary\" data-live>\(cards)\(pruning)</section>"
    }

    private func rolloutSection() -> String {
        let active = rollouts.filter(\.phase.isActive)
        let recent = rollouts.filter { !$0.phase.isActive }.prefix(3)
        let rows = (active + recent).map { rollout -> String in
            let succeeded = rollout.clusters.filter { $0.state == .succeeded }.count
            let percent = rollout.clusters.isEmpty ? 0 : succeeded * 100 / rollout.clusters.count
            let wave = rollout.currentWave.map { rollout.waves[$0] } ?? "done"
            return """
                <tr><td>\(DashboardLayout.rolloutLink(rollout.id))</td><td>\(HTML.escape(rollout.name ?? ""))</td><td class="phase \(rollout.phase.rawValue.lowercased())">\(rollout.phase.rawValue)</td><td>\(HTML.escape(wave))</td>\
                <td class="nowrap"><div class="bar"><div style="width:\(percent)%"></div></div> \(succeeded)/\(rollout.clusters.count)\(rollout.failures > 0 ? " · \(rollout.failures) failed" : "")</td><td>\(HTML.escape(rollout.message ?? ""))</td></tr>
                """
        }
        let content = rows.isEmpty ? "<p class=\"muted\">No rollout yet.</p>" : DashboardLayout.table(id: "rollouts-table", header: ["ID", "Name", "Phase", "Wave", "Progress", "Message"], rows: rows, live: false)
        return "<section id=\"rollouts\" data-live><h2>Rollouts</h2>\(content)</section>"
    }

    private func fleetPolicySection() -> String {
        guard !fleetPolicies.isEmpty || !freezes.isEmpty else { return "<section id=\"fleet-policies\" data-live></section>" }
        let banner = freezes.map { freeze in
            "<p class=\"frozen\">Frozen: \(HTML.escape(freeze.name)) on \(HTML.escape(freeze.selector))\(freeze.reason.map { " — \(HTML.escape($0))" } ?? "")\(freeze.until.map { " until \(HTML.escape(RFC3339.format($0)))" } ?? "")</p>"
        }.joined()
        let rows = fleetPolicies.map { policy -> String in
            let status = policy.status
            let last = status?.lastRollout.map { DashboardLayout.rolloutLink($0, label: "\($0) \(status?.lastRolloutPhase?.rawValue ?? "")") } ?? "–"
            return """
                <tr><td>\(HTML.escape(policy.name))</td><td>\(HTML.escape(policy.spec.selector))</td><td>\(policy.priority)</td><td>\(policy.generation)</td>\
                <td>\(status?.matchedClusters ?? 0)</td><td>\(status?.pendingClusters ?? 0)</td><td>\(last)</td><td>\(HTML.escape(status?.message ?? ""))</td></tr>
                """
        }
        return """
            <section id="fleet-policies" data-live><h2>Fleet policies</h2>\(banner)
            \(DashboardLayout.table(id: "fleet-policies-table", header: ["Name", "Selector", "Priority", "Generation", "Clusters", "Pending", "Last rollout", "Message"], rows: rows, live: false))</section>
            """
    }

    private func clusterRow(_ cluster: ClusterSummary) -> String {
        let labels = cluster.labels.keys.sorted().map { "<span class=\"label\">\(HTML.escape($0))=\(HTML.escape(cluster.labels[$0]!))</span>" }.joined(separator: " ")
        let generation = "\(cluster.observedGeneration.map(String.init) ?? "–")/\(cluster.desiredGeneration)"
        let lastReport = cluster.lastReportAt.map { DashboardLayout.age($0, now: generatedAt) } ?? "never"
        return """
            <tr data-state="\(cluster.health.state.rawValue)" data-name="\(HTML.escape(cluster.name))"><td>\(DashboardLayout.clusterLink(cluster.name))</td><td>\(DashboardLayout.state(cluster.health.state))\(cluster.health.prunerFailing ? " <span class=\"label warn\">pruner failing</span>" : "")</td>\
            <td title="\(HTML.escape(cluster.health.message))">\(HTML.escape(cluster.health.reason))<div class="muted small">\(HTML.escape(cluster.health.message))</div></td>\
            <td>\(HTML.escape(cluster.managementState?.rawValue ?? "–"))</td><td>\(generation)</td><td class="nowrap" title="\(cluster.lastReportAt.map { HTML.escape(RFC3339.format($0)) } ?? "")">\(lastReport)</td><td>\(labels)</td></tr>
            """
    }
}
