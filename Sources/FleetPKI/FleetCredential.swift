/// A certificate with its private key: what a TLS endpoint (hub server, admin CLI, agent) presents.
public struct FleetCredential: Sendable {
    /// The parsed certificate and its identity.
    public let certificate: PeerCertificate
    /// The certificate as PEM, for NIOSSL.
    public let certificatePEM: String
    /// The matching private key.
    public let privateKey: FleetPrivateKey

    /// Pairs a PEM certificate with its PEM key; throws `invalidPEM` when either does not parse or the key
    /// does not belong to the certificate.
    public init(certificatePEM: String, privateKeyPEM: String) throws(PKIError) {
        let certificate = try PeerCertificate(pem: certificatePEM)
        let privateKey = try FleetPrivateKey(pem: privateKeyPEM)
        guard privateKey.publicKey == certificate.certificate.publicKey else {
            throw PKIError(code: .invalidPEM, message: "the private key does not belong to the certificate of \(certificate.identity)")
        }
        self.certificate = certificate
        self.certificatePEM = certificatePEM
        self.privateKey = privateKey
    }

    /// Who this credential speaks for.
    public var identity: FleetIdentity { certificate.identity }
    /// The private key as PEM, for NIOSSL.
    public var privateKeyPEM: String { privateKey.pem }
}
