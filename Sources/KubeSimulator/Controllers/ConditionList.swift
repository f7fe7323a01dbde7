import Foundation
import RegistryModel

/// A status's `conditions` array as stored JSON, updated with the API's rules:
/// `lastTransitionTime` moves only when `status` changes, and (for kinds that carry it)
/// `lastUpdateTime` moves whenever the condition changes or progress is reported.
struct ConditionList: Sendable {
    private(set) var items: [JSONValue]

    /// The conditions stored in `json` (empty when absent).
    init(_ json: JSONValue?) { items = json?.arrayValue ?? [] }

    /// The condition of a type.
    func condition(_ type: String) -> JSONValue? {
        items.first { $0["type"]?.stringValue == type }
    }

    /// Sets a condition. `updateTime` adds `lastUpdateTime` (Deployments); `touch` refreshes it
    /// even when nothing else changed.
    mutating func set(_ type: String, _ status: String, reason: String?, message: String?, now: Date, updateTime: Bool = false, touch: Bool = false) {
        let stamp = now.json
        guard let index = items.firstIndex(where: { $0["type"]?.stringValue == type }) else {
            var condition: JSONValue = ["type": .string(type), "status": .string(status), "lastTransitionTime": stamp]
            condition["reason"] = reason.map(JSONValue.string)
            condition["message"] = message.map(JSONValue.string)
            if updateTime { condition["lastUpdateTime"] = stamp }
            items.append(condition)
            return
        }
        let existing = items[index]
        var condition = existing
        let statusChanged = existing["status"]?.stringValue != status
        let changed = statusChanged || existing["reason"]?.stringValue != reason || existing["message"]?.stringValue != message
        condition["status"] = .string(status)
        condition["reason"] = reason.map(JSONValue.string)
        condition["message"] = message.map(JSONValue.string)
        if statusChanged || existing["lastTransitionTime"] == nil { condition["lastTransitionTime"] = stamp }
        if updateTime && (changed || touch || existing["lastUpdateTime"] == nil) { condition["lastUpdateTime"] = stamp }
        items[index] = condition
    }

    /// Removes a condition type.
    mutating func remove(_ type: String) {
        items.removeAll { $0["type"]?.stringValue == type }
    }

    /// Puts the listed types first, in that order, as the owning controller would.
    mutating func order(_ types: [String]) {
        let rank = Dictionary(uniqueKeysWithValues: types.enumerated().map { ($1, $0) })
        items = items.enumerated().sorted { lhs, rhs in
            let left = rank[lhs.element["type"]?.stringValue ?? ""] ?? types.count + lhs.offset
            let right = rank[rhs.element["type"]?.stringValue ?? ""] ?? types.count + rhs.offset
            return left < right
        }.map(\.element)
    }

    /// The conditions as JSON.
    var json: JSONValue { .array(items) }
}
