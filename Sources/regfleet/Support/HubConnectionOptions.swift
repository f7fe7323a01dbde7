import ArgumentParser
import FleetClient
import FleetPKI
import Foundation

/// How the admin CLI reaches the hub: its URL and an admin certificate, from a PKI directory
/// (`regfleet pki init`) or explicit files. Environment: REGFLEET_HUB, REGFLEET_PKI_DIR, REGFLEET_ADMIN.
struct HubConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Hub URL (default $REGFLEET_HUB or https://127.0.0.1:8443).")
    var hub: String?

    @Option(name: .long, help: "PKI directory with ca.crt and admin-NAME.crt/.key (default $REGFLEET_PKI_DIR).")
    var pkiDir: String?

    @Option(name: .long, help: "Admin name whose certificate to use (default $REGFLEET_ADMIN or admin).")
    var admin: String?

    @Option(name: .long, help: "CA certificate file (instead of --pki-dir).")
    var caFile: String?

    @Option(name: .long, help: "Admin client certificate file (instead of --pki-dir).")
    var cert: String?

    @Option(name: .long, help: "Admin client key file (instead of --pki-dir).")
    var key: String?

    /// Opens the connection; the caller shuts it down.
    func connect() throws -> HubAdminClient {
        let environment = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        let url = hub ?? environment["REGFLEET_HUB"] ?? "https://127.0.0.1:8443"
        guard let parsed = URL(string: url), parsed.scheme == "https", parsed.host?.isEmpty == false else {
            throw ValidationError("--hub must be an https:// URL such as https://hub.example.com:8443 (the hub serves its API over HTTPS only), got \"\(url)\"")
        }
        let caPEM: String
        let certificatePEM: String
        let keyPEM: String
        if let caFile, let cert, let key {
            caPEM = try Self.read(caFile, what: "CA certificate")
            certificatePEM = try Self.read(cert, what: "client certificate")
            keyPEM = try Self.read(key, what: "client key")
        } else {
            guard let directory = pkiDir ?? environment["REGFLEET_PKI_DIR"] else {
                throw ValidationError("say how to authenticate: --pki-dir DIR (or $REGFLEET_PKI_DIR), or --ca-file, --cert and --key")
            }
            let pki = PKIDirectory(path: directory)
            let name = admin ?? environment["REGFLEET_ADMIN"] ?? "admin"
            caPEM = try pki.loadCACertificatePEM()
            let credential = try pki.loadAdminCredential(name: name)
            certificatePEM = credential.certificatePEM
            keyPEM = credential.privateKeyPEM
        }
        // A person at a terminal: a hub that does not answer is reported after 5 s, not after a long hang.
        return HubAdminClient(
            connection: try HubConnection(
                baseURL: url, caCertificatePEM: caPEM, clientCertificatePEM: certificatePEM, clientKeyPEM: keyPEM, connectTimeout: .seconds(5)))
    }

    static func read(_ path: String, what: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read the \(what) \(path): \(error.localizedDescription)")
        }
    }
}

extension HubAdminClient {
    /// Runs `body` with a client and always closes it.
    static func with<T>(_ options: HubConnectionOptions, _ body: (HubAdminClient) async throws -> T) async throws -> T {
        let client = try options.connect()
        do {
            let result = try await body(client)
            await client.connection.shutdown()
            return result
        } catch {
            await client.connection.shutdown()
            throw error
        }
    }
}

/// `--output table|json|yaml`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, yaml
}
