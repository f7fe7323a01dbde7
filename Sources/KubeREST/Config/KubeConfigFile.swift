/// The kubeconfig file format (`clientcmd/api/v1`), as much of it as RegistryFleet reads. Fields it
/// refuses (exec plugins, basic auth, proxies) are decoded only to name them in an error.
struct KubeConfigFile: Decodable {
    /// A list entry with a name (`clusters`, `users`, `contexts`).
    struct Named<Value: Decodable>: Decodable {
        var name: String
        var value: Value?

        private enum CodingKeys: String, CodingKey { case name, cluster, user, context }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            for key in [CodingKeys.cluster, .user, .context] where container.contains(key) {
                value = try container.decodeIfPresent(Value.self, forKey: key)
            }
        }
    }

    /// Any YAML value: only its presence matters.
    struct Present: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    struct Cluster: Decodable {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?
        var tlsServerName: String?
        var proxyURL: String?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
            case proxyURL = "proxy-url"
        }
    }

    struct User: Decodable {
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var token: String?
        var tokenFile: String?
        var username: String?
        var password: String?
        var exec: Present?
        var authProvider: Present?

        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token, tokenFile, username, password, exec
            case authProvider = "auth-provider"
        }
    }

    struct Context: Decodable {
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    var apiVersion: String?
    var kind: String?
    var currentContext: String?
    var clusters: [Named<Cluster>]?
    var users: [Named<User>]?
    var contexts: [Named<Context>]?

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, clusters, users, contexts
        case currentContext = "current-context"
    }
}
