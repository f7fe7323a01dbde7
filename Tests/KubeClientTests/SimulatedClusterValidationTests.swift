import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Pins the simulated API server's refusals: status codes, field paths and that a refused
/// request changes nothing.
@Suite struct SimulatedClusterValidationTests {
    /// One object the server must refuse with 422, and the field the cause must name.
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var name: String
        var resource: ResourceType
        var object: KubeObject
        var field: String
        var messageContains: String
        var testDescription: String { name }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(
            name: "uppercase name", resource: .configMaps, object: Fixture.configMap("Bad_Name"), field: "metadata.name",
            messageContains: "RFC 1123 subdomain"),
        InvalidCase(
            name: "namespace name with a dot", resource: .namespaces, object: Fixture.namespace("team.a"), field: "metadata.name",
            messageContains: "RFC 1123 label"),
        InvalidCase(
            name: "service name starting with a digit", resource: .services, object: Fixture.service("1api", selector: ["app": "a"]),
            field: "metadata.name", messageContains: "DNS-1035 label"),
        InvalidCase(
            name: "selector does not match template", resource: .deployments,
            object: {
                var deployment = Fixture.deployment("web")
                deployment.spec?["selector"] = ["matchLabels": ["app": "other"]]
                return deployment
            }(), field: "spec.template.metadata.labels", messageContains: "`selector` does not match template `labels`"),
        InvalidCase(
            name: "deployment without selector", resource: .deployments,
            object: {
                var deployment = Fixture.deployment("web")
                deployment.spec?["selector"] = nil
                return deployment
            }(), field: "spec.selector", messageContains: "Required value"),
        InvalidCase(
            name: "container without image", resource: .deployments, object: Fixture.deployment("web", image: ""),
            field: "spec.template.spec.containers[0].image", messageContains: "Required value"),
        InvalidCase(
            name: "invalid cron schedule", resource: .cronJobs, object: Fixture.cronJob("prune", schedule: "61 * * * *"), field: "spec.schedule",
            messageContains: "invalid cron expression"),
        InvalidCase(
            name: "job restartPolicy Always", resource: .jobs,
            object: {
                var job = Fixture.job("once")
                job.spec?[path: ["template", "spec", "restartPolicy"]] = "Always"
                return job
            }(), field: "spec.template.spec.restartPolicy", messageContains: "Unsupported value: \"Always\""),
        InvalidCase(
            name: "service port out of range", resource: .services, object: Fixture.service("api", selector: ["app": "a"], port: 70000),
            field: "spec.ports[0].port", messageContains: "must be between 1 and 65535, inclusive"),
        InvalidCase(
            name: "claim without access modes", resource: .persistentVolumeClaims,
            object: try! KubeObject(
                PersistentVolumeClaim(
                    metadata: ObjectMeta(name: "data", namespace: "default"),
                    spec: PersistentVolumeClaimSpec(accessModes: [], resources: ResourceRequirements(requests: ["storage": "1Gi"])))),
            field: "spec.accessModes", messageContains: "at least 1 access mode is required"),
        InvalidCase(
            name: "config with negative replicas", resource: .configs, object: Fixture.config(replicas: -1), field: "spec.replicas",
            messageContains: "must be greater than or equal to 0"),
        InvalidCase(
            name: "config with managementState Force", resource: .configs, object: Fixture.config(managementState: .force),
            field: "spec.managementState", messageContains: "Force is not supported"),
        InvalidCase(
            name: "image pruner with invalid schedule", resource: .imagePruners,
            object: try! KubeObject(ImagePruner(spec: ImagePrunerSpec(schedule: "every day"))), field: "spec.schedule",
            messageContains: "invalid cron expression"),
        InvalidCase(
            name: "owner reference without uid", resource: .configMaps,
            object: {
                var child = Fixture.configMap("child")
                child.metadata.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "parent", uid: "")]
                return child
            }(), field: "metadata.ownerReferences.uid", messageContains: "uid must not be empty"),
    ]

    /// Each invalid object is refused with 422 naming the field, and nothing is stored.
    @Test(arguments: invalidCases)
    func invalidObjectsAreRefused(_ testCase: InvalidCase) async throws {
        let (cluster, _) = Fixture.cluster()
        let countBefore = await cluster.objectCount()
        let versionBefore = await cluster.resourceVersion
        let error = await #expect(throws: KubeError.self) { try await cluster.create(testCase.resource, testCase.object) }
        #expect(error?.code == .invalid)
        #expect(error?.status == 422)
        let cause = error?.causes.first { $0.field == testCase.field }
        #expect(cause != nil, "causes: \(error?.causes ?? [])")
        #expect(cause?.message.contains(testCase.messageContains) == true, "message: \(cause?.message ?? "")")
        #expect(await cluster.objectCount() == countBefore)
        #expect(await cluster.resourceVersion == versionBefore)
    }

    /// Changing a Deployment's selector is refused as immutable; the stored object is unchanged.
    @Test func deploymentSelectorIsImmutable() async throws {
        let (cluster, _) = Fixture.cluster()
        let created = try await cluster.create(.deployments, Fixture.deployment("web"))
        var changed = created
        changed.spec?["selector"] = ["matchLabels": ["app": "web", "tier": "front"]]
        changed.spec?[path: ["template", "metadata", "labels"]] = ["app": "web", "tier": "front"]
        let error = await #expect(throws: KubeError.self) { try await cluster.update(.deployments, changed) }
        #expect(error?.code == .invalid)
        #expect(error?.causes.map(\.field) == ["spec.selector"])
        #expect(error?.causes.first?.message.contains("field is immutable") == true)
        #expect(await cluster.storedObject(.deployments, namespace: "default", name: "web") == created)
    }

    /// A namespaced object in a missing namespace is 404 naming the namespace.
    @Test func missingNamespaceIsNotFound() async throws {
        let (cluster, _) = Fixture.cluster()
        let error = await #expect(throws: KubeError.self) { try await cluster.create(.configMaps, Fixture.configMap("x", namespace: "absent")) }
        #expect(error?.code == .notFound)
        #expect(error?.message == "namespaces \"absent\" not found")
    }

    /// A body whose apiVersion or kind does not match the resource is 400.
    @Test(arguments: [("apiVersion", "apps/v2", "Deployment"), ("kind", "apps/v1", "StatefulSet")])
    func mismatchedKindIsBadRequest(_ what: String, _ apiVersion: String, _ kind: String) async throws {
        let (cluster, _) = Fixture.cluster()
        var object = Fixture.deployment("web")
        object.apiVersion = apiVersion
        object.kind = kind
        let error = await #expect(throws: KubeError.self) { try await cluster.create(.deployments, object) }
        #expect(error?.code == .badRequest, "\(what)")
        #expect(error?.message.contains("does not match the expected") == true)
    }

    /// A pod naming a ServiceAccount that does not exist is refused by admission (403).
    @Test func podWithMissingServiceAccountIsForbidden() async throws {
        let (cluster, _) = Fixture.cluster()
        var spec = Fixture.podTemplate(labels: ["app": "x"]).spec
        spec.serviceAccountName = "robot"
        let pod = try KubeObject(Pod(metadata: ObjectMeta(name: "solo", namespace: "default"), spec: spec))
        let error = await #expect(throws: KubeError.self) { try await cluster.create(.pods, pod) }
        #expect(error?.code == .forbidden)
        #expect(error?.message.contains("serviceaccount \"robot\" not found") == true)
    }

    /// A claim's spec cannot change after creation (only its storage request can grow).
    @Test func claimSpecIsImmutable() async throws {
        let (cluster, _) = Fixture.cluster()
        let claim = try KubeObject(
            PersistentVolumeClaim(
                metadata: ObjectMeta(name: "data", namespace: "default"),
                spec: PersistentVolumeClaimSpec(accessModes: ["ReadWriteOnce"], resources: ResourceRequirements(requests: ["storage": "1Gi"]))))
        let created = try await cluster.create(.persistentVolumeClaims, claim)
        #expect(created.field(["spec", "storageClassName"]) == "standard")
        var grown = created
        grown.spec?[path: ["resources", "requests", "storage"]] = "2Gi"
        _ = try await cluster.update(.persistentVolumeClaims, grown)
        let error = await #expect(throws: KubeError.self) {
            try await cluster.patch(
                .persistentVolumeClaims, namespace: "default", name: "data", mergePatch: ["spec": ["accessModes": ["ReadWriteMany"]]])
        }
        #expect(error?.causes.first?.field == "spec")
    }

    /// Deleting the default namespace is forbidden.
    @Test func defaultNamespaceCannotBeDeleted() async throws {
        let (cluster, _) = Fixture.cluster()
        let error = await #expect(throws: KubeError.self) {
            try await cluster.delete(.namespaces, namespace: nil, name: "default", options: DeleteOptions())
        }
        #expect(error?.code == .forbidden)
        #expect(await cluster.storedObject(.namespaces, name: "default") != nil)
    }

    /// RBAC names may contain ':' (path segment names), unlike other kinds.
    @Test func rbacNamesArePathSegments() async throws {
        let (cluster, _) = Fixture.cluster()
        let role = try KubeObject(ClusterRole(metadata: ObjectMeta(name: "system:registry"), rules: []))
        let created = try await cluster.create(.clusterRoles, role)
        #expect(created.metadata.name == "system:registry")
    }
}
