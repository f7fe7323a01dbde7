import FleetPKI
import Foundation

/// Certificates for state tests, issued by a throwaway CA the way the hub issues them.
struct TestCredentials {
    let ca: CertificateAuthority

    init() throws {
        ca = try CertificateAuthority.create(now: Date().addingTimeInterval(-3600))
    }

    /// A certificate for `cluster` and the key it certifies.
    func issue(cluster: String, key: FleetPrivateKey = FleetPrivateKey(), lifetime: TimeInterval = 86_400) throws -> FleetCredential {
        let csr = try SigningRequest(identity: .cluster(cluster), key: key)
        let issued = try ca.issueClientCertificate(for: .cluster(cluster), csrPEM: csr.pem, now: Date().addingTimeInterval(-60), lifetime: lifetime)
        return try FleetCredential(certificatePEM: issued.pem, privateKeyPEM: key.pem)
    }
}
