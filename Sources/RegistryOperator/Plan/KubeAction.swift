import KubeClient

/// One write the operator decided to make. Produced by the pure `ApplyPlanner`, performed by
/// `ActionExecutor`.
public enum KubeAction: Sendable, Hashable, CustomStringConvertible {
    /// The object does not exist: create it.
    case create(ObjectKey, KubeObject)
    /// The object drifted: replace it with this merged object (carrying the observed
    /// resourceVersion, so a concurrent change makes it fail with a conflict).
    case update(ObjectKey, KubeObject)
    /// The object must not exist.
    case delete(ObjectKey)

    /// The object the action is about.
    public var key: ObjectKey {
        switch self {
        case .create(let key, _), .update(let key, _), .delete(let key): return key
        }
    }

    public var description: String {
        switch self {
        case .create(let key, _): return "create \(key)"
        case .update(let key, _): return "update \(key)"
        case .delete(let key): return "delete \(key)"
        }
    }
}
