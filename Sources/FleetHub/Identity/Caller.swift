/// Who is calling, decided from the verified client certificate — never from the path or body.
public enum Caller: Sendable, Hashable, CustomStringConvertible {
    /// No client certificate (only enrollment, health and the OpenAPI document allow this).
    case anonymous
    /// An agent; it may touch only its own cluster.
    case agent(cluster: String, serial: String)
    /// A platform-team member with an admin certificate.
    case admin(name: String, serial: String)

    public var description: String {
        switch self {
        case .anonymous: return "anonymous"
        case .agent(let cluster, _): return "cluster/\(cluster)"
        case .admin(let name, _): return "admin/\(name)"
        }
    }

    /// The audit log's actor name.
    public var actor: String { description }
}
