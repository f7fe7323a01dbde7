import Foundation

/// The REST paths of a kind, as a real API server serves them. The REST client builds requests with
/// them and the simulated API server routes by them, so the two cannot disagree.
extension ResourceType {
    /// `/api/v1` for the core group, else `/apis/GROUP/VERSION`.
    public var groupVersionPath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// The collection: `…/namespaces/NS/PLURAL` for a namespaced kind with a namespace, else `…/PLURAL`.
    public func collectionPath(namespace: String?) -> String {
        if namespaced, let namespace, !namespace.isEmpty {
            return "\(groupVersionPath)/namespaces/\(Self.escaped(namespace))/\(plural)"
        }
        return "\(groupVersionPath)/\(plural)"
    }

    /// One object, or one of its subresources (`status`).
    public func objectPath(namespace: String?, name: String, subresource: String? = nil) -> String {
        let base = "\(collectionPath(namespace: namespace))/\(Self.escaped(name))"
        return subresource.map { "\(base)/\($0)" } ?? base
    }

    /// The name RBAC rules use for this kind or one of its subresources (`configs/status`).
    public func rbacResource(subresource: String? = nil) -> String {
        subresource.map { "\(plural)/\($0)" } ?? plural
    }

    private static let pathSegmentCharacters: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return allowed
    }()

    private static func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: pathSegmentCharacters) ?? segment
    }
}
