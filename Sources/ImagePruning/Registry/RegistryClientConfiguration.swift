/// Everything `RegistryV2Client` needs to reach one registry.
public struct RegistryClientConfiguration: Sendable, Hashable {
    /// The registry.
    public var endpoint: RegistryEndpoint
    /// How to authenticate.
    public var credentials: RegistryCredentials
    /// A PEM file of CA certificates that replace the system trust roots (the service CA in a
    /// cluster).
    public var certificateAuthorityFile: String?
    /// Requests in flight at once; the connection pool is sized to match.
    public var maxConcurrentRequests: Int
    /// Deadline of one request, in seconds.
    public var requestTimeoutSeconds: Int64
    /// `n` for catalog and tag list pages (distribution caps the catalog at 1000 by default).
    public var pageSize: Int

    public init(
        endpoint: RegistryEndpoint, credentials: RegistryCredentials = .none, certificateAuthorityFile: String? = nil,
        maxConcurrentRequests: Int = 16, requestTimeoutSeconds: Int64 = 30, pageSize: Int = 1000
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.certificateAuthorityFile = certificateAuthorityFile
        self.maxConcurrentRequests = maxConcurrentRequests
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.pageSize = pageSize
    }
}
