import FleetModel
import Foundation
import RegistryModel

/// `regfleet cluster describe`: one cluster as a person reads it, in the manner of `kubectl describe`.
struct ClusterDescription {
    let detail: ClusterDetail
    let rollouts: [Rollout]
    let pruneRuns: [PruneResultRecord]
    let events: [AuditEntry]
    /// The policy field by field with sources; nil from a hub that has no fleet policies API.
    let effective: EffectivePolicy?
    let now: Date

    var text: String {
        let summary = detail.summary
        var lines: [String] = []
        func field(_ name: String, _ value: String) { lines.append((name + ":").padding(toLength: 18, withPad: " ", startingAt: 0) + value) }
        field("Name", summary.name)
        let labels = summary.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        field("Labels", labels.first ?? "<none>")
        for label in labels.dropFirst() { lines.append(String(repeating: " ", count: 18) + label) }
        field("Enrolled", summary.enrolledAt.map(age) ?? "never")
        field("State", "\(summary.health.state.rawValue) (\(summary.health.reason))" + (summary.health.message.isEmpty ? "" : ": \(summary.health.message)"))
        if summary.health.prunerFailing { field("Pruner", "failing (see Prune runs)") }
        field("Last report", (summary.lastReportAt.map(age) ?? "never") + (summary.agentVersion.map { ", agent \($0)" } ?? ""))
        let policy = detail.policy
        field("Policy", "generation \(policy.generation), observed \(summary.observedGeneration.map(String.init) ?? "none")"
            + (policy.updatedBy.map { ", set by \($0)" } ?? "") + (policy.updatedAt.map { " " + age($0) } ?? ""))
        if let effective {
            if effective.fields.isEmpty { lines.append("  (nothing set: the operator's defaults)") }
            for field in effective.fields { lines.append("  \(field.path): \(RolloutText.describe(field.value))  (\(field.source))") }
            field("Fleet policies", effective.fleetPolicies.isEmpty ? "<none>" : effective.fleetPolicies.joined(separator: ", "))
            for change in effective.pending {
                lines.append("  pending \(change.path): \(change.from.map(RolloutText.describe) ?? "-") -> \(change.to.map(RolloutText.describe) ?? "-")")
            }
            if let reason = effective.pendingReason { lines.append("  (\(reason))") }
            for conflict in effective.conflicts { lines.append("  conflict \(conflict)") }
            if !effective.maintenanceWindows.isEmpty {
                field("Windows", effective.maintenanceWindows.map(PolicyText.window).joined(separator: "; "))
            }
            if !effective.freezes.isEmpty { field("Frozen by", effective.freezes.joined(separator: ", ")) }
        } else {
            let fields = FleetPolicy().diff(to: policy.policy)
            if fields.isEmpty { lines.append("  (nothing set: the operator's defaults)") }
            for change in fields { lines.append("  \(change.path): \(change.to.map(RolloutText.describe) ?? "-")") }
        }
        if let report = detail.latestReport {
            lines.append("Conditions:")
            lines += indent(TextTable.render(
                header: ["TYPE", "STATUS", "REASON", "MESSAGE"],
                rows: report.registry.conditions.map { [$0.type, $0.status.rawValue, $0.reason ?? "", $0.message ?? ""] }))
            lines.append("Workloads:")
            lines += indent(TextTable.render(
                header: ["KIND", "NAME", "READY", "MESSAGE"],
                rows: report.workloads.map { workload in
                    let ready = workload.present ? "\(workload.readyCount ?? (workload.ready ? 1 : 0))/\(workload.desired ?? 1)" : "absent"
                    return [workload.kind, workload.name, ready, workload.message ?? ""]
                }))
        }
        lines.append("Rollouts:")
        if rollouts.isEmpty { lines.append("  <none>") }
        for rollout in rollouts.prefix(5) {
            guard let member = rollout.clusters.first(where: { $0.name == summary.name }) else { continue }
            let wave = rollout.waves.indices.contains(member.wave) ? rollout.waves[member.wave] : "wave \(member.wave)"
            lines.append("  \(rollout.id)\(rollout.name.map { " (\($0))" } ?? "") \(rollout.phase.rawValue): this cluster \(member.state.rawValue) in \(wave)"
                + (member.message.map { " — \($0)" } ?? ""))
        }
        lines.append("Prune runs:")
        if pruneRuns.isEmpty { lines.append("  <none>") }
        for run in pruneRuns.sorted(by: { $0.report.finishedAt > $1.report.finishedAt }).prefix(3) {
            let report = run.report
            lines.append("  \(age(report.finishedAt)): \(report.dryRun ? "dry run, " : "")\(report.deleted) manifest(s) deleted of \(report.manifestsScanned) scanned"
                + (report.errors.isEmpty ? "" : ", \(report.errors.count) error(s)"))
        }
        lines.append("Events:")
        if events.isEmpty { lines.append("  <none>") }
        for event in events.prefix(10) {
            let generations = event.generationBefore.map { before in " generation \(before)→\(event.generationAfter.map(String.init) ?? "?")" } ?? ""
            lines.append("  \(age(event.at))  \(event.action)  by \(event.actor)\(generations)")
        }
        return lines.joined(separator: "\n")
    }

    private func indent(_ table: String) -> [String] {
        table.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
    }

    /// "2026-12-03T10:00:00Z (5m ago)".
    private func age(_ date: Date) -> String {
        "\(RFC3339.format(date)) (\(ClusterTable.ago(date, now: now)))"
    }
}
