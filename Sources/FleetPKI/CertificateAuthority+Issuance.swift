import Foundation
import SwiftASN1
import X509

extension CertificateAuthority {
    /// One year, for the hub's server certificate and admin certificates.
    public static let defaultLeafLifetime: TimeInterval = 365 * 86_400

    /// Issues the hub's TLS server certificate: `serverAuth`, the given DNS and IP SANs and the hub identity URI.
    public func issueServerCertificate(
        names: ServerNames, publicKey: Certificate.PublicKey, now: Date, lifetime: TimeInterval = defaultLeafLifetime
    ) throws(PKIError) -> IssuedCertificate {
        let sans =
            names.dnsNames.map { GeneralName.dnsName($0) }
            + names.ipLiterals.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0.bytes[...])) }
        return try issue(
            identity: .hub, commonName: names.dnsNames.first ?? names.ipAddresses[0], publicKey: publicKey,
            usage: .serverAuth, extraNames: sans, now: now, lifetime: lifetime)
    }

    /// Issues a TLS client certificate for a cluster or admin identity: `clientAuth` and the identity URI SAN.
    public func issueClientCertificate(
        for identity: FleetIdentity, publicKey: Certificate.PublicKey, now: Date, lifetime: TimeInterval = defaultLeafLifetime
    ) throws(PKIError) -> IssuedCertificate {
        guard identity != .hub else {
            throw PKIError(code: .invalidIdentity, message: "the hub identity is only for the hub's server certificate")
        }
        return try issue(
            identity: identity, commonName: identity.description, publicKey: publicKey, usage: .clientAuth, extraNames: [],
            now: now, lifetime: lifetime)
    }

    /// Issues a client certificate for the key in a checked CSR, for the identity the caller decided
    /// (from the bootstrap token or the existing certificate); the names in the CSR are ignored.
    public func issueClientCertificate(
        for identity: FleetIdentity, csr: SigningRequest, now: Date, lifetime: TimeInterval = defaultLeafLifetime
    ) throws(PKIError) -> IssuedCertificate {
        try issueClientCertificate(for: identity, publicKey: csr.publicKey, now: now, lifetime: lifetime)
    }

    /// Checks a PEM CSR (throws `invalidCSR` for a bad signature or key) and issues for `identity`.
    public func issueClientCertificate(
        for identity: FleetIdentity, csrPEM: String, now: Date, lifetime: TimeInterval = defaultLeafLifetime
    ) throws(PKIError) -> IssuedCertificate {
        try issueClientCertificate(for: identity, csr: SigningRequest(pem: csrPEM), now: now, lifetime: lifetime)
    }

    private func issue(
        identity: FleetIdentity, commonName: String, publicKey: Certificate.PublicKey, usage: ExtendedKeyUsage.Usage,
        extraNames: [GeneralName], now: Date, lifetime: TimeInterval
    ) throws(PKIError) -> IssuedCertificate {
        try identity.validate()
        guard lifetime > 0 else {
            throw PKIError(code: .invalidLifetime, message: "the lifetime of the certificate for \(identity) must be positive, not \(lifetime) s")
        }
        guard now < notAfter else {
            throw PKIError(code: .invalidCertificateAuthority, message: "the CA expired at \(notAfter); create a new PKI")
        }
        let expiry = min(now.addingTimeInterval(lifetime), notAfter)
        let signed = try PKIError.wrapping(.signingFailed, "cannot sign the certificate for \(identity)") {
            let subject = try DistinguishedName {
                OrganizationName("RegistryFleet")
                CommonName(commonName)
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([usage])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: subjectKeyIdentifier)
                SubjectAlternativeNames(extraNames + [.uniformResourceIdentifier(identity.uri)])
            }
            return try Certificate(
                version: .v3, serialNumber: .randomPositive(), publicKey: publicKey,
                notValidBefore: now, notValidAfter: expiry, issuer: certificate.subject, subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: privateKey.certificateKey)
        }
        return try IssuedCertificate(certificate: signed, identity: identity)
    }
}
