import Foundation
import Yams

/// A kubeconfig with one cluster, one token user and one context, as `regfleet sim-apiserver`
/// writes it for kubectl and `--kubeconfig`.
struct KubeconfigDocument: Encodable {
    struct NamedCluster: Encodable {
        struct Cluster: Encodable {
            var server: String
            var certificateAuthorityData: String?
            enum CodingKeys: String, CodingKey {
                case server
                case certificateAuthorityData = "certificate-authority-data"
            }
        }
        var name: String
        var cluster: Cluster
    }

    struct NamedUser: Encodable {
        struct User: Encodable { var token: String }
        var name: String
        var user: User
    }

    struct NamedContext: Encodable {
        struct Context: Encodable {
            var cluster: String
            var user: String
        }
        var name: String
        var context: Context
    }

    var apiVersion = "v1"
    var kind = "Config"
    var currentContext: String
    var clusters: [NamedCluster]
    var users: [NamedUser]
    var contexts: [NamedContext]

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, clusters, users, contexts
        case currentContext = "current-context"
    }

    /// A kubeconfig named `name` for `server`, trusting `certificateAuthorityPEM` when set.
    init(name: String, server: String, certificateAuthorityPEM: String?, token: String) {
        currentContext = name
        clusters = [
            NamedCluster(
                name: name,
                cluster: .init(server: server, certificateAuthorityData: certificateAuthorityPEM.map { Data($0.utf8).base64EncodedString() }))
        ]
        users = [NamedUser(name: "\(name)-admin", user: .init(token: token))]
        contexts = [NamedContext(name: name, context: .init(cluster: name, user: "\(name)-admin"))]
    }

    /// Writes the file readable by its owner only (it holds a token).
    func write(to path: String) throws {
        let text = try YAMLEncoder().encode(self)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
