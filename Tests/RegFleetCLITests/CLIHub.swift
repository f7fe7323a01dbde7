import FleetClient
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// A real `regfleet hub` process in a fresh directory with its PKI, an admin client of it, and the flags that
/// point the CLI at it: what the CLI tests run commands against.
final class CLIHub: Sendable {
    let directory: URL
    let hub: RegFleetProcess
    let baseURL: String
    let caPEM: String
    let admin: HubAdminClient

    init(_ prefix: String) async throws {
        directory = try temporaryDirectory(prefix)
        #expect(try await RegFleetProcess.run(["pki", "init", "--dir", "pki", "--hub-san", "127.0.0.1"], in: directory).status == 0)
        let (hub, port) = try await RegFleetProcess.startHub(in: directory)
        self.hub = hub
        baseURL = "https://127.0.0.1:\(port)"
        let pki = PKIDirectory(path: directory.appendingPathComponent("pki").path)
        caPEM = try pki.loadCACertificatePEM()
        let credential = try pki.loadAdminCredential(name: "admin")
        admin = HubAdminClient(
            connection: try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: credential.certificatePEM, clientKeyPEM: credential.privateKeyPEM))
    }

    /// `--hub URL --pki-dir pki`.
    var connectionFlags: [String] { ["--hub", baseURL, "--pki-dir", "pki"] }

    /// Runs `regfleet ARGS --hub … --pki-dir pki` in the hub's directory.
    func run(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await RegFleetProcess.run(arguments + connectionFlags, in: directory, input: input)
    }

    /// Enrolls `cluster` as its agent would (token, fresh key, CSR) and returns the agent's connection.
    func enroll(_ cluster: String, labels: [String: String]? = nil) async throws -> HubConnection {
        let token = try await admin.createToken(TokenRequest(cluster: cluster, labels: labels))
        let key = FleetPrivateKey()
        let anonymous = try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: nil, clientKeyPEM: nil)
        defer { Task { await anonymous.shutdown() } }
        let issued = try await anonymous.call(
            .POST, "/v1/enroll", body: EnrollRequest(cluster: cluster, token: token.token, csr: try SigningRequest(identity: .cluster(cluster), key: key).pem),
            as: CertificateResponse.self)
        return try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: issued.certificate, clientKeyPEM: key.pem)
    }

    /// Stops the hub gracefully (it must exit 0) and removes the directory.
    func stop() async throws {
        await admin.connection.shutdown()
        hub.signal(SIGTERM)
        #expect(try await hub.wait() == 0)
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        hub.signal(SIGKILL)
    }
}
