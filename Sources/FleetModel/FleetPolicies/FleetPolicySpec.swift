import Foundation
import RegistryModel

/// A standing rule of the fleet: every cluster whose labels match `selector` — now or when it enrolls or is
/// relabelled later — gets `template` (with the `overrides` its labels match) as part of its policy.
///
/// What `PUT /v1/fleet-policies/{name}` takes; the name is the path's. Where several fleet policies set one
/// field the higher `priority` wins (equal priorities: the name first in alphabetical order), and a field
/// the cluster's own policy sets wins over every fleet policy. A change that moves clusters' policies is
/// rolled out by the rollout engine with `strategy`, in the clusters' maintenance windows.
public struct FleetPolicySpec: Codable, Hashable, Sendable {
    /// Label selector of the clusters this policy holds, or `*` for every cluster. Required.
    public var selector: String
    /// Higher wins where fleet policies set the same field; 0 when absent.
    public var priority: Int?
    /// The policy fields every selected cluster gets.
    public var template: FleetPolicy?
    /// Per-label variations, applied over the template in order when their selector matches too.
    public var overrides: [FleetPolicyOverride]?
    /// How a change reaches the selected clusters (the rollout defaults when absent: waves of 25 %).
    public var strategy: RolloutStrategy?
    /// When the selected clusters may be changed by a rollout; any time when empty.
    public var maintenanceWindows: [MaintenanceWindow]?
    /// Required when the policy switches clusters with operator-managed storage to Removed.
    public var acknowledgeDataLoss: Bool?

    public init(
        selector: String, priority: Int? = nil, template: FleetPolicy? = nil, overrides: [FleetPolicyOverride]? = nil,
        strategy: RolloutStrategy? = nil, maintenanceWindows: [MaintenanceWindow]? = nil, acknowledgeDataLoss: Bool? = nil
    ) {
        self.selector = selector
        self.priority = priority
        self.template = template
        self.overrides = overrides
        self.strategy = strategy
        self.maintenanceWindows = maintenanceWindows
        self.acknowledgeDataLoss = acknowledgeDataLoss
    }

    /// Bounds of `priority`.
    public static let priorityRange = -1000...1000

    /// The clusters `selector` names.
    public func labelSelector() throws(FieldError) -> LabelSelector {
        selector == RolloutPlan.allClusters ? .everything : try LabelSelector(parsing: selector)
    }

    /// Every problem with the spec, with field paths.
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if selector.trimmingCharacters(in: .whitespaces).isEmpty {
            collector.add("selector", "required: a label selector such as env=prod, or \"\(RolloutPlan.allClusters)\" for every cluster")
        } else {
            do {
                _ = try labelSelector()
            } catch {
                collector.add("selector", error.message)
            }
        }
        if let priority, !Self.priorityRange.contains(priority) {
            collector.add("priority", "must be between \(Self.priorityRange.lowerBound) and \(Self.priorityRange.upperBound), got \(priority)")
        }
        if let template { collector.merge(template.validationErrors(), prefix: "template") }
        for (index, override) in (overrides ?? []).enumerated() {
            collector.merge(override.validationErrors(), prefix: "overrides[\(index)]")
        }
        if let strategy { collector.merge(strategy.validationErrors(), prefix: "strategy") }
        for (index, window) in (maintenanceWindows ?? []).enumerated() {
            collector.merge(window.validationErrors(), prefix: "maintenanceWindows[\(index)]")
        }
        if (template ?? FleetPolicy()) == FleetPolicy(), (overrides ?? []).isEmpty, (maintenanceWindows ?? []).isEmpty {
            collector.add("template", "the fleet policy sets no field, no override and no maintenance window")
        }
        return collector.errors
    }

    /// Throws every problem at once.
    public func validate() throws(ValidationErrors) {
        let errors = validationErrors()
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    /// Whether any field of the policy (template or override) switches clusters to Removed.
    public var setsRemoved: Bool {
        template?.managementState == .removed || (overrides ?? []).contains { $0.policy.managementState == .removed }
    }
}

/// Fields a fleet policy sets differently on the clusters whose labels also match `selector`.
public struct FleetPolicyOverride: Codable, Hashable, Sendable {
    /// Label selector within the fleet policy's clusters, e.g. `region=eu`.
    public var selector: String
    /// The fields set over the template.
    public var policy: FleetPolicy

    public init(selector: String, policy: FleetPolicy) {
        self.selector = selector
        self.policy = policy
    }

    func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        do {
            _ = try LabelSelector(parsing: selector)
            if selector.trimmingCharacters(in: .whitespaces).isEmpty { collector.add("selector", "required: a label selector such as region=eu") }
        } catch {
            collector.add("selector", error.message)
        }
        if policy == FleetPolicy() { collector.add("policy", "the override sets no field") }
        collector.merge(policy.validationErrors(), prefix: "policy")
        return collector.errors
    }
}

/// A fleet policy as the hub stores and serves it.
public struct StoredFleetPolicy: Codable, Hashable, Sendable {
    /// A DNS-1123 label, unique in the hub.
    public var name: String
    /// Moves on every change of the spec; rollouts of the policy name the generation they carry.
    public var generation: Int64
    public var spec: FleetPolicySpec
    public var createdBy: String
    public var createdAt: Date
    public var updatedBy: String
    public var updatedAt: Date
    /// The id of the newest rollout the policy started, if any.
    public var lastRollout: String?
    /// Filled in by the hub when it is read: which clusters it holds and how far its changes got.
    public var status: FleetPolicyStatus?

    public init(
        name: String, generation: Int64, spec: FleetPolicySpec, createdBy: String, createdAt: Date, updatedBy: String, updatedAt: Date,
        lastRollout: String? = nil, status: FleetPolicyStatus? = nil
    ) {
        self.name = name
        self.generation = generation
        self.spec = spec
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.lastRollout = lastRollout
        self.status = status
    }

    /// 0 when the spec gives none.
    public var priority: Int { spec.priority ?? 0 }
}

/// Where a fleet policy stands across the fleet.
public struct FleetPolicyStatus: Codable, Hashable, Sendable {
    /// Clusters its selector matches now.
    public var matchedClusters: Int
    /// Matched clusters whose policy does not yet hold what the fleet policies call for (a rollout to come,
    /// in flight, waiting for a window, frozen, or stopped by a failed rollout).
    public var pendingClusters: Int
    /// The newest rollout it started and where that rollout is.
    public var lastRollout: String?
    public var lastRolloutPhase: RolloutPhase?
    /// Why changes wait, for people.
    public var message: String?

    public init(
        matchedClusters: Int, pendingClusters: Int, lastRollout: String? = nil, lastRolloutPhase: RolloutPhase? = nil, message: String? = nil
    ) {
        self.matchedClusters = matchedClusters
        self.pendingClusters = pendingClusters
        self.lastRollout = lastRollout
        self.lastRolloutPhase = lastRolloutPhase
        self.message = message
    }
}

/// `GET /v1/fleet-policies`: every fleet policy, by name.
public struct FleetPolicyList: Codable, Hashable, Sendable {
    public var fleetPolicies: [StoredFleetPolicy]
    public init(fleetPolicies: [StoredFleetPolicy]) { self.fleetPolicies = fleetPolicies }
}

/// `PUT /v1/fleet-policies/{name}?dryRun=true`: what applying the spec would change, nothing changed.
public struct FleetPolicyPreview: Codable, Hashable, Sendable {
    /// Clusters the spec's selector matches.
    public var matchedClusters: Int
    /// Each cluster whose policy would change, with its field changes, by name.
    public var changes: [ClusterPolicyDiff]
    /// Clusters whose change to Removed deletes operator-managed storage (needs `acknowledgeDataLoss`).
    public var needAcknowledgement: [String]
    public init(matchedClusters: Int, changes: [ClusterPolicyDiff], needAcknowledgement: [String]) {
        self.matchedClusters = matchedClusters
        self.changes = changes
        self.needAcknowledgement = needAcknowledgement
    }
}

/// What `PUT /v1/fleet-policies/{name}` answers with 200: the stored policy, or with `dryRun` the preview.
public enum FleetPolicyApplyAnswer: Codable, Hashable, Sendable {
    case stored(StoredFleetPolicy)
    case preview(FleetPolicyPreview)

    private enum Keys: String, CodingKey { case matchedClusters }

    /// A preview is the one that has `matchedClusters`.
    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: Keys.self)
        self = keys.contains(.matchedClusters) ? .preview(try FleetPolicyPreview(from: decoder)) : .stored(try StoredFleetPolicy(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .stored(let policy): try policy.encode(to: encoder)
        case .preview(let preview): try preview.encode(to: encoder)
        }
    }
}
