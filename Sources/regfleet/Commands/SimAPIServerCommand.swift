import ArgumentParser
import FleetPKI
import Foundation
import KubeSimulator
import KubeSimulatorServer
import Logging

/// `regfleet sim-apiserver`: a simulated cluster served on the Kubernetes REST paths, so that
/// kubectl, `regfleet operator --kubeconfig` and `regfleet agent --kubeconfig` can run against it.
struct SimAPIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim-apiserver",
        abstract: "Serve a simulated Kubernetes cluster over HTTP(S) with the Kubernetes REST API.",
        discussion: """
            The cluster's controllers run live (nodes, deployments, daemon sets, jobs, cron jobs). It serves \
            HTTPS with --tls-cert/--tls-key, else with a certificate made at start for the listen address \
            (kubectl sends tokens only over HTTPS); --plain-http serves HTTP. Requests authenticate with \
            --token (generated when not given; it is a cluster administrator) or, with --client-ca, a \
            client certificate whose CN is the user and O the groups. --write-kubeconfig writes a \
            kubeconfig for kubectl and --kubeconfig. Stops on SIGINT or SIGTERM.
            """
    )

    @Option(name: .long, help: "Address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen = "127.0.0.1:6443"

    @Option(name: .long, help: "Worker nodes of the simulated cluster.")
    var nodes = 3

    @Option(name: .long, help: "Bearer token of the administrator (default: a random one).")
    var token: String?

    @Option(name: .customLong("tls-cert"), help: "PEM serving certificate (chain); serves HTTPS with --tls-key.")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("client-ca"), help: "PEM CA of client certificates (needs --tls-cert).")
    var clientCA: String?

    @Option(name: .customLong("tls-ca"), help: "PEM CA written into --write-kubeconfig to verify the server (default: --tls-cert itself).")
    var tlsCA: String?

    @Flag(name: .customLong("plain-http"), help: "Serve plain HTTP instead of HTTPS.")
    var plainHTTP = false

    @Flag(name: .long, help: "Authorize with the RBAC objects stored in the cluster (system:masters bypasses it).")
    var rbac = false

    @Option(name: .customLong("write-kubeconfig"), help: "Write a kubeconfig for this server (mode 0600) once it listens.")
    var writeKubeconfig: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try HubCommand.address(listen, flag: "--listen")
        guard nodes >= 1 else { throw ValidationError("--nodes must be at least 1") }
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        if clientCA != nil && tlsCertificate == nil { throw ValidationError("--client-ca needs --tls-cert and --tls-key") }
        if tlsCA != nil && tlsCertificate == nil { throw ValidationError("--tls-ca needs --tls-cert and --tls-key") }
        if plainHTTP && tlsCertificate != nil { throw ValidationError("--plain-http excludes --tls-cert") }
        if let token, token.isEmpty || token.contains(where: \.isWhitespace) { throw ValidationError("--token must be non-empty without spaces") }
    }

    func run() async throws {
        let logger = logging.makeLogger("sim-apiserver")
        let (host, port) = try HubCommand.address(listen, flag: "--listen")
        let adminToken = token ?? Self.randomToken()
        var tls: SimulatedAPIServerConfiguration.TLS?
        var kubeconfigCA: String?
        if let tlsCertificate, let tlsKey {
            tls = .init(
                certificateChainPEM: try Self.read(tlsCertificate, flag: "--tls-cert"), privateKeyPEM: try Self.read(tlsKey, flag: "--tls-key"),
                clientCAPEM: try clientCA.map { try Self.read($0, flag: "--client-ca") })
            kubeconfigCA = try tlsCA.map { try Self.read($0, flag: "--tls-ca") } ?? tls?.certificateChainPEM
        } else if !plainHTTP {
            let generated = try Self.servingCertificate(host: host)
            tls = .init(certificateChainPEM: generated.certificatePEM, privateKeyPEM: generated.privateKeyPEM)
            kubeconfigCA = generated.caPEM
        }
        let configuration = SimulatedAPIServerConfiguration(
            host: host, port: port, tls: tls, tokens: [adminToken: UserInfo.admin("regfleet-sim-admin")], authorization: rbac ? .rbac : .alwaysAllow)
        let cluster = SimulatedCluster(name: "sim-apiserver", options: SimulationOptions(nodeCount: nodes), logger: logger)
        let kubeconfigPath = writeKubeconfig
        let token = self.token
        let scheme = tls == nil ? "http" : "https"
        let trustedCA = kubeconfigCA
        let server = SimulatedAPIServer(cluster: cluster, configuration: configuration, logger: logger) { boundPort in
            let clientHost = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host
            let url = "\(scheme)://\(clientHost.contains(":") ? "[\(clientHost)]" : clientHost):\(boundPort)"
            print("simulated API server listening on \(url)")
            if let kubeconfigPath {
                do {
                    try KubeconfigDocument(name: "regfleet-sim", server: url, certificateAuthorityPEM: trustedCA, token: adminToken).write(
                        to: kubeconfigPath)
                    print("wrote \(kubeconfigPath) (context regfleet-sim)")
                } catch {
                    logger.error("cannot write the kubeconfig", metadata: ["path": "\(kubeconfigPath)", "error": "\(error)"])
                }
            } else if token == nil {
                print("administrator token: \(adminToken)")
            }
        }
        await cluster.startControllers()
        do {
            try await server.runUntilTerminated()
        } catch {
            await cluster.stopControllers()
            throw error
        }
        await cluster.stopControllers()
    }

    /// A throwaway CA and a serving certificate for `host`, localhost and the loopback addresses.
    static func servingCertificate(host: String) throws -> (caPEM: String, certificatePEM: String, privateKeyPEM: String) {
        let now = Date()
        let authority = try CertificateAuthority.create(commonName: "regfleet sim-apiserver CA", now: now.addingTimeInterval(-60))
        let key = FleetPrivateKey()
        let names = ["localhost", "127.0.0.1", "::1"] + (["0.0.0.0", "::", ""].contains(host) ? [] : [host])
        let issued = try authority.issueServerCertificate(
            names: ServerNames(parsing: names), publicKey: key.publicKey, now: now.addingTimeInterval(-60))
        return (authority.certificatePEM, issued.pem, key.pem)
    }

    /// 32 random bytes, hex.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    static func read(_ path: String, flag: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(flag): cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }
}
