import FleetModel
import FleetPKI
import Foundation
import KubeClient
import Logging
import RegistryModel
import RegistryOperator

/// The per-cluster agent: enrolls with the hub once, then keeps the cluster on the hub's policy and tells the hub
/// how the registry is doing.
///
/// Nothing touches the cluster until the agent holds a desired state, from the hub after enrollment or from
/// `desired.json` written after an earlier sync: an agent with a refused token, or one that never reaches its
/// hub, leaves the cluster exactly as it found it (`AgentStatus.Phase.waitingForDesiredState`).
///
/// `run()` works until it is cancelled or `stop()` is called, in concurrent loops:
/// - **apply**: writes the cached policy into Config/ImagePruner at start, on every new policy, on every drift
///   the watch sees and every `resyncInterval`, then triggers the operator; works without the hub.
/// - **drift watch**: watches Config/cluster and ImagePruner/cluster and wakes the apply loop within moments
///   when either is deleted or its hub-owned fields are edited by hand.
/// - **operator**: the RegistryOperator's controller on the same cluster; when it bootstraps a missing Config/cluster or
///   ImagePruner/cluster, the object carries the held policy (`HeldPolicyBootstrap`).
/// - **heartbeat**: queues a report every `reportInterval`; while the cluster's API server is unreachable the
///   report says so instead of going missing.
/// - **pass reports**: queues a report when the operator's pass after a new policy has finished, and after any
///   pass that changed what the hub sees (conditions, readiness), so changes are confirmed without waiting for
///   the heartbeat.
/// - **delivery**: sends queued reports oldest first until the hub acknowledges them.
/// - **long poll**: holds `GET /v1/agent/desired` open and caches each newer policy in `desired.json`.
/// - **renewal**: renews the certificate once `renewalFraction` of its life has passed.
/// Hub failures are retried with exponential backoff and jitter; 401/403 are logged as errors naming the
/// likely cause (revoked certificate, deleted cluster) and retried the same way.
public actor FleetAgent {
    /// What the agent was started with.
    public nonisolated let configuration: AgentConfiguration
    /// Logs with `cluster` metadata.
    let logger: Logger
    /// The files in the state directory.
    let state: AgentState
    /// The RegistryOperator running on the same cluster.
    let operatorController: OperatorController
    /// Writes the policy into Config/ImagePruner.
    let applier: PolicyApplier
    /// The cluster's API, watched for drift.
    let kubernetes: any KubernetesAPI
    /// The API the operator uses: bootstraps of Config/ImagePruner carry the held policy.
    let bootstrap: HeldPolicyBootstrap
    /// Observes the registry for reports.
    let reportBuilder: ReportBuilder
    /// Wakes the apply loop (new or cached policy).
    let applyWake = WakeSignal()
    /// Wakes delivery when a report was queued.
    let deliveryWake = WakeSignal()
    /// Ends `run()` when `stop()` is called.
    let stopWake = WakeSignal()
    /// Wakes the cluster loops' start when the first desired state is held.
    let desiredStateWake = WakeSignal()

    /// What `status` shows.
    var current = AgentStatus()
    /// Unresolved failures per activity, for the status and backoff.
    var failures = ActivityFailures()
    /// The report queue while running.
    var queue: ReportQueue?
    /// The certificate and key in use, once enrolled.
    var credential: FleetCredential?
    /// The mutual-TLS client for the current credential.
    var client: HubClient?
    /// Increments whenever `client` is replaced, so a request that failed because of the swap is retried at once.
    var clientGeneration = 0
    /// The CA from `--ca-file` that verifies the hub.
    var caCertificatePEM = ""
    /// The newest policy held (cached or from the hub).
    var desired: PolicyDocument?
    /// Set once a new generation has been applied and its report queued.
    var reportedGeneration: Int64 = -1
    /// The newest report made from a successful observation, resent (marked) while the API server is unreachable.
    var lastObservation: AgentReport?
    /// When the current cluster API outage began; nil while the API server answers.
    var clusterAPIUnreachableSince: Date?
    /// Set by the drift watch; the next apply is a repair and is followed by a report.
    var driftNoticed = false
    /// Set after a write of the policy: the operator pass numbered above this is followed by a report.
    var confirmAfterPass: Int?
    /// The newest report queued, to tell whether a pass changed anything the hub sees.
    var lastQueuedReport: AgentReport?
    /// The operator passes finished so far.
    let passes: OperatorPasses
    /// The hub replicas and the one in use; every client of this agent shares it.
    let hubEndpoints: HubEndpoints

    /// An agent for the cluster behind `kubernetes`; nothing happens until `run()`.
    public init(configuration: AgentConfiguration, kubernetes: any KubernetesAPI, logger: Logger) {
        var logger = logger
        logger[metadataKey: "cluster"] = .string(configuration.cluster)
        self.configuration = configuration
        self.logger = logger
        self.kubernetes = kubernetes
        state = AgentState(directory: configuration.stateDirectory)
        hubEndpoints = HubEndpoints(configuration.hubURLs.isEmpty ? [configuration.hubURL] : configuration.hubURLs)
        bootstrap = HeldPolicyBootstrap()
        let passes = OperatorPasses()
        self.passes = passes
        operatorController = OperatorController(
            api: kubernetes, clock: configuration.clock, options: configuration.operatorOptions, logger: logger, bootstrapSource: bootstrap,
            passFinished: { passes.finished($0) })
        applier = PolicyApplier(api: kubernetes, logger: logger)
        reportBuilder = ReportBuilder(api: kubernetes, clock: configuration.clock, agentVersion: configuration.agentVersion)
    }

    /// What the agent is doing now.
    public var status: AgentStatus {
        var snapshot = current
        snapshot.lastError = failures.latest
        snapshot.hub = hubEndpoints.current
        // The cluster loops start as soon as a desired state is held, so the phase follows from what is held.
        snapshot.phase = credential == nil ? .enrolling : desired == nil ? .waitingForDesiredState : .reconciling
        return snapshot
    }

    /// Asks `run()` to finish: every loop stops, the hub connections close and the queue file is closed.
    public nonisolated func stop() {
        stopWake.signal()
    }

    /// Runs until cancelled or stopped. Throws at once, before any network traffic, for an invalid configuration,
    /// an unreadable CA file or state directory, or a missing bootstrap token when there is no certificate yet;
    /// throws `enrollmentRefused` when the hub refuses the token. Never throws because the hub is unreachable.
    public func run() async throws(AgentError) {
        try configuration.validate()
        guard let ca = try StateFile.readText(configuration.caFile) else {
            throw AgentError(code: .invalidConfiguration, message: "the CA file \(configuration.caFile) does not exist", field: "ca-file")
        }
        caCertificatePEM = ca
        try state.prepare()
        let loaded = try state.loadCredential()
        if let loaded, loaded.identity != .cluster(configuration.cluster) {
            throw AgentError(
                code: .invalidConfiguration,
                message: "the certificate in \(configuration.stateDirectory) is for \(loaded.identity), not cluster/\(configuration.cluster)",
                field: "cluster")
        }
        let token = loaded == nil ? try configuration.resolveBootstrapToken() : nil
        let queue = try ReportQueue(path: state.queuePath, limit: configuration.reportQueueLimit)
        self.queue = queue
        if let loaded { adopt(loaded) }
        loadCachedPolicy()
        if desired == nil { logger.info("waiting for the desired state from the hub before touching the cluster") }
        current.queueLength = (try? await queue.count()) ?? 0
        logger.info(
            "agent starting",
            metadata: [
                "hub": "\(configuration.hubURL)", "enrolled": "\(loaded != nil)", "cachedGeneration": "\(desired?.generation ?? 0)",
                "queued": "\(current.queueLength)",
            ])
        let outcome = await runLoops(enrollmentToken: token)
        await shutdown(queue)
        if case .failure(let error) = outcome { throw error }
    }

    /// The loops of a running agent; returns when stopped or cancelled, or with the error that ended enrollment.
    private func runLoops(enrollmentToken: String?) async -> Result<Void, AgentError> {
        await withTaskGroup(of: Result<Void, AgentError>?.self) { group in
            group.addTask {
                while !Task.isCancelled, !(await self.stopWake.wait(timeout: 3600, on: self.configuration.clock)) {}
                return nil
            }
            group.addTask {
                guard await self.awaitDesiredState() else { return nil }
                await self.clusterLoops()
                return nil
            }
            group.addTask {
                do throws(AgentError) {
                    try await self.hubSession(enrollmentToken: enrollmentToken)
                    return nil
                } catch {
                    return .failure(error)
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            for await _ in group {}
            return first ?? .success(())
        }
    }

    /// True once a desired state is held; false when cancelled first.
    private func awaitDesiredState() async -> Bool {
        while desired == nil {
            _ = await desiredStateWake.wait(timeout: 3600, on: configuration.clock)
            if Task.isCancelled { return false }
        }
        return true
    }

    /// The loops that read and write the cluster; they start only once a desired state is held.
    private func clusterLoops() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.operatorController.run() }
            group.addTask { await self.applyLoop() }
            group.addTask { await self.heartbeatLoop() }
            group.addTask { await self.passReportLoop() }
            for resource in [ResourceType.configs, .imagePruners] {
                group.addTask { await self.driftWatchLoop(resource) }
            }
            await group.waitForAll()
        }
    }

    /// Closes what `run()` opened.
    private func shutdown(_ queue: ReportQueue) async {
        if let client {
            await client.shutdown()
            self.client = nil
        }
        do {
            try queue.close()
        } catch {
            logger.warning("closing the report queue failed", metadata: ["error": "\(error)"])
        }
        self.queue = nil
        logger.info("agent stopped", metadata: ["appliedGeneration": "\(current.appliedGeneration)", "queued": "\(current.queueLength)"])
    }

    /// Makes `credential` the one in use and shows it in the status.
    func adopt(_ credential: FleetCredential) {
        self.credential = credential
        current.identity = credential.identity.description
        current.certificateSerial = credential.certificate.serialHex
        current.certificateNotAfter = credential.certificate.notAfter
    }

    /// Reads `desired.json`; an unreadable cache is logged and ignored (the hub sends the policy again).
    private func loadCachedPolicy() {
        do {
            guard let cached = try state.loadDesired() else { return }
            guard cached.cluster == configuration.cluster else {
                logger.warning("ignoring a cached policy for another cluster", metadata: ["policyCluster": "\(cached.cluster)"])
                return
            }
            desired = cached
            bootstrap.hold(cached.policy)
            current.desiredGeneration = cached.generation
            current.policySource = .cached
            applyWake.signal()
        } catch {
            logger.warning("ignoring the cached policy", metadata: ["error": "\(error)"])
        }
    }

    /// The delay before retry number `attempt`: exponential from `retryBaseDelay`, capped, with full jitter.
    func backoff(_ attempt: Int) -> TimeInterval {
        Backoff.delay(attempt: attempt, base: configuration.retryBaseDelay, cap: configuration.retryMaxDelay)
    }
}
