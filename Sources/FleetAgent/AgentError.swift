/// A failure of the fleet agent: bad configuration, a refused enrollment, a hub that rejects or cannot be
/// reached, unusable local state, or a policy that cannot be applied.
///
/// Equality compares `code` only, so callers and tests can match `AgentError.Code.notAuthorized` whatever the
/// message.
public struct AgentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable category of the failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case invalidConfiguration, enrollmentRefused, notAuthorized, hubRejected, hubUnavailable, invalidResponse, state,
                invalidPolicy, kubernetes, clusterAPIUnreachable
        }
        fileprivate let base: Base
        /// The code's name, e.g. `notAuthorized`.
        public var description: String { base.rawValue }

        /// A flag or configuration field is missing, malformed or contradicts another; `field` names it.
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// The hub refused the bootstrap token (unknown, used, expired or for another cluster): retrying cannot help.
        public static let enrollmentRefused = Code(base: .enrollmentRefused)
        /// The hub answered 401/403: the certificate was revoked or the cluster deleted from the hub.
        public static let notAuthorized = Code(base: .notAuthorized)
        /// The hub answered another 4xx, with its error body.
        public static let hubRejected = Code(base: .hubRejected)
        /// The hub could not be reached, timed out or answered 5xx: retry with backoff.
        public static let hubUnavailable = Code(base: .hubUnavailable)
        /// The hub answered something the agent cannot use (bad JSON, a certificate for another key or cluster).
        public static let invalidResponse = Code(base: .invalidResponse)
        /// A file or the report queue in the state directory cannot be read or written.
        public static let state = Code(base: .state)
        /// A policy document fails validation; nothing was written.
        public static let invalidPolicy = Code(base: .invalidPolicy)
        /// A Kubernetes API call failed while applying a policy or observing the cluster.
        public static let kubernetes = Code(base: .kubernetes)
        /// The cluster's API server cannot be reached or does not answer in time: the agent reports the outage.
        public static let clusterAPIUnreachable = Code(base: .clusterAPIUnreachable)
    }

    /// What went wrong, as a category.
    public var code: Code
    /// A sentence naming the value, file or endpoint at fault.
    public var message: String
    /// The configuration flag or policy field at fault, when one is.
    public var field: String?
    /// The HTTP status the hub answered, when it answered.
    public var status: Int?

    /// Creates an error; `message` should name what is at fault.
    public init(code: Code, message: String, field: String? = nil, status: Int? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.status = status
    }

    /// Compares codes only.
    public static func == (lhs: AgentError, rhs: AgentError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `field: message` when a field is at fault, else the message.
    public var description: String { field.map { "\($0): \(message)" } ?? message }

    /// True when waiting and trying again may succeed (the hub is down, or refuses us for now).
    public var isRetryable: Bool { [.hubUnavailable, .notAuthorized, .hubRejected, .kubernetes, .clusterAPIUnreachable].contains(code) }
}
