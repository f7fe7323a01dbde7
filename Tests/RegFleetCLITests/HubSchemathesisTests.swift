import FleetClient
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// schemathesis (from PyPI; scripts/install-deps.sh puts it in .build-tools/schemathesis) against
/// a real `regfleet hub` process and the OpenAPI document it serves, over mutual TLS: once with
/// an admin certificate and once with an agent's. It must find no server error, no undocumented
/// status or content type, no body that breaks its documented schema, and no schema-valid request
/// refused; afterwards the hub process must still be alive and answering.
@Suite(.serialized) struct HubSchemathesisTests {
    /// Cases per operation and phase: bounded, and deterministic so a failure reproduces.
    static let examples = "25"
    static let conformance = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"

    /// The `st` executable: $REGFLEET_SCHEMATHESIS, the project's tool environment, or PATH.
    static func schemathesis() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["REGFLEET_SCHEMATHESIS"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [root.appendingPathComponent(".build-tools/schemathesis/bin/st").path]
            + (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/st" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `st run` to completion (bounded) and returns its exit status and output.
    static func run(_ st: String, _ arguments: [String], in directory: URL) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: st)
        process.arguments = ["run"] + arguments
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("st-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = ContinuousClock.now + .seconds(600)
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                Issue.record("schemathesis did not finish within 600 s")
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// The served document holds: no 5xx, nothing undocumented, schema-valid requests accepted, and the hub survives.
    @Test func hubConformsToItsOpenAPIDocument() async throws {
        guard let st = Self.schemathesis() else {
            Issue.record("schemathesis is not installed: run scripts/install-deps.sh")
            return
        }
        let directory = try temporaryDirectory("schemathesis")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await RegFleetProcess.run(["pki", "init", "--dir", "pki", "--hub-san", "127.0.0.1"], in: directory).status == 0)
        let (hub, port) = try await RegFleetProcess.startHub(in: directory, extra: ["--long-poll", "1s"])
        defer { if hub.process.isRunning { hub.signal(SIGKILL) } }
        let baseURL = "https://127.0.0.1:\(port)"

        // An enrolled, labelled cluster, so that operations reach real data; its agent's
        // certificate and key go to files for schemathesis.
        let pki = PKIDirectory(path: directory.appendingPathComponent("pki").path)
        let caPEM = try pki.loadCACertificatePEM()
        let adminCredential = try pki.loadAdminCredential(name: "admin")
        let admin = HubAdminClient(
            connection: try HubConnection(
                baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: adminCredential.certificatePEM, clientKeyPEM: adminCredential.privateKeyPEM))
        let anonymous = try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: nil, clientKeyPEM: nil)
        let token = try await admin.createToken(TokenRequest(cluster: "edge", labels: ["env": "prod"]))
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster("edge"), key: key)
        let issued = try await anonymous.call(.POST, "/v1/enroll", body: EnrollRequest(cluster: "edge", token: token.token, csr: csr.pem), as: CertificateResponse.self)
        try issued.certificate.write(to: directory.appendingPathComponent("agent.crt"), atomically: true, encoding: .utf8)
        try key.pem.write(to: directory.appendingPathComponent("agent.key"), atomically: true, encoding: .utf8)

        let common = [
            "\(baseURL)/v1/openapi.yaml", "--tls-verify", pki.caCertificatePath, "-n", Self.examples, "--generation-deterministic",
            "--no-color",
        ]
        let admins = ["--request-cert", pki.adminCertificatePath(name: "admin"), "--request-cert-key", pki.adminPrivateKeyPath(name: "admin")]
        let agents = ["--request-cert", "agent.crt", "--request-cert-key", "agent.key"]
        // A CSR's validity is cryptographic (its P-256 key must sign it), which no schema can state:
        // for the two CSR operations a schema-valid random CSR is rightly refused, so they run
        // every check but positive-data acceptance.
        // Likewise a `continue` token: opaque, issued by the hub, so a random string is rightly a 400.
        let csrOperations = ["--include-path", "/v1/enroll", "--include-path", "/v1/agent/renew"]
        let listOperation = ["--include-name", "GET /v1/clusters"]
        let otherOperations = ["--exclude-path", "/v1/enroll", "--exclude-path", "/v1/agent/renew", "--exclude-name", "GET /v1/clusters"]
        // The admin run last: it may delete the cluster, which revokes the agent's certificate.
        let runs: [(String, [String])] = [
            ("agent", common + agents + otherOperations + ["--checks", Self.conformance + ",positive_data_acceptance"]),
            ("csr", common + agents + csrOperations + ["--checks", Self.conformance]),
            ("list", common + admins + listOperation + ["--checks", Self.conformance]),
            ("admin", common + admins + otherOperations + ["--checks", Self.conformance + ",positive_data_acceptance"]),
        ]
        for (name, arguments) in runs {
            let (status, output) = try await Self.run(st, arguments, in: directory)
            #expect(status == 0, "schemathesis (\(name)) failed:\n\(output.suffix(6000))")
            #expect(output.contains("passed"), "schemathesis (\(name)) ran nothing:\n\(output.suffix(2000))")
            #expect(hub.process.isRunning, "the hub died during the \(name) run; stderr: \(hub.standardError.suffix(2000))")
        }
        #expect(try await anonymous.send(.GET, "/healthz").status == 200)
        await admin.connection.shutdown()
        await anonymous.shutdown()
        hub.signal(SIGTERM)
        #expect(try await hub.wait() == 0)
    }
}
