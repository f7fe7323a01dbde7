import ArgumentParser
import FleetClient
import FleetPKI
import Foundation

/// How the admin CLI reaches the hub: its URL and an admin certificate, from a PKI directory
/// (`regfleet pki init`) or explicit files. Flags win over the environment (REGFLEET_HUB, REGFLEET_PKI_DIR,
/// REGFLEET_ADMIN, REGFLEET_CONTEXT), which wins over the config file's context (`regfleet config`). There is
/// no default hub: a command that is not told which hub to use says so.
struct HubConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Context of the config file to use (default $REGFLEET_CONTEXT or its current context).")
    var context: String?

    @Option(name: .long, help: "Hub URL (default $REGFLEET_HUB or the context's).")
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
        let configPath = CLIConfig.path
        let selected = try CLIConfig.load(from: configPath).selectedContext(flag: context, path: configPath)
        let fromContext = { (path: String?) in CLIConfig.resolve(path, relativeTo: configPath) }
        guard let url = hub ?? environment["REGFLEET_HUB"] ?? selected?.hub else {
            throw ValidationFailure(
                "no hub to talk to: give --hub URL, set $REGFLEET_HUB, or create a context (regfleet config set-context NAME --hub URL --pki-dir DIR)")
        }
        try Self.requireHTTPS(url)
        let caPEM: String
        let certificatePEM: String
        let keyPEM: String
        let directory = pkiDir ?? environment["REGFLEET_PKI_DIR"]
        if let caFile, let cert, let key {
            caPEM = try Self.read(caFile, what: "CA certificate")
            certificatePEM = try Self.read(cert, what: "client certificate")
            keyPEM = try Self.read(key, what: "client key")
        } else if directory == nil, let selected, let caFile = fromContext(selected.caFile), let cert = fromContext(selected.cert),
            let key = fromContext(selected.key)
        {
            caPEM = try Self.read(caFile, what: "CA certificate")
            certificatePEM = try Self.read(cert, what: "client certificate")
            keyPEM = try Self.read(key, what: "client key")
        } else {
            guard let directory = directory ?? fromContext(selected?.pkiDir) else {
                throw ValidationFailure("say how to authenticate: --pki-dir DIR (or $REGFLEET_PKI_DIR, or a context's pkiDir), or --ca-file, --cert and --key")
            }
            let pki = PKIDirectory(path: directory)
            let name = admin ?? environment["REGFLEET_ADMIN"] ?? selected?.admin ?? "admin"
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
            throw ValidationFailure("cannot read the \(what) \(path): \(error.localizedDescription)")
        }
    }

    /// The hub serves its API over HTTPS only: anything else is refused before a connection is tried.
    static func requireHTTPS(_ url: String) throws {
        guard let parsed = URL(string: url), parsed.scheme == "https", parsed.host?.isEmpty == false else {
            throw ValidationFailure("--hub must be an https:// URL such as https://hub.example.com:8443 (the hub serves its API over HTTPS only), got \"\(url)\"")
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

/// `--output table|wide|json|yaml|name`; `name` prints one name (or id) per line, for scripts (as kubectl's
/// `-o name`); `wide` is the table with more columns where a command has them, else the table.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, wide, json, yaml, name

    /// Table or wide: a human table, not a document.
    var isTable: Bool { self == .table || self == .wide }
}
