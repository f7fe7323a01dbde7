import RegistryModel

/// Keeps a consumer in step with one kind the way client-go's reflector does: list, then watch from
/// the list's resourceVersion; after a dropped watch, watch again from the last version seen (the
/// server replays what was missed); after 410 Gone, list again and report what changed meanwhile.
///
/// Works over any `KubernetesAPI`, so the same code is exercised against `SimulatedCluster` in
/// process and against a real (or simulated) API server over the wire.
public struct Reflector: Sendable {
    public let api: any KubernetesAPI
    public let resource: ResourceType
    /// nil for cluster-scoped kinds or all namespaces.
    public let namespace: String?
    public let labelSelector: LabelSelector?
    /// Waits between failed attempts; injected so tests control time.
    let sleep: @Sendable (Duration) async throws -> Void
    /// Delay before retry number `attempt` (1-based) after a retryable failure.
    let backoff: @Sendable (Int) -> Duration

    /// A reflector with jittered exponential backoff (200 ms doubling to 10 s) between failures.
    public init(
        api: any KubernetesAPI, resource: ResourceType, namespace: String? = nil, labelSelector: LabelSelector? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.api = api
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.sleep = sleep
        backoff = { attempt in
            let milliseconds = min(10_000, 200 << min(max(attempt - 1, 0), 10))
            return .milliseconds(Int.random(in: (milliseconds / 2)...milliseconds))
        }
    }

    /// The changes, starting with ADDED for every listed object. BOOKMARK events are consumed (they
    /// only move the resume point). After a re-list, objects that vanished arrive as DELETED and
    /// changed ones as MODIFIED. Retryable failures are retried with backoff; any other error ends
    /// the stream with that error. Stops when the consumer stops iterating.
    public func events() -> AsyncThrowingStream<WatchEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: WatchEvent.self)
        let task = Task {
            do {
                try await run { continuation.yield($0) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(_ emit: (WatchEvent) -> Void) async throws {
        var cache = ReflectorCache()
        var version: String?
        var failures = 0
        while !Task.isCancelled {
            do {
                if version == nil {
                    let list = try await api.listAll(resource, namespace: namespace, labelSelector: labelSelector)
                    for event in cache.replace(with: list.items) { emit(event) }
                    version = list.resourceVersion
                }
                let stream = try await api.watch(
                    resource, namespace: namespace, options: WatchOptions(resourceVersion: version, labelSelector: labelSelector))
                var delivered = 0
                for try await event in stream {
                    delivered += 1
                    failures = 0
                    version = event.object.metadata.resourceVersion ?? version
                    if event.type == .bookmark { continue }
                    cache.apply(event)
                    emit(event)
                }
                if delivered == 0 {
                    failures += 1
                    try await sleep(backoff(failures))
                }
            } catch let error as KubeError where error.code == .gone {
                version = nil
            } catch let error as KubeError where error.isRetryable {
                failures += 1
                try await sleep(backoff(failures))
            }
        }
    }
}

/// The objects a reflector has reported, by namespace and name, so a re-list can be turned into
/// the events that were missed.
struct ReflectorCache {
    private var objects: [String: KubeObject] = [:]

    private static func key(_ object: KubeObject) -> String { object.metadata.qualifiedName }

    mutating func apply(_ event: WatchEvent) {
        switch event.type {
        case .added, .modified: objects[Self.key(event.object)] = event.object
        case .deleted: objects[Self.key(event.object)] = nil
        case .bookmark: break
        }
    }

    /// Replaces the contents with a fresh list; returns ADDED, MODIFIED and DELETED for the differences.
    mutating func replace(with items: [KubeObject]) -> [WatchEvent] {
        var events: [WatchEvent] = []
        var fresh: [String: KubeObject] = [:]
        for item in items {
            let key = Self.key(item)
            fresh[key] = item
            if let old = objects[key] {
                if old.metadata.resourceVersion != item.metadata.resourceVersion { events.append(WatchEvent(type: .modified, object: item)) }
            } else {
                events.append(WatchEvent(type: .added, object: item))
            }
        }
        for (key, old) in objects.sorted(by: { $0.key < $1.key }) where fresh[key] == nil {
            events.append(WatchEvent(type: .deleted, object: old))
        }
        objects = fresh
        return events
    }
}
