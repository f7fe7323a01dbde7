import Foundation
import RegistryModel

/// The part of a cluster's policy that fleet policies give it, with the fleet policy behind each field.
///
/// The hub stores, per cluster, the layer it last rolled out; a cluster's own fields are the ones its
/// policy sets differently from that layer (or that the layer does not set). When the fleet policies
/// change, `rebase` moves only the fields the cluster took from the fleet, so its own values stay.
public struct FleetLayer: Codable, Hashable, Sendable {
    public var policy: FleetPolicy
    /// The source of each field of `policy`, by path (`pruner.schedule`).
    public var sources: [String: FieldSource]

    public init(policy: FleetPolicy = FleetPolicy(), sources: [String: FieldSource] = [:]) {
        self.policy = policy
        self.sources = sources
    }

    public static let empty = FleetLayer()

    /// `desired` with every field this layer set, and the cluster did not change, moved to `new`'s value (or
    /// dropped when `new` no longer sets it); fields the cluster set itself stay.
    public func rebase(_ desired: FleetPolicy, onto new: FleetLayer) -> FleetPolicy {
        let old = policy.fields()
        let next = new.policy.fields()
        var fields = desired.fields()
        for path in Set(old.keys).union(next.keys) where old[path] != next[path] && fields[path] == old[path] {
            fields[path] = next[path]
        }
        return FleetPolicy(fields: fields) ?? desired
    }
}

/// Which fleet policy set a field, and through which override.
public struct FieldSource: Codable, Hashable, Sendable, CustomStringConvertible {
    public var fleetPolicy: String
    /// The override's selector, when an override set it.
    public var override: String?

    public init(fleetPolicy: String, override: String? = nil) {
        self.fleetPolicy = fleetPolicy
        self.override = override
    }

    public var description: String { "fleet-policy/\(fleetPolicy)" + (override.map { " (override \($0))" } ?? "") }
}

extension FleetPolicy {
    /// Every field set, by dotted path (`registry.storage.managementState`), with its JSON value.
    public func fields() -> [String: JSONValue] {
        Self.flatten((try? JSONCoding.tree(self)) ?? .null)
    }

    /// The policy holding exactly `fields`; nil when they do not form one (a path no policy has).
    public init?(fields: [String: JSONValue]) {
        var root: [String: JSONValue] = [:]
        for (path, value) in fields {
            Self.insert(value, at: path.split(separator: ".").map(String.init)[...], into: &root)
        }
        guard let policy = try? JSONCoding.value(FleetPolicy.self, from: .object(root)) else { return nil }
        self = policy
    }

    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into object: inout [String: JSONValue]) {
        guard let key = path.first else { return }
        if path.count == 1 {
            object[key] = value
            return
        }
        var child = object[key]?.objectValue ?? [:]
        insert(value, at: path.dropFirst(), into: &child)
        object[key] = .object(child)
    }

    static func flatten(_ tree: JSONValue, prefix: String = "") -> [String: JSONValue] {
        guard case .object(let members) = tree else { return prefix.isEmpty ? [:] : [prefix: tree] }
        var result: [String: JSONValue] = [:]
        for (key, value) in members {
            result.merge(flatten(value, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")) { $1 }
        }
        return result
    }
}
