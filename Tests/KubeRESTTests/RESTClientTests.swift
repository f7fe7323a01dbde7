import Foundation
import KubeClient
import KubeREST
import KubeSimulator
import RegistryModel
import Testing

/// The REST client against the simulated API server: every verb over real HTTP with the
/// simulator's semantics, and the API server's errors mapped to typed `KubeError`s.
struct RESTClientTests {
    /// Create, get, update and delete round-trip over HTTP with server-assigned metadata.
    @Test func crudRoundTrip() async throws {
        try await withWire { wire in
            let created = try await wire.client.create(.configMaps, Fixtures.configMap("settings", data: ["a": "1"]))
            #expect(created.metadata.uid?.isEmpty == false)
            #expect(created.metadata.resourceVersion?.isEmpty == false)
            var read = try await wire.client.get(.configMaps, namespace: "default", name: "settings")
            #expect(read.fields["data"]?["a"]?.stringValue == "1")
            read.fields["data"] = ["a": "2"]
            let updated = try await wire.client.update(.configMaps, read)
            #expect(updated.metadata.resourceVersion != created.metadata.resourceVersion)
            #expect(await wire.cluster.storedObject(.configMaps, namespace: "default", name: "settings")?.fields["data"]?["a"]?.stringValue == "2")
            try await wire.client.delete(.configMaps, namespace: "default", name: "settings", options: DeleteOptions())
            #expect(try await wire.client.getIfExists(.configMaps, namespace: "default", name: "settings") == nil)
        }
    }

    /// The API server's errors arrive as typed codes: 404, 409 AlreadyExists, 409 Conflict and
    /// 422 with the causes naming the fields.
    @Test func errorsAreTyped() async throws {
        try await withWire { wire in
            let missing = await #expect(throws: KubeError.self) { try await wire.client.get(.configMaps, namespace: "default", name: "absent") }
            #expect(missing?.code == .notFound)
            #expect(missing?.status == 404)
            #expect(missing?.operation == "get configmaps default/absent")

            let first = try await wire.client.create(.configMaps, Fixtures.configMap("once"))
            let duplicate = await #expect(throws: KubeError.self) { try await wire.client.create(.configMaps, Fixtures.configMap("once")) }
            #expect(duplicate?.code == .alreadyExists)

            _ = try await wire.client.update(
                .configMaps, Fixtures.configMap("once", data: ["b": "1"]).with(resourceVersion: first.metadata.resourceVersion))
            let stale = await #expect(throws: KubeError.self) {
                try await wire.client.update(
                    .configMaps, Fixtures.configMap("once", data: ["b": "2"]).with(resourceVersion: first.metadata.resourceVersion))
            }
            #expect(stale?.code == .conflict)

            var invalid = Fixtures.deployment("broken")
            invalid.fields["spec"]?["replicas"] = -1
            let refused = await #expect(throws: KubeError.self) { try await wire.client.create(.deployments, invalid) }
            #expect(refused?.code == .invalid)
            #expect(refused?.status == 422)
            #expect(refused?.causes.contains { $0.field == "spec.replicas" } == true)
        }
    }

    /// Lists filter by label selector and page with continue tokens until every item was seen once.
    @Test func listSelectsAndPaginates() async throws {
        try await withWire { wire in
            for index in 0..<7 {
                _ = try await wire.client.create(
                    .configMaps, Fixtures.configMap("item-\(index)", labels: ["tier": index.isMultiple(of: 2) ? "even" : "odd"]))
            }
            let even = try await wire.client.list(
                .configMaps, namespace: "default", options: ListOptions(labelSelector: LabelSelector(matchLabels: ["tier": "even"])))
            #expect(even.items.map(\.metadata.name) == ["item-0", "item-2", "item-4", "item-6"])

            var names: [String] = []
            var options = ListOptions(labelSelector: try LabelSelector(parsing: "tier in (even,odd)"), limit: 3)
            var pages = 0
            while true {
                let page = try await wire.client.list(.configMaps, namespace: "default", options: options)
                pages += 1
                names += page.items.map(\.metadata.name)
                guard let next = page.continueToken else { break }
                options.continueToken = next
            }
            #expect(pages == 3)
            #expect(names == (0..<7).map { "item-\($0)" })
        }
    }

    /// A merge patch changes only what it names; `null` removes a key.
    @Test func mergePatch() async throws {
        try await withWire { wire in
            _ = try await wire.client.create(.configMaps, Fixtures.configMap("patched", labels: ["keep": "yes", "drop": "me"], data: ["a": "1"]))
            let patched = try await wire.client.patch(
                .configMaps, namespace: "default", name: "patched",
                mergePatch: ["metadata": ["labels": ["drop": nil, "new": "label"]], "data": ["b": "2"]])
            #expect(patched.metadata.labels == ["keep": "yes", "new": "label"])
            #expect(patched.fields["data"] == ["a": "1", "b": "2"])
        }
    }

    /// The status subresource: `update` leaves `.status` alone, `updateStatus` changes only it.
    @Test func statusSubresource() async throws {
        try await withWire { wire in
            let created = try await wire.client.create(
                Config(spec: ConfigSpec(managementState: .managed, replicas: 1, storage: StorageSpec(emptyDir: EmptyDirStorage()))))
            var withStatus = created
            withStatus.status = ConfigStatus(observedGeneration: 1, readyReplicas: 3)
            withStatus.spec.replicas = 1
            let afterUpdate = try await wire.client.update(withStatus)
            #expect(afterUpdate.status?.readyReplicas == nil)
            var statusOnly = afterUpdate
            statusOnly.status = ConfigStatus(observedGeneration: 1, readyReplicas: 3)
            statusOnly.spec.replicas = 5
            let afterStatus = try await wire.client.updateStatus(statusOnly)
            #expect(afterStatus.status?.readyReplicas == 3)
            #expect(afterStatus.spec.replicas == 1)
        }
    }

    /// The propagation policy travels in the DeleteOptions body: Orphan leaves the owner's pods,
    /// Background deletes them with it.
    @Test(arguments: [(PropagationPolicy.orphan, 2), (.background, 0)])
    func deletePropagation(policy: PropagationPolicy, podsLeft: Int) async throws {
        try await withWire { wire in
            _ = try await wire.client.create(.deployments, Fixtures.deployment("web", replicas: 2))
            await wire.cluster.step()
            #expect(await wire.cluster.objectCount(.pods, namespace: "default") == 2)
            try await wire.client.delete(.deployments, namespace: "default", name: "web", options: DeleteOptions(propagationPolicy: policy))
            #expect(await wire.cluster.objectCount(.pods, namespace: "default") == podsLeft)
        }
    }

    /// A delete with a stale precondition is refused with a conflict.
    @Test func deletePreconditionConflict() async throws {
        try await withWire { wire in
            let created = try await wire.client.create(.configMaps, Fixtures.configMap("guarded"))
            _ = try await wire.client.patch(.configMaps, namespace: "default", name: "guarded", mergePatch: ["data": ["x": "1"]])
            let refused = await #expect(throws: KubeError.self) {
                try await wire.client.delete(
                    .configMaps, namespace: "default", name: "guarded",
                    options: DeleteOptions(preconditionResourceVersion: created.metadata.resourceVersion))
            }
            #expect(refused?.code == .conflict)
        }
    }

    /// `modify` reads afresh and reapplies its change when another writer got in first (409).
    @Test func modifyRetriesConflictWithFreshRead() async throws {
        try await withWire { wire in
            _ = try await wire.client.create(
                Config(spec: ConfigSpec(managementState: .managed, replicas: 1, storage: StorageSpec(emptyDir: EmptyDirStorage()))))
            var attempts = 0
            let result = try await wire.client.modify(Config.self, name: RegistryNames.singleton) { config in
                attempts += 1
                config.spec.logLevel = "Debug"
                if attempts == 1 {
                    // Another writer changes the object between this read and the write.
                    _ = try await wire.cluster.patch(
                        .configs, namespace: nil, name: RegistryNames.singleton, mergePatch: ["spec": ["readOnly": true]])
                }
            }
            #expect(attempts == 2)
            #expect(result.spec.logLevel == "Debug")
            #expect(result.spec.readOnly == true)
        }
    }
}

extension KubeObject {
    /// The same object carrying `resourceVersion`.
    func with(resourceVersion: String?) -> KubeObject {
        var copy = self
        copy.metadata.resourceVersion = resourceVersion
        return copy
    }
}
