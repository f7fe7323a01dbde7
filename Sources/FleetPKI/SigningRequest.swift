import Foundation
import Crypto
import SwiftASN1
import X509

/// A PKCS#10 certificate signing request whose signature has been checked: proof that the sender holds the
/// private key for `publicKey`. The names it asks for are informational only; the CA issues for the identity
/// the caller chooses.
public struct SigningRequest: Sendable {
    /// The parsed request.
    public let request: CertificateSigningRequest
    /// The PEM text, as sent over the wire.
    public let pem: String

    /// Builds and signs a CSR for `identity` with `key` (agent side): subject CN is the identity's description
    /// and the URI SAN is requested through an extension request.
    public init(identity: FleetIdentity, key: FleetPrivateKey) throws(PKIError) {
        try identity.validate()
        let built = try PKIError.wrapping(.signingFailed, "cannot build a CSR for \(identity)") {
            let subject = try DistinguishedName { CommonName(identity.description) }
            let extensions = try Certificate.Extensions { SubjectAlternativeNames([.uniformResourceIdentifier(identity.uri)]) }
            let attributes = CertificateSigningRequest.Attributes([try .init(ExtensionRequest(extensions: extensions))])
            let request = try CertificateSigningRequest(
                version: .v1, subject: subject, privateKey: key.certificateKey, attributes: attributes,
                signatureAlgorithm: .ecdsaWithSHA256)
            return (request, try request.serializeAsPEM().pemString)
        }
        request = built.0
        pem = built.1
    }

    /// Parses a PEM CSR (hub side) and checks it: throws `invalidCSR` unless it parses, carries an ECDSA P-256
    /// key, and is signed by that key.
    public init(pem: String) throws(PKIError) {
        let request = try PKIError.wrapping(.invalidCSR, "the CSR is not a PEM PKCS#10 request") {
            try CertificateSigningRequest(pemEncoded: pem)
        }
        guard P256.Signing.PublicKey(request.publicKey) != nil else {
            throw PKIError(code: .invalidCSR, message: "the CSR's key must be ECDSA P-256, not \(request.publicKey)")
        }
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw PKIError(code: .invalidCSR, message: "the CSR's signature does not match its public key")
        }
        self.request = request
        self.pem = pem
    }

    /// The key the certificate will certify.
    public var publicKey: Certificate.PublicKey { request.publicKey }

    /// Lowercase hex SHA-256 of the key's SubjectPublicKeyInfo: names the key without storing it.
    public var keyFingerprint: String {
        let der = P256.Signing.PublicKey(request.publicKey)?.derRepresentation ?? Data()
        return SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }

    /// The fleet identity the CSR asks for, if it names exactly one valid one; the hub may log a mismatch
    /// but never issues for it.
    public var requestedIdentity: FleetIdentity? {
        guard let extensions = try? request.attributes.extensionRequest?.extensions,
            let names = try? extensions.subjectAlternativeNames
        else { return nil }
        let identities = names.compactMap { name -> FleetIdentity? in
            guard case .uniformResourceIdentifier(let uri) = name else { return nil }
            return try? FleetIdentity(uri: uri)
        }
        return identities.count == 1 ? identities[0] : nil
    }
}
