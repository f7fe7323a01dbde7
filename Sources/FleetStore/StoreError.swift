/// A failed store operation, with a stable code the hub maps to an HTTP status.
///
/// Equality compares `code` only, so callers and tests can match `StoreError.Code.conflict`
/// whatever the message.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable category of the failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case notFound, conflict, tokenUnknown, tokenExpired, tokenUsed, tokenWrongCluster, alreadyExists, closed, database, unavailable, invalidLocation
        }
        fileprivate let base: Base
        public var description: String { base.rawValue }

        /// The cluster (or other row) does not exist or is deleted.
        public static let notFound = Code(base: .notFound)
        /// The caller's expected generation is stale; nothing was written.
        public static let conflict = Code(base: .conflict)
        /// No bootstrap token has this secret.
        public static let tokenUnknown = Code(base: .tokenUnknown)
        /// The bootstrap token's lifetime is over.
        public static let tokenExpired = Code(base: .tokenExpired)
        /// The bootstrap token was consumed before.
        public static let tokenUsed = Code(base: .tokenUsed)
        /// The bootstrap token was issued for a different cluster name.
        public static let tokenWrongCluster = Code(base: .tokenWrongCluster)
        /// The row to create is already there (an enrolled cluster, a recorded serial).
        public static let alreadyExists = Code(base: .alreadyExists)
        /// The store was closed; nothing more is accepted.
        public static let closed = Code(base: .closed)
        /// The database failed (I/O, busy, corruption, a constraint); the operation did not commit.
        public static let database = Code(base: .database)
        /// The database cannot be reached right now (PostgreSQL down, connection lost); the
        /// operation did not commit and may be retried. The hub answers 503, not 500.
        public static let unavailable = Code(base: .unavailable)
        /// The database location (a path or URL) is malformed.
        public static let invalidLocation = Code(base: .invalidLocation)
    }

    /// What went wrong, in categories callers can switch on.
    public var code: Code
    /// A human sentence naming the cluster or field concerned.
    public var message: String
    /// The cluster the operation was about, when there is one.
    public var cluster: String?
    /// The input field at fault, when one is (`generation`, `token`, `cluster`).
    public var field: String?

    /// Creates an error; prefer the named constructors below.
    public init(code: Code, message: String, cluster: String? = nil, field: String? = nil) {
        self.code = code
        self.message = message
        self.cluster = cluster
        self.field = field
    }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "\(code): \(message)" }

    /// The cluster never enrolled or was deleted.
    static func clusterNotFound(_ cluster: String) -> StoreError {
        StoreError(code: .notFound, message: "cluster \"\(cluster)\" is not enrolled", cluster: cluster, field: "cluster")
    }

    /// The cluster is enrolled, so it cannot get a token or enroll again.
    static func clusterAlreadyEnrolled(_ cluster: String) -> StoreError {
        StoreError(
            code: .alreadyExists, message: "cluster \"\(cluster)\" is already enrolled; delete it before enrolling it again",
            cluster: cluster, field: "cluster")
    }

    /// A `--database` value that names no usable database.
    static func invalidLocation(_ message: String) -> StoreError {
        StoreError(code: .invalidLocation, message: message, field: "database")
    }

    /// The serial was recorded before.
    static func serialAlreadyRecorded(_ serial: String) -> StoreError {
        StoreError(code: .alreadyExists, message: "certificate serial \(serial) is already recorded", field: "serial")
    }

    /// The caller's generation is not the stored one: another write came first.
    static func staleGeneration(cluster: String, current: Int64, expected: Int64) -> StoreError {
        StoreError(
            code: .conflict,
            message: "the policy of cluster \"\(cluster)\" is at generation \(current), not \(expected); read it again and retry",
            cluster: cluster, field: "generation")
    }

    /// The database could not be reached during `operation`.
    static func unavailable(_ operation: String, _ underlying: any Error, cluster: String? = nil) -> StoreError {
        StoreError(code: .unavailable, message: "\(operation): the database is unavailable (\(underlying))", cluster: cluster)
    }

    /// `operation` came after `close()`.
    static func closed(_ operation: String) -> StoreError {
        StoreError(code: .closed, message: "\(operation): the store is closed")
    }

    /// SQLite (or encoding) failed during `operation`.
    static func database(_ operation: String, _ underlying: any Error, cluster: String? = nil) -> StoreError {
        StoreError(code: .database, message: "\(operation): \(underlying)", cluster: cluster)
    }
}
