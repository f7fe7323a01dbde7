import Foundation
import SwiftASN1
import X509

/// A fleet certificate seen from the other side of a connection (or read from disk): who it speaks for and
/// when it expires. The hub's identity middleware builds one from the TLS peer's DER bytes; the agent uses
/// one to schedule renewal.
public struct PeerCertificate: Sendable {
    /// The parsed certificate.
    public let certificate: Certificate
    /// The identity from the certificate's single `spiffe://regfleet/...` URI SAN.
    public let identity: FleetIdentity

    /// Parses DER bytes, as NIOSSL hands over the peer certificate; throws `invalidCertificate` when they are not a
    /// certificate, `noIdentity` without a fleet URI SAN, `invalidIdentity` for a malformed or ambiguous one.
    public init(derBytes: [UInt8]) throws(PKIError) {
        let certificate = try PKIError.wrapping(.invalidCertificate, "the bytes are not a DER X.509 certificate") {
            try Certificate(derEncoded: derBytes)
        }
        try self.init(certificate)
    }

    /// Parses PEM text; throws `invalidPEM` when it is not a PEM certificate, otherwise like `init(derBytes:)`.
    public init(pem: String) throws(PKIError) {
        let certificate = try PKIError.wrapping(.invalidPEM, "the text is not a PEM X.509 certificate") {
            try Certificate(pemEncoded: pem)
        }
        try self.init(certificate)
    }

    /// Reads the identity of an already parsed certificate.
    public init(_ certificate: Certificate) throws(PKIError) {
        let names = try PKIError.wrapping(.invalidIdentity, "the subject alternative names of \"\(certificate.subject)\" do not parse") {
            try certificate.extensions.subjectAlternativeNames
        }
        let spiffeURIs = (names ?? SubjectAlternativeNames()).compactMap { name -> String? in
            guard case .uniformResourceIdentifier(let uri) = name, uri.hasPrefix("spiffe://") else { return nil }
            return uri
        }
        guard let uri = spiffeURIs.first else {
            throw PKIError(code: .noIdentity, message: "certificate \"\(certificate.subject)\" carries no spiffe:// URI SAN")
        }
        guard spiffeURIs.count == 1 else {
            throw PKIError(
                code: .invalidIdentity,
                message: "certificate \"\(certificate.subject)\" carries several identities: \(spiffeURIs.joined(separator: ", "))")
        }
        self.certificate = certificate
        self.identity = try FleetIdentity(uri: uri)
    }

    /// The serial as lowercase hex, matching `IssuedCertificate.serialHex`, for revocation checks.
    public var serialHex: String { certificate.serialNumber.lowercaseHex }
    /// Start of validity.
    public var notBefore: Date { certificate.notValidBefore }
    /// End of validity.
    public var notAfter: Date { certificate.notValidAfter }
    /// The issuer's distinguished name, e.g. `CN=RegistryFleet CA,O=RegistryFleet`.
    public var issuer: String { String(describing: certificate.issuer) }

    /// True when `ca` issued this certificate: its name is the issuer and its key verifies the signature.
    public func isSignedBy(ca: Certificate) -> Bool {
        certificate.issuer == ca.subject && ca.publicKey.isValidSignature(certificate.signature, for: certificate)
    }

    /// The moment renewal becomes due: `fraction` of the way from `notBefore` to `notAfter`.
    public func renewalTime(fraction: Double = 0.8) -> Date {
        notBefore.addingTimeInterval(notAfter.timeIntervalSince(notBefore) * fraction)
    }

    /// True once `fraction` (default 80 %) of the certificate's life has passed, when the agent must renew.
    public func renewalDue(now: Date, fraction: Double = 0.8) -> Bool {
        now >= renewalTime(fraction: fraction)
    }
}
