import KubeClient
import RegistryModel

/// Decides, without side effects, which writes bring the observed objects to the desired ones.
///
/// Level-based: it looks only at what should exist and what does exist, never at events, so the
/// same inputs always give the same plan and an up-to-date cluster gives an empty plan.
public enum ApplyPlanner {
    /// The actions that make `observed` match `desired` and remove `absent`.
    ///
    /// - Parameters:
    ///   - desired: objects that must exist with these fields.
    ///   - absent: objects that must not exist; only deleted when the operator owns them (label
    ///     `app.kubernetes.io/managed-by`), so a user's object of the same name is never removed.
    ///   - observed: the current objects by key; a missing key means the object does not exist.
    public static func plan(desired: [DesiredObject], absent: [ObjectKey], observed: [ObjectKey: KubeObject]) -> [KubeAction] {
        var actions: [KubeAction] = []
        for want in desired {
            let key = want.key
            guard let current = observed[key] else {
                actions.append(.create(key, want.object))
                continue
            }
            if let merged = mergedIfDrifted(desired: want, observed: current) {
                actions.append(.update(key, merged))
            }
        }
        for key in absent {
            guard let current = observed[key], isOwnedByOperator(current), current.metadata.deletionTimestamp == nil else { continue }
            actions.append(.delete(key))
        }
        return actions
    }

    /// True when the object carries the operator's managed-by label.
    public static func isOwnedByOperator(_ object: KubeObject) -> Bool {
        object.metadata.labels?[RegistryNames.managedByLabel] == RegistryNames.managedByValue
    }

    /// The observed object with the desired fields written over it, or nil when nothing differs.
    static func mergedIfDrifted(desired: DesiredObject, observed: KubeObject) -> KubeObject? {
        let wanted = comparable(desired.object)
        let actual = comparable(observed)
        let exactDrift = desired.exactPaths.contains { path in
            !equalTreatingEmptyAsAbsent(actual[path: path], wanted[path: path])
        }
        guard exactDrift || !actual.contains(desired: wanted) else { return nil }
        var merged = observed.tree.applyingMergePatch(wanted)
        for path in desired.exactPaths {
            if let value = wanted[path: path] {
                merged[path: path] = value
            } else {
                removeMember(&merged, path: path)
            }
        }
        guard var object = try? KubeObject(tree: merged) else { return nil }
        object.metadata.resourceVersion = observed.metadata.resourceVersion
        return object
    }

    /// The parts of an object the operator sets: labels, annotations, owner references and
    /// everything outside metadata except status. Computed once per object content: every pass compares the
    /// same unchanged desired and observed objects again.
    static func comparable(_ object: KubeObject) -> JSONValue {
        object.derived(ComparableForm.self) { ComparableForm(tree: comparableTree($0)) }.tree
    }

    /// `comparable`'s slot in a `KubeObject`'s memo.
    private struct ComparableForm: Sendable {
        let tree: JSONValue
    }

    private static func comparableTree(_ object: KubeObject) -> JSONValue {
        var fields = object.fields
        fields.removeValue(forKey: "status")
        var tree = JSONValue.object(fields)
        var metadata = JSONValue.object([:])
        if let labels = object.metadata.labels { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
        if let annotations = object.metadata.annotations { metadata["annotations"] = .object(annotations.mapValues { .string($0) }) }
        if let owners = object.metadata.ownerReferences, let encoded = try? JSONCoding.tree(owners) { metadata["ownerReferences"] = encoded }
        tree["metadata"] = metadata
        return tree
    }

    private static func equalTreatingEmptyAsAbsent(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
        let left = (lhs?.isNull ?? true) || (lhs?.isEmptyContainer ?? false) ? nil : lhs
        let right = (rhs?.isNull ?? true) || (rhs?.isEmptyContainer ?? false) ? nil : rhs
        switch (left, right) {
        case (nil, nil): return true
        case (let l?, let r?): return l.semanticallyEquals(r)
        default: return false
        }
    }

    private static func removeMember(_ tree: inout JSONValue, path: [String]) {
        guard let last = path.last else { return }
        let parentPath = Array(path.dropLast())
        guard var parent = tree[path: parentPath], case .object(var members) = parent else { return }
        members.removeValue(forKey: last)
        parent = .object(members)
        tree[path: parentPath] = parent
    }
}
