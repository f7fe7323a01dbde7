import Crypto
import FleetPKI
import SwiftASN1
import Testing
import X509

struct SigningRequestTests {
    /// An agent's CSR round-trips through PEM and the hub issues for the identity it chose, not the requested one.
    @Test func issuesForCallersIdentity() async throws {
        let ca = try Fixtures.ca()
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster("edge-1"), key: key)
        #expect(csr.pem.hasPrefix("-----BEGIN CERTIFICATE REQUEST-----"))
        let received = try SigningRequest(pem: csr.pem)
        #expect(received.requestedIdentity == .cluster("edge-1"))
        #expect(received.publicKey == key.publicKey)

        let issued = try ca.issueClientCertificate(for: .cluster("edge-2"), csrPEM: csr.pem, now: Fixtures.now)
        #expect(issued.identity == .cluster("edge-2"))
        #expect(try PeerCertificate(pem: issued.pem).identity == .cluster("edge-2"))
        #expect(issued.certificate.publicKey == key.publicKey)
        #expect(await Fixtures.verify(issued.certificate, root: ca.certificate))
    }

    /// A CSR whose signed content was altered after signing is refused as invalidCSR.
    @Test func tamperedCSRRejected() throws {
        let csr = try SigningRequest(identity: .cluster("edge-1"), key: FleetPrivateKey())
        var der = try PEMDocument(pemString: csr.pem).derBytes
        let needle = Array("cluster/edge-1".utf8)
        let offset = try #require((0...(der.count - needle.count)).first { Array(der[$0..<($0 + needle.count)]) == needle })
        der[offset + needle.count - 1] = UInt8(ascii: "2")
        let tampered = PEMDocument(type: "CERTIFICATE REQUEST", derBytes: der).pemString
        #expect(throws: PKIError(code: .invalidCSR, message: "")) { try SigningRequest(pem: tampered) }
        let ca = try Fixtures.ca()
        #expect(throws: PKIError(code: .invalidCSR, message: "")) {
            try ca.issueClientCertificate(for: .cluster("edge-1"), csrPEM: tampered, now: Fixtures.now)
        }
    }

    /// A CSR that names someone else's public key but is signed by another key is refused.
    @Test func foreignKeyRejected() throws {
        let claimed = P256.Signing.PrivateKey()
        let signer = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName { CommonName("cluster/edge-1") }
        let honest = try CertificateSigningRequest(
            version: .v1, subject: subject, privateKey: signer, attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256)
        let forged = try CertificateSigningRequest(
            version: .v1, subject: subject, publicKey: Certificate.PublicKey(claimed.publicKey), attributes: .init(),
            signatureAlgorithm: .ecdsaWithSHA256, signature: honest.signature)
        let error = #expect(throws: PKIError.self) { try SigningRequest(pem: forged.serializeAsPEM().pemString) }
        #expect(error?.code == .invalidCSR)
        #expect(error?.message.contains("signature") == true)
    }

    /// A CSR for a key other than P-256 is refused, as is text that is not a CSR.
    @Test func wrongKeyTypeAndGarbageRejected() throws {
        let key = Certificate.PrivateKey(P384.Signing.PrivateKey())
        let csr = try CertificateSigningRequest(
            version: .v1, subject: try DistinguishedName { CommonName("x") }, privateKey: key, attributes: .init(),
            signatureAlgorithm: .ecdsaWithSHA384)
        #expect(throws: PKIError(code: .invalidCSR, message: "")) { try SigningRequest(pem: csr.serializeAsPEM().pemString) }
        #expect(throws: PKIError(code: .invalidCSR, message: "")) { try SigningRequest(pem: "not a csr") }
    }

    /// A private key survives PEM export and import, and a non-key PEM is refused.
    @Test func privateKeyPEMRoundTrip() throws {
        let key = FleetPrivateKey()
        #expect(key.pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try FleetPrivateKey(pem: key.pem).publicKey == key.publicKey)
        #expect(throws: PKIError(code: .invalidPEM, message: "")) {
            try FleetPrivateKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")
        }
    }
}
