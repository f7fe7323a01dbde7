import Foundation

/// What one agent process of `regfleet bench fleet` runs: which clusters, against which hub, how fast its
/// simulated clusters move. Written by the benchmark as JSON and read by the hidden `bench fleet-agents`.
public struct AgentSwarmPlan: Codable, Sendable {
    /// One cluster: its name, labels (also in its token) and single-use bootstrap token.
    public struct Member: Codable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var token: String

        public init(name: String, labels: [String: String], token: String) {
            self.name = name
            self.labels = labels
            self.token = token
        }
    }

    /// `https://127.0.0.1:PORT` of the hub.
    public var hubURL: String
    /// The fleet CA that verifies the hub.
    public var caFile: String
    /// Each agent's state directory is `stateRoot/NAME`.
    public var stateRoot: String
    /// Heartbeat of every agent.
    public var reportIntervalSeconds: Double
    /// Time for a simulated pod to become ready.
    public var podReadyDelayMilliseconds: Int
    /// Controller tick of each simulated cluster.
    public var controllerTickMilliseconds: Int
    /// Agents started at once while enrolling (each makes a key and a CSR).
    public var startConcurrency: Int
    public var members: [Member]

    public init(
        hubURL: String, caFile: String, stateRoot: String, reportIntervalSeconds: Double, podReadyDelayMilliseconds: Int,
        controllerTickMilliseconds: Int, startConcurrency: Int, members: [Member]
    ) {
        self.hubURL = hubURL
        self.caFile = caFile
        self.stateRoot = stateRoot
        self.reportIntervalSeconds = reportIntervalSeconds
        self.podReadyDelayMilliseconds = podReadyDelayMilliseconds
        self.controllerTickMilliseconds = controllerTickMilliseconds
        self.startConcurrency = startConcurrency
        self.members = members
    }
}
