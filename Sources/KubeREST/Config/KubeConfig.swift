import Foundation

/// How to reach and authenticate to one Kubernetes API server, resolved from a kubeconfig context
/// (`load(path:context:)`) or from a pod's service account (`inCluster()`).
public struct KubeConfig: Sendable, Hashable {
    /// How requests prove who they are besides a client certificate.
    public enum Credential: Sendable, Hashable {
        /// A fixed bearer token.
        case token(String)
        /// A bearer token read from this file for every request, because projected service
        /// account tokens are rotated on disk by the kubelet.
        case tokenFile(String)
    }

    /// The API server's base URL (`https://10.0.0.1:6443`).
    public var server: URL
    /// PEM certificates that verify the server; nil trusts the system's roots.
    public var certificateAuthorityPEM: Data?
    /// Skip server certificate verification; only ever set because the kubeconfig says so.
    public var insecureSkipTLSVerify: Bool
    /// PEM client certificate chain for mutual TLS.
    public var clientCertificatePEM: Data?
    /// PEM private key of the client certificate.
    public var clientKeyPEM: Data?
    /// Bearer token source, if any.
    public var credential: Credential?
    /// The context's default namespace.
    public var namespace: String?
    /// Where this came from (`kubeconfig /path, context "kind-a"` or `in-cluster`), for logs and errors.
    public var source: String

    public init(
        server: URL, certificateAuthorityPEM: Data? = nil, insecureSkipTLSVerify: Bool = false, clientCertificatePEM: Data? = nil,
        clientKeyPEM: Data? = nil, credential: Credential? = nil, namespace: String? = nil, source: String = "explicit configuration"
    ) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.credential = credential
        self.namespace = namespace
        self.source = source
    }

    /// Where a pod's service account credentials are mounted.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"
}

extension KubeConfig.Credential {
    /// The token to send now; a token file is read afresh each time.
    func bearerToken() throws(KubeConfigError) -> String {
        switch self {
        case .token(let token):
            return token
        case .tokenFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeConfigError(code: .unreadableFile, message: "cannot read the bearer token file", file: path)
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
