import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Pins list and watch: selectors, ordering, pagination, replay, 410 Gone and resuming after a
/// dropped connection.
@Suite struct SimulatedClusterListWatchTests {
    private func seed(_ cluster: SimulatedCluster) async throws {
        _ = try await cluster.create(.namespaces, Fixture.namespace("other"))
        for (name, tier) in [("c", "web"), ("a", "db"), ("b", "web")] {
            _ = try await cluster.create(.configMaps, Fixture.configMap(name, labels: ["tier": tier]))
        }
        _ = try await cluster.create(.configMaps, Fixture.configMap("z", namespace: "other", labels: ["tier": "web"]))
    }

    /// A list selector and the expected names.
    struct ListCase: Sendable, CustomTestStringConvertible {
        var name: String
        var namespace: String?
        var selector: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let listCases = [
        ListCase(name: "one namespace, everything", namespace: "default", selector: "", expected: ["default/a", "default/b", "default/c"]),
        ListCase(name: "all namespaces by label", namespace: nil, selector: "tier=web", expected: ["default/b", "default/c", "other/z"]),
        ListCase(name: "set-based selector", namespace: nil, selector: "tier notin (web)", expected: ["default/a"]),
        ListCase(name: "no match", namespace: "default", selector: "tier=cache", expected: []),
    ]

    /// Lists filter by namespace and label selector and come in namespace/name order.
    @Test(arguments: listCases)
    func listFiltersAndOrders(_ testCase: ListCase) async throws {
        let (cluster, _) = Fixture.cluster()
        try await seed(cluster)
        let selector = try LabelSelector(parsing: testCase.selector)
        let list = try await cluster.list(.configMaps, namespace: testCase.namespace, options: ListOptions(labelSelector: selector))
        #expect(list.items.map(\.metadata.qualifiedName) == testCase.expected)
        #expect(list.resourceVersion == (await cluster.resourceVersion))
    }

    /// Pagination with limit and continue returns every item once, with the first page's version.
    @Test func listPaginates() async throws {
        let (cluster, _) = Fixture.cluster()
        try await seed(cluster)
        let first = try await cluster.list(.configMaps, namespace: nil, options: ListOptions(limit: 3))
        #expect(first.items.map(\.metadata.name) == ["a", "b", "c"])
        let token = try #require(first.continueToken)
        _ = try await cluster.create(.configMaps, Fixture.configMap("d"))
        let second = try await cluster.list(.configMaps, namespace: nil, options: ListOptions(limit: 3, continueToken: token))
        #expect(second.items.map(\.metadata.qualifiedName) == ["default/d", "other/z"])
        #expect(second.continueToken == nil)
        #expect(second.resourceVersion == first.resourceVersion)
        let bad = await #expect(throws: KubeError.self) {
            try await cluster.list(.configMaps, namespace: nil, options: ListOptions(limit: 3, continueToken: "not-a-token"))
        }
        #expect(bad?.code == .badRequest)
    }

    /// A watch from a resourceVersion replays the retained changes after it, then streams live.
    @Test func watchReplaysFromVersionThenStreams() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        _ = try await cluster.patch(.configMaps, namespace: "default", name: "settings", mergePatch: ["data": ["k": "2"]])
        let stream = try await cluster.watch(
            .configMaps, namespace: "default", options: WatchOptions(resourceVersion: created.metadata.resourceVersion))
        try await cluster.delete(.configMaps, namespace: "default", name: "settings", options: DeleteOptions())
        var events: [WatchEvent] = []
        for try await event in stream {
            events.append(event)
            if events.count == 2 { break }
        }
        #expect(events.map(\.type) == [.modified, .deleted])
        #expect(events[0].object.fields["data"] == ["k": "2"])
        #expect(Int(events[1].object.metadata.resourceVersion!)! > Int(events[0].object.metadata.resourceVersion!)!)
    }

    /// A version older than the retained history fails with 410 Gone.
    @Test func tooOldVersionIsGone() async throws {
        let (cluster, _) = Fixture.cluster(options: SimulationOptions(watchHistorySize: 3, seed: 1))
        let created = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        for value in 1...5 {
            _ = try await cluster.patch(.configMaps, namespace: "default", name: "settings", mergePatch: ["data": ["k": .string("\(value)")]])
        }
        let error = await #expect(throws: KubeError.self) {
            try await cluster.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: created.metadata.resourceVersion))
        }
        #expect(error?.code == .gone)
        #expect(error?.status == 410)
        #expect(error?.message.contains("too old resource version") == true)
    }

    /// Without a version a watch starts with ADDED for each existing object, then streams live.
    @Test func watchWithoutVersionStartsWithAdded() async throws {
        let (cluster, _) = Fixture.cluster()
        try await seed(cluster)
        let stream = try await cluster.watch(
            .configMaps, namespace: "default", options: WatchOptions(labelSelector: try LabelSelector(parsing: "tier=web")))
        _ = try await cluster.create(.configMaps, Fixture.configMap("d", labels: ["tier": "web"]))
        var events: [String] = []
        for try await event in stream {
            events.append("\(event.type.rawValue) \(event.object.metadata.name)")
            if events.count == 3 { break }
        }
        #expect(events == ["ADDED b", "ADDED c", "ADDED d"])
    }

    /// A label change moves an object into or out of a selector-filtered watch as ADDED / DELETED.
    @Test func selectorWatchSeesObjectsEnterAndLeave() async throws {
        let (cluster, _) = Fixture.cluster()
        _ = try await cluster.create(.configMaps, Fixture.configMap("x", labels: ["tier": "db"]))
        let stream = try await cluster.watch(
            .configMaps, namespace: "default",
            options: WatchOptions(resourceVersion: await cluster.resourceVersion, labelSelector: try LabelSelector(parsing: "tier=web")))
        _ = try await cluster.patch(.configMaps, namespace: "default", name: "x", mergePatch: ["metadata": ["labels": ["tier": "web"]]])
        _ = try await cluster.patch(.configMaps, namespace: "default", name: "x", mergePatch: ["data": ["k": "2"]])
        _ = try await cluster.patch(.configMaps, namespace: "default", name: "x", mergePatch: ["metadata": ["labels": ["tier": "db"]]])
        var types: [WatchEvent.EventType] = []
        for try await event in stream {
            types.append(event.type)
            if types.count == 3 { break }
        }
        #expect(types == [.added, .modified, .deleted])
    }

    /// A watch filtered by name sees only that object.
    @Test func watchByName() async throws {
        let (cluster, _) = Fixture.cluster()
        let stream = try await cluster.watch(.configMaps, namespace: "default", options: WatchOptions(name: "wanted"))
        _ = try await cluster.create(.configMaps, Fixture.configMap("other"))
        _ = try await cluster.create(.configMaps, Fixture.configMap("wanted"))
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next()?.object.metadata.name == "wanted")
    }

    /// After `dropWatches()` the stream ends; resuming from the last seen version loses nothing.
    @Test func resumeAfterDroppedWatchLosesNothing() async throws {
        let (cluster, _) = Fixture.cluster()
        let start = await cluster.resourceVersion
        let stream = try await cluster.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: start))
        _ = try await cluster.create(.configMaps, Fixture.configMap("one"))
        var seen: [String] = []
        var lastVersion = start
        var iterator = stream.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        seen.append(first.object.metadata.name)
        lastVersion = first.object.metadata.resourceVersion!

        await cluster.dropWatches()
        #expect(try await iterator.next() == nil)
        #expect(await cluster.openWatchCount == 0)
        _ = try await cluster.create(.configMaps, Fixture.configMap("two"))
        _ = try await cluster.create(.configMaps, Fixture.configMap("three"))

        let resumed = try await cluster.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: lastVersion))
        for try await event in resumed {
            seen.append(event.object.metadata.name)
            if seen.count == 3 { break }
        }
        #expect(seen == ["one", "two", "three"])
    }

    /// A consumer that stops iterating is removed from the server's watches.
    @Test func cancelledWatchIsRemoved() async throws {
        let (cluster, _) = Fixture.cluster()
        let stream = try await cluster.watch(.configMaps, namespace: nil, options: WatchOptions())
        #expect(await cluster.openWatchCount == 1)
        let consumer = Task {
            for try await _ in stream {}
        }
        consumer.cancel()
        _ = await consumer.result
        try await waitUntil("watch removed") { await cluster.openWatchCount == 0 }
    }
}
