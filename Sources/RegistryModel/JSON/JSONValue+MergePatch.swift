/// JSON merge patch (RFC 7386) and the "desired fields are present" comparison that level-based
/// reconcilers use to decide whether an object needs a write.
extension JSONValue {
    /// Applies `patch` to this document as RFC 7386 describes: objects merge member by member,
    /// `null` deletes a member, anything else replaces.
    public func applyingMergePatch(_ patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = objectValue ?? [:]
        for (key, patchValue) in patchMembers {
            if patchValue.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).applyingMergePatch(patchValue)
            }
        }
        return .object(result)
    }

    /// True when every member that `desired` sets is present here with an equal value.
    ///
    /// Members only present here (defaults and status filled in by the server) are ignored; arrays
    /// must have the same length and contain the desired elements in order. `null` in `desired`
    /// means "must be absent".
    public func contains(desired: JSONValue) -> Bool {
        switch (self, desired) {
        case (.object(let actual), .object(let wanted)):
            return wanted.allSatisfy { key, wantedValue in
                guard let actualValue = actual[key] else { return wantedValue.isNull || wantedValue.isEmptyContainer }
                return actualValue.contains(desired: wantedValue)
            }
        case (.array(let actual), .array(let wanted)):
            return actual.count == wanted.count && zip(actual, wanted).allSatisfy { $0.contains(desired: $1) }
        default:
            return semanticallyEquals(desired)
        }
    }

    /// True for `{}` and `[]`, which an API server commonly omits.
    public var isEmptyContainer: Bool {
        switch self {
        case .object(let members): return members.isEmpty
        case .array(let elements): return elements.isEmpty
        default: return false
        }
    }

    /// Paths of every member set in this tree, e.g. `spec.storage.pvc.claim`; array elements appear
    /// as `name[0]`.
    public func leafPaths(prefix: String = "") -> [String] {
        switch self {
        case .object(let members):
            if members.isEmpty { return prefix.isEmpty ? [] : [prefix] }
            return members.keys.sorted().flatMap { key in
                members[key]!.leafPaths(prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
            }
        case .array(let elements):
            if elements.isEmpty { return [prefix] }
            return elements.indices.flatMap { elements[$0].leafPaths(prefix: "\(prefix)[\($0)]") }
        default:
            return [prefix]
        }
    }
}
