import Foundation
import RegistryModel

/// A stop on changes: while it holds, no rollout starts changing the clusters its selector matches (their
/// waves wait and say so), whatever their maintenance windows. Admins' direct policy writes still work.
public struct ChangeFreeze: Codable, Hashable, Sendable {
    /// A DNS-1123 label, unique in the hub.
    public var name: String
    /// Label selector of the frozen clusters, or `*` for the whole fleet.
    public var selector: String
    /// Why, for people (an incident, a release weekend).
    public var reason: String?
    /// When the freeze lifts by itself; it holds until deleted when absent.
    public var until: Date?
    public var createdBy: String
    public var createdAt: Date

    public init(name: String, selector: String, reason: String?, until: Date?, createdBy: String, createdAt: Date) {
        self.name = name
        self.selector = selector
        self.reason = reason
        self.until = until
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// Whether the freeze still holds at `now`.
    public func isActive(at now: Date) -> Bool { until.map { $0 > now } ?? true }

    /// The clusters it freezes.
    public func labelSelector() throws(FieldError) -> LabelSelector {
        selector == RolloutPlan.allClusters ? .everything : try LabelSelector(parsing: selector)
    }
}

/// Body of `PUT /v1/freezes/{name}`.
public struct FreezeRequest: Codable, Hashable, Sendable {
    public var selector: String
    public var reason: String?
    public var until: Date?

    public init(selector: String, reason: String? = nil, until: Date? = nil) {
        self.selector = selector
        self.reason = reason
        self.until = until
    }

    /// Longest reason kept.
    public static let maximumReasonLength = 1024

    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if selector.trimmingCharacters(in: .whitespaces).isEmpty {
            collector.add("selector", "required: a label selector such as env=prod, or \"\(RolloutPlan.allClusters)\" to freeze the whole fleet")
        } else if selector != RolloutPlan.allClusters {
            do {
                _ = try LabelSelector(parsing: selector)
            } catch {
                collector.add("selector", error.message)
            }
        }
        if let reason, reason.count > Self.maximumReasonLength {
            collector.add("reason", "must be at most \(Self.maximumReasonLength) characters, got \(reason.count)")
        }
        return collector.errors
    }
}

/// `GET /v1/freezes`.
public struct FreezeList: Codable, Hashable, Sendable {
    public var freezes: [ChangeFreeze]
    public init(freezes: [ChangeFreeze]) { self.freezes = freezes }
}
