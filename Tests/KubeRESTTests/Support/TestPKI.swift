import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway CA made at test time (checked-in certificates expire): a serving certificate for
/// 127.0.0.1/localhost and client certificates whose CN and O are the Kubernetes user and groups.
struct TestPKI: Sendable {
    /// A PEM certificate and its PEM private key.
    struct Credential {
        var certificatePEM: String
        var privateKeyPEM: String
    }

    let caCertificatePEM: String
    private let caKey: P256.Signing.PrivateKey
    private let caName: DistinguishedName

    init(commonName: String = "regfleet test CA") throws {
        caKey = P256.Signing.PrivateKey()
        caName = try DistinguishedName { CommonName(commonName) }
        let now = Date()
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(86_400), issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(caKey))
        caCertificatePEM = try certificate.serializeAsPEM().pemString
    }

    /// A server certificate for `localhost` and 127.0.0.1.
    func serverCredential() throws -> Credential {
        try issue(
            subject: DistinguishedName { CommonName("localhost") }, usage: .serverAuth,
            names: SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]))
    }

    /// A client certificate for Kubernetes user `user` in `groups`.
    func clientCredential(user: String, groups: [String] = []) throws -> Credential {
        let subject = try DistinguishedName {
            for group in groups { OrganizationName(group) }
            CommonName(user)
        }
        return try issue(subject: subject, usage: .clientAuth, names: nil)
    }

    private func issue(subject: DistinguishedName, usage: ExtendedKeyUsage.Usage, names: SubjectAlternativeNames?) throws -> Credential {
        let key = P256.Signing.PrivateKey()
        let now = Date()
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([usage])
            if let names { names }
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(86_400), issuer: caName, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: .init(caKey))
        return Credential(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation)
    }
}
