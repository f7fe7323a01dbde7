import Foundation
import RegistryModel

/// The dashboard: one self-contained page (no scripts, fonts or images from elsewhere, so it
/// works offline) with the fleet table filterable by label selector and state, active rollouts
/// with progress, and pruning totals. It reloads itself every few seconds.
struct DashboardPage {
    var clusters: [ClusterSummary]
    var health: FleetHealthReport
    var rollouts: [Rollout]
    var pruneTotals: PruneTotals
    var selector: String
    var state: ClusterState?
    var generatedAt: Date
    var refreshSeconds = 5
    var error: String?
    var fleetPolicies: [StoredFleetPolicy] = []
    /// The freezes holding now.
    var freezes: [ChangeFreeze] = []

    func render() -> String {
        let shown = clusters.filter { state == nil || $0.health.state == state }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="refresh" content="\(refreshSeconds)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>RegistryFleet — \(health.total) clusters</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <header><h1>RegistryFleet</h1><span class="muted">generated \(HTML.escape(RFC3339.format(generatedAt))) · refreshes every \(refreshSeconds)s</span></header>
            \(error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? "")
            \(summaryCards())
            \(rolloutSection())
            \(fleetPolicySection())
            <section>
            <h2>Clusters</h2>
            <form method="get" action="/">
            <label>Label selector <input name="selector" value="\(HTML.escape(selector))" placeholder="env=prod,region in (eu)"></label>
            <label>State <select name="state"><option value="">any</option>\(ClusterState.allCases.map { "<option\($0 == state ? " selected" : "")>\($0.rawValue)</option>" }.joined())</select></label>
            <button type="submit">Filter</button>
            </form>
            <table id="clusters">
            <thead><tr><th>Cluster</th><th>State</th><th>Reason</th><th>Management</th><th>Generation (observed/desired)</th><th>Last report</th><th>Labels</th></tr></thead>
            <tbody>
            \(shown.map(clusterRow).joined(separator: "\n"))
            </tbody>
            </table>
            \(shown.isEmpty ? "<p class=\"muted\">No cluster matches.</p>" : "")
            </section>
            </body>
            </html>
            """
    }

    private func summaryCards() -> String {
        let cards = ClusterState.allCases.map { state in
            "<div class=\"card \(state.rawValue.lowercased())\"><span class=\"count\">\(health.counts[state.rawValue] ?? 0)</span><span>\(state.rawValue)</span></div>"
        }.joined()
        let bytes = ByteCountFormatter.string(fromByteCount: pruneTotals.reclaimableBytes, countStyle: .binary)
        let pruning = """
            <div class="card pruning"><span class="count">\(HTML.escape(bytes))</span><span>reclaimable by pruning · \(pruneTotals.manifestsDeleted) manifests deleted · \(pruneTotals.runs) runs on \(pruneTotals.clusters) clusters\(pruneTotals.failedRuns > 0 ? " · \(pruneTotals.failedRuns) failed" : "")</span></div>
            """
        return "<section class=\"cards\" id=\"summary\">\(cards)\(pruning)</section>"
    }

    private func rolloutSection() -> String {
        let active = rollouts.filter(\.phase.isActive)
        let recent = rollouts.filter { !$0.phase.isActive }.prefix(3)
        guard !active.isEmpty || !recent.isEmpty else { return "" }
        let rows = (active + recent).map { rollout -> String in
            let succeeded = rollout.clusters.filter { $0.state == .succeeded }.count
            let percent = rollout.clusters.isEmpty ? 0 : succeeded * 100 / rollout.clusters.count
            let wave = rollout.currentWave.map { rollout.waves[$0] } ?? "done"
            return """
                <tr><td>\(HTML.escape(rollout.id))</td><td>\(HTML.escape(rollout.name ?? ""))</td><td class="phase \(rollout.phase.rawValue.lowercased())">\(rollout.phase.rawValue)</td><td>\(HTML.escape(wave))</td>\
                <td><div class="bar"><div style="width:\(percent)%"></div></div> \(succeeded)/\(rollout.clusters.count)\(rollout.failures > 0 ? " · \(rollout.failures) failed" : "")</td><td>\(HTML.escape(rollout.message ?? ""))</td></tr>
                """
        }
        return """
            <section><h2>Rollouts</h2>
            <table id="rollouts"><thead><tr><th>ID</th><th>Name</th><th>Phase</th><th>Wave</th><th>Progress</th><th>Message</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table></section>
            """
    }

    private func fleetPolicySection() -> String {
        guard !fleetPolicies.isEmpty || !freezes.isEmpty else { return "" }
        let banner = freezes.map { freeze in
            "<p class=\"frozen\">Frozen: \(HTML.escape(freeze.name)) on \(HTML.escape(freeze.selector))\(freeze.reason.map { " — \(HTML.escape($0))" } ?? "")\(freeze.until.map { " until \(HTML.escape(RFC3339.format($0)))" } ?? "")</p>"
        }.joined()
        let rows = fleetPolicies.map { policy -> String in
            let status = policy.status
            return """
                <tr><td>\(HTML.escape(policy.name))</td><td>\(HTML.escape(policy.spec.selector))</td><td>\(policy.priority)</td><td>\(policy.generation)</td>\
                <td>\(status?.matchedClusters ?? 0)</td><td>\(status?.pendingClusters ?? 0)</td>\
                <td>\(HTML.escape(status?.lastRollout.map { "\($0) \(status?.lastRolloutPhase?.rawValue ?? "")" } ?? "–"))</td><td>\(HTML.escape(status?.message ?? ""))</td></tr>
                """
        }
        return """
            <section><h2>Fleet policies</h2>\(banner)
            <table id="fleet-policies"><thead><tr><th>Name</th><th>Selector</th><th>Priority</th><th>Generation</th><th>Clusters</th><th>Pending</th><th>Last rollout</th><th>Message</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table></section>
            """
    }

    private func clusterRow(_ cluster: ClusterSummary) -> String {
        let labels = cluster.labels.keys.sorted().map { "<span class=\"label\">\(HTML.escape($0))=\(HTML.escape(cluster.labels[$0]!))</span>" }.joined(separator: " ")
        let generation = "\(cluster.observedGeneration.map(String.init) ?? "–")/\(cluster.desiredGeneration)"
        let lastReport = cluster.lastReportAt.map { "\(max(0, Int(generatedAt.timeIntervalSince($0))))s ago" } ?? "never"
        return """
            <tr data-state="\(cluster.health.state.rawValue)"><td>\(HTML.escape(cluster.name))</td><td><span class="state \(cluster.health.state.rawValue.lowercased())">\(cluster.health.state.rawValue)</span>\(cluster.health.prunerFailing ? " <span class=\"label warn\">pruner failing</span>" : "")</td>\
            <td title="\(HTML.escape(cluster.health.message))">\(HTML.escape(cluster.health.reason))<div class="muted small">\(HTML.escape(cluster.health.message))</div></td>\
            <td>\(HTML.escape(cluster.managementState?.rawValue ?? "–"))</td><td>\(generation)</td><td>\(lastReport)</td><td>\(labels)</td></tr>
            """
    }

    static let style = """
        body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
        header{display:flex;align-items:baseline;gap:1rem;padding:.8rem 1.5rem;background:#1d2330;color:#fff}
        h1{font-size:1.3rem;margin:0}h2{font-size:1.05rem;margin:1.2rem 0 .5rem}
        section{padding:0 1.5rem}.muted{color:#7a8194}.small{font-size:12px}
        .cards{display:flex;flex-wrap:wrap;gap:.6rem;margin-top:1rem}
        .card{background:#fff;border-radius:6px;padding:.6rem .9rem;min-width:7rem;box-shadow:0 1px 2px #0002;display:flex;flex-direction:column}
        .card .count{font-size:1.5rem;font-weight:600}.card.pruning{flex:1}
        .card.healthy .count{color:#1a7f37}.card.degraded .count{color:#cf222e}.card.progressing .count{color:#9a6700}
        .card.offline .count{color:#6e40c9}.card.removed .count{color:#57606a}.card.unknown .count{color:#7a8194}.card.unreachable .count{color:#bc4c00}
        table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002}
        th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eaecef;vertical-align:top}th{background:#f0f2f5;font-weight:600}
        .state{padding:.1rem .45rem;border-radius:9px;font-size:12px;font-weight:600;background:#eaecef}
        .state.healthy{background:#dafbe1;color:#1a7f37}.state.degraded{background:#ffebe9;color:#cf222e}.state.progressing{background:#fff8c5;color:#9a6700}
        .state.offline{background:#fbefff;color:#6e40c9}.state.removed{background:#eaeef2;color:#57606a}.state.unreachable{background:#fff1e5;color:#bc4c00}
        .label{display:inline-block;background:#eef1f6;border-radius:4px;padding:0 .35rem;font-size:12px;margin:1px}.label.warn{background:#fff8c5}
        form{display:flex;gap:1rem;align-items:center;margin:.5rem 0}input,select{padding:.25rem .4rem}
        .bar{display:inline-block;width:10rem;height:.6rem;background:#eaecef;border-radius:3px;vertical-align:middle}.bar div{height:100%;background:#2da44e;border-radius:3px}
        .frozen{background:#ddf4ff;border-left:4px solid #0969da;padding:.4rem .8rem;margin:.4rem 0}
        .phase.failed,.phase.rolledback{color:#cf222e}.phase.succeeded{color:#1a7f37}.error{color:#cf222e;padding:0 1.5rem}
        """
}
