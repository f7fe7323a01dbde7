import FleetPKI
import Foundation
import SwiftASN1
import Testing
import X509

struct PeerCertificateTests {
    /// DER bytes (as NIOSSL hands them over) give the identity, serial, validity and issuer of an issued certificate.
    @Test func readsIssuedCertificate() throws {
        let ca = try Fixtures.ca()
        let issued = try ca.issueClientCertificate(for: .cluster("edge-1"), publicKey: FleetPrivateKey().publicKey, now: Fixtures.now)
        var serializer = DER.Serializer()
        try serializer.serialize(issued.certificate)
        let peer = try PeerCertificate(derBytes: serializer.serializedBytes)
        #expect(peer.identity == .cluster("edge-1"))
        #expect(peer.serialHex == issued.serialHex)
        #expect(peer.notBefore == issued.notBefore)
        #expect(peer.notAfter == issued.notAfter)
        #expect(peer.issuer.contains("CN=RegistryFleet CA"))
        #expect(peer.isSignedBy(ca: ca.certificate))
        #expect(try !peer.isSignedBy(ca: Fixtures.ca().certificate))
    }

    /// Certificates without exactly one well-formed fleet URI SAN are refused with the right code.
    @Test(arguments: [
        ([], PKIError.Code.noIdentity),
        ([GeneralName.dnsName("localhost"), .uniformResourceIdentifier("https://example.com")], .noIdentity),
        ([.uniformResourceIdentifier("spiffe://other/cluster/edge-1")], .invalidIdentity),
        ([.uniformResourceIdentifier("spiffe://regfleet/cluster/Edge_1")], .invalidIdentity),
        ([.uniformResourceIdentifier("spiffe://regfleet/cluster/a"), .uniformResourceIdentifier("spiffe://regfleet/admin/b")], .invalidIdentity),
    ])
    func refusesMissingOrBadIdentity(names: [GeneralName], code: PKIError.Code) throws {
        let certificate = try Fixtures.selfSigned(names: names)
        let error = #expect(throws: PKIError.self) { try PeerCertificate(certificate) }
        #expect(error?.code == code)
    }

    /// The CA certificate itself carries no identity; garbage bytes and text are refused.
    @Test func refusesNonIdentityInput() throws {
        let ca = try Fixtures.ca()
        #expect(throws: PKIError(code: .noIdentity, message: "")) { try PeerCertificate(pem: ca.certificatePEM) }
        #expect(throws: PKIError(code: .invalidCertificate, message: "")) { try PeerCertificate(derBytes: [0x30, 0x03, 0x02, 0x01]) }
        #expect(throws: PKIError(code: .invalidPEM, message: "")) { try PeerCertificate(pem: "hello") }
    }

    /// One point in a certificate's life and whether renewal is due there.
    struct RenewalCase: CustomTestStringConvertible, Sendable {
        let name: String
        let daysAfterIssue: Double
        let fraction: Double
        let due: Bool
        var testDescription: String { name }
    }

    /// Renewal is due from 80 % of the life on (or another fraction), never before.
    @Test(arguments: [
        RenewalCase(name: "just issued", daysAfterIssue: 0, fraction: 0.8, due: false),
        RenewalCase(name: "79 % of life", daysAfterIssue: 79, fraction: 0.8, due: false),
        RenewalCase(name: "exactly 80 %", daysAfterIssue: 80, fraction: 0.8, due: true),
        RenewalCase(name: "expired", daysAfterIssue: 150, fraction: 0.8, due: true),
        RenewalCase(name: "half-life policy at 50 %", daysAfterIssue: 50, fraction: 0.5, due: true),
        RenewalCase(name: "half-life policy at 49 %", daysAfterIssue: 49, fraction: 0.5, due: false),
    ])
    func renewalDue(_ testCase: RenewalCase) throws {
        let ca = try Fixtures.ca()
        let issued = try ca.issueClientCertificate(
            for: .cluster("edge-1"), publicKey: FleetPrivateKey().publicKey, now: Fixtures.now, lifetime: 100 * 86_400)
        let peer = try PeerCertificate(issued.certificate)
        let now = Fixtures.now.addingTimeInterval(testCase.daysAfterIssue * 86_400)
        #expect(peer.renewalDue(now: now, fraction: testCase.fraction) == testCase.due)
        #expect(peer.renewalTime() == Fixtures.now.addingTimeInterval(80 * 86_400))
    }
}
