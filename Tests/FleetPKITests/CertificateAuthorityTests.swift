import Crypto
import FleetPKI
import Foundation
import SwiftASN1
import Testing
import X509

struct CertificateAuthorityTests {
    /// The CA is a self-signed P-256 CA with keyCertSign and cRLSign, a key id and a ten-year life.
    @Test func caShape() throws {
        let ca = try Fixtures.ca()
        let certificate = ca.certificate
        #expect(certificate.subject == certificate.issuer)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(P256.Signing.PublicKey(certificate.publicKey) != nil)
        #expect(try certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        let usage = try #require(try certificate.extensions.keyUsage)
        #expect(usage.keyCertSign && usage.cRLSign && !usage.digitalSignature)
        #expect(try certificate.extensions.subjectKeyIdentifier != nil)
        #expect(certificate.notValidBefore == Fixtures.now)
        #expect(certificate.notValidAfter == Fixtures.now.addingTimeInterval(CertificateAuthority.defaultLifetime))
    }

    /// A client certificate carries clientAuth and the identity URI and verifies against the CA root.
    @Test func clientCertificateVerifies() async throws {
        let ca = try Fixtures.ca()
        let issued = try ca.issueClientCertificate(for: .cluster("edge-1"), publicKey: FleetPrivateKey().publicKey, now: Fixtures.now)
        #expect(issued.identity == .cluster("edge-1"))
        #expect(try issued.certificate.extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
        #expect(
            try issued.certificate.extensions.subjectAlternativeNames.map(Array.init) == [
                .uniformResourceIdentifier("spiffe://regfleet/cluster/edge-1")
            ])
        #expect(try issued.certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(
            try issued.certificate.extensions.authorityKeyIdentifier?.keyIdentifier
                == ca.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(await Fixtures.verify(issued.certificate, root: ca.certificate))
    }

    /// A certificate from another CA does not verify against ours.
    @Test func foreignCertificateFails() async throws {
        let ours = try Fixtures.ca()
        let foreign = try Fixtures.ca()
        let issued = try foreign.issueClientCertificate(for: .cluster("edge-1"), publicKey: FleetPrivateKey().publicKey, now: Fixtures.now)
        #expect(await Fixtures.verify(issued.certificate, root: foreign.certificate))
        #expect(await !Fixtures.verify(issued.certificate, root: ours.certificate))
    }

    /// The server certificate carries serverAuth, every DNS and IP SAN plus the hub URI, and matches each name.
    @Test func serverCertificate() async throws {
        let ca = try Fixtures.ca()
        let names = try ServerNames(parsing: ["localhost", "127.0.0.1", "::1", "hub.example.com"])
        let issued = try ca.issueServerCertificate(names: names, publicKey: FleetPrivateKey().publicKey, now: Fixtures.now)
        let sans = try #require(try issued.certificate.extensions.subjectAlternativeNames)
        #expect(
            Array(sans) == [
                .dnsName("localhost"), .dnsName("hub.example.com"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
                .uniformResourceIdentifier("spiffe://regfleet/hub"),
            ])
        #expect(try issued.certificate.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
        #expect(issued.identity == .hub)
        #expect(await Fixtures.verify(issued.certificate, root: ca.certificate, serverHostname: "hub.example.com"))
        #expect(await Fixtures.verify(issued.certificate, root: ca.certificate, serverIP: "::1"))
        #expect(await Fixtures.verify(issued.certificate, root: ca.certificate, serverIP: "127.0.0.1"))
        #expect(await !Fixtures.verify(issued.certificate, root: ca.certificate, serverHostname: "evil.example.com"))
    }

    /// Validity starts at the injected time and lasts the lifetime; serials are random 32-digit lowercase hex.
    @Test func validityAndSerial() throws {
        let ca = try Fixtures.ca()
        let key = FleetPrivateKey()
        let first = try ca.issueClientCertificate(for: .admin("alice"), publicKey: key.publicKey, now: Fixtures.now, lifetime: 3600)
        let second = try ca.issueClientCertificate(for: .admin("alice"), publicKey: key.publicKey, now: Fixtures.now, lifetime: 3600)
        #expect(first.notBefore == Fixtures.now)
        #expect(first.notAfter == Fixtures.now.addingTimeInterval(3600))
        #expect(first.serialHex.count == 32)
        #expect(first.serialHex.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(first.serialHex != second.serialHex)
        #expect(first.pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
    }

    /// A leaf never outlives the CA that signed it.
    @Test func lifetimeClampedToCA() throws {
        let ca = try Fixtures.ca(lifetime: 86_400)
        let issued = try ca.issueClientCertificate(for: .admin("alice"), publicKey: FleetPrivateKey().publicKey, now: Fixtures.now)
        #expect(issued.notAfter == ca.notAfter)
    }

    /// Bad requests to the CA are refused with their codes: bad name, hub as a client, no lifetime, expired CA.
    @Test func refusesBadIssuance() throws {
        let ca = try Fixtures.ca(lifetime: 86_400)
        let key = FleetPrivateKey().publicKey
        #expect(throws: PKIError(code: .invalidIdentity, message: "")) {
            try ca.issueClientCertificate(for: .cluster("Edge 1"), publicKey: key, now: Fixtures.now)
        }
        #expect(throws: PKIError(code: .invalidIdentity, message: "")) {
            try ca.issueClientCertificate(for: .hub, publicKey: key, now: Fixtures.now)
        }
        #expect(throws: PKIError(code: .invalidLifetime, message: "")) {
            try ca.issueClientCertificate(for: .admin("a"), publicKey: key, now: Fixtures.now, lifetime: 0)
        }
        #expect(throws: PKIError(code: .invalidCertificateAuthority, message: "")) {
            try ca.issueClientCertificate(for: .admin("a"), publicKey: key, now: Fixtures.now.addingTimeInterval(2 * 86_400))
        }
    }

    /// A CA reloaded from its PEM files issues certificates that verify against the original.
    @Test func loadFromPEM() async throws {
        let ca = try Fixtures.ca()
        let loaded = try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM)
        #expect(loaded.certificate == ca.certificate)
        let issued = try loaded.issueClientCertificate(for: .admin("bob"), publicKey: FleetPrivateKey().publicKey, now: Fixtures.now)
        #expect(await Fixtures.verify(issued.certificate, root: ca.certificate))
    }

    /// Loading refuses garbage PEM, a key that is not the CA's, and a certificate that is not a CA.
    @Test func loadRefusesMismatches() throws {
        let ca = try Fixtures.ca()
        let other = try Fixtures.ca()
        let leafKey = FleetPrivateKey()
        let leaf = try ca.issueClientCertificate(for: .admin("a"), publicKey: leafKey.publicKey, now: Fixtures.now)
        #expect(throws: PKIError(code: .invalidPEM, message: "")) {
            try CertificateAuthority(certificatePEM: "garbage", privateKeyPEM: ca.privateKeyPEM)
        }
        #expect(throws: PKIError(code: .invalidPEM, message: "")) {
            try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: "garbage")
        }
        #expect(throws: PKIError(code: .invalidCertificateAuthority, message: "")) {
            try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: other.privateKeyPEM)
        }
        #expect(throws: PKIError(code: .invalidCertificateAuthority, message: "")) {
            try CertificateAuthority(certificatePEM: leaf.pem, privateKeyPEM: leafKey.pem)
        }
    }
}
