/// How `SimulatedAPIServer` listens and whom it lets in.
public struct SimulatedAPIServerConfiguration: Sendable {
    /// Serving certificate and key, and the CA that client certificates must chain to.
    public struct TLS: Sendable, Hashable {
        /// PEM chain, leaf first.
        public var certificateChainPEM: String
        public var privateKeyPEM: String
        /// PEM CA for client certificates; nil accepts no client certificates.
        public var clientCAPEM: String?

        public init(certificateChainPEM: String, privateKeyPEM: String, clientCAPEM: String? = nil) {
            self.certificateChainPEM = certificateChainPEM
            self.privateKeyPEM = privateKeyPEM
            self.clientCAPEM = clientCAPEM
        }
    }

    /// How requests are authorized once their user is known.
    public enum Authorization: Sendable, Hashable {
        /// Every authenticated user may do everything.
        case alwaysAllow
        /// RBAC, evaluated from the Roles, ClusterRoles and bindings stored in the simulated
        /// cluster, with a real API server's escalation checks; `system:masters` bypasses it.
        case rbac
    }

    /// Address to bind; `127.0.0.1` keeps it on this machine.
    public var host: String
    /// Port to bind; 0 picks a free one (reported to `onListening`).
    public var port: Int
    /// HTTPS when set, plain HTTP otherwise.
    public var tls: TLS?
    /// Bearer tokens and the users they authenticate.
    public var tokens: [String: UserInfo]
    public var authorization: Authorization
    /// How long a watch stays open when the client does not say (`timeoutSeconds`).
    public var defaultWatchTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 0, tls: TLS? = nil, tokens: [String: UserInfo] = [:], authorization: Authorization = .alwaysAllow,
        defaultWatchTimeout: Duration = .seconds(1800)
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.tokens = tokens
        self.authorization = authorization
        self.defaultWatchTimeout = defaultWatchTimeout
    }
}
