import KubeClient

/// One change as storage recorded it: the object after the change (its last state for a delete)
/// and, for modifications, the state before, so filtered watches can turn a label change into the
/// ADDED or DELETED the API server sends.
struct StoredEvent: Sendable {
    /// The resourceVersion the change produced.
    var revision: UInt64
    /// ADDED, MODIFIED or DELETED.
    var type: WatchEvent.EventType
    /// The object after the change (its last state for DELETED).
    var object: KubeObject
    /// The object before a modification.
    var previous: KubeObject?
}
