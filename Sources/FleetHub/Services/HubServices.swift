import FleetPKI
import FleetStore
import Foundation
import Logging
import RegistryModel
import Synchronization

/// The hub's state and its operations, shared by every route: the store, the CA, the long-poll
/// notifier, the clock and the configuration. Routes translate HTTP to these calls and back.
public final class HubServices: Sendable {
    public let configuration: HubConfiguration
    public let store: FleetStore
    public let authority: CertificateAuthority
    public let notifier: PolicyNotifier
    /// The last requests answered on the API listener.
    public let recentRequests = RecentRequests()
    public let clock: any WallClock
    public let logger: Logger
    public let metrics: HubMetrics
    /// Connection accounting of the mutual-TLS API listener and of the dashboard listener.
    public let apiConnections: ConnectionGovernor
    public let dashboardConnections: ConnectionGovernor
    /// Moves on every change the fleet policy controller must look at (a fleet policy, a freeze, labels), so
    /// its next tick does instead of waiting for its resync.
    let fleetPolicyChanges = Atomic<Int>(0)
    /// Renewed certificates whose predecessors are revoked on first use.
    let renewals = RenewalLedger()
    /// Clusters deleted from the hub; their agents may no longer connect even with an unrevoked
    /// certificate. Loaded at start, updated on delete and re-enrollment.
    private let deletedClusters: Mutex<Set<String>>

    /// Opens the store and loads the CA from the configuration.
    public static func open(configuration: HubConfiguration, clock: any WallClock = SystemWallClock(), logger: Logger) async throws -> HubServices {
        let pki = PKIDirectory(path: configuration.pkiDirectory)
        let authority = try pki.loadCertificateAuthority()
        let store = try await FleetStore.open(configuration.database, clock: clock, logger: logger)
        return try await HubServices(configuration: configuration, store: store, authority: authority, clock: clock, logger: logger)
    }

    public init(configuration: HubConfiguration, store: FleetStore, authority: CertificateAuthority, clock: any WallClock, logger: Logger) async throws {
        self.configuration = configuration
        self.store = store
        self.authority = authority
        self.clock = clock
        self.logger = logger
        notifier = PolicyNotifier()
        metrics = HubMetrics()
        apiConnections = ConnectionGovernor(limits: configuration.connectionLimits, metrics: metrics, logger: logger)
        dashboardConnections = ConnectionGovernor(limits: configuration.connectionLimits, metrics: metrics, logger: logger)
        deletedClusters = Mutex([])
        // Subscribe before loading, so a change committed meanwhile is seen at least once.
        let events = store.events()
        try await reloadClusterState()
        Task { [weak self] in
            for await event in events {
                guard let self else { return }
                await self.apply(event)
            }
        }
    }

    /// Acts on a committed change, from this replica or another: wakes the cluster's long polls,
    /// refuses a deleted cluster's agents (revoked serials the store itself keeps).
    func apply(_ event: StoreEvent) async {
        switch event {
        case .policyChanged(let cluster, let generation):
            notifier.publish(cluster: cluster, generation: generation)
        case .clusterDeleted(let cluster):
            markDeleted(cluster, true)
        case .clusterEnrolled(let cluster):
            markDeleted(cluster, false)
        case .serialsRevoked:
            break
        case .resynchronize:
            do {
                try await reloadClusterState()
            } catch {
                logger.error("reloading the fleet after a lost notification channel failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Reads which clusters are deleted and every cluster's policy generation, for a start or
    /// after notifications may have been missed.
    private func reloadClusterState() async throws {
        let all = try await store.clusters(includeDeleted: true)
        deletedClusters.withLock { $0 = Set(all.filter { !$0.isActive }.map(\.name)) }
        for cluster in all where cluster.isActive {
            notifier.publish(cluster: cluster.name, generation: cluster.policyGeneration)
        }
    }

    /// True when the cluster was deleted from the hub (and not enrolled again).
    public func isDeleted(cluster: String) -> Bool {
        deletedClusters.withLock { $0.contains(cluster) }
    }

    func markDeleted(_ cluster: String, _ deleted: Bool) {
        deletedClusters.withLock { set in
            if deleted { set.insert(cluster) } else { set.remove(cluster) }
        }
    }

    /// Flushes pending reports and closes the database.
    public func close() async {
        do {
            try await store.close()
        } catch {
            logger.error("closing the store failed", metadata: ["error": "\(error)"])
        }
    }
}
