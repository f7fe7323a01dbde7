/// A reconcile failure with a stable code.
///
/// Permanent errors (`verificationFailed`, `storageNotConfigured`) are reported in the status and
/// not retried until the resource changes; everything else is transient and requeued.
public struct OperatorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable category.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case verificationFailed, storageNotConfigured, invalidSchedule, invalidPrunerSpec, apply, forbidden, pvcConflict, pvcIssues
        }
        fileprivate let base: Base
        public var description: String { base.rawValue }

        /// The Config failed the operator's verification (e.g. negative replicas, Force).
        public static let verificationFailed = Code(base: .verificationFailed)
        /// No storage backend could be determined.
        public static let storageNotConfigured = Code(base: .storageNotConfigured)
        /// The ImagePruner's schedule is not a valid cron expression.
        public static let invalidSchedule = Code(base: .invalidSchedule)
        /// The ImagePruner has another invalid field.
        public static let invalidPrunerSpec = Code(base: .invalidPrunerSpec)
        /// A Kubernetes write failed.
        public static let apply = Code(base: .apply)
        /// The API server refused a write for lack of permission: retrying cannot help until
        /// someone fixes the RBAC, so the registry is Degraded.
        public static let forbidden = Code(base: .forbidden)
        /// A PVC named like the managed one exists but the operator does not own it.
        public static let pvcConflict = Code(base: .pvcConflict)
        /// The configured PVC is missing or unusable.
        public static let pvcIssues = Code(base: .pvcIssues)
    }

    public var code: Code
    public var message: String
    /// Whether retrying without a change to the resource can help.
    public var isPermanent: Bool

    public init(code: Code, message: String, isPermanent: Bool = false) {
        self.code = code
        self.message = message
        self.isPermanent = isPermanent
    }

    /// The condition reason for this error (`VerificationFailed`, `StorageNotConfigured`, …).
    public var reason: String {
        switch code {
        case .verificationFailed: return "VerificationFailed"
        case .storageNotConfigured: return "StorageNotConfigured"
        case .invalidSchedule: return "InvalidSchedule"
        case .invalidPrunerSpec: return "InvalidSpec"
        case .forbidden: return "Forbidden"
        case .pvcConflict, .pvcIssues: return "PVCIssues"
        default: return "Error"
        }
    }

    public static func == (lhs: OperatorError, rhs: OperatorError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { message }
}
