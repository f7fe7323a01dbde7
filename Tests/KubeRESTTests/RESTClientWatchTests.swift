import Foundation
import KubeClient
import KubeREST
import KubeSimulator
import KubeSimulatorServer
import RegistryModel
import Testing

/// Watches over HTTP: streamed events, resuming after a dropped connection, 410 Gone, and the
/// reflector's list-then-watch with re-list on 410.
struct RESTClientWatchTests {
    /// Changes arrive as ADDED, MODIFIED and DELETED events in order, filtered by label selector.
    @Test func watchStreamsFilteredEvents() async throws {
        try await withWire { wire in
            let start = try await wire.client.list(.configMaps, namespace: "default", options: ListOptions())
            let collector = EventCollector()
            await collector.consume(
                try await wire.client.watch(
                    .configMaps, namespace: "default",
                    options: WatchOptions(resourceVersion: start.resourceVersion, labelSelector: LabelSelector(matchLabels: ["watched": "yes"]))))
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("ignored"))
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("seen", labels: ["watched": "yes"]))
            _ = try await wire.client.patch(.configMaps, namespace: "default", name: "seen", mergePatch: ["data": ["k": "v"]])
            try await wire.client.delete(.configMaps, namespace: "default", name: "seen", options: DeleteOptions())
            try await waitUntil("three events") { await collector.events.count >= 3 }
            #expect(await collector.summary == ["ADDED seen", "MODIFIED seen", "DELETED seen"])
            await collector.cancel()
        }
    }

    /// After the server drops the connection the stream ends normally; a new watch from the last
    /// resourceVersion seen delivers exactly the changes made while disconnected.
    @Test func resumeAfterDroppedConnection() async throws {
        try await withWire { wire in
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("a"))
            let start = try await wire.client.list(.configMaps, namespace: "default", options: ListOptions())
            let first = EventCollector()
            await first.consume(
                try await wire.client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: start.resourceVersion)))
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("b"))
            try await waitUntil("ADDED b") { await first.events.count == 1 }

            await wire.cluster.dropWatches()
            try await waitUntil("the dropped stream to end") { await first.hasEnded }
            #expect(await first.endError == nil)

            _ = try await wire.client.create(.configMaps, Fixtures.configMap("c"))
            _ = try await wire.client.patch(.configMaps, namespace: "default", name: "b", mergePatch: ["data": ["k": "v"]])
            let lastSeen = await first.events.last?.object.metadata.resourceVersion
            let second = EventCollector()
            await second.consume(try await wire.client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: lastSeen)))
            try await waitUntil("the missed changes") { await second.events.count >= 2 }
            #expect(await second.summary == ["ADDED c", "MODIFIED b"])
            await second.cancel()
        }
    }

    /// A resourceVersion older than the retained history fails the watch with 410 Gone.
    @Test func tooOldVersionIsGone() async throws {
        let cluster = SimulatedCluster(name: "history", clock: ManualWallClock(), options: SimulationOptions(watchHistorySize: 3))
        try await withWire(cluster: cluster) { wire in
            let start = try await wire.client.list(.configMaps, namespace: "default", options: ListOptions())
            for index in 0..<6 { _ = try await wire.client.create(.configMaps, Fixtures.configMap("churn-\(index)")) }
            let collector = EventCollector()
            await collector.consume(
                try await wire.client.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: start.resourceVersion)))
            try await waitUntil("the watch to fail") { await collector.hasEnded }
            let error = try #require(await collector.endError as? KubeError)
            #expect(error.code == .gone)
            #expect(error.status == 410)
        }
    }

    /// The watch ends at the timeout the client asked for, as a real API server ends it.
    @Test func watchTimeoutEndsStream() async throws {
        try await withWire(watchTimeout: .seconds(1)) { wire in
            let collector = EventCollector()
            await collector.consume(try await wire.client.watch(.configMaps, namespace: "default", options: WatchOptions()))
            try await waitUntil("the timed-out watch to end", timeout: .seconds(10)) { await collector.hasEnded }
            #expect(await collector.endError == nil)
        }
    }

    /// The reflector lists, watches, and after a dropped connection resumes from the last version
    /// without listing again.
    @Test func reflectorResumesWithoutRelisting() async throws {
        try await withWire { wire in
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("a"))
            let collector = EventCollector()
            await collector.consume(Reflector(api: wire.client, resource: .configMaps, namespace: "default", sleep: { _ in }).events())
            try await waitUntil("the listed object") { await collector.events.count == 1 }
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("b"))
            try await waitUntil("ADDED b") { await collector.events.count == 2 }
            await wire.cluster.dropWatches()
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("c"))
            try await waitUntil("ADDED c after the drop") { await collector.events.count == 3 }
            #expect(await collector.summary == ["ADDED a", "ADDED b", "ADDED c"])
            #expect(await wire.cluster.requestCount([.list]) == 1)
            #expect(await wire.cluster.requestCount([.watch]) == 2)
            await collector.cancel()
        }
    }

    /// When the version to resume from has been compacted away (410), the reflector lists again
    /// and reports what changed meanwhile, deletions included.
    @Test func reflectorRelistsAfterGone() async throws {
        let cluster = SimulatedCluster(name: "relist", clock: ManualWallClock(), options: SimulationOptions(watchHistorySize: 3))
        try await withWire(cluster: cluster) { wire in
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("a"))
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("b"))
            let gate = Gate()
            let collector = EventCollector()
            await collector.consume(
                Reflector(api: wire.client, resource: .configMaps, namespace: "default", sleep: { _ in await gate.wait() }).events())
            try await waitUntil("the listed objects") { await collector.events.count == 2 }
            try await waitUntil("the watch to open") { await wire.cluster.openWatchCount == 1 }

            // The connection drops; while the reflector waits to reconnect, the history moves on.
            await wire.cluster.dropWatches()
            try await waitUntil("the reflector to back off") { await gate.waitCount == 1 }
            try await wire.client.delete(.configMaps, namespace: "default", name: "a", options: DeleteOptions())
            _ = try await wire.client.patch(.configMaps, namespace: "default", name: "b", mergePatch: ["data": ["k": "v"]])
            for index in 0..<4 { _ = try await wire.client.create(.configMaps, Fixtures.configMap("new-\(index)")) }
            await gate.open()

            try await waitUntil("the re-listed changes") { await collector.events.count == 8 }
            #expect(
                await collector.summary == [
                    "ADDED a", "ADDED b", "MODIFIED b", "ADDED new-0", "ADDED new-1", "ADDED new-2", "ADDED new-3", "DELETED a",
                ])
            #expect(await wire.cluster.requestCount([.list]) == 2)
            await collector.cancel()
        }
    }
}
