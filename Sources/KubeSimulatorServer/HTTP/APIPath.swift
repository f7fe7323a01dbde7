import Foundation
import KubeClient

/// A request path of the Kubernetes REST API, parsed: discovery documents, health, or a
/// resource collection / object / subresource.
enum APIPath: Equatable {
    /// `/api`: the core API versions.
    case coreVersions
    /// `/apis`: the API groups.
    case groups
    /// `/api/v1` or `/apis/GROUP/VERSION`: the resources of one group version.
    case resources(group: String, version: String)
    /// `/version`.
    case version
    /// `/healthz`, `/livez`, `/readyz`.
    case health
    /// A collection, object or subresource of a known kind.
    case resource(ResourceType, namespace: String?, name: String?, subresource: String?)
    /// Anything else (404).
    case unknown

    /// Parses a percent-encoded path.
    init(_ path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
        switch segments.first {
        case "healthz", "livez", "readyz": self = .health
        case "version" where segments.count == 1: self = .version
        case "api":
            guard segments.count > 1 else { self = .coreVersions; return }
            self = Self.resourcePath(group: "", version: segments[1], rest: Array(segments.dropFirst(2)))
        case "apis":
            guard segments.count > 1 else { self = .groups; return }
            guard segments.count > 2 else { self = .unknown; return }
            self = Self.resourcePath(group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)))
        default: self = .unknown
        }
    }

    private static func resourcePath(group: String, version: String, rest: [String]) -> APIPath {
        guard !rest.isEmpty else { return .resources(group: group, version: version) }
        var namespace: String?
        var remainder = rest
        // `/api/v1/namespaces/NAME[/status]` is the Namespace object itself, not a namespaced path.
        let namespaceObjectPath = group.isEmpty && rest[0] == "namespaces" && (rest.count <= 2 || (rest.count == 3 && rest[2] == "status"))
        if rest[0] == "namespaces", rest.count >= 3, !namespaceObjectPath {
            namespace = rest[1]
            remainder = Array(rest.dropFirst(2))
        }
        guard remainder.count <= 3, let resource = ResourceType.forPlural(group: group, plural: remainder[0]), resource.version == version else {
            return .unknown
        }
        if namespace != nil && !resource.namespaced { return .unknown }
        let subresource = remainder.count == 3 ? remainder[2] : nil
        if let subresource, subresource != "status" || !resource.hasStatusSubresource { return .unknown }
        return .resource(resource, namespace: namespace, name: remainder.count >= 2 ? remainder[1] : nil, subresource: subresource)
    }
}
