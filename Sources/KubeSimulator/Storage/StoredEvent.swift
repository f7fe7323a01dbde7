import KubeClient

/// One change as storage recorded it: the object after the change (its last state for a delete)
/// and, for modifications, the state before, so filtered watches can turn a label change into the
/// ADDED or DELETED the API server sends.
struct StoredEvent: Sendable {
    var revision: UInt64
    var type: WatchEvent.EventType
    var object: KubeObject
    var previous: KubeObject?
}
