import FleetModel
import Foundation
import RegistryModel

/// `/rollouts/ID`: one rollout — its plan and phase, each wave's progress, and every cluster's state, why,
/// and how long is left of its soak or its progress deadline.
struct RolloutPage {
    var rollout: Rollout
    var generatedAt: Date
    var refreshSeconds = 5

    func render() -> String {
        let strategy = rollout.plan.strategy
        let now = generatedAt
        let facts = """
            <dl id="facts" data-live>
            <dt>Phase</dt><dd class="phase \(rollout.phase.rawValue.lowercased())">\(rollout.phase.rawValue)\(rollout.message.map { " — \(HTML.escape($0))" } ?? "")</dd>
            <dt>Created</dt><dd>\(DashboardLayout.age(rollout.createdAt, now: now)) by \(HTML.escape(rollout.createdBy))</dd>
            <dt>Source</dt><dd>\(rollout.source.map { "fleet policy \(HTML.escape($0.fleetPolicy ?? "-")), generation \($0.generation.map(String.init) ?? "-")" } ?? "admin")</dd>
            <dt>Strategy</dt><dd>waves of \(strategy.maxConcurrency), soak \(strategy.soakSeconds)s, deadline \(strategy.progressDeadlineSeconds)s, maxFailures \(strategy.maxFailures), autoRollback \(strategy.autoRollback)</dd>
            </dl>
            """
        let waves = rollout.waves.enumerated().map { index, name -> String in
            let members = rollout.clusters(inWave: index)
            let counts = Dictionary(grouping: members, by: \.state).mapValues(\.count)
            let done = (counts[.succeeded] ?? 0)
            let percent = members.isEmpty ? 0 : done * 100 / members.count
            let summary = RolloutClusterState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }.joined(separator: " · ")
            return "<tr><td>\(HTML.escape(name))</td><td class=\"nowrap\"><div class=\"bar\"><div style=\"width:\(percent)%\"></div></div> \(done)/\(members.count)</td><td>\(HTML.escape(summary))</td></tr>"
        }
        let clusters = rollout.clusters.map { cluster -> String in
            "<tr><td>\(DashboardLayout.clusterLink(cluster.name))</td><td>\(HTML.escape(rollout.waves[cluster.wave]))</td><td class=\"cluster-state \(cluster.state.rawValue.lowercased())\">\(cluster.state.rawValue)</td><td class=\"nowrap\">\(timeLeft(cluster, now: now))</td><td>\(HTML.escape(cluster.message ?? ""))</td></tr>"
        }
        let body = """
            <section><h2>Rollout \(HTML.escape(rollout.name ?? rollout.id)) <span class="muted">\(HTML.escape(rollout.id))</span></h2>\(facts)</section>
            <section><h2>Waves</h2>\(DashboardLayout.table(id: "waves", header: ["Wave", "Progress", "Clusters"], rows: waves))</section>
            <section><h2>Clusters</h2>\(DashboardLayout.table(id: "rollout-clusters", header: ["Cluster", "Wave", "State", "Time left", "Why"], rows: clusters))</section>
            """
        return DashboardLayout.page(title: "\(rollout.name ?? rollout.id) — RegistryFleet", generatedAt: generatedAt, refreshSeconds: refreshSeconds, body: body)
    }

    /// The soak left for a soaking cluster, the deadline left for one applying, nothing otherwise.
    private func timeLeft(_ cluster: RolloutCluster, now: Date) -> String {
        let strategy = rollout.plan.strategy
        switch cluster.state {
        case .soaking:
            guard let since = cluster.healthySince else { return "" }
            return "soak ends " + DashboardLayout.remaining(until: since.addingTimeInterval(TimeInterval(strategy.soakSeconds)), now: now)
        case .applying:
            guard let applied = cluster.appliedAt else { return "" }
            return "deadline " + DashboardLayout.remaining(until: applied.addingTimeInterval(TimeInterval(strategy.progressDeadlineSeconds)), now: now)
        default:
            return ""
        }
    }
}
