import Foundation
import KubeClient
import KubeREST
import KubeSimulator
import KubeSimulatorServer
import RegistryModel
import Testing

/// Authentication over real TLS, as on a real API server: bearer tokens and client certificates
/// (CN is the user, O the groups) are accepted, anything else is 401 or a failed handshake.
struct AuthenticationTests {
    /// A TLS server trusting client certificates of `pki`, with one token for alice.
    static func tlsServer(_ pki: TestPKI, authorization: SimulatedAPIServerConfiguration.Authorization = .alwaysAllow) throws
        -> SimulatedAPIServerConfiguration
    {
        let serving = try pki.serverCredential()
        return SimulatedAPIServerConfiguration(
            tls: .init(certificateChainPEM: serving.certificatePEM, privateKeyPEM: serving.privateKeyPEM, clientCAPEM: pki.caCertificatePEM),
            tokens: ["alice-token": UserInfo(name: "alice"), LiveAPIServer.adminToken: .admin()], authorization: authorization)
    }

    /// A bearer token over HTTPS, verifying the server with the kubeconfig's CA.
    @Test func bearerTokenOverTLS() async throws {
        let pki = try TestPKI()
        try await withLiveServer(cluster: SimulatedCluster(name: "tls"), configuration: Self.tlsServer(pki)) { server in
            let configuration = KubeConfig(
                server: server.url, certificateAuthorityPEM: Data(pki.caCertificatePEM.utf8), credential: .token("alice-token"))
            try await withClient(configuration) { client in
                let namespaces = try await client.list(.namespaces, namespace: nil, options: ListOptions())
                #expect(namespaces.items.map(\.metadata.name).contains("default"))
            }
        }
    }

    /// A client certificate from a kubeconfig with inline data authenticates as its CN: RBAC
    /// bound to that user lets it in, and another CN from the same CA is refused by name.
    @Test func clientCertificateFromKubeconfig() async throws {
        let pki = try TestPKI()
        let cluster = SimulatedCluster(name: "mtls")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await cluster.create(
            ClusterRole(
                metadata: ObjectMeta(name: "ns-reader"), rules: [PolicyRule(apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list"])]))
        _ = try await cluster.create(
            ClusterRoleBinding(
                metadata: ObjectMeta(name: "carol-reads"), roleRef: RoleRef(kind: "ClusterRole", name: "ns-reader"),
                subjects: [Subject(kind: "User", name: "carol")]))
        try await withLiveServer(cluster: cluster, configuration: Self.tlsServer(pki, authorization: .rbac)) { server in
            func kubeconfig(for user: String) throws -> String {
                let credential = try pki.clientCredential(user: user, groups: ["team"])
                return try directory.write(
                    "\(user).kubeconfig",
                    """
                    apiVersion: v1
                    kind: Config
                    current-context: sim
                    clusters:
                    - name: sim
                      cluster:
                        server: \(server.url.absoluteString)
                        certificate-authority-data: \(Data(pki.caCertificatePEM.utf8).base64EncodedString())
                    users:
                    - name: \(user)
                      user:
                        client-certificate-data: \(Data(credential.certificatePEM.utf8).base64EncodedString())
                        client-key-data: \(Data(credential.privateKeyPEM.utf8).base64EncodedString())
                    contexts:
                    - name: sim
                      context: {cluster: sim, user: \(user)}
                    """)
            }
            try await withClient(try KubeConfig.load(path: kubeconfig(for: "carol"))) { client in
                let namespace = try await client.get(.namespaces, namespace: nil, name: "default")
                #expect(namespace.metadata.name == "default")
            }
            try await withClient(try KubeConfig.load(path: kubeconfig(for: "dave"))) { client in
                let error = await #expect(throws: KubeError.self) { try await client.get(.namespaces, namespace: nil, name: "default") }
                #expect(error?.code == .forbidden)
                #expect(error?.message.contains("User \"dave\" cannot get resource \"namespaces\"") == true)
            }
        }
    }

    /// Without credentials, or with an unknown token, the server answers 401.
    @Test func missingOrWrongCredentialsAreUnauthorized() async throws {
        try await withWire { wire in
            for credential in [nil, KubeConfig.Credential.token("wrong")] {
                try await withClient(KubeConfig(server: wire.server.url, credential: credential)) { client in
                    let error = await #expect(throws: KubeError.self) { try await client.list(.namespaces, namespace: nil, options: ListOptions()) }
                    #expect(error?.code == .unauthorized)
                    #expect(error?.status == 401)
                }
            }
        }
    }

    /// A client certificate from another CA fails the handshake; a server the client cannot
    /// verify is refused unless the kubeconfig says insecure-skip-tls-verify.
    @Test func untrustedCertificatesAreRefused() async throws {
        let pki = try TestPKI()
        let stranger = try TestPKI(commonName: "someone else's CA")
        try await withLiveServer(cluster: SimulatedCluster(name: "strict"), configuration: Self.tlsServer(pki)) { server in
            let foreign = try stranger.clientCredential(user: "mallory")
            let impostor = KubeConfig(
                server: server.url, certificateAuthorityPEM: Data(pki.caCertificatePEM.utf8), clientCertificatePEM: Data(foreign.certificatePEM.utf8),
                clientKeyPEM: Data(foreign.privateKeyPEM.utf8))
            try await withClient(impostor) { client in
                let error = await #expect(throws: KubeError.self) { try await client.get(.namespaces, namespace: nil, name: "default") }
                #expect(error?.code == .transport)
            }
            let unverified = KubeConfig(server: server.url, credential: .token("alice-token"))
            try await withClient(unverified) { client in
                let error = await #expect(throws: KubeError.self) { try await client.get(.namespaces, namespace: nil, name: "default") }
                #expect(error?.code == .transport)
            }
            let insecure = KubeConfig(server: server.url, insecureSkipTLSVerify: true, credential: .token("alice-token"))
            try await withClient(insecure) { client in
                let namespace = try await client.get(.namespaces, namespace: nil, name: "default")
                #expect(namespace.metadata.name == "default")
            }
        }
    }

    /// A token file is read for every request, so a rotated token takes effect without a restart.
    @Test func tokenFileIsReReadPerRequest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenPath = try directory.write("token", "wrong\n")
        try await withWire { wire in
            try await withClient(KubeConfig(server: wire.server.url, credential: .tokenFile(tokenPath))) { client in
                await #expect(throws: KubeError(code: .unauthorized, status: 401, message: "")) {
                    try await client.get(.namespaces, namespace: nil, name: "default")
                }
                try directory.write("token", LiveAPIServer.adminToken + "\n")
                let namespace = try await client.get(.namespaces, namespace: nil, name: "default")
                #expect(namespace.metadata.name == "default")
            }
        }
    }
}
