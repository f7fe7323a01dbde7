import Foundation
import KubeClient
import RegistryModel

/// The simulated kube-apiserver: admission, defaulting, validation, optimistic concurrency,
/// generation, finalizers and garbage collection on top of `ObjectStore`.
///
/// A value type owned by `SimulatedCluster`; clients and controllers both change the cluster
/// through it, so their writes follow one storage path.
struct APIServer: Sendable {
    /// Objects, revisions, history and watches.
    var store: ObjectStore
    /// Defaults and capacities the server applies.
    let options: SimulationOptions
    /// Source of uids and generated names.
    var random: SeededRandom
    private var allocatedServiceIPs: UInt32 = 0

    /// Namespaces the API server refuses to delete.
    static let immortalNamespaces: Set<String> = ["default", "kube-system", "kube-public"]
    /// Kinds whose API server strategy tracks `metadata.generation` (workloads, disruption
    /// budgets and custom resources); Services, ConfigMaps and the like have none.
    static let generationTracked: Set<ResourceType> = [
        .deployments, .daemonSets, .statefulSets, .replicaSets, .jobs, .cronJobs, .podDisruptionBudgets, .configs, .imagePruners,
    ]
    /// The finalizer that holds an owner while foreground deletion removes its dependents.
    static let foregroundFinalizer = "foregroundDeletion"

    /// A server with the bootstrap namespaces and Ready worker nodes.
    init(options: SimulationOptions, seed: UInt64, now: Date) {
        store = ObjectStore(historyCapacity: options.watchHistorySize, controllerInputs: ControllerManager.inputs)
        self.options = options
        random = SeededRandom(seed: seed)
        for namespace in ["default", "kube-system"] {
            insertNew(.namespaces, KubeObject(apiVersion: "v1", kind: "Namespace", metadata: ObjectMeta(name: namespace)), now: now)
        }
        for resource in ResourceType.customResources {
            insertNew(.customResourceDefinitions, Self.definition(for: resource, now: now), now: now)
        }
        for (resource, role) in Self.bootstrapRoles {
            insertNew(resource, role, now: now)
        }
        for index in 1...max(1, options.nodeCount) {
            insertNew(.nodes, Self.node(index: index, podsPerNode: options.podsPerNode, now: now), now: now)
        }
    }

    // MARK: Reading

    /// The key of an object addressed by namespace and name.
    func key(_ resource: ResourceType, _ namespace: String?, _ name: String) -> ObjectKey {
        ObjectKey(namespace: resource.namespaced ? (namespace ?? "") : "", name: name)
    }

    /// `get`: the stored object or 404.
    func get(_ resource: ResourceType, namespace: String?, name: String) throws(KubeError) -> KubeObject {
        guard let object = store.object(resource, key(resource, namespace, name)) else { throw KubeError.notFound(resource, name) }
        return object
    }

    /// `list`: filtered by namespace and labels, in namespace/name order, paginated.
    func list(_ resource: ResourceType, namespace: String?, options: ListOptions) throws(KubeError) -> KubeObjectList {
        var listRevision = store.revision
        var after: ObjectKey?
        if let text = options.continueToken, !text.isEmpty {
            guard let token = ContinueToken(encoded: text) else {
                throw KubeError(code: .badRequest, status: 400, message: "continue key is not valid: \(text)")
            }
            if token.revision < store.history(resource).compactedRevision {
                throw KubeError.gone(
                    "The provided continue parameter is too old to display a consistent list result. "
                        + "You can start a new list without the continue parameter."
                )
            }
            listRevision = token.revision
            after = token.after
        }
        var items = store.items(resource, namespace: resource.namespaced ? namespace : nil)
        if let selector = options.labelSelector { items = items.filter { selector.matches($0.labels) } }
        if let after, let start = items.firstIndex(where: { $0.key > after }) {
            items = Array(items[start...])
        } else if after != nil {
            items = []
        }
        guard let limit = options.limit, limit > 0, items.count > limit else {
            return KubeObjectList(items: items, resourceVersion: String(listRevision))
        }
        let page = Array(items.prefix(limit))
        let token = ContinueToken(revision: listRevision, after: page[page.count - 1].key)
        return KubeObjectList(items: page, resourceVersion: String(listRevision), continueToken: token.encoded)
    }

    /// The events a new watch starts with: the retained changes after its resourceVersion, or
    /// (without one) an ADDED event for every object in scope.
    func initialWatchEvents(_ resource: ResourceType, filter: WatchFilter, resourceVersion: String?) throws(KubeError) -> [WatchEvent] {
        guard let text = resourceVersion, !text.isEmpty, text != "0" else {
            return store.items(resource, namespace: filter.namespace).filter(filter.matches).map { WatchEvent(type: .added, object: $0) }
        }
        guard let revision = UInt64(text) else {
            throw KubeError(code: .badRequest, status: 400, message: "invalid resource version \"\(text)\"")
        }
        if revision > store.revision {
            throw KubeError(code: .timeout, status: 504, message: "Timeout: Too large resource version: \(revision), current: \(store.revision)")
        }
        let history = store.history(resource)
        if revision < history.compactedRevision {
            throw KubeError.gone("too old resource version: \(revision) (\(history.compactedRevision))")
        }
        return history.events(after: revision).compactMap(filter.delivery)
    }

    // MARK: Helpers shared by the request paths

    /// Checks the kind and scope of a request body and normalises it the way decoding into Go
    /// types would (nulls and empty metadata collections dropped).
    func prepareBody(_ resource: ResourceType, _ object: KubeObject) throws(KubeError) -> KubeObject {
        guard object.apiVersion == resource.apiVersion else {
            throw KubeError(
                code: .badRequest, status: 400,
                message: "the API version in the data (\(object.apiVersion)) does not match the expected API version (\(resource.apiVersion))")
        }
        guard object.kind == resource.kind else {
            throw KubeError(
                code: .badRequest, status: 400, message: "the kind in the data (\(object.kind)) does not match the expected kind (\(resource.kind))")
        }
        var body = object
        body.fields = body.fields.compactMapValues { $0.isNull ? nil : $0.removingNullMembers }
        body.metadata = Self.normalized(body.metadata)
        if resource.namespaced {
            guard let namespace = body.metadata.namespace, !namespace.isEmpty else {
                throw KubeError.invalid(resource, body.metadata.name, causes: [FieldCause.required("metadata.namespace")])
            }
        } else {
            body.metadata.namespace = nil
        }
        return body
    }

    /// Metadata with empty collections removed, as the API server serialises it.
    static func normalized(_ metadata: ObjectMeta) -> ObjectMeta {
        var copy = metadata
        if copy.labels?.isEmpty == true { copy.labels = nil }
        if copy.annotations?.isEmpty == true { copy.annotations = nil }
        if copy.ownerReferences?.isEmpty == true { copy.ownerReferences = nil }
        if copy.finalizers?.isEmpty == true { copy.finalizers = nil }
        return copy
    }

    /// A 400 with the server's message.
    static func badRequest(_ message: String) -> KubeError {
        KubeError(code: .badRequest, status: 400, message: message)
    }

    // MARK: Storing new objects

    /// Assigns the server-owned metadata (uid, creationTimestamp, generation for the kinds that
    /// track it) and kind-specific
    /// allocations, then stores the object. Client creates and controllers both end here.
    @discardableResult
    mutating func insertNew(_ resource: ResourceType, _ object: KubeObject, now: Date) -> KubeObject {
        var object = object
        object.metadata.uid = random.uuid()
        object.metadata.creationTimestamp = now.wholeSeconds
        object.metadata.deletionTimestamp = nil
        object.metadata.resourceVersion = nil
        object.metadata.generation = Self.generationTracked.contains(resource) ? 1 : nil
        switch resource {
        case .namespaces: object.status = ["phase": "Active"]
        case .pods where object.status == nil: object.status = ["phase": "Pending"]
        case .jobs: generateJobSelector(&object)
        case .services: allocateClusterIP(&object)
        default: break
        }
        let stored = store.insert(resource, object)
        if resource == .namespaces { ensureDefaultServiceAccount(in: stored.metadata.name, now: now) }
        return stored
    }

    /// Creates the `default` ServiceAccount of a namespace when it is missing (the service
    /// account controller's job, done at once so pods can be created right after their namespace).
    mutating func ensureDefaultServiceAccount(in namespace: String, now: Date) {
        let key = ObjectKey(namespace: namespace, name: "default")
        guard store.object(.serviceAccounts, key) == nil else { return }
        let account = KubeObject(apiVersion: "v1", kind: "ServiceAccount", metadata: ObjectMeta(name: "default", namespace: namespace))
        insertNew(.serviceAccounts, account, now: now)
    }

    private mutating func generateJobSelector(_ object: inout KubeObject) {
        guard object.field("spec", "manualSelector")?.boolValue != true, object.field("spec", "selector") == nil,
            let uid = object.metadata.uid
        else { return }
        let name = object.metadata.name
        object.setField(["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]], at: "spec", "selector")
        var labels = object.field("spec", "template", "metadata", "labels")?.objectValue ?? [:]
        labels["batch.kubernetes.io/controller-uid"] = .string(uid)
        labels["batch.kubernetes.io/job-name"] = .string(name)
        labels["controller-uid"] = .string(uid)
        labels["job-name"] = .string(name)
        object.setField(.object(labels), at: "spec", "template", "metadata", "labels")
    }

    private mutating func allocateClusterIP(_ object: inout KubeObject) {
        guard object.field("spec", "type")?.stringValue != "ExternalName" else { return }
        let requested = object.field("spec", "clusterIP")?.stringValue ?? ""
        let address: String
        if requested.isEmpty {
            allocatedServiceIPs += 1
            let offset = allocatedServiceIPs + 10
            address = "10.96.\(offset / 256).\(offset % 256)"
        } else {
            address = requested
        }
        object.setField(.string(address), at: "spec", "clusterIP")
        object.setField([.string(address)], at: "spec", "clusterIPs")
        if address != "None" {
            object.setField(["IPv4"], at: "spec", "ipFamilies")
            object.setField("SingleStack", at: "spec", "ipFamilyPolicy")
        }
    }

    private static func node(index: Int, podsPerNode: Int, now: Date) -> KubeObject {
        let name = "node-\(index)"
        let resources: JSONValue = ["cpu": "4", "memory": "16Gi", "pods": .string(String(podsPerNode)), "ephemeral-storage": "100Gi"]
        let ready: JSONValue = [
            "type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
            "lastHeartbeatTime": now.json, "lastTransitionTime": now.json,
        ]
        var metadata = ObjectMeta(name: name)
        metadata.labels = [
            "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "node-role.kubernetes.io/worker": "",
        ]
        return KubeObject(
            apiVersion: "v1", kind: "Node", metadata: metadata,
            fields: [
                "spec": ["podCIDR": .string("10.244.\(index).0/24")],
                "status": [
                    "capacity": resources, "allocatable": resources, "conditions": [ready],
                    "addresses": [
                        ["type": "InternalIP", "address": .string("10.0.0.\(index + 10)")], ["type": "Hostname", "address": .string(name)],
                    ],
                    "nodeInfo": [
                        "kubeletVersion": "v1.31.0", "operatingSystem": "linux", "architecture": "amd64",
                        "containerRuntimeVersion": "containerd://1.7.22",
                    ],
                ],
            ])
    }

    /// The built-in roles aggregated API servers are bound to, as kube-apiserver creates them at
    /// start-up, so the escalation check of a binding to them is real.
    static let bootstrapRoles: [(ResourceType, KubeObject)] = [
        (
            .clusterRoles,
            KubeObject(
                apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole",
                metadata: ObjectMeta(name: "system:auth-delegator", labels: ["kubernetes.io/bootstrapping": "rbac-defaults"]),
                fields: [
                    "rules": [
                        ["apiGroups": ["authentication.k8s.io"], "resources": ["tokenreviews"], "verbs": ["create"]],
                        ["apiGroups": ["authorization.k8s.io"], "resources": ["subjectaccessreviews"], "verbs": ["create"]],
                    ]
                ])
        ),
        (
            .roles,
            KubeObject(
                apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role",
                metadata: ObjectMeta(
                    name: "extension-apiserver-authentication-reader", namespace: "kube-system", labels: ["kubernetes.io/bootstrapping": "rbac-defaults"]),
                fields: [
                    "rules": [
                        [
                            "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["extension-apiserver-authentication"],
                            "verbs": ["get", "list", "watch"],
                        ]
                    ]
                ])
        ),
    ]
}
