import Foundation
import X509

/// A certificate the fleet CA just signed, with the facts the hub records (serial for revocation, expiry).
public struct IssuedCertificate: Sendable {
    /// The signed certificate.
    public let certificate: Certificate
    /// PEM text, as written to disk or returned to an agent.
    public let pem: String
    /// The serial as lowercase hex; `PeerCertificate.serialHex` renders the same way.
    public let serialHex: String
    /// Start of validity, as encoded in the certificate (whole seconds).
    public let notBefore: Date
    /// End of validity, as encoded in the certificate (whole seconds).
    public let notAfter: Date
    /// Who the certificate speaks for.
    public let identity: FleetIdentity

    init(certificate: Certificate, identity: FleetIdentity) throws(PKIError) {
        self.certificate = certificate
        self.pem = try PKIError.wrapping(.signingFailed, "cannot encode the certificate for \(identity) as PEM") {
            try certificate.serializeAsPEM().pemString
        }
        self.serialHex = certificate.serialNumber.lowercaseHex
        self.notBefore = certificate.notValidBefore
        self.notAfter = certificate.notValidAfter
        self.identity = identity
    }
}
