import Foundation
import KubeREST
import Testing

/// Loading kubeconfig files and in-cluster settings: what a valid file resolves to, and a clear
/// error naming the file, context and field for every kind of malformed one.
struct KubeConfigTests {
    static let pki = Result { try TestPKI() }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// A kubeconfig with one cluster, user and context, with `cluster` and `user` lines spliced in.
    static func kubeconfig(cluster: String = "    server: https://127.0.0.1:6443", user: String = "    token: secret-token", extra: String = "")
        -> String
    {
        """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev-cluster
          cluster:
        \(cluster)
        users:
        - name: dev-user
          user:
        \(user)
        contexts:
        - name: dev
          context:
            cluster: dev-cluster
            user: dev-user
            namespace: team-a
        \(extra)
        """
    }

    /// One malformed kubeconfig and what the error must say.
    struct Malformed: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var code: KubeConfigError.Code
        var field: String?
        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "empty file", yaml: "  \n", code: .invalidYAML, field: nil),
        Malformed(name: "YAML syntax error", yaml: "clusters: [unclosed", code: .invalidYAML, field: nil),
        Malformed(name: "a list, not a mapping", yaml: "- a\n- b\n", code: .invalidYAML, field: nil),
        Malformed(name: "another kind of document", yaml: "apiVersion: apps/v1\nkind: Deployment\n", code: .invalidField, field: "kind"),
        Malformed(
            name: "token of the wrong type", yaml: kubeconfig(user: "    token: [a, b]"), code: .invalidYAML, field: "users[0].user.token"),
        Malformed(
            name: "no current context", yaml: kubeconfig().replacingOccurrences(of: "current-context: dev\n", with: ""), code: .missingField,
            field: "current-context"),
        Malformed(
            name: "unknown current context", yaml: kubeconfig().replacingOccurrences(of: "current-context: dev", with: "current-context: prod"),
            code: .contextNotFound, field: nil),
        Malformed(
            name: "context names an unknown cluster", yaml: kubeconfig().replacingOccurrences(of: "cluster: dev-cluster", with: "cluster: other"),
            code: .clusterNotFound, field: "contexts[dev].context.cluster"),
        Malformed(
            name: "context names an unknown user", yaml: kubeconfig().replacingOccurrences(of: "user: dev-user", with: "user: other"),
            code: .userNotFound, field: "contexts[dev].context.user"),
        Malformed(
            name: "cluster without server", yaml: kubeconfig(cluster: "    insecure-skip-tls-verify: true"), code: .missingField,
            field: "clusters[dev-cluster].cluster.server"),
        Malformed(
            name: "server is not a URL", yaml: kubeconfig(cluster: "    server: 127.0.0.1:6443"), code: .invalidField,
            field: "clusters[dev-cluster].cluster.server"),
        Malformed(
            name: "CA data is not base64", yaml: kubeconfig(cluster: "    server: https://h:6443\n    certificate-authority-data: '%%%'"),
            code: .invalidField, field: "clusters[dev-cluster].cluster.certificate-authority-data"),
        Malformed(
            name: "CA data is not a certificate",
            yaml: kubeconfig(cluster: "    server: https://h:6443\n    certificate-authority-data: \(base64("hello"))"), code: .invalidField,
            field: "clusters[dev-cluster].cluster.certificate-authority-data"),
        Malformed(
            name: "CA file does not exist", yaml: kubeconfig(cluster: "    server: https://h:6443\n    certificate-authority: missing/ca.crt"),
            code: .unreadableFile, field: "clusters[dev-cluster].cluster.certificate-authority"),
        Malformed(
            name: "CA together with insecure-skip-tls-verify",
            yaml: kubeconfig(
                cluster: "    server: https://h:6443\n    insecure-skip-tls-verify: true\n    certificate-authority-data: \(base64(caPEM))"),
            code: .invalidField, field: "clusters[dev-cluster].cluster.insecure-skip-tls-verify"),
        Malformed(
            name: "client certificate without key", yaml: kubeconfig(user: "    client-certificate-data: \(base64(caPEM))"), code: .missingField,
            field: "users[dev-user].user.client-key-data"),
        Malformed(
            name: "client key is not a key",
            yaml: kubeconfig(user: "    client-certificate-data: \(base64(caPEM))\n    client-key-data: \(base64("not a key"))"), code: .invalidField,
            field: "users[dev-user].user.client-key-data"),
        Malformed(
            name: "exec credential plugin", yaml: kubeconfig(user: "    exec:\n      command: aws"), code: .unsupported,
            field: "users[dev-user].user.exec"),
        Malformed(
            name: "basic authentication", yaml: kubeconfig(user: "    username: admin\n    password: secret"), code: .unsupported,
            field: "users[dev-user].user.username"),
    ]

    static var caPEM: String { (try? pki.get().caCertificatePEM) ?? "" }

    /// Each malformed kubeconfig is refused with its own code and the field at fault.
    @Test(arguments: malformed)
    func malformedKubeconfig(_ test: Malformed) throws {
        let error = #expect(throws: KubeConfigError.self) { try KubeConfig.parse(yaml: test.yaml, path: "/etc/kube/config") }
        #expect(error?.code == test.code)
        #expect(error?.field == test.field)
        #expect(error?.file == "/etc/kube/config")
        #expect(error?.description.contains("/etc/kube/config") == true)
    }

    /// The error text names the file, the context and the field together.
    @Test func errorNamesFileContextAndField() {
        let error = #expect(throws: KubeConfigError.self) {
            try KubeConfig.parse(yaml: Self.kubeconfig(cluster: "    server: ftp://h"), path: "/home/u/.kube/config")
        }
        #expect(
            error?.description
                == "kubeconfig /home/u/.kube/config: context \"dev\": clusters[dev-cluster].cluster.server: \"ftp://h\" is not an http:// or https:// URL with a host"
        )
    }

    /// A missing file is reported as unreadable, naming it.
    @Test func missingFile() {
        let error = #expect(throws: KubeConfigError.self) { try KubeConfig.load(path: "/nonexistent/kubeconfig") }
        #expect(error?.code == .unreadableFile)
        #expect(error?.description == "kubeconfig /nonexistent/kubeconfig: the file does not exist")
    }

    /// Token, inline CA and namespace resolve from the current context.
    @Test func tokenAndInlineCA() throws {
        let yaml = Self.kubeconfig(cluster: "    server: https://10.1.2.3:6443/\n    certificate-authority-data: \(Self.base64(Self.caPEM))")
        let config = try KubeConfig.parse(yaml: yaml, path: "/k/config")
        #expect(config.server.absoluteString == "https://10.1.2.3:6443/")
        #expect(config.credential == .token("secret-token"))
        #expect(config.certificateAuthorityPEM == Data(Self.caPEM.utf8))
        #expect(config.insecureSkipTLSVerify == false)
        #expect(config.namespace == "team-a")
        #expect(config.source == "kubeconfig /k/config, context \"dev\"")
    }

    /// Certificate, key and CA files resolve relative to the kubeconfig's directory; a named
    /// context wins over current-context.
    @Test func clientCertificateFilesAndNamedContext() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pki = try Self.pki.get()
        let client = try pki.clientCredential(user: "alice")
        try directory.write("pki/ca.crt", pki.caCertificatePEM)
        try directory.write("pki/alice.crt", client.certificatePEM)
        try directory.write("pki/alice.key", client.privateKeyPEM)
        let path = try directory.write(
            "config",
            """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: secure
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority: pki/ca.crt
            users:
            - name: alice
              user:
                client-certificate: pki/alice.crt
                client-key: pki/alice.key
            contexts:
            - name: dev
              context:
                cluster: missing
            - name: other
              context:
                cluster: secure
                user: alice
            """)
        let config = try KubeConfig.load(path: path, context: "other")
        #expect(config.clientCertificatePEM == Data(client.certificatePEM.utf8))
        #expect(config.clientKeyPEM == Data(client.privateKeyPEM.utf8))
        #expect(config.certificateAuthorityPEM == Data(pki.caCertificatePEM.utf8))
        #expect(config.credential == nil)
        _ = try config.makeTLSConfiguration()
    }

    /// insecure-skip-tls-verify is honoured only because the file says so.
    @Test func insecureOnlyWhenAsked() throws {
        let insecure = try KubeConfig.parse(
            yaml: Self.kubeconfig(cluster: "    server: https://h:6443\n    insecure-skip-tls-verify: true"), path: "/k")
        #expect(insecure.insecureSkipTLSVerify)
        #expect(try insecure.makeTLSConfiguration().certificateVerification == .none)
        let secure = try KubeConfig.parse(yaml: Self.kubeconfig(), path: "/k")
        #expect(try secure.makeTLSConfiguration().certificateVerification == .fullVerification)
    }

    /// In a pod: the service address from the environment, the token file (re-read per request),
    /// the CA and the namespace from the service account directory.
    @Test func inCluster() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("token", "sa-token\n")
        try directory.write("ca.crt", Self.caPEM)
        try directory.write("namespace", "image-registry-system")
        let config = try KubeConfig.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"], serviceAccountDirectory: directory.path)
        #expect(config.server.absoluteString == "https://[fd00::1]:443")
        #expect(config.credential == .tokenFile(directory.url.appendingPathComponent("token").path))
        #expect(config.namespace == "image-registry-system")
        #expect(config.source == "in-cluster")
    }

    /// Outside a pod, or without the token, in-cluster configuration fails clearly.
    @Test func inClusterFailures() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outside = #expect(throws: KubeConfigError.self) { try KubeConfig.inCluster(environment: [:], serviceAccountDirectory: directory.path) }
        #expect(outside?.code == .notInCluster)
        let noToken = #expect(throws: KubeConfigError.self) {
            try KubeConfig.inCluster(
                environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"], serviceAccountDirectory: directory.path)
        }
        #expect(noToken?.code == .unreadableFile)
        #expect(noToken?.file == directory.url.appendingPathComponent("token").path)
    }
}
