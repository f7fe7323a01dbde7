import Synchronization

/// A committed change that other parts of the hub — on this replica and on every other replica
/// sharing the database — must act on at once: long polls to wake, identities to refuse.
public enum StoreEvent: Hashable, Sendable {
    /// The cluster's desired policy is now at `generation`.
    case policyChanged(cluster: String, generation: Int64)
    /// The cluster was deleted; its agents must be refused.
    case clusterDeleted(cluster: String)
    /// The cluster enrolled (again); a deleted name is usable once more.
    case clusterEnrolled(cluster: String)
    /// These certificate serials were revoked.
    case serialsRevoked([String])
    /// Events may have been missed (the connection that delivers other replicas' events was lost
    /// and is back): whoever caches store state reads it again.
    case resynchronize
}

/// Fans committed events out to every subscriber of this process.
final class StoreEventBroadcaster: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<StoreEvent>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    /// A stream of every event published after this call, until `finish()`.
    func subscribe() -> AsyncStream<StoreEvent> {
        let (stream, continuation) = AsyncStream<StoreEvent>.makeStream(bufferingPolicy: .unbounded)
        let id = nextID.add(1, ordering: .relaxed).newValue
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    /// Delivers `event` to every subscriber.
    func publish(_ event: StoreEvent) {
        for continuation in subscribers.withLock({ Array($0.values) }) {
            continuation.yield(event)
        }
    }

    /// Ends every stream.
    func finish() {
        for continuation in subscribers.withLock({ Array($0.values) }) {
            continuation.finish()
        }
    }
}
