import Foundation
import KubeClient
import RegistryModel

extension KubeObject {
    /// The value at a path of object keys below the top level (`field("spec", "replicas")`).
    func field(_ path: String...) -> JSONValue? {
        guard let first = path.first else { return nil }
        return fields[first]?[path: Array(path.dropFirst())]
    }

    /// Sets or (with nil) removes the value at a path of object keys.
    mutating func setField(_ value: JSONValue?, at path: String...) {
        guard let first = path.first else { return }
        let rest = Array(path.dropFirst())
        if rest.isEmpty {
            fields[first] = value
            return
        }
        var top = fields[first] ?? .object([:])
        top[path: rest] = value
        fields[first] = top
    }

    /// The object's labels, empty when it has none.
    var labels: [String: String] { metadata.labels ?? [:] }

    /// The uid of the owner marked `controller: true`, if any.
    var controllerUID: String? { metadata.ownerReferences?.first { $0.controller == true }?.uid }

    /// True once a delete has been requested and finalizers hold the object.
    var isTerminating: Bool { metadata.deletionTimestamp != nil }

    /// Where this object is stored.
    var key: ObjectKey { ObjectKey(namespace: metadata.namespace ?? "", name: metadata.name) }

    /// The `metadata.generation`, 0 when the kind has none.
    var generation: Int64 { metadata.generation ?? 0 }
}

extension JSONValue {
    /// A string map (`labels`, `nodeSelector`), ignoring members that are not strings.
    var stringMap: [String: String] {
        guard let members = objectValue else { return [:] }
        return members.compactMapValues(\.stringValue)
    }

    /// The same tree without `null` object members, as a Go API server's decoding drops them.
    var removingNullMembers: JSONValue {
        switch self {
        case .object(let members):
            return .object(members.compactMapValues { $0.isNull ? nil : $0.removingNullMembers })
        case .array(let elements):
            return .array(elements.map(\.removingNullMembers))
        default:
            return self
        }
    }

    /// The selector a `matchLabels`/`matchExpressions` object describes.
    var labelSelector: LabelSelector {
        var requirements = LabelSelector(matchLabels: self["matchLabels"]?.stringMap ?? [:]).requirements
        for expression in self["matchExpressions"]?.arrayValue ?? [] {
            guard let key = expression["key"]?.stringValue else { continue }
            let values = Set((expression["values"]?.arrayValue ?? []).compactMap(\.stringValue))
            switch expression["operator"]?.stringValue {
            case "In": requirements.append(.in(key, values))
            case "NotIn": requirements.append(.notIn(key, values))
            case "Exists": requirements.append(.exists(key))
            case "DoesNotExist": requirements.append(.doesNotExist(key))
            default: continue
            }
        }
        return LabelSelector(requirements: requirements)
    }

    /// True for a selector with neither `matchLabels` nor `matchExpressions`.
    var isEmptySelector: Bool {
        (self["matchLabels"]?.objectValue ?? [:]).isEmpty && (self["matchExpressions"]?.arrayValue ?? []).isEmpty
    }

    /// An integer field as `Int`.
    var int: Int? { intValue.map { Int($0) } }
}
