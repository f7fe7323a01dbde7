import Foundation

/// Where a Registry v2 server is: `[http(s)://]host[:port]`, nothing else, as `oc adm prune images`
/// accepts it. A path or query would silently change which API the pruner talks to, so both are
/// refused.
public struct RegistryEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    public let scheme: String
    /// Lower-cased host name or IP address (IPv6 without brackets).
    public let host: String
    /// The explicit port, if the URL had one.
    public let port: Int?

    /// Parses a registry URL; the scheme defaults to https.
    public init(parsing text: String) throws(RegistryError) {
        func invalid(_ why: String) -> RegistryError {
            .invalidArgument("--registry-url", "invalid registry URL \"\(text)\": \(why) (expected [http(s)://]host[:port])")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw invalid("empty") }
        let withScheme = trimmed.contains("://") ? trimmed : "https://" + trimmed
        guard let components = URLComponents(string: withScheme) else { throw invalid("not a URL") }
        let scheme = components.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else { throw invalid("scheme must be http or https") }
        guard let host = components.host, !host.isEmpty else { throw invalid("no host") }
        guard components.user == nil, components.password == nil else { throw invalid("credentials belong in --username/--password or --token") }
        guard components.path.isEmpty || components.path == "/" else { throw invalid("a path is not allowed") }
        guard components.query == nil else { throw invalid("a query is not allowed") }
        guard components.fragment == nil else { throw invalid("a fragment is not allowed") }
        if let port = components.port, !(1...65535).contains(port) { throw invalid("port out of range") }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = components.port
    }

    /// `scheme://host[:port]`, the prefix of every request URL.
    public var baseURL: String { "\(scheme)://\(authority)" }

    /// `host[:port]`, with brackets around an IPv6 address.
    public var authority: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(hostPart):\($0)" } ?? hostPart
    }

    /// The scheme's default port.
    public var defaultPort: Int { scheme == "https" ? 443 : 80 }

    /// The port requests go to.
    public var effectivePort: Int { port ?? defaultPort }

    /// The `host[:port]` spellings an image reference may use for this registry: with the explicit
    /// port, and without it when it is the scheme's default.
    public var referenceDomains: Set<String> {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var domains: Set<String> = ["\(hostPart):\(effectivePort)"]
        if effectivePort == defaultPort { domains.insert(hostPart) }
        return domains
    }

    public var description: String { baseURL }
}

/// How the client authenticates: not at all, HTTP basic, or a bearer token (a service account
/// token, as the in-cluster pruner uses).
public enum RegistryCredentials: Sendable, Hashable {
    case none
    case basic(username: String, password: String)
    case bearer(token: String)

    /// The `Authorization` header value, if any.
    var authorizationHeader: String? {
        switch self {
        case .none: return nil
        case .basic(let username, let password): return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
        case .bearer(let token): return "Bearer \(token)"
        }
    }
}
