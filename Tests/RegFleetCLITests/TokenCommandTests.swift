import FleetClient
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
}
