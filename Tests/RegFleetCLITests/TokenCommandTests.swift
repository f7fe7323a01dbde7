import FleetClient
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// `regfleet token create` as deploy/agent/bootstrap-secret.yaml uses it: `$(regfleet token create …)`.
struct TokenCommandTests {
    /// Standard output holds the token alone, so the captured value enrolls; the note about it goes to stderr.
    @Test func capturedTokenEnrolls() async throws {
        let fixture = try await CLIHub("token")
        let created = try await fixture.run(["token", "create", "--cluster", "edge-7"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stderr.contains("token for cluster edge-7"), "\(created.stderr)")
        let lines = created.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "one line on stdout: \(created.stdout)")
        // What the shell's $(…) keeps: everything but the trailing newlines.
        var captured = created.stdout
        while captured.hasSuffix("\n") { captured.removeLast() }

        let anonymous = try HubConnection(baseURL: fixture.baseURL, caCertificatePEM: fixture.caPEM, clientCertificatePEM: nil, clientKeyPEM: nil)
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster("edge-7"), key: key)
        let certificate = try await anonymous.call(
            .POST, "/v1/enroll", body: EnrollRequest(cluster: "edge-7", token: captured, csr: csr.pem), as: CertificateResponse.self)
        await anonymous.shutdown()
        #expect(certificate.cluster == "edge-7")
        try await fixture.stop()
    }

    /// The command deploy/agent/bootstrap-secret.yaml tells people to run, run by a shell as written (with the
    /// cluster's name filled in): what `$(…)` captures is a token that enrolls. `--quiet` prints the same.
    @Test func deployInstructionsStoreAWorkingToken() async throws {
        let fixture = try await CLIHub("token-deploy")
        let manifest = FleetExamplesTests.root.deletingLastPathComponent().appendingPathComponent("deploy/agent/bootstrap-secret.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        let range = try #require(text.range(of: #"\$\(regfleet token create [^)]*\)"#, options: .regularExpression), "the instructions create a token")
        let substitution = text[range].replacingOccurrences(of: "NAME", with: "edge-8")
        let shell = try SpawnedChild(
            executable: "/bin/sh", arguments: ["-c", "printf %s \"\(substitution)\""],
            environment: ProcessInfo.processInfo.environment.merging([
                "PATH": RegFleetProcess.binary.deletingLastPathComponent().path + ":/usr/bin:/bin", "REGFLEET_HUB": fixture.baseURL,
                "REGFLEET_PKI_DIR": fixture.directory.appendingPathComponent("pki").path,
                "REGFLEET_CONFIG": fixture.directory.appendingPathComponent("none.yaml").path,
            ]) { $1 }, directory: fixture.directory.path, withInput: false)
        let captured = String(decoding: shell.standardOutput.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: shell.standardError.readDataToEndOfFile(), as: UTF8.self)
        #expect(errors.isEmpty, "-o name writes nothing else: \(errors)")
        #expect(captured.count >= 32 && !captured.contains(" "), "\(captured)")
        let anonymous = try HubConnection(baseURL: fixture.baseURL, caCertificatePEM: fixture.caPEM, clientCertificatePEM: nil, clientKeyPEM: nil)
        let key = FleetPrivateKey()
        let issued = try await anonymous.call(
            .POST, "/v1/enroll", body: EnrollRequest(cluster: "edge-8", token: captured, csr: try SigningRequest(identity: .cluster("edge-8"), key: key).pem),
            as: CertificateResponse.self)
        #expect(issued.cluster == "edge-8")
        let quiet = try await fixture.run(["token", "create", "--cluster", "edge-9", "-q"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty && !quiet.stdout.contains(" "), "\(quiet)")
        let names = try await fixture.run(["cluster", "ls", "-o", "name"])
        #expect(names.stdout == "edge-8\n", "-o name lists names: \(names.stdout)")
        await anonymous.shutdown()
        try await fixture.stop()
    }

    /// `pki revoke-admin`: another admin's certificate is refused from the next request on; an admin cannot
    /// revoke the certificate it calls with; both are one-line answers.
    @Test func revokedAdminIsRefused() async throws {
        let fixture = try await CLIHub("revoke-admin")
        #expect(try await RegFleetProcess.run(["pki", "issue-admin", "bob", "--dir", "pki"], in: fixture.directory).status == 0)
        let asBob = ["--admin", "bob"]
        #expect(try await fixture.run(["cluster", "ls"] + asBob).status == 0, "bob works before")
        let revoked = try await fixture.run(["pki", "revoke-admin", "bob", "--reason", "left the team"])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(revoked.stdout.contains("admin bob's certificate (serial ") && revoked.stdout.contains(") revoked"), "\(revoked.stdout)")
        let refused = try await fixture.run(["cluster", "ls"] + asBob)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("revoked"), "\(refused.stderr)")
        let own = try await fixture.run(["pki", "revoke-admin", "admin"])
        #expect(own.status != 0 && own.stderr.contains("revoke it as another admin"), "\(own.stderr)")
        #expect(try await fixture.run(["cluster", "ls"]).status == 0, "the admin still works")
        let audit = try await fixture.admin.audit(limit: 20).map(\.action)
        #expect(audit.contains("certificate.revoke"))
        try await fixture.stop()
    }
}
