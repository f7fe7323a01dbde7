import Foundation
import SwiftASN1
import X509

/// The fleet's root CA: a self-signed P-256 certificate and its key. It signs the hub's server certificate,
/// admin certificates and every agent's client certificate; hub and agents trust only it.
public struct CertificateAuthority: Sendable {
    /// The CA certificate, which hub and agents use as their only trust root.
    public let certificate: Certificate
    /// The CA certificate as PEM (sent to agents on enrollment).
    public let certificatePEM: String
    let privateKey: FleetPrivateKey
    let subjectKeyIdentifier: ArraySlice<UInt8>

    /// Ten years: the CA outlives many rotations of the certificates it signs.
    public static let defaultLifetime: TimeInterval = 3653 * 86_400

    /// Creates a new CA with a fresh key, valid from `now` for `lifetime`.
    public static func create(
        commonName: String = "RegistryFleet CA", now: Date, lifetime: TimeInterval = defaultLifetime
    ) throws(PKIError) -> CertificateAuthority {
        guard lifetime > 0 else { throw PKIError(code: .invalidLifetime, message: "the CA lifetime must be positive, not \(lifetime) s") }
        let key = FleetPrivateKey()
        let certificate = try PKIError.wrapping(.signingFailed, "cannot create the CA certificate") {
            let name = try DistinguishedName {
                OrganizationName("RegistryFleet")
                CommonName(commonName)
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            }
            return try Certificate(
                version: .v3, serialNumber: .randomPositive(), publicKey: key.publicKey,
                notValidBefore: now, notValidAfter: now.addingTimeInterval(lifetime),
                issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions, issuerPrivateKey: key.certificateKey)
        }
        return try CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// Loads a CA from its PEM certificate and key; throws `invalidPEM` for unreadable PEM and
    /// `invalidCertificateAuthority` when the certificate is not a CA or the key is not its key.
    public init(certificatePEM: String, privateKeyPEM: String) throws(PKIError) {
        let certificate = try PKIError.wrapping(.invalidPEM, "the CA certificate is not a PEM certificate") {
            try Certificate(pemEncoded: certificatePEM)
        }
        try self.init(certificate: certificate, privateKey: FleetPrivateKey(pem: privateKeyPEM))
    }

    private init(certificate: Certificate, privateKey: FleetPrivateKey) throws(PKIError) {
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else {
            throw PKIError(
                code: .invalidCertificateAuthority, message: "\"\(certificate.subject)\" is not a CA certificate (no CA basic constraints)")
        }
        guard privateKey.publicKey == certificate.publicKey else {
            throw PKIError(
                code: .invalidCertificateAuthority, message: "the private key does not belong to the CA certificate \"\(certificate.subject)\"")
        }
        self.certificate = certificate
        self.privateKey = privateKey
        self.subjectKeyIdentifier =
            (try? certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            ?? SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
        self.certificatePEM = try PKIError.wrapping(.signingFailed, "cannot encode the CA certificate as PEM") {
            try certificate.serializeAsPEM().pemString
        }
    }

    /// The CA key as PKCS#8 PEM, for writing `ca.key`.
    public var privateKeyPEM: String { privateKey.pem }

    /// End of the CA's validity; no certificate it signs outlives it.
    public var notAfter: Date { certificate.notValidAfter }
}
