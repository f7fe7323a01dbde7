import FleetPKI
import Foundation
import Testing

struct MutualTLSTests {
    /// A fleet whose certificates are issued at the real current time, since BoringSSL checks validity against the clock.
    struct Fleet {
        let ca: CertificateAuthority
        let hub: FleetCredential

        init() throws {
            let now = Date()
            ca = try CertificateAuthority.create(now: now.addingTimeInterval(-60))
            let hubKey = FleetPrivateKey()
            let names = try ServerNames(parsing: ["localhost", "127.0.0.1", "::1"])
            let hubCertificate = try ca.issueServerCertificate(names: names, publicKey: hubKey.publicKey, now: now.addingTimeInterval(-60))
            hub = try FleetCredential(certificatePEM: hubCertificate.pem, privateKeyPEM: hubKey.pem)
        }

        /// An agent credential, enrolled through a CSR as the agent does.
        func agent(_ name: String, signedBy authority: CertificateAuthority? = nil) throws -> FleetCredential {
            let key = FleetPrivateKey()
            let csr = try SigningRequest(identity: .cluster(name), key: key)
            let issued = try (authority ?? ca).issueClientCertificate(for: .cluster(name), csrPEM: csr.pem, now: Date().addingTimeInterval(-60))
            return try FleetCredential(certificatePEM: issued.pem, privateKeyPEM: key.pem)
        }
    }

    /// BoringSSL accepts our hub and client certificates: the handshake completes and the server reads the agent's identity.
    @Test func handshakeSucceeds() async throws {
        let fleet = try Fleet()
        let outcome = try await HandshakeProbe.run(server: fleet.hub, client: fleet.agent("edge-1"), caPEM: fleet.ca.certificatePEM)
        #expect(outcome == .accepted(.cluster("edge-1")))
    }

    /// A client certificate from a foreign CA is refused by the server.
    @Test func foreignClientRefused() async throws {
        let fleet = try Fleet()
        let foreign = try CertificateAuthority.create(now: Date().addingTimeInterval(-60))
        let outcome = try await HandshakeProbe.run(
            server: fleet.hub, client: fleet.agent("edge-1", signedBy: foreign), caPEM: fleet.ca.certificatePEM)
        guard case .refused(let reason) = outcome else { Issue.record("expected refusal, got \(outcome)"); return }
        #expect(reason.contains("CERTIFICATE_VERIFY_FAILED"), "\(reason)")
    }

    /// A client without a certificate is refused by the server.
    @Test func missingClientCertificateRefused() async throws {
        let fleet = try Fleet()
        let outcome = try await HandshakeProbe.run(server: fleet.hub, client: nil, caPEM: fleet.ca.certificatePEM)
        guard case .refused(let reason) = outcome else { Issue.record("expected refusal, got \(outcome)"); return }
        #expect(reason.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE"), "\(reason)")
    }
}
