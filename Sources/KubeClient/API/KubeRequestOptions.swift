import RegistryModel

/// Options for `list`.
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: LabelSelector?
    /// Page size; nil lists everything.
    public var limit: Int?
    /// The continue token from the previous page.
    public var continueToken: String?

    public init(labelSelector: LabelSelector? = nil, limit: Int? = nil, continueToken: String? = nil) {
        self.labelSelector = labelSelector
        self.limit = limit
        self.continueToken = continueToken
    }
}

/// How dependents are treated when their owner is deleted.
public enum PropagationPolicy: String, Sendable, Hashable {
    /// Delete the owner now and its dependents after (the API server default).
    case background = "Background"
    /// Delete dependents first, then the owner.
    case foreground = "Foreground"
    /// Leave dependents, removing their owner reference.
    case orphan = "Orphan"
}

/// Options for `delete`.
public struct DeleteOptions: Sendable, Hashable {
    public var propagationPolicy: PropagationPolicy
    /// Only delete when the object still has this resourceVersion (409 otherwise).
    public var preconditionResourceVersion: String?
    public var gracePeriodSeconds: Int?

    public init(propagationPolicy: PropagationPolicy = .background, preconditionResourceVersion: String? = nil, gracePeriodSeconds: Int? = nil) {
        self.propagationPolicy = propagationPolicy
        self.preconditionResourceVersion = preconditionResourceVersion
        self.gracePeriodSeconds = gracePeriodSeconds
    }
}

/// Options for `watch`.
public struct WatchOptions: Sendable, Hashable {
    /// Deliver changes after this version; nil starts from now. Too old a version fails with
    /// 410 Gone and the caller must list again.
    public var resourceVersion: String?
    public var labelSelector: LabelSelector?
    /// Only this object.
    public var name: String?

    public init(resourceVersion: String? = nil, labelSelector: LabelSelector? = nil, name: String? = nil) {
        self.resourceVersion = resourceVersion
        self.labelSelector = labelSelector
        self.name = name
    }
}

/// One change seen by a watch.
public struct WatchEvent: Sendable, Hashable {
    public enum EventType: String, Sendable, Hashable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
    }

    public var type: EventType
    public var object: KubeObject

    public init(type: EventType, object: KubeObject) {
        self.type = type
        self.object = object
    }
}
