/// Who a certificate speaks for, carried as a SPIFFE-style URI SAN (`spiffe://regfleet/cluster/edge-1`).
///
/// The hub authorizes every request from this value alone, never from the path or body, so parsing is strict:
/// exact scheme, trust domain and role, and a DNS-1123 label as the name.
public enum FleetIdentity: Hashable, Sendable, CustomStringConvertible {
    /// The agent of one managed cluster.
    case cluster(String)
    /// A platform-team member or tool using the admin API.
    case admin(String)
    /// The hub's own server certificate, so agents can tell the hub from any other fleet certificate.
    case hub

    /// The kind of principal, which decides the API routes it may call.
    public enum Role: String, Hashable, Sendable, CaseIterable {
        /// A managed cluster's agent.
        case cluster
        /// An administrator.
        case admin
        /// The hub itself.
        case hub
    }

    /// The SPIFFE trust domain of every fleet identity.
    public static let trustDomain = "regfleet"
    private static let prefix = "spiffe://\(trustDomain)/"

    /// Builds an identity for `role` and `name`, validating the name (ignored for `.hub`).
    public init(role: Role, name: String) throws(PKIError) {
        switch role {
        case .cluster: self = .cluster(name)
        case .admin: self = .admin(name)
        case .hub: self = .hub
        }
        try validate()
    }

    /// Parses `spiffe://regfleet/cluster/NAME`, `spiffe://regfleet/admin/NAME` or `spiffe://regfleet/hub`.
    public init(uri: String) throws(PKIError) {
        func refuse(_ reason: String) -> PKIError {
            PKIError(code: .invalidIdentity, message: "\"\(uri)\" is not a fleet identity: \(reason)")
        }
        guard !uri.isEmpty else { throw PKIError(code: .invalidIdentity, message: "empty fleet identity") }
        guard uri.hasPrefix("spiffe://") else { throw refuse("the scheme must be spiffe://") }
        let afterScheme = uri.dropFirst("spiffe://".count)
        let domain = afterScheme.prefix { $0 != "/" }
        guard domain == Self.trustDomain else {
            throw refuse("the trust domain must be \"\(Self.trustDomain)\", not \"\(domain)\"")
        }
        let path = afterScheme.dropFirst(domain.count + 1).split(separator: "/", omittingEmptySubsequences: false)
        switch (Role(rawValue: String(path[0])), path.count) {
        case (.hub, 1):
            self = .hub
        case (let role?, 2) where role != .hub:
            try self.init(role: role, name: String(path[1]))
        case (.hub, _):
            throw refuse("the hub identity is exactly \(Self.prefix)hub")
        case (let role?, _):
            throw refuse("a \(role.rawValue) identity must be \(Self.prefix)\(role.rawValue)/NAME")
        case (nil, _):
            throw refuse("the role must be cluster, admin or hub, not \"\(path[0])\"")
        }
    }

    /// The principal's kind.
    public var role: Role {
        switch self {
        case .cluster: .cluster
        case .admin: .admin
        case .hub: .hub
        }
    }

    /// The cluster or admin name; `hub` for the hub.
    public var name: String {
        switch self {
        case .cluster(let name), .admin(let name): name
        case .hub: "hub"
        }
    }

    /// The URI SAN that certificates carry.
    public var uri: String {
        switch self {
        case .cluster(let name), .admin(let name): "\(Self.prefix)\(role.rawValue)/\(name)"
        case .hub: "\(Self.prefix)hub"
        }
    }

    /// `cluster/edge-1`, `admin/alice` or `hub`: short enough for logs and audit records.
    public var description: String {
        switch self {
        case .cluster, .admin: "\(role.rawValue)/\(name)"
        case .hub: "hub"
        }
    }

    /// Throws `invalidIdentity` unless the name is a DNS-1123 label, so no certificate is issued for a bad name.
    public func validate() throws(PKIError) {
        guard self != .hub, !DNSName.isLabel(Substring(name)) else { return }
        throw PKIError(code: .invalidIdentity, message: "\(role.rawValue) name \(DNSName.labelMessage(name))")
    }
}
