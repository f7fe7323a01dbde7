import Foundation
import KubeClient
import Logging
import RegistryModel

/// Runs the reconciler like a controller-runtime manager: every watched change, every requested
/// requeue and the periodic resync trigger one level-based pass. Triggers that arrive while a
/// pass runs are coalesced into one more pass.
public actor OperatorController {
    let reconciler: RegistryReconciler
    let api: any KubernetesAPI
    let options: OperatorOptions
    let logger: Logger
    private let triggers: AsyncStream<Void>
    private let triggerContinuation: AsyncStream<Void>.Continuation
    private var timer: Task<Void, Never>?
    private var consecutiveFailures = 0
    /// The most recent pass's result.
    public private(set) var lastResult: ReconcileResult?
    /// The most recent pass's failure, when it threw.
    public private(set) var lastError: String?
    /// Passes started so far; a pass is numbered by this count at its start.
    public private(set) var passes = 0
    /// Told the number of each pass as it finishes (successfully or not).
    private let passFinished: (@Sendable (Int) -> Void)?

    /// `bootstrapSource` supplies the spec of a singleton the operator re-creates (see
    /// `BootstrapSpecSource`); nil keeps upstream's defaults. `passFinished` is called with each pass's number
    /// once the pass has written its status: a pass numbered above `passes` as read after a write has seen that
    /// write, which is how the fleet agent knows when the conditions a new policy leads to are on the cluster.
    public init(
        api: any KubernetesAPI, clock: any WallClock = SystemWallClock(), options: OperatorOptions = OperatorOptions(), logger: Logger,
        bootstrapSource: (any BootstrapSpecSource)? = nil, passFinished: (@Sendable (Int) -> Void)? = nil
    ) {
        self.api = api
        self.passFinished = passFinished
        self.options = options
        self.logger = logger
        reconciler = RegistryReconciler(api: api, clock: clock, options: options, logger: logger, bootstrapSource: bootstrapSource)
        (triggers, triggerContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass soon (coalesced with any pending request).
    public nonisolated func trigger() {
        triggerContinuation.yield()
    }

    /// Runs until the surrounding task is cancelled.
    public func run() async {
        trigger()
        await withTaskGroup(of: Void.self) { group in
            for watch in Self.watches {
                group.addTask { await self.watchLoop(watch) }
            }
            group.addTask { await self.reconcileLoop() }
            await group.next()
            group.cancelAll()
        }
        timer?.cancel()
    }

    private func reconcileLoop() async {
        for await _ in triggers {
            if Task.isCancelled { break }
            let delay = await runPass()
            schedule(after: delay)
        }
    }

    /// One pass; returns when to look again.
    private func runPass() async -> TimeInterval {
        passes += 1
        let number = passes
        defer { passFinished?(number) }
        do {
            let result = try await reconciler.reconcile()
            lastResult = result
            lastError = nil
            consecutiveFailures = 0
            return result.requeueAfter ?? options.resyncInterval
        } catch {
            consecutiveFailures += 1
            lastError = "\(error)"
            let delay = Backoff.delay(attempt: consecutiveFailures, base: 0.2, cap: 30)
            let metadata: Logger.Metadata = ["error": "\(error)", "retryIn": "\(String(format: "%.1f", delay))s", "failures": "\(consecutiveFailures)"]
            if Self.isRoutineConflict(error, failures: consecutiveFailures) {
                logger.debug("reconcile lost a race with another writer; retrying", metadata: metadata)
            } else {
                logger.warning("reconcile failed", metadata: metadata)
            }
            return delay
        }
    }

    /// A 409 Conflict is what optimistic concurrency is for: the next pass reads afresh and
    /// usually succeeds, so it is a warning only when it keeps happening.
    static func isRoutineConflict(_ error: any Error, failures: Int) -> Bool {
        guard let kubeError = error as? KubeError, kubeError.code == .conflict else { return false }
        return failures < 3
    }

    private func schedule(after seconds: TimeInterval) {
        timer?.cancel()
        let continuation = triggerContinuation
        timer = Task {
            try? await Task.sleep(for: .milliseconds(Int64(max(seconds, 0.01) * 1000)))
            if !Task.isCancelled { continuation.yield() }
        }
    }

    /// What the controller watches: the two custom resources, and the kinds it owns (cluster-scoped
    /// ones filtered to the operator's label).
    struct Watch: Sendable {
        var resource: ResourceType
        var namespace: String?
        var selector: LabelSelector?
    }

    static let watches: [Watch] = {
        let owned = LabelSelector(matchLabels: [RegistryNames.managedByLabel: RegistryNames.managedByValue])
        let namespaced: [ResourceType] = [
            .deployments, .daemonSets, .services, .serviceAccounts, .configMaps, .secrets, .cronJobs, .jobs, .persistentVolumeClaims,
            .podDisruptionBudgets, .roles, .roleBindings,
        ]
        return [Watch(resource: .configs), Watch(resource: .imagePruners), Watch(resource: .namespaces, selector: nil)]
            + namespaced.map { Watch(resource: $0, namespace: RegistryNames.namespace) }
            + [.apiServices, .clusterRoles, .clusterRoleBindings].map { Watch(resource: $0, selector: owned) }
            + [Watch(resource: .roleBindings, namespace: ImageAPIDelegation.authReaderNamespace, selector: owned)]
    }()

    /// Watches one kind forever, resuming from the last version seen after a dropped stream and
    /// starting over (which replays current objects) after 410 Gone.
    private func watchLoop(_ watch: Watch) async {
        var version: String?
        var failures = 0
        while !Task.isCancelled {
            do {
                let stream = try await api.watch(watch.resource, namespace: watch.namespace, options: WatchOptions(resourceVersion: version, labelSelector: watch.selector))
                for try await event in stream {
                    failures = 0
                    version = event.object.metadata.resourceVersion ?? version
                    trigger()
                }
            } catch let error as KubeError where error.code == .gone {
                version = nil
                trigger()
            } catch {
                if Task.isCancelled { return }
                failures += 1
                logger.debug("watch failed", metadata: ["resource": "\(watch.resource)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(Int64(Backoff.delay(attempt: failures, base: 0.2, cap: 10) * 1000)))
            }
        }
    }
}
