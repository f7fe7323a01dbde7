import Crypto
import FleetPKI
import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// Shared builders for the PKI tests.
enum Fixtures {
    /// A whole-second instant, so certificate times compare exactly.
    static let now = Date(timeIntervalSince1970: 1_760_000_000)

    /// A fresh CA valid from `now`.
    static func ca(now: Date = now, lifetime: TimeInterval = CertificateAuthority.defaultLifetime) throws -> CertificateAuthority {
        try CertificateAuthority.create(now: now, lifetime: lifetime)
    }

    /// Validates `leaf` against `root` with RFC 5280 rules at `time`, plus the server-name policy when a name is given.
    static func verify(
        _ leaf: Certificate, root: Certificate, at time: Date = now.addingTimeInterval(60), serverHostname: String? = nil,
        serverIP: String? = nil
    ) async -> Bool {
        let result: CertificateValidationResult
        if serverHostname != nil || serverIP != nil {
            var verifier = Verifier(rootCertificates: CertificateStore([root])) {
                RFC5280Policy(fixedExpiryValidationTime: time)
                ServerIdentityPolicy(serverHostname: serverHostname, serverIP: serverIP)
            }
            result = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
        } else {
            var verifier = Verifier(rootCertificates: CertificateStore([root])) { RFC5280Policy(fixedExpiryValidationTime: time) }
            result = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
        }
        guard case .validCertificate = result else { return false }
        return true
    }

    /// A self-signed certificate with arbitrary SANs, for identity-extraction edge cases the CA refuses to make.
    static func selfSigned(names: [GeneralName]) throws -> Certificate {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName { CommonName("odd") }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey, notValidBefore: now,
            notValidAfter: now.addingTimeInterval(3600), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { SubjectAlternativeNames(names) }, issuerPrivateKey: key)
    }
}
