import Foundation
import RegistryModel

/// A number of clusters given as a count (`5`) or a percentage (`"20%"`) of some total.
public enum CountOrPercent: Codable, Hashable, Sendable, CustomStringConvertible {
    case count(Int)
    case percent(Int)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let count = try? container.decode(Int.self) {
            self = .count(count)
            return
        }
        let text = try container.decode(String.self)
        if text.hasSuffix("%"), let value = Int(text.dropLast()) {
            self = .percent(value)
        } else if let value = Int(text) {
            self = .count(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a count such as 5 or a percentage such as \"20%\", got \"\(text)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .count(let value): try container.encode(value)
        case .percent(let value): try container.encode("\(value)%")
        }
    }

    public var description: String {
        switch self {
        case .count(let value): return String(value)
        case .percent(let value): return "\(value)%"
        }
    }

    /// The number of clusters out of `total` (a percentage rounds up, never below `minimum`).
    public func resolve(total: Int, minimum: Int = 0) -> Int {
        switch self {
        case .count(let value): return max(value, minimum)
        case .percent(let value):
            // Clamped first: an out-of-range percentage is refused by validation, and resolving it
            // before that must not overflow.
            let percent = Swift.min(Swift.max(value, 0), 100)
            return max(Int((Double(total) * Double(percent) / 100).rounded(.up)), minimum)
        }
    }

    var isNegative: Bool {
        switch self {
        case .count(let value), .percent(let value): return value < 0
        }
    }
}

/// Which clusters go first, alone, before any wave.
public struct CanarySpec: Codable, Hashable, Sendable {
    /// The first N clusters (by name).
    public var count: Int?
    /// Or the clusters matching this label selector.
    public var selector: String?
    public init(count: Int? = nil, selector: String? = nil) {
        self.count = count
        self.selector = selector
    }
}

/// How a rollout proceeds and when it stops.
public struct RolloutStrategy: Codable, Hashable, Sendable {
    public var canary: CanarySpec?
    /// Clusters per wave after the canary.
    public var maxConcurrency: CountOrPercent
    /// A cluster must stay healthy on the new generation this long to count as succeeded.
    public var soakSeconds: Int
    /// A cluster that has not succeeded this long after the change failed.
    public var progressDeadlineSeconds: Int
    /// More failures than this (of all selected clusters) fail the rollout.
    public var maxFailures: CountOrPercent
    /// On failure, restore the previous policy on every cluster the rollout touched.
    public var autoRollback: Bool

    public init(
        canary: CanarySpec? = nil, maxConcurrency: CountOrPercent = .percent(25), soakSeconds: Int = 60, progressDeadlineSeconds: Int = 600,
        maxFailures: CountOrPercent = .count(0), autoRollback: Bool = true
    ) {
        self.canary = canary
        self.maxConcurrency = maxConcurrency
        self.soakSeconds = soakSeconds
        self.progressDeadlineSeconds = progressDeadlineSeconds
        self.maxFailures = maxFailures
        self.autoRollback = autoRollback
    }

    enum CodingKeys: String, CodingKey { case canary, maxConcurrency, soakSeconds, progressDeadlineSeconds, maxFailures, autoRollback }

    /// Absent fields take the defaults above.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = RolloutStrategy()
        canary = try container.decodeIfPresent(CanarySpec.self, forKey: .canary)
        maxConcurrency = try container.decodeIfPresent(CountOrPercent.self, forKey: .maxConcurrency) ?? defaults.maxConcurrency
        soakSeconds = try container.decodeIfPresent(Int.self, forKey: .soakSeconds) ?? defaults.soakSeconds
        progressDeadlineSeconds = try container.decodeIfPresent(Int.self, forKey: .progressDeadlineSeconds) ?? defaults.progressDeadlineSeconds
        maxFailures = try container.decodeIfPresent(CountOrPercent.self, forKey: .maxFailures) ?? defaults.maxFailures
        autoRollback = try container.decodeIfPresent(Bool.self, forKey: .autoRollback) ?? defaults.autoRollback
    }
}

/// Body of `POST /v1/rollouts`: which clusters, what change, how.
public struct RolloutPlan: Codable, Hashable, Sendable {
    /// A name for people; the hub assigns the id.
    public var name: String?
    /// Label selector of the clusters to change, or `allClusters`. Required: a plan that forgot its selector
    /// must not change the whole fleet.
    public var selector: String
    /// The policy fields to set on every selected cluster; other fields keep each cluster's value.
    public var change: FleetPolicy
    public var strategy: RolloutStrategy
    /// Required when the change switches clusters with operator-managed storage to Removed.
    public var acknowledgeDataLoss: Bool?
    /// Spread the pruner schedule's minute (and hour) across clusters so pruners do not all hit
    /// shared storage at once.
    public var staggerPrunerSchedules: Bool?
    /// Plan only: return each cluster's diff and the waves, change nothing.
    public var dryRun: Bool?

    public init(
        name: String? = nil, selector: String, change: FleetPolicy, strategy: RolloutStrategy = RolloutStrategy(),
        acknowledgeDataLoss: Bool? = nil, staggerPrunerSchedules: Bool? = nil, dryRun: Bool? = nil
    ) {
        self.name = name
        self.selector = selector
        self.change = change
        self.strategy = strategy
        self.acknowledgeDataLoss = acknowledgeDataLoss
        self.staggerPrunerSchedules = staggerPrunerSchedules
        self.dryRun = dryRun
    }

    enum CodingKeys: String, CodingKey { case name, selector, change, strategy, acknowledgeDataLoss, staggerPrunerSchedules, dryRun }

    /// `strategy` (the defaults) may be left out; a missing `selector` decodes as empty, which validation refuses.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        selector = try container.decodeIfPresent(String.self, forKey: .selector) ?? ""
        change = try container.decode(FleetPolicy.self, forKey: .change)
        strategy = try container.decodeIfPresent(RolloutStrategy.self, forKey: .strategy) ?? RolloutStrategy()
        acknowledgeDataLoss = try container.decodeIfPresent(Bool.self, forKey: .acknowledgeDataLoss)
        staggerPrunerSchedules = try container.decodeIfPresent(Bool.self, forKey: .staggerPrunerSchedules)
        dryRun = try container.decodeIfPresent(Bool.self, forKey: .dryRun)
    }

    /// The selector that names every cluster of the fleet, on purpose.
    public static let allClusters = "*"

    /// The clusters `selector` names.
    public func labelSelector() throws(FieldError) -> LabelSelector {
        selector == Self.allClusters ? .everything : try LabelSelector(parsing: selector)
    }

    /// Upper bound for cluster counts in a strategy: far above any fleet, far below overflow.
    public static let maximumClusterCount = 1_000_000
    /// Upper bound for soak and deadline: a week.
    public static let maximumSeconds = 7 * 86_400

    /// Every problem with the plan, with field paths.
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if selector.trimmingCharacters(in: .whitespaces).isEmpty {
            collector.add("selector", "required: a label selector such as env=staging, or \"\(Self.allClusters)\" to change every cluster")
        } else {
            do {
                _ = try labelSelector()
            } catch {
                collector.add("selector", error.message)
            }
        }
        if change == FleetPolicy() { collector.add("change", "the change sets no field") }
        collector.merge(change.validationErrors(), prefix: "change")
        collector.merge(strategy.validationErrors(), prefix: "strategy")
        return collector.errors
    }
}

extension RolloutStrategy {
    /// Every problem with the strategy, with paths inside it (`maxConcurrency`).
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if maxConcurrency.isNegative || maxConcurrency.resolve(total: 100) == 0 {
            collector.add("maxConcurrency", "must be at least 1 cluster, got \(maxConcurrency)")
        }
        if case .percent(let value) = maxConcurrency, value > 100 {
            collector.add("maxConcurrency", "a percentage must be at most 100%, got \(value)%")
        }
        if case .count(let value) = maxConcurrency, value > RolloutPlan.maximumClusterCount {
            collector.add("maxConcurrency", "must be at most \(RolloutPlan.maximumClusterCount), got \(value)")
        }
        if maxFailures.isNegative { collector.add("maxFailures", "must not be negative, got \(maxFailures)") }
        switch maxFailures {
        case .percent(let value) where value > 100:
            collector.add("maxFailures", "a percentage must be at most 100%, got \(value)%")
        case .count(let value) where value > RolloutPlan.maximumClusterCount:
            collector.add("maxFailures", "must be at most \(RolloutPlan.maximumClusterCount), got \(value)")
        default: break
        }
        if soakSeconds < 0 { collector.add("soakSeconds", "must not be negative, got \(soakSeconds)") }
        if soakSeconds > RolloutPlan.maximumSeconds {
            collector.add("soakSeconds", "must be at most \(RolloutPlan.maximumSeconds) (7 days), got \(soakSeconds)")
        }
        if progressDeadlineSeconds <= 0 {
            collector.add("progressDeadlineSeconds", "must be positive, got \(progressDeadlineSeconds)")
        }
        if progressDeadlineSeconds > RolloutPlan.maximumSeconds {
            collector.add("progressDeadlineSeconds", "must be at most \(RolloutPlan.maximumSeconds) (7 days), got \(progressDeadlineSeconds)")
        }
        if let canary {
            if (canary.count == nil) == (canary.selector == nil) {
                collector.add("canary", "give either count or selector")
            }
            if let count = canary.count, count < 1 { collector.add("canary.count", "must be at least 1, got \(count)") }
            if let count = canary.count, count > RolloutPlan.maximumClusterCount {
                collector.add("canary.count", "must be at most \(RolloutPlan.maximumClusterCount), got \(count)")
            }
            if let selector = canary.selector {
                do {
                    _ = try LabelSelector(parsing: selector)
                } catch {
                    collector.add("canary.selector", error.message)
                }
            }
        }
        return collector.errors
    }
}

/// Where a rollout is.
public enum RolloutPhase: String, Codable, Hashable, Sendable, CaseIterable {
    case progressing = "Progressing"
    case paused = "Paused"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case aborted = "Aborted"
    case rollingBack = "RollingBack"
    case rolledBack = "RolledBack"

    /// Progressing, paused or rolling back: its clusters are taken.
    public var isActive: Bool { [.progressing, .paused, .rollingBack].contains(self) }
}

/// Where one cluster of a rollout is.
public enum RolloutClusterState: String, Codable, Hashable, Sendable, CaseIterable {
    case pending = "Pending"
    /// The new policy is stored; waiting for the agent to apply it and for health.
    case applying = "Applying"
    /// Healthy on the new generation; waiting out the soak time.
    case soaking = "Soaking"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case rolledBack = "RolledBack"
    /// Its new policy was written, then the rollout was aborted before it was judged: the policy stays.
    case aborted = "Aborted"
}

/// One cluster in a rollout.
public struct RolloutCluster: Codable, Hashable, Sendable {
    public var name: String
    public var wave: Int
    public var state: RolloutClusterState
    /// The policy before the rollout touched it (restored on rollback).
    public var previousPolicy: FleetPolicy?
    /// The policy the rollout sets.
    public var targetPolicy: FleetPolicy?
    /// The generation that carries the target policy.
    public var targetGeneration: Int64?
    /// For a fleet policy's rollout: the fleet layer the cluster had (restored on rollback) and the one it
    /// gets; the target policy is the cluster's policy rebased onto it when its wave starts.
    public var previousLayer: FleetLayer?
    public var targetLayer: FleetLayer?
    public var appliedAt: Date?
    public var healthySince: Date?
    public var finishedAt: Date?
    public var message: String?

    public init(name: String, wave: Int, state: RolloutClusterState = .pending) {
        self.name = name
        self.wave = wave
        self.state = state
    }
}

/// A staged, health-gated change across clusters, as the hub stores and serves it.
public struct Rollout: Codable, Hashable, Sendable {
    public var id: String
    public var name: String?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date
    public var plan: RolloutPlan
    public var phase: RolloutPhase
    /// Why the rollout is in its phase (the failing clusters, who paused it…).
    public var message: String?
    /// Wave names in order: `canary` first when there is one, then `wave-1`, …
    public var waves: [String]
    public var clusters: [RolloutCluster]
    /// The fleet policy generation this rollout carries, when the hub started it for a fleet policy (nil for
    /// an admin's rollout).
    public var source: RolloutSource?

    public init(
        id: String, name: String?, createdBy: String, createdAt: Date, plan: RolloutPlan, phase: RolloutPhase, waves: [String],
        clusters: [RolloutCluster]
    ) {
        self.id = id
        self.name = name
        self.createdBy = createdBy
        self.createdAt = createdAt
        updatedAt = createdAt
        self.plan = plan
        self.phase = phase
        self.waves = waves
        self.clusters = clusters
    }

    /// Clusters that failed.
    public var failures: Int { clusters.filter { $0.state == .failed }.count }

    /// Clusters of one wave.
    public func clusters(inWave wave: Int) -> [RolloutCluster] { clusters.filter { $0.wave == wave } }

    /// The first wave with unfinished clusters, or nil when every wave is done.
    public var currentWave: Int? {
        waves.indices.first { wave in clusters(inWave: wave).contains { ![.succeeded, .failed, .rolledBack, .aborted].contains($0.state) } }
    }
}

/// What started a rollout that no admin created.
public struct RolloutSource: Codable, Hashable, Sendable {
    /// The fleet policy whose change it rolls out; nil for one that only removes fields no fleet policy
    /// sets any more.
    public var fleetPolicy: String?
    /// That policy's generation.
    public var generation: Int64?
    public init(fleetPolicy: String?, generation: Int64?) {
        self.fleetPolicy = fleetPolicy
        self.generation = generation
    }
}

/// `POST /v1/rollouts` with `dryRun`: what would happen, nothing changed.
public struct RolloutPreview: Codable, Hashable, Sendable {
    public var waves: [RolloutWavePreview]
    public var unchanged: [String]
    /// Selected clusters that cannot pass their wave's health gate as they are now (Offline, Degraded,
    /// Unreachable, never reported): each would hold its wave up to the deadline, then count as a failure.
    public var warnings: [RolloutPreviewWarning]
    public init(waves: [RolloutWavePreview], unchanged: [String], warnings: [RolloutPreviewWarning] = []) {
        self.waves = waves
        self.unchanged = unchanged
        self.warnings = warnings
    }
}

/// One wave of a preview with each cluster's diff.
public struct RolloutWavePreview: Codable, Hashable, Sendable {
    public var name: String
    public var clusters: [ClusterPolicyDiff]
    /// How long a cluster of this wave may take to turn healthy on the new policy before it fails.
    public var progressDeadlineSeconds: Int
    public init(name: String, clusters: [ClusterPolicyDiff], progressDeadlineSeconds: Int) {
        self.name = name
        self.clusters = clusters
        self.progressDeadlineSeconds = progressDeadlineSeconds
    }
}

/// A selected cluster whose health now means the rollout would wait on it, then fail it.
public struct RolloutPreviewWarning: Codable, Hashable, Sendable {
    public var cluster: String
    /// The wave it is planned in.
    public var wave: String
    /// Its health now.
    public var state: ClusterState
    /// Why it matters, for people.
    public var message: String
    public init(cluster: String, wave: String, state: ClusterState, message: String) {
        self.cluster = cluster
        self.wave = wave
        self.state = state
        self.message = message
    }
}

/// The fields a rollout changes on one cluster.
public struct ClusterPolicyDiff: Codable, Hashable, Sendable {
    public var cluster: String
    public var generation: Int64
    public var changes: [PolicyFieldChange]
    public init(cluster: String, generation: Int64, changes: [PolicyFieldChange]) {
        self.cluster = cluster
        self.generation = generation
        self.changes = changes
    }
}

/// `GET /v1/rollouts`.
public struct RolloutList: Codable, Hashable, Sendable {
    public var rollouts: [Rollout]
    public init(rollouts: [Rollout]) { self.rollouts = rollouts }
}
