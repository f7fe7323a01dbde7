import Crypto
import X509

/// An ECDSA P-256 private key, the only key type the fleet uses; it is generated where it is used and
/// only its public half (in a CSR) ever leaves the process.
public struct FleetPrivateKey: Sendable {
    let key: P256.Signing.PrivateKey

    /// Generates a new key from the system CSPRNG.
    public init() {
        key = P256.Signing.PrivateKey()
    }

    /// Loads a PEM key (`PRIVATE KEY` PKCS#8 or `EC PRIVATE KEY` SEC1); throws `invalidPEM` for anything else.
    public init(pem: String) throws(PKIError) {
        key = try PKIError.wrapping(.invalidPEM, "not a PEM P-256 private key") {
            try P256.Signing.PrivateKey(pemRepresentation: pem)
        }
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), the form NIOSSL and OpenSSL load.
    public var pem: String { key.pemRepresentation }

    /// The public half, as it goes into a certificate or CSR.
    public var publicKey: Certificate.PublicKey { Certificate.PublicKey(key.publicKey) }

    /// The key as swift-certificates signs with it.
    var certificateKey: Certificate.PrivateKey { Certificate.PrivateKey(key) }
}
