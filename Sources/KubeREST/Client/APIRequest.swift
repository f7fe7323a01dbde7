import Foundation
import KubeClient
import NIOHTTP1

/// One API call before it is sent: method, path, query, body, and what it is about for error
/// messages and retry decisions.
struct APIRequest: Sendable {
    var method: HTTPMethod
    var path: String
    var query: [(String, String)] = []
    var body: Data?
    var contentType = "application/json"
    /// `get deployments.apps ns/name`, put in front of error messages as the simulator does.
    var operation: String
    /// Whether sending it twice is harmless, so that a lost connection may be retried.
    var idempotent: Bool

    /// The operation text for a verb on a resource and object.
    static func operation(_ verb: String, _ resource: ResourceType, namespace: String?, name: String?) -> String {
        let target = [resource.namespaced ? namespace : nil, name].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "/")
        return "\(verb) \(resource.qualifiedPlural)" + (target.isEmpty ? "" : " \(target)")
    }

    /// The full URL on `server`.
    func url(on server: URL) -> String {
        var base = server.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard !query.isEmpty else { return base + path }
        return base + path + "?" + query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
    }

    private static let unreserved: CharacterSet = {
        CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    }()

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
