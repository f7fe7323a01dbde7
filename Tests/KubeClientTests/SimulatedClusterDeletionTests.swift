import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Pins deletion: owner-reference garbage collection, propagation policies, finalizers and
/// namespace termination.
@Suite struct SimulatedClusterDeletionTests {
    /// Background deletion collects dependents over two levels, each with its own DELETED event.
    @Test func backgroundDeletionCascadesOverTwoLevels() async throws {
        let (cluster, _) = Fixture.cluster()
        let root = try await cluster.create(.configMaps, Fixture.configMap("root"))
        let child = try await cluster.create(.configMaps, Fixture.owned("child", by: root))
        _ = try await cluster.create(.configMaps, Fixture.owned("grandchild", by: child))
        _ = try await cluster.create(.configMaps, Fixture.configMap("bystander"))
        let stream = try await cluster.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: await cluster.resourceVersion))

        try await cluster.delete(.configMaps, namespace: "default", name: "root", options: DeleteOptions(propagationPolicy: .background))

        let remaining = await cluster.storedObjects(.configMaps, namespace: "default").map(\.metadata.name)
        #expect(remaining == ["bystander"])
        var deleted: [String] = []
        for try await event in stream {
            #expect(event.type == .deleted)
            deleted.append(event.object.metadata.name)
            if deleted.count == 3 { break }
        }
        #expect(deleted == ["root", "child", "grandchild"])
    }

    /// Foreground deletion removes dependents before the owner.
    @Test func foregroundDeletionRemovesDependentsFirst() async throws {
        let (cluster, _) = Fixture.cluster()
        let root = try await cluster.create(.configMaps, Fixture.configMap("root"))
        _ = try await cluster.create(.configMaps, Fixture.owned("child", by: root))
        let stream = try await cluster.watch(.configMaps, namespace: "default", options: WatchOptions(resourceVersion: await cluster.resourceVersion))

        try await cluster.delete(.configMaps, namespace: "default", name: "root", options: DeleteOptions(propagationPolicy: .foreground))

        var events: [String] = []
        for try await event in stream {
            events.append("\(event.type.rawValue) \(event.object.metadata.name)")
            if events.count == 3 { break }
        }
        #expect(events == ["MODIFIED root", "DELETED child", "DELETED root"])
        #expect(await cluster.objectCount(.configMaps, namespace: "default") == 0)
    }

    /// Orphan deletion keeps dependents and strips the owner reference.
    @Test func orphanDeletionKeepsDependents() async throws {
        let (cluster, _) = Fixture.cluster()
        let root = try await cluster.create(.configMaps, Fixture.configMap("root"))
        _ = try await cluster.create(.configMaps, Fixture.owned("child", by: root))
        try await cluster.delete(.configMaps, namespace: "default", name: "root", options: DeleteOptions(propagationPolicy: .orphan))
        let child = try #require(await cluster.storedObject(.configMaps, namespace: "default", name: "child"))
        #expect(child.metadata.ownerReferences == nil)
        #expect(await cluster.storedObject(.configMaps, namespace: "default", name: "root") == nil)
    }

    /// A dependent with another live owner only loses the reference to the deleted one.
    @Test func dependentWithAnotherOwnerSurvives() async throws {
        let (cluster, _) = Fixture.cluster()
        let first = try await cluster.create(.configMaps, Fixture.configMap("first"))
        let second = try await cluster.create(.configMaps, Fixture.configMap("second"))
        var shared = Fixture.configMap("shared")
        shared.metadata.ownerReferences = [first.ownerReference(controller: false), second.ownerReference(controller: false)]
        _ = try await cluster.create(.configMaps, shared)
        try await cluster.delete(.configMaps, namespace: "default", name: "first", options: DeleteOptions())
        let survivor = try #require(await cluster.storedObject(.configMaps, namespace: "default", name: "shared"))
        #expect(survivor.metadata.ownerReferences?.map(\.name) == ["second"])
    }

    /// An object with finalizers gets a deletionTimestamp and stays until an update removes the
    /// last finalizer; then it is gone, and its dependents with it.
    @Test func finalizersHoldDeletion() async throws {
        let (cluster, clock) = Fixture.cluster()
        var guarded = Fixture.configMap("guarded")
        guarded.metadata.finalizers = ["example.com/cleanup"]
        let created = try await cluster.create(.configMaps, guarded)
        _ = try await cluster.create(.configMaps, Fixture.owned("child", by: created))
        clock.advance(by: 30)

        try await cluster.delete(.configMaps, namespace: "default", name: "guarded", options: DeleteOptions())
        let terminating = try await cluster.get(.configMaps, namespace: "default", name: "guarded")
        #expect(terminating.metadata.deletionTimestamp == clock.now())
        #expect(await cluster.storedObject(.configMaps, namespace: "default", name: "child") != nil)

        var addFinalizer = terminating
        addFinalizer.metadata.finalizers = ["example.com/cleanup", "example.com/other"]
        let refused = await #expect(throws: KubeError.self) { try await cluster.update(.configMaps, addFinalizer) }
        #expect(refused?.code == .invalid)

        var release = terminating
        release.metadata.finalizers = nil
        _ = try await cluster.update(.configMaps, release)
        #expect(await cluster.storedObject(.configMaps, namespace: "default", name: "guarded") == nil)
        #expect(await cluster.storedObject(.configMaps, namespace: "default", name: "child") == nil)
    }

    /// A delete precondition on a stale resourceVersion is a conflict.
    @Test func deletePreconditionConflicts() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        _ = try await cluster.patch(.configMaps, namespace: "default", name: "settings", mergePatch: ["data": ["k": "2"]])
        let error = await #expect(throws: KubeError.self) {
            try await cluster.delete(
                .configMaps, namespace: "default", name: "settings",
                options: DeleteOptions(preconditionResourceVersion: created.metadata.resourceVersion))
        }
        #expect(error?.code == .conflict)
        #expect(await cluster.storedObject(.configMaps, namespace: "default", name: "settings") != nil)
    }

    /// Deleting a Namespace deletes everything in it, and new content is refused meanwhile.
    @Test func namespaceDeletionDeletesContents() async throws {
        let (cluster, _) = Fixture.cluster()
        _ = try await cluster.create(.namespaces, Fixture.namespace("team"))
        _ = try await cluster.create(.configMaps, Fixture.configMap("a", namespace: "team"))
        var held = Fixture.configMap("held", namespace: "team")
        held.metadata.finalizers = ["example.com/hold"]
        _ = try await cluster.create(.configMaps, held)
        _ = try await cluster.create(.deployments, Fixture.deployment("web", namespace: "team"))
        await cluster.step()
        #expect(await cluster.objectCount(.pods, namespace: "team") == 1)

        try await cluster.delete(.namespaces, namespace: nil, name: "team", options: DeleteOptions())
        let terminating = try await cluster.get(.namespaces, namespace: nil, name: "team")
        #expect(terminating.status?["phase"] == "Terminating")
        #expect(await cluster.objectCount(namespace: "team") == 1)
        let refused = await #expect(throws: KubeError.self) { try await cluster.create(.configMaps, Fixture.configMap("late", namespace: "team")) }
        #expect(refused?.code == .forbidden)

        _ = try await cluster.patch(.configMaps, namespace: "team", name: "held", mergePatch: ["metadata": ["finalizers": nil]])
        #expect(await cluster.objectCount(namespace: "team") == 0)
        #expect(await cluster.storedObject(.namespaces, name: "team") == nil)
    }
}
