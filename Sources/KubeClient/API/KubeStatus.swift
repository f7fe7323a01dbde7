/// The API server's `Status` body: how a real Kubernetes API server reports a failed request (and
/// a successful delete), shared by the simulated API server that writes it and `RESTClient` that
/// reads it, so both sides agree on the wire format.
public struct KubeStatus: Codable, Hashable, Sendable {
    /// `details` of a Status: what the request was about and, for 422, each refused field.
    public struct Details: Codable, Hashable, Sendable {
        public var name: String?
        public var group: String?
        /// The resource's plural, as the API server fills it.
        public var kind: String?
        public var causes: [Cause]?
        public var retryAfterSeconds: Int?

        public init(name: String? = nil, group: String? = nil, kind: String? = nil, causes: [Cause]? = nil, retryAfterSeconds: Int? = nil) {
            self.name = name
            self.group = group
            self.kind = kind
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    /// One entry of `details.causes`.
    public struct Cause: Codable, Hashable, Sendable {
        public var reason: String?
        public var message: String?
        public var field: String?

        public init(reason: String?, message: String?, field: String?) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public var kind: String
    public var apiVersion: String
    /// `Success` or `Failure`.
    public var status: String?
    public var message: String?
    public var reason: String?
    public var details: Details?
    /// The HTTP status code.
    public var code: Int?

    public init(status: String, code: Int, reason: String?, message: String?, details: Details? = nil) {
        kind = "Status"
        apiVersion = "v1"
        self.status = status
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    /// The Status an API server sends for `error` about `resource`/`name`.
    public init(_ error: KubeError, resource: ResourceType? = nil, name: String? = nil) {
        let causes = error.causes.map { Cause(reason: $0.reason, message: $0.message, field: $0.field) }
        let details = Details(
            name: name, group: resource?.group, kind: resource?.plural, causes: causes.isEmpty ? nil : causes,
            retryAfterSeconds: error.retryAfterSeconds)
        let hasDetails = name != nil || resource != nil || !causes.isEmpty || error.retryAfterSeconds != nil
        self.init(status: "Failure", code: error.status, reason: error.reason, message: error.message, details: hasDetails ? details : nil)
    }

    /// The error this Status describes; `httpStatus` wins over `code` when the body lacks one,
    /// and a `Retry-After` header over `details.retryAfterSeconds`.
    public func error(httpStatus: Int, retryAfterSeconds: Int? = nil, operation: String? = nil) -> KubeError {
        let status = code ?? httpStatus
        let causes = (details?.causes ?? []).map { KubeError.Cause(field: $0.field ?? "", message: $0.message ?? "", reason: $0.reason) }
        return KubeError(
            code: KubeError.code(forStatus: status, reason: reason), status: status, message: message ?? "HTTP \(status)", causes: causes,
            retryAfterSeconds: retryAfterSeconds ?? details?.retryAfterSeconds, operation: operation)
    }
}
