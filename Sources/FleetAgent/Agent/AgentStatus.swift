import Foundation

/// A read-only snapshot of what the agent is doing, for tests, the demo and logs.
public struct AgentStatus: Sendable, Hashable {
    /// How the policy being reconciled reached the agent.
    public enum PolicySource: String, Sendable, Hashable {
        /// Read from `desired.json` at start.
        case cached
        /// Answered by the hub to the desired-state long poll.
        case longPoll
    }

    /// Where the agent is in its life; the cluster is touched only in `reconciling`.
    public enum Phase: String, Sendable, Hashable {
        /// No certificate yet: sending the bootstrap token's CSR to the hub.
        case enrolling
        /// Enrolled, but no desired state from the hub or from `desired.json` yet: nothing is read from or
        /// written to the cluster, so an agent that never hears from its hub changes nothing.
        case waitingForDesiredState
        /// Holds a desired state: the operator, the apply loop, the drift watch and reports run.
        case reconciling
    }

    /// Where the agent is in its life.
    public var phase = Phase.enrolling
    /// `cluster/NAME` once the agent holds a certificate.
    public var identity: String?
    /// Serial (lowercase hex) of the certificate in use.
    public var certificateSerial: String?
    /// When the certificate in use expires.
    public var certificateNotAfter: Date?
    /// Certificates renewed since start.
    public var renewals = 0
    /// Generation of the newest policy the agent holds.
    public var desiredGeneration: Int64 = 0
    /// Generation of the policy last written into the cluster successfully.
    public var appliedGeneration: Int64 = 0
    /// Policy applies that succeeded since start (including resyncs).
    public var applies = 0
    /// How the policy being reconciled arrived; nil before any.
    public var policySource: PolicySource?
    /// Sequence of the newest report the hub acknowledged.
    public var lastAckedSequence: Int64?
    /// Sequence of the newest report queued; delivery has caught up once `lastAckedSequence` reaches it.
    public var lastQueuedSequence: Int64?
    /// Reports queued and not yet acknowledged.
    public var queueLength = 0
    /// The hub URL calls go to now (with several replicas, the one the agent failed over to last).
    public var hub: String?
    /// The newest failure, cleared when the same activity next succeeds.
    public var lastError: String?

    /// An agent that has done nothing yet.
    public init() {}
}
