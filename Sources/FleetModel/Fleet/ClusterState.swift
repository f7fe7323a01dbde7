import Foundation
import RegistryModel

/// A cluster's registry health as the fleet sees it.
public enum ClusterState: String, Codable, Hashable, Sendable, CaseIterable {
    /// Available, not progressing, not degraded, desired generation applied.
    case healthy = "Healthy"
    /// Applying a policy, rolling out, or not yet available.
    case progressing = "Progressing"
    /// The operator reports Degraded=True.
    case degraded = "Degraded"
    /// Registry deliberately removed and fully torn down: its own state, neither healthy nor broken.
    case removed = "Removed"
    /// No report within the lease.
    case offline = "Offline"
    /// The agent reports, but cannot reach its cluster's API server: the registry's state is not known.
    case unreachable = "Unreachable"
    /// Never reported.
    case unknown = "Unknown"
}

/// The state of one cluster with why.
public struct ClusterHealth: Codable, Hashable, Sendable {
    public var state: ClusterState
    public var reason: String
    public var message: String
    /// True when the newest pruner job failed; kept apart from registry health (domain.md pitfall).
    public var prunerFailing: Bool

    public init(state: ClusterState, reason: String, message: String, prunerFailing: Bool = false) {
        self.state = state
        self.reason = reason
        self.message = message
        self.prunerFailing = prunerFailing
    }

    /// Decides a cluster's state from its latest report.
    ///
    /// First match wins: never reported → Unknown; report older than `lease` → Offline (never
    /// Healthy); the agent cannot reach its cluster's API server → Unreachable; Degraded=True → Degraded; policy not yet applied → Progressing; Removed and torn
    /// down → Removed; Available=True and not progressing → Healthy; else Progressing.
    public static func evaluate(
        report: AgentReport?, receivedAt: Date?, desiredGeneration: Int64, now: Date, lease: TimeInterval
    ) -> ClusterHealth {
        guard let report, let receivedAt else {
            return ClusterHealth(state: .unknown, reason: "NeverReported", message: "the agent has not reported yet")
        }
        let prunerFailing = report.pruner?.conditions.has(PrunerConditionType.failed, .true) ?? false
        let age = now.timeIntervalSince(receivedAt)
        if age > lease {
            return ClusterHealth(
                state: .offline, reason: "LeaseExpired",
                message: "no report for \(Int(age))s (lease \(Int(lease))s)", prunerFailing: prunerFailing)
        }
        if let unreachable = report.clusterAPIUnreachable {
            return ClusterHealth(
                state: .unreachable, reason: "ClusterAPIUnreachable",
                message: "the agent is running but cannot reach the cluster's API server since \(RFC3339.format(unreachable.since)): \(unreachable.message)",
                prunerFailing: prunerFailing)
        }
        let conditions = report.registry.conditions
        if let degraded = conditions[type: ConfigConditionType.degraded], degraded.status == .true {
            return ClusterHealth(
                state: .degraded, reason: degraded.reason ?? "Degraded", message: degraded.message ?? "", prunerFailing: prunerFailing)
        }
        if report.observedGeneration < desiredGeneration {
            return ClusterHealth(
                state: .progressing, reason: "ApplyingPolicy",
                message: "agent applied generation \(report.observedGeneration), desired \(desiredGeneration)", prunerFailing: prunerFailing)
        }
        if let generation = report.registry.generation, (report.registry.observedGeneration ?? 0) < generation {
            return ClusterHealth(
                state: .progressing, reason: "Reconciling",
                message: "operator observed generation \(report.registry.observedGeneration ?? 0) of \(generation)", prunerFailing: prunerFailing)
        }
        let progressing = conditions[type: ConfigConditionType.progressing]
        if report.registry.managementState == .removed {
            if conditions.has(ConfigConditionType.removed, .true), progressing?.status != .true {
                return ClusterHealth(state: .removed, reason: "Removed", message: "the registry is removed", prunerFailing: prunerFailing)
            }
            let removing = progressing?.status == .true ? progressing : nil
            return ClusterHealth(
                state: .progressing, reason: removing?.reason ?? "Removing", message: removing?.message ?? "removing the registry",
                prunerFailing: prunerFailing)
        }
        let available = conditions[type: ConfigConditionType.available]
        if available?.status == .true, progressing?.status != .true {
            return ClusterHealth(
                state: .healthy, reason: available?.reason ?? "Ready", message: available?.message ?? "", prunerFailing: prunerFailing)
        }
        let cause = progressing?.status == .true ? progressing : available
        return ClusterHealth(
            state: .progressing, reason: cause?.reason ?? "WaitingForStatus", message: cause?.message ?? "waiting for operator status",
            prunerFailing: prunerFailing)
    }
}
