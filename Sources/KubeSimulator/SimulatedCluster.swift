import Foundation
import KubeClient
import Logging
import RegistryModel

/// An in-memory Kubernetes API server with simulated controllers: the `KubernetesAPI` the demo,
/// the benchmarks and the operator's and agent's tests run against.
///
/// The API follows a real API server's semantics (see the KubeSimulator documentation for what
/// is and is not modelled). The controllers (deployments, daemon sets, jobs, cron jobs, scheduler,
/// kubelet, API services, volume binding, namespaces, garbage collection) act on the injected
/// clock: tests drive them with `ManualWallClock` and `step()`, live use with
/// `startControllers()`. Faults (image pull errors, NotReady nodes, API errors, latency, failing
/// Jobs, dropped watches) can be switched on at any time.
public actor SimulatedCluster: KubernetesAPI {
    /// The cluster's name, used in logs.
    public nonisolated let name: String
    /// The source of every timestamp and controller time.
    let clock: any WallClock
    /// How the cluster was built.
    let options: SimulationOptions
    /// Logs with the cluster name as metadata.
    let logger: Logger
    /// The simulated API server and its storage.
    var server: APIServer
    /// The faults in force.
    var faults: FaultInjection
    /// Client requests received, by verb.
    var requestCounts: [APIVerb: Int] = [:]
    /// What the controllers remember between rounds.
    var controllerState = ControllerState()
    /// The live controller loop, while running.
    var controllerTask: Task<Void, Never>?
    /// The embedder's job runner, if any.
    var jobRunner: JobRunner?
    /// Job runner tasks in flight, by Job uid.
    var runningJobs: [String: Task<Void, Never>] = [:]

    /// Builds a cluster with the bootstrap namespaces (`default`, `kube-system`) and
    /// `options.nodeCount` Ready worker nodes.
    public init(
        name: String, clock: any WallClock = SystemWallClock(), options: SimulationOptions = SimulationOptions(),
        logger: Logger = Logger(label: "regfleet.kube-simulator")
    ) {
        self.name = name
        self.clock = clock
        self.options = options
        var logger = logger
        logger[metadataKey: "cluster"] = .string(name)
        self.logger = logger
        let seed = options.seed ?? FNV1a.hash64(name)
        server = APIServer(options: options, seed: seed, now: clock.now())
        faults = FaultInjection(random: SeededRandom(seed: seed ^ 0x5EED_FA17))
    }

    deinit {
        controllerTask?.cancel()
        for task in runningJobs.values { task.cancel() }
    }

    // MARK: Introspection

    /// Client requests of the given verbs received so far, including ones that failed or changed
    /// nothing: a reconcile with nothing to do should add zero mutating requests.
    public func requestCount(_ verbs: Set<APIVerb> = APIVerb.mutating) -> Int {
        verbs.reduce(0) { $0 + (requestCounts[$1] ?? 0) }
    }

    /// Client create/update/updateStatus/patch/delete requests received so far.
    public var mutatingRequestCount: Int { requestCount(APIVerb.mutating) }

    /// Starts counting requests from zero.
    public func resetRequestCounts() { requestCounts = [:] }

    /// Objects stored, of one resource or of all; with a namespace, only namespaced objects in it.
    public func objectCount(_ resource: ResourceType? = nil, namespace: String? = nil) -> Int {
        let resources = (resource.map { [$0] } ?? ResourceType.all).filter { namespace == nil || $0.namespaced }
        return resources.reduce(0) { $0 + server.store.count($1, namespace: namespace) }
    }

    /// The stored object, read without latency, injected errors or request counting.
    public func storedObject(_ resource: ResourceType, namespace: String? = nil, name: String) -> KubeObject? {
        server.store.object(resource, server.key(resource, namespace, name))
    }

    /// The stored objects of a resource in list order, read like `storedObject`.
    public func storedObjects(_ resource: ResourceType, namespace: String? = nil) -> [KubeObject] {
        server.store.items(resource, namespace: resource.namespaced ? namespace : nil)
    }

    /// The cluster's current resourceVersion.
    public var resourceVersion: String { String(server.store.revision) }

    /// Watches currently open.
    public var openWatchCount: Int { server.store.watches.watchers.count }
}
