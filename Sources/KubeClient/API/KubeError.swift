/// A failed Kubernetes API call, with the HTTP status semantics of a real API server.
///
/// Equality compares `code` only, so tests and callers can match `KubeError.notFound` whatever the
/// message.
public struct KubeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable category of the failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case notFound, alreadyExists, conflict, invalid, gone, forbidden, unauthorized, tooManyRequests, serverError, badRequest,
                timeout, transport, configuration, methodNotAllowed
        }
        fileprivate let base: Base
        public var description: String { base.rawValue }

        /// 404
        public static let notFound = Code(base: .notFound)
        /// 409 on create
        public static let alreadyExists = Code(base: .alreadyExists)
        /// 409 on a stale resourceVersion
        public static let conflict = Code(base: .conflict)
        /// 422
        public static let invalid = Code(base: .invalid)
        /// 410: a watch or list continue token is too old
        public static let gone = Code(base: .gone)
        /// 403
        public static let forbidden = Code(base: .forbidden)
        /// 401
        public static let unauthorized = Code(base: .unauthorized)
        /// 429
        public static let tooManyRequests = Code(base: .tooManyRequests)
        /// 5xx
        public static let serverError = Code(base: .serverError)
        /// 400
        public static let badRequest = Code(base: .badRequest)
        /// 405
        public static let methodNotAllowed = Code(base: .methodNotAllowed)
        /// The request took too long.
        public static let timeout = Code(base: .timeout)
        /// The connection failed.
        public static let transport = Code(base: .transport)
        /// The client configuration (kubeconfig, in-cluster files) is unusable.
        public static let configuration = Code(base: .configuration)
    }

    /// One field the server refused (422 causes).
    public struct Cause: Hashable, Sendable {
        public var field: String
        public var message: String
        public var reason: String?
        public init(field: String, message: String, reason: String? = nil) {
            self.field = field
            self.message = message
            self.reason = reason
        }
    }

    public var code: Code
    /// HTTP status; 0 when the request never got an answer.
    public var status: Int
    public var message: String
    public var causes: [Cause]
    /// Seconds the server asked to wait (429, some 5xx).
    public var retryAfterSeconds: Int?
    /// What the call was about, e.g. `get deployments.apps image-registry-system/image-registry`.
    public var operation: String?

    public init(
        code: Code, status: Int, message: String, causes: [Cause] = [], retryAfterSeconds: Int? = nil, operation: String? = nil
    ) {
        self.code = code
        self.status = status
        self.message = message
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
        self.operation = operation
    }

    public static func == (lhs: KubeError, rhs: KubeError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        var text = operation.map { "\($0): " } ?? ""
        text += message
        if !causes.isEmpty { text += " (" + causes.map { "\($0.field): \($0.message)" }.joined(separator: "; ") + ")" }
        return text
    }

    /// True for errors that a retry may cure (conflicts, throttling, server errors, timeouts).
    public var isRetryable: Bool {
        [.conflict, .tooManyRequests, .serverError, .timeout, .transport].contains(code)
    }

    /// The Kubernetes `Status.reason` for this code.
    public var reason: String {
        switch code {
        case .notFound: return "NotFound"
        case .alreadyExists: return "AlreadyExists"
        case .conflict: return "Conflict"
        case .invalid: return "Invalid"
        case .gone: return "Expired"
        case .forbidden: return "Forbidden"
        case .unauthorized: return "Unauthorized"
        case .tooManyRequests: return "TooManyRequests"
        case .badRequest: return "BadRequest"
        case .methodNotAllowed: return "MethodNotAllowed"
        case .timeout: return "Timeout"
        default: return "InternalError"
        }
    }

    /// The code for an HTTP status and Kubernetes reason.
    public static func code(forStatus status: Int, reason: String?) -> Code {
        switch status {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 409: return reason == "AlreadyExists" ? .alreadyExists : .conflict
        case 410: return .gone
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 504: return .timeout
        default: return status >= 500 ? .serverError : .badRequest
        }
    }

    // Constructors with the API server's messages.

    public static func notFound(_ resource: ResourceType, _ name: String) -> KubeError {
        KubeError(code: .notFound, status: 404, message: "\(resource.qualifiedPlural) \"\(name)\" not found")
    }

    public static func alreadyExists(_ resource: ResourceType, _ name: String) -> KubeError {
        KubeError(code: .alreadyExists, status: 409, message: "\(resource.qualifiedPlural) \"\(name)\" already exists")
    }

    public static func conflict(_ resource: ResourceType, _ name: String) -> KubeError {
        KubeError(
            code: .conflict, status: 409,
            message: "Operation cannot be fulfilled on \(resource.qualifiedPlural) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again"
        )
    }

    public static func invalid(_ resource: ResourceType, _ name: String, causes: [Cause]) -> KubeError {
        let summary = causes.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
        return KubeError(
            code: .invalid, status: 422, message: "\(resource.kind) \"\(name)\" is invalid: [\(summary)]", causes: causes)
    }

    public static func gone(_ message: String) -> KubeError {
        KubeError(code: .gone, status: 410, message: message)
    }
}
