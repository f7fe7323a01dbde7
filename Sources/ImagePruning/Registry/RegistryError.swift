/// A failed registry call, a bad image reference or a bad pruner argument: everything that can go
/// wrong in `ImagePruning`, with the repository and URL it concerns.
///
/// Equality compares `code` only, so callers and tests can match `RegistryError.Code.notFound`
/// whatever the message.
public struct RegistryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable category of the failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case unreachable, tlsFailure, unauthorized, forbidden, notFound, badResponse, unsupportedMediaType, operationNotAllowed,
                invalidReference, invalidArgument, configuration
        }
        fileprivate let base: Base
        public var description: String { base.rawValue }

        /// The connection failed or timed out: the registry is down or not where the URL says.
        public static let unreachable = Code(base: .unreachable)
        /// The TLS handshake failed (wrong CA, wrong host name).
        public static let tlsFailure = Code(base: .tlsFailure)
        /// 401: credentials missing or wrong.
        public static let unauthorized = Code(base: .unauthorized)
        /// 403: the credentials may not do this.
        public static let forbidden = Code(base: .forbidden)
        /// 404: repository, tag, manifest or blob unknown.
        public static let notFound = Code(base: .notFound)
        /// Any other status, or a body that is not what the Registry v2 API promises.
        public static let badResponse = Code(base: .badResponse)
        /// A manifest of a kind the pruner does not understand (e.g. Docker schema 1).
        public static let unsupportedMediaType = Code(base: .unsupportedMediaType)
        /// 405: the registry refuses the operation (deletes disabled in its configuration).
        public static let operationNotAllowed = Code(base: .operationNotAllowed)
        /// An image reference that does not follow the Docker reference grammar.
        public static let invalidReference = Code(base: .invalidReference)
        /// A pruner argument that is out of range or malformed.
        public static let invalidArgument = Code(base: .invalidArgument)
        /// A local file the client needs (CA bundle, references file) is unusable.
        public static let configuration = Code(base: .configuration)
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String
    /// The repository concerned, when there is one.
    public var repository: String?
    /// The URL requested, when there was a request.
    public var url: String?
    /// The HTTP status, when there was an answer.
    public var status: Int?

    public init(code: Code, message: String, repository: String? = nil, url: String? = nil, status: Int? = nil) {
        self.code = code
        self.message = message
        self.repository = repository
        self.url = url
        self.status = status
    }

    public static func == (lhs: RegistryError, rhs: RegistryError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String {
        var text = message
        if let status { text += " (HTTP \(status))" }
        if let url { text += " [\(url)]" }
        return text
    }

    /// True when the failure concerns the registry as a whole, so a run must stop rather than move
    /// on to the next repository.
    public var isFatal: Bool { code == .unreachable || code == .tlsFailure }

    /// An argument error naming the flag.
    static func invalidArgument(_ flag: String, _ message: String) -> RegistryError {
        RegistryError(code: .invalidArgument, message: "\(flag): \(message)")
    }
}
