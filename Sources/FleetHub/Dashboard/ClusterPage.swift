import FleetModel
import FleetStore
import Foundation
import RegistryModel

/// `/clusters/NAME`: one cluster — state and why, conditions, workloads, its policy field by field with the
/// source of each, its rollouts, recent reports and prune runs.
struct ClusterPage {
    var detail: ClusterDetail
    var effective: EffectivePolicy
    var rollouts: [Rollout]
    var reports: [StoredReport]
    var pruneRuns: [PruneResultRecord]
    var generatedAt: Date
    var refreshSeconds = 5

    func render() -> String {
        let summary = detail.summary
        let now = generatedAt
        let labels = summary.labels.keys.sorted().map { "<span class=\"label\">\(HTML.escape($0))=\(HTML.escape(summary.labels[$0]!))</span>" }.joined(separator: " ")
        let facts = """
            <dl id="facts" data-live>
            <dt>State</dt><dd>\(DashboardLayout.state(summary.health.state)) \(HTML.escape(summary.health.reason))<div class="muted">\(HTML.escape(summary.health.message))</div></dd>
            <dt>Labels</dt><dd>\(labels.isEmpty ? "none" : labels)</dd>
            <dt>Policy</dt><dd>generation \(summary.desiredGeneration), observed \(summary.observedGeneration.map(String.init) ?? "none")</dd>
            <dt>Management</dt><dd>\(HTML.escape(summary.managementState?.rawValue ?? "–"))</dd>
            <dt>Last report</dt><dd>\(summary.lastReportAt.map { DashboardLayout.age($0, now: now) } ?? "never")\(summary.agentVersion.map { ", agent \(HTML.escape($0))" } ?? "")</dd>
            <dt>Fleet policies</dt><dd>\(effective.fleetPolicies.isEmpty ? "none" : HTML.escape(effective.fleetPolicies.joined(separator: ", ")))</dd>
            \(effective.pending.isEmpty ? "" : "<dt>Pending</dt><dd>\(effective.pending.count) field(s): \(HTML.escape(effective.pendingReason ?? ""))</dd>")
            \(effective.freezes.isEmpty ? "" : "<dt>Frozen by</dt><dd>\(HTML.escape(effective.freezes.joined(separator: ", ")))</dd>")
            </dl>
            """
        let report = detail.latestReport
        let conditions = (report?.registry.conditions ?? []).map { condition in
            "<tr><td>\(HTML.escape(condition.type))</td><td>\(condition.status.rawValue)</td><td>\(HTML.escape(condition.reason ?? ""))</td><td>\(HTML.escape(condition.message ?? ""))</td></tr>"
        }
        let workloads = (report?.workloads ?? []).map { workload in
            let ready = workload.present ? "\(workload.readyCount ?? (workload.ready ? 1 : 0))/\(workload.desired ?? 1)" : "absent"
            return "<tr><td>\(HTML.escape(workload.kind))</td><td>\(HTML.escape(workload.name))</td><td>\(ready)</td><td>\(HTML.escape(workload.message ?? ""))</td></tr>"
        }
        let fields = effective.fields.map { field in
            "<tr><td class=\"nowrap\">\(HTML.escape(field.path))</td><td>\(HTML.escape(field.value.displayText))</td><td>\(HTML.escape(field.source))</td></tr>"
        }
        let memberships = rollouts.prefix(10).compactMap { rollout -> String? in
            guard let member = rollout.clusters.first(where: { $0.name == summary.name }) else { return nil }
            return "<tr><td>\(DashboardLayout.rolloutLink(rollout.id))</td><td>\(HTML.escape(rollout.name ?? ""))</td><td class=\"phase \(rollout.phase.rawValue.lowercased())\">\(rollout.phase.rawValue)</td><td class=\"cluster-state \(member.state.rawValue.lowercased())\">\(member.state.rawValue)</td><td>\(HTML.escape(member.message ?? ""))</td></tr>"
        }
        let history = reports.prefix(20).map { stored in
            // Judged as of its own arrival, against the generation it applied: the cluster's state then.
            let health = ClusterHealth.evaluate(
                report: stored.report, receivedAt: stored.receivedAt, desiredGeneration: stored.report.observedGeneration, now: stored.receivedAt,
                lease: .infinity)
            return "<tr><td class=\"nowrap\">\(DashboardLayout.age(stored.receivedAt, now: now))</td><td>\(stored.sequence)</td><td>\(stored.report.observedGeneration)</td><td>\(DashboardLayout.state(health.state))</td><td>\(HTML.escape(health.reason))</td></tr>"
        }
        let prunes = pruneRuns.prefix(20).map { record in
            let run = record.report
            return "<tr><td class=\"nowrap\">\(DashboardLayout.age(run.finishedAt, now: now))</td><td>\(run.dryRun ? "dry run" : "pruned")</td><td>\(run.deleted)/\(run.manifestsScanned)</td><td>\(HTML.escape(ByteCountFormatter.string(fromByteCount: run.reclaimableBytes, countStyle: .binary)))</td><td>\(HTML.escape(run.errors.map(\.message).joined(separator: "; ")))</td></tr>"
        }
        let body = """
            <section><h2>Cluster \(HTML.escape(summary.name))</h2>\(facts)</section>
            <section><h2>Conditions</h2>\(DashboardLayout.table(id: "conditions", header: ["Type", "Status", "Reason", "Message"], rows: conditions))</section>
            <section><h2>Workloads</h2>\(DashboardLayout.table(id: "workloads", header: ["Kind", "Name", "Ready", "Message"], rows: workloads))</section>
            <section><h2>Policy</h2>\(DashboardLayout.table(id: "policy", header: ["Field", "Value", "Source"], rows: fields))</section>
            <section><h2>Rollouts</h2>\(DashboardLayout.table(id: "memberships", header: ["ID", "Name", "Phase", "This cluster", "Why"], rows: memberships))</section>
            <section><h2>Recent reports</h2>\(DashboardLayout.table(id: "reports", header: ["Received", "Sequence", "Generation", "State", "Reason"], rows: history))</section>
            <section><h2>Prune runs</h2>\(DashboardLayout.table(id: "prunes", header: ["Finished", "Kind", "Deleted/scanned", "Reclaimable", "Error"], rows: prunes))</section>
            """
        return DashboardLayout.page(title: "\(summary.name) — RegistryFleet", generatedAt: generatedAt, refreshSeconds: refreshSeconds, body: body)
    }
}
