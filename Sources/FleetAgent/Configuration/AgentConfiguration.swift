import Foundation
import RegistryModel
import RegistryOperator

/// Everything one agent needs to know, parsed from `regfleet agent` flags (or built by the demo and tests) and
/// checked by `validate()` before anything touches the disk or the network.
public struct AgentConfiguration: Sendable {
    /// The hub's base URL, `https://host:port`; for an HA hub, several replicas' URLs separated by commas
    /// (the agent moves to the next when one is unavailable), or one Service address in front of them.
    public var hubURL: String
    /// The URLs in `hubURL`, in order.
    public var hubURLs: [String] {
        hubURL.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
    /// This cluster's name on the hub: a DNS-1123 label, the name in the agent's certificate.
    public var cluster: String
    /// PEM file with the fleet CA that verifies the hub's server certificate.
    public var caFile: String
    /// A bootstrap token given on the command line; used only when the agent has no certificate yet.
    public var bootstrapToken: String?
    /// A file holding the bootstrap token (kept out of the process list); exclusive with `bootstrapToken`.
    public var tokenFile: String?
    /// Where the key, certificates, cached policy and report queue live (created 0700 when missing).
    public var stateDirectory: String
    /// How long the hub may hold a desired-state long poll before answering 304.
    public var longPollTimeout: TimeInterval = 30
    /// How often a report (heartbeat) is queued; must stay well under the hub's 60 s lease.
    public var reportInterval: TimeInterval = 15
    /// How often the cached policy is written again into the cluster, reverting hand edits of hub-owned fields.
    public var resyncInterval: TimeInterval = 300
    /// Most reports kept while the hub is unreachable; older ones are folded into the newest.
    public var reportQueueLimit: Int = 1000
    /// The fraction of the certificate's life after which it is renewed.
    public var renewalFraction: Double = 0.8
    /// Longest wait between checks of the renewal time, so a clock that jumps is noticed.
    public var renewalCheckInterval: TimeInterval = 60
    /// First retry delay after a failed hub call; doubles per failure, with full jitter.
    public var retryBaseDelay: TimeInterval = 0.5
    /// Upper bound of the retry delay.
    public var retryMaxDelay: TimeInterval = 30
    /// Settings of the operator the agent runs.
    public var operatorOptions: OperatorOptions = OperatorOptions()
    /// The source of "now" for certificate renewal and report timestamps.
    public var clock: any WallClock = SystemWallClock()
    /// The version reported to the hub.
    public var agentVersion: String = RegistryFleetVersion.current

    /// A configuration with the defaults above for everything but the required flags.
    public init(
        hubURL: String, cluster: String, caFile: String, stateDirectory: String, bootstrapToken: String? = nil, tokenFile: String? = nil
    ) {
        self.hubURL = hubURL
        self.cluster = cluster
        self.caFile = caFile
        self.stateDirectory = stateDirectory
        self.bootstrapToken = bootstrapToken
        self.tokenFile = tokenFile
    }

    /// Throws `invalidConfiguration` naming the first flag at fault: a hub URL that is not `https://host[:port]`,
    /// a cluster name that is not a DNS-1123 label, an empty CA file or state directory, both token sources,
    /// or an interval, bound or fraction out of range.
    public func validate() throws(AgentError) {
        func refuse(_ field: String, _ message: String) -> AgentError {
            AgentError(code: .invalidConfiguration, message: message, field: field)
        }
        guard !hubURLs.isEmpty else { throw refuse("hub", "the hub URL is required") }
        for hubURL in hubURLs {
            guard let url = URL(string: hubURL), url.scheme == "https", let host = url.host, !host.isEmpty else {
                throw refuse("hub", "\"\(hubURL)\" is not an https:// URL with a host")
            }
            guard url.path.isEmpty || url.path == "/", url.query == nil else {
                throw refuse("hub", "\"\(hubURL)\" must be the hub's base URL, without a path or query")
            }
        }
        guard Set(hubURLs).count == hubURLs.count else { throw refuse("hub", "\"\(hubURL)\" names a hub URL twice") }
        guard DNSNames.isLabel(cluster) else { throw refuse("cluster", DNSNames.labelMessage(cluster)) }
        guard !caFile.isEmpty else { throw refuse("ca-file", "the CA file that verifies the hub is required") }
        guard !stateDirectory.isEmpty else { throw refuse("state-dir", "the state directory is required") }
        if bootstrapToken != nil, tokenFile != nil {
            throw refuse("bootstrap-token", "give either --bootstrap-token or --token-file, not both")
        }
        if let bootstrapToken, bootstrapToken.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw refuse("bootstrap-token", "the bootstrap token is empty")
        }
        if let tokenFile, tokenFile.isEmpty { throw refuse("token-file", "the token file path is empty") }
        let intervals: [(String, TimeInterval)] = [
            ("long-poll-timeout", longPollTimeout), ("report-interval", reportInterval), ("resync-interval", resyncInterval),
            ("renewal-check-interval", renewalCheckInterval), ("retry-base-delay", retryBaseDelay), ("retry-max-delay", retryMaxDelay),
        ]
        for (field, value) in intervals where !(value > 0) || !value.isFinite {
            throw refuse(field, "must be a positive number of seconds, got \(value)")
        }
        guard retryMaxDelay >= retryBaseDelay else {
            throw refuse("retry-max-delay", "must be at least the base delay \(retryBaseDelay) s, got \(retryMaxDelay)")
        }
        guard reportQueueLimit >= 1 else { throw refuse("report-queue-limit", "must be at least 1, got \(reportQueueLimit)") }
        guard renewalFraction > 0, renewalFraction < 1 else {
            throw refuse("renewal-fraction", "must be between 0 and 1 (exclusive), got \(renewalFraction)")
        }
    }

    /// The bootstrap token from the flag or the file (trimmed); throws `invalidConfiguration` when neither is
    /// given or the file cannot be read or is empty.
    public func resolveBootstrapToken() throws(AgentError) -> String {
        if let bootstrapToken { return bootstrapToken.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let tokenFile else {
            throw AgentError(
                code: .invalidConfiguration,
                message: "no certificate in \(stateDirectory) and no --bootstrap-token or --token-file to enroll with",
                field: "bootstrap-token")
        }
        let text: String
        do {
            text = try String(contentsOfFile: tokenFile, encoding: .utf8)
        } catch {
            throw AgentError(code: .invalidConfiguration, message: "cannot read the token file \(tokenFile): \(error)", field: "token-file")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw AgentError(code: .invalidConfiguration, message: "the token file \(tokenFile) is empty", field: "token-file")
        }
        return token
    }
}
