import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Pins the storage semantics of the simulated API server: metadata it owns, optimistic
/// concurrency, generation, status subresource, merge patch.
@Suite struct SimulatedClusterStorageTests {
    /// Create assigns uid, creationTimestamp (from the clock), a numeric resourceVersion and generation 1.
    @Test func createAssignsServerOwnedMetadata() async throws {
        let (cluster, clock) = Fixture.cluster()
        let before = Int(await cluster.resourceVersion)!
        let created = try await cluster.create(.deployments, Fixture.deployment("web"))
        #expect(UUID(uuidString: created.metadata.uid ?? "") != nil)
        #expect(created.metadata.creationTimestamp == clock.now())
        #expect(Int(created.metadata.resourceVersion ?? "")! > before)
        #expect(created.metadata.generation == 1)
        let configMap = try await cluster.create(.configMaps, Fixture.configMap("plain"))
        #expect(configMap.metadata.generation == nil)
        #expect(Int(configMap.metadata.resourceVersion!)! > Int(created.metadata.resourceVersion!)!)
    }

    /// Create drops `.status` for kinds with a status subresource and fills server defaults.
    @Test func createDropsStatusAndDefaults() async throws {
        let (cluster, _) = Fixture.cluster()
        var deployment = Fixture.deployment("web")
        deployment.status = ["readyReplicas": 5]
        let created = try await cluster.create(.deployments, deployment)
        #expect(created.status == nil)
        #expect(created.field(["spec", "progressDeadlineSeconds"]) == 600)
        #expect(created.field(["spec", "strategy", "type"]) == "RollingUpdate")
        #expect(created.field(["spec", "template", "spec", "restartPolicy"]) == "Always")
        let service = try await cluster.create(.services, Fixture.service("api", selector: ["app": "api"]))
        #expect(service.field(["spec", "clusterIP"])?.stringValue?.hasPrefix("10.96.") == true)
        #expect(service.field(["spec", "ports"])?.arrayValue?.first?["targetPort"] == 443)
    }

    /// A stale resourceVersion on update is a 409 conflict and changes nothing.
    @Test func staleUpdateConflicts() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        var first = created
        first.fields["data"] = ["k": "one"]
        let updated = try await cluster.update(.configMaps, first)
        var stale = created
        stale.fields["data"] = ["k": "two"]
        let error = await #expect(throws: KubeError.self) { try await cluster.update(.configMaps, stale) }
        #expect(error?.code == .conflict)
        #expect(error?.status == 409)
        let stored = await cluster.storedObject(.configMaps, namespace: "default", name: "settings")
        #expect(stored == updated)
    }

    /// An empty resourceVersion makes the update unconditional.
    @Test func emptyResourceVersionUpdatesUnconditionally() async throws {
        let (cluster, _) = Fixture.cluster()
        _ = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        var blind = Fixture.configMap("settings", data: ["k": "blind"])
        blind.metadata.resourceVersion = ""
        let updated = try await cluster.update(.configMaps, blind)
        #expect(updated.fields["data"] == ["k": "blind"])
    }

    /// Updating with an identical object keeps the resourceVersion and emits no watch event.
    @Test func noOpUpdateChangesNothing() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.deployments, Fixture.deployment("web"))
        let stream = try await cluster.watch(
            .deployments, namespace: "default", options: WatchOptions(resourceVersion: created.metadata.resourceVersion))
        let again = try await cluster.update(.deployments, created)
        let typed = try await cluster.update(try created.decode(as: Deployment.self))
        #expect(again.metadata.resourceVersion == created.metadata.resourceVersion)
        #expect(typed.metadata.resourceVersion == created.metadata.resourceVersion)
        _ = try await cluster.patch(.deployments, namespace: "default", name: "web", mergePatch: ["metadata": ["labels": ["touched": "yes"]]])
        var iterator = stream.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.type == .modified)
        #expect(first?.object.metadata.labels?["touched"] == "yes")
    }

    /// One merge patch and whether it must bump `metadata.generation`.
    struct GenerationCase: Sendable, CustomTestStringConvertible {
        var name: String
        var patch: JSONValue
        var bumps: Bool
        var testDescription: String { name }
    }

    static let generationCases = [
        GenerationCase(name: "spec change", patch: ["spec": ["replicas": 3]], bumps: true),
        GenerationCase(name: "template change", patch: ["spec": ["template": ["metadata": ["labels": ["app": "web", "v": "2"]]]]], bumps: true),
        GenerationCase(name: "label change", patch: ["metadata": ["labels": ["tier": "web"]]], bumps: false),
        GenerationCase(name: "annotation change", patch: ["metadata": ["annotations": ["note": "x"]]], bumps: false),
        GenerationCase(name: "status in body", patch: ["status": ["readyReplicas": 3]], bumps: false),
    ]

    /// `metadata.generation` moves only when something outside metadata and status changes.
    @Test(arguments: generationCases)
    func generationBumpsOnSpecChangeOnly(_ testCase: GenerationCase) async throws {
        let (cluster, _) = Fixture.cluster()
        _ = try await cluster.create(.deployments, Fixture.deployment("web"))
        let patched = try await cluster.patch(.deployments, namespace: "default", name: "web", mergePatch: testCase.patch)
        #expect(patched.metadata.generation == (testCase.bumps ? 2 : 1))
    }

    /// Update ignores `.status` for status-subresource kinds; updateStatus takes only `.status`.
    @Test func statusSubresourceSeparatesSpecAndStatus() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.configs, Fixture.config(replicas: 1))
        var withStatus = created
        withStatus.status = ["readyReplicas": 2]
        let updated = try await cluster.update(.configs, withStatus)
        #expect(updated.status == nil)
        #expect(updated.metadata.resourceVersion == created.metadata.resourceVersion)

        var statusBody = updated
        statusBody.status = ["readyReplicas": 2, "observedGeneration": 1]
        statusBody.spec?["replicas"] = 5
        statusBody.metadata.labels = ["ignored": "yes"]
        let statusUpdated = try await cluster.updateStatus(.configs, statusBody)
        #expect(statusUpdated.status?["readyReplicas"] == 2)
        #expect(statusUpdated.spec?["replicas"] == 1)
        #expect(statusUpdated.metadata.labels == nil)
        #expect(statusUpdated.metadata.generation == 1)

        let stale = await #expect(throws: KubeError.self) { try await cluster.updateStatus(.configs, statusBody) }
        #expect(stale?.code == .conflict)
    }

    /// A typed update of an unchanged Service keeps its allocated cluster IP and writes nothing.
    @Test func typedServiceUpdateKeepsClusterIP() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.services, Fixture.service("api", selector: ["app": "api"]))
        var typed = try created.decode(as: Service.self)
        let unchanged = try await cluster.update(typed)
        #expect(unchanged.metadata.resourceVersion == created.metadata.resourceVersion)
        typed.spec.ports[0].port = 8443
        let changed = try await cluster.update(typed)
        let stored = try #require(await cluster.storedObject(.services, namespace: "default", name: "api"))
        #expect(stored.field(["spec", "clusterIP"]) == created.field(["spec", "clusterIP"]))
        #expect(changed.metadata.resourceVersion != created.metadata.resourceVersion)
    }

    /// Kinds without a status subresource answer updateStatus with 404, like the API server.
    @Test func updateStatusWithoutSubresourceIsNotFound() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        let error = await #expect(throws: KubeError.self) { try await cluster.updateStatus(.configMaps, created) }
        #expect(error?.code == .notFound)
    }

    /// Server-owned metadata in an update body is ignored.
    @Test func updateKeepsServerOwnedMetadata() async throws {
        let (cluster, clock) = Fixture.cluster()
        let created = try await cluster.create(.deployments, Fixture.deployment("web"))
        clock.advance(by: 60)
        var body = created
        body.metadata.creationTimestamp = Date(timeIntervalSince1970: 0)
        body.metadata.generation = 99
        body.metadata.deletionTimestamp = clock.now()
        body.spec?["replicas"] = 2
        let updated = try await cluster.update(.deployments, body)
        #expect(updated.metadata.uid == created.metadata.uid)
        #expect(updated.metadata.creationTimestamp == created.metadata.creationTimestamp)
        #expect(updated.metadata.generation == 2)
        #expect(updated.metadata.deletionTimestamp == nil)
    }

    /// get and delete of a missing object are 404 with the API server's message.
    @Test func missingObjectsAreNotFound() async throws {
        let (cluster, _) = Fixture.cluster()
        let getError = await #expect(throws: KubeError.self) { try await cluster.get(.deployments, namespace: "default", name: "nope") }
        #expect(getError?.code == .notFound)
        #expect(getError?.message == "deployments.apps \"nope\" not found")
        let deleteError = await #expect(throws: KubeError.self) {
            try await cluster.delete(.deployments, namespace: "default", name: "nope", options: DeleteOptions())
        }
        #expect(deleteError?.code == .notFound)
        let updateError = await #expect(throws: KubeError.self) { try await cluster.update(.configMaps, Fixture.configMap("nope")) }
        #expect(updateError?.code == .notFound)
    }

    /// Creating a name that is taken is 409 alreadyExists.
    @Test func duplicateCreateIsAlreadyExists() async throws {
        let (cluster, _) = Fixture.cluster()
        _ = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        let error = await #expect(throws: KubeError.self) { try await cluster.create(.configMaps, Fixture.configMap("settings")) }
        #expect(error?.code == .alreadyExists)
        #expect(error?.status == 409)
    }

    /// A merge patch merges objects member by member and `null` deletes.
    @Test func mergePatchMergesAndNullDeletes() async throws {
        let (cluster, _) = Fixture.cluster()
        _ = try await cluster.create(.configMaps, Fixture.configMap("settings", labels: ["a": "1", "b": "2"], data: ["x": "1", "y": "2"]))
        let patched = try await cluster.patch(
            .configMaps, namespace: "default", name: "settings",
            mergePatch: ["metadata": ["labels": ["a": nil, "c": "3"]], "data": ["y": nil, "z": "3"]])
        #expect(patched.metadata.labels == ["b": "2", "c": "3"])
        #expect(patched.fields["data"] == ["x": "1", "z": "3"])
    }

    /// A merge patch carrying a stale resourceVersion is a conflict.
    @Test func mergePatchHonoursResourceVersion() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.configMaps, Fixture.configMap("settings"))
        _ = try await cluster.patch(.configMaps, namespace: "default", name: "settings", mergePatch: ["data": ["k": "new"]])
        let error = await #expect(throws: KubeError.self) {
            try await cluster.patch(
                .configMaps, namespace: "default", name: "settings",
                mergePatch: ["metadata": ["resourceVersion": .string(created.metadata.resourceVersion!)], "data": ["k": "stale"]])
        }
        #expect(error?.code == .conflict)
    }

    /// Bootstrap: namespaces default and kube-system with default ServiceAccounts, and Ready worker nodes.
    @Test func bootstrapObjects() async throws {
        let (cluster, _) = Fixture.cluster(options: SimulationOptions(nodeCount: 2, seed: 1))
        let namespaces = try await cluster.listAll(.namespaces, namespace: nil).items.map(\.metadata.name)
        #expect(namespaces == ["default", "kube-system"])
        let accounts = try await cluster.listAll(.serviceAccounts, namespace: nil).items.map(\.metadata.qualifiedName)
        #expect(accounts == ["default/default", "kube-system/default"])
        let nodes = try await cluster.list(Node.self)
        #expect(nodes.map(\.metadata.name) == ["node-1", "node-2"])
        #expect(nodes.allSatisfy { $0.isReady })
        #expect(nodes[0].metadata.labels?["node-role.kubernetes.io/worker"] == "")
        #expect(nodes[0].status?.capacity?["pods"] == "110")
    }
}

extension KubeObject {
    /// A value below the top level, for expectations.
    func field(_ path: [String]) -> JSONValue? {
        guard let first = path.first else { return nil }
        return fields[first]?[path: Array(path.dropFirst())]
    }
}
