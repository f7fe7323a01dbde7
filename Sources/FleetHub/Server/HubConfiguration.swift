import FleetStore
import Foundation
import NIOCore

/// Everything the hub needs to run, from flags or a config file.
public struct HubConfiguration: Sendable {
    /// Address of the mutual-TLS API listener; port 0 picks a free port.
    public var host: String
    public var port: Int
    /// Where the state lives: a SQLite file (one hub) or a PostgreSQL database (replicas).
    public var database: StoreLocation
    /// The SQLite file, or the database URL without its password.
    public var databasePath: String { database.description }
    /// How long the replica running the rollout engine holds its lease; another replica takes
    /// over at most this long after it dies. Renewed every tick (every second).
    public var rolloutLeaseDuration: TimeInterval
    /// This process's name among the replicas, in logs and as the lease holder.
    public var replicaID: String
    /// Directory written by `regfleet pki init` (ca.crt, ca.key, hub.crt, hub.key).
    public var pkiDirectory: String
    /// A cluster with no report for this long is Offline.
    public var lease: TimeInterval
    /// How long an agent's desired-state long poll is held before 304.
    public var longPollTimeout: Duration
    /// Bootstrap tokens live this long unless the request says otherwise (and at most `maxTokenTTL`).
    public var defaultTokenTTL: TimeInterval
    public var maxTokenTTL: TimeInterval
    /// Lifetime of agent certificates; agents renew at 80 %.
    public var agentCertificateLifetime: TimeInterval
    /// Body limits.
    public var reportBodyLimit: Int
    public var adminBodyLimit: Int
    /// Optional second listener without client certificates for the dashboard and the read-only
    /// health API; nil disables it. Bound to loopback unless the operator chooses otherwise.
    public var dashboardHost: String?
    public var dashboardPort: Int?
    /// How long a graceful stop waits for idle TLS peers.
    public var tlsShutdownTimeout: TimeAmount
    /// Per-connection time limits and the connection cap, on both listeners.
    public var connectionLimits: ConnectionLimits
    /// How often the fleet policy controller compares every cluster with what the fleet policies call for
    /// when nothing told it to (a change on another replica, a window opening); changes on this replica are
    /// looked at on the next tick.
    public var fleetPolicyResync: TimeInterval = 10

    public init(
        host: String = "127.0.0.1", port: Int = 8443, databasePath: String, pkiDirectory: String, lease: TimeInterval = 60,
        longPollTimeout: Duration = .seconds(30), defaultTokenTTL: TimeInterval = 3600, maxTokenTTL: TimeInterval = 7 * 86400,
        agentCertificateLifetime: TimeInterval = 7 * 86400, reportBodyLimit: Int = 256 * 1024, adminBodyLimit: Int = 64 * 1024,
        dashboardHost: String? = nil, dashboardPort: Int? = nil, tlsShutdownTimeout: TimeAmount = .seconds(5),
        connectionLimits: ConnectionLimits = ConnectionLimits(), database: StoreLocation? = nil, rolloutLeaseDuration: TimeInterval = 15,
        replicaID: String = HubConfiguration.defaultReplicaID()
    ) {
        self.database = database ?? .sqlite(path: databasePath)
        self.rolloutLeaseDuration = rolloutLeaseDuration
        self.replicaID = replicaID
        self.connectionLimits = connectionLimits
        self.host = host
        self.port = port
        self.pkiDirectory = pkiDirectory
        self.lease = lease
        self.longPollTimeout = longPollTimeout
        self.defaultTokenTTL = defaultTokenTTL
        self.maxTokenTTL = maxTokenTTL
        self.agentCertificateLifetime = agentCertificateLifetime
        self.reportBodyLimit = reportBodyLimit
        self.adminBodyLimit = adminBodyLimit
        self.dashboardHost = dashboardHost
        self.dashboardPort = dashboardPort
        self.tlsShutdownTimeout = tlsShutdownTimeout
    }

    /// `HOSTNAME-PID-RANDOM`: unique per process, readable in logs (the pod name in a cluster).
    public static func defaultReplicaID() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(4).lowercased())"
    }
}
