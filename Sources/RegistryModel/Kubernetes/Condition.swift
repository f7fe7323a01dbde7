import Foundation

/// `True`, `False` or `Unknown`, as in every Kubernetes condition.
public enum ConditionStatus: String, Codable, Hashable, Sendable, CaseIterable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}

/// One observation about an object (`Available=True reason Ready`).
public struct Condition: Codable, Hashable, Sendable {
    public var type: String
    public var status: ConditionStatus
    public var reason: String?
    public var message: String?
    /// When `status` last changed; unchanged when only reason or message change.
    public var lastTransitionTime: Date?
    public var observedGeneration: Int64?

    public init(
        type: String, status: ConditionStatus, reason: String? = nil, message: String? = nil, lastTransitionTime: Date? = nil,
        observedGeneration: Int64? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.observedGeneration = observedGeneration
    }

    /// True when everything but the transition time is equal.
    public func sameObservation(as other: Condition) -> Bool {
        type == other.type && status == other.status && (reason ?? "") == (other.reason ?? "")
            && (message ?? "") == (other.message ?? "") && observedGeneration == other.observedGeneration
    }
}

extension Array where Element == Condition {
    /// The condition of the given type, if present.
    public subscript(type type: String) -> Condition? {
        first { $0.type == type }
    }

    /// True when the condition of `type` exists with `status`.
    public func has(_ type: String, _ status: ConditionStatus) -> Bool {
        self[type: type]?.status == status
    }

    /// Sets a condition, keeping `lastTransitionTime` when the status did not change and taking
    /// `now` when it did. Returns whether the list changed.
    @discardableResult
    public mutating func set(_ condition: Condition, now: Date) -> Bool {
        var updated = condition
        if let index = firstIndex(where: { $0.type == condition.type }) {
            let existing = self[index]
            updated.lastTransitionTime = existing.status == condition.status ? (existing.lastTransitionTime ?? now) : now
            if existing == updated { return false }
            self[index] = updated
            return true
        }
        updated.lastTransitionTime = now
        append(updated)
        return true
    }
}
