import FleetModel
import Foundation
import RegistryModel

/// Fleet policies, effective policies and freezes as people read them.
enum PolicyText {
    /// `policy get --effective`: every field with its source, then what is still to come and why.
    static func effective(_ policy: EffectivePolicy) -> String {
        var lines = [
            "Cluster \(policy.cluster), generation \(policy.generation); fleet policies: "
                + (policy.fleetPolicies.isEmpty ? "none" : policy.fleetPolicies.joined(separator: ", "))
        ]
        lines.append(
            TextTable.render(
                header: ["FIELD", "VALUE", "SOURCE"], rows: policy.fields.map { [$0.path, RolloutText.describe($0.value), $0.source] }))
        if policy.fields.isEmpty { lines.append("(nothing set: the operator's defaults)") }
        if !policy.pending.isEmpty {
            lines.append("Pending (\(policy.pendingReason ?? "waiting for a rollout")):")
            for change in policy.pending {
                lines.append("  \(change.path): \(change.from.map(RolloutText.describe) ?? "-") -> \(change.to.map(RolloutText.describe) ?? "unset")")
            }
        }
        for conflict in policy.conflicts { lines.append("Conflict: \(conflict)") }
        if !policy.maintenanceWindows.isEmpty { lines.append("Windows: " + policy.maintenanceWindows.map(window).joined(separator: "; ")) }
        if !policy.freezes.isEmpty { lines.append("Frozen by: " + policy.freezes.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    /// `0 2 * * 6 for 4h (Europe/Berlin)`.
    static func window(_ window: MaintenanceWindow) -> String {
        "\(window.schedule) for \(window.duration) (\(window.timeZone ?? "UTC"))"
    }

    /// `fleet-policy ls`.
    static func list(_ policies: [StoredFleetPolicy]) -> String {
        TextTable.render(
            header: ["NAME", "SELECTOR", "PRIORITY", "GENERATION", "CLUSTERS", "PENDING", "LAST ROLLOUT", "MESSAGE"],
            rows: policies.map { policy in
                let status = policy.status
                return [
                    policy.name, policy.spec.selector, String(policy.priority), String(policy.generation), status.map { String($0.matchedClusters) } ?? "-",
                    status.map { String($0.pendingClusters) } ?? "-",
                    status?.lastRollout.map { "\($0) \(status?.lastRolloutPhase?.rawValue ?? "")" } ?? "-", status?.message ?? "",
                ]
            })
    }

    /// `fleet-policy describe`.
    static func describe(_ policy: StoredFleetPolicy) -> String {
        let spec = policy.spec
        let strategy = spec.strategy ?? RolloutStrategy()
        var lines = [
            "Name:       \(policy.name) (generation \(policy.generation))",
            "Selector:   " + (spec.selector == RolloutPlan.allClusters ? "* (every cluster)" : spec.selector),
            "Priority:   \(policy.priority)",
            "Updated:    \(RFC3339.format(policy.updatedAt)) by \(policy.updatedBy); created \(RFC3339.format(policy.createdAt)) by \(policy.createdBy)",
            "Strategy:   canary \(strategy.canary.map { $0.count.map { "\($0) cluster(s)" } ?? $0.selector ?? "-" } ?? "none"), "
                + "waves of \(strategy.maxConcurrency), soak \(strategy.soakSeconds)s, deadline \(strategy.progressDeadlineSeconds)s, "
                + "maxFailures \(strategy.maxFailures), autoRollback \(strategy.autoRollback)",
            "Template:",
        ]
        let fields = (spec.template ?? FleetPolicy()).fields().sorted { $0.key < $1.key }
        if fields.isEmpty { lines.append("  <none>") }
        for (path, value) in fields { lines.append("  \(path): \(RolloutText.describe(value))") }
        for override in spec.overrides ?? [] {
            lines.append("Override \(override.selector):")
            for (path, value) in override.policy.fields().sorted(by: { $0.key < $1.key }) { lines.append("  \(path): \(RolloutText.describe(value))") }
        }
        lines.append("Windows:    " + ((spec.maintenanceWindows ?? []).isEmpty ? "any time" : (spec.maintenanceWindows ?? []).map(window).joined(separator: "; ")))
        if let status = policy.status {
            lines.append("Clusters:   \(status.matchedClusters) matched, \(status.pendingClusters) still to change")
            lines.append("Rollout:    " + (status.lastRollout.map { "\($0) \(status.lastRolloutPhase?.rawValue ?? "")" } ?? "none yet"))
            if let message = status.message { lines.append("Message:    \(message)") }
        }
        return lines.joined(separator: "\n")
    }

    /// `fleet-policy apply --dry-run`.
    static func preview(_ preview: FleetPolicyPreview, name: String) -> String {
        var lines = ["fleet policy \(name) selects \(preview.matchedClusters) cluster(s); \(preview.changes.count) would change (dry run, nothing written)"]
        for diff in preview.changes {
            lines.append("  \(diff.cluster) (generation \(diff.generation)):")
            for change in diff.changes {
                lines.append("    \(change.path): \(change.from.map(RolloutText.describe) ?? "-") -> \(change.to.map(RolloutText.describe) ?? "unset")")
            }
        }
        if !preview.needAcknowledgement.isEmpty {
            lines.append("needs --acknowledge-data-loss: " + preview.needAcknowledgement.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
