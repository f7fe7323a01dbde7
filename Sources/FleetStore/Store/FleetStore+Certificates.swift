import Foundation
import RegistryModel

extension FleetStore {
    /// Records a certificate the hub just issued, so deleting its cluster can revoke it.
    ///
    /// `notFound` for an agent certificate of a cluster that is not enrolled; `alreadyExists`
    /// when the serial was recorded before.
    public func recordCertificate(serial: String, role: CertificateRole, subject: String, notAfter: Date) async throws(StoreError) {
        try checkOpen("record certificate \(serial)")
        try await backend.recordCertificate(serial: serial, role: role, subject: subject, notAfter: notAfter, at: clock.now())
    }

    /// Revokes one serial, recorded or not (a certificate issued just before a crash was never
    /// recorded); false when it was revoked already.
    @discardableResult
    public func revokeCertificate(serial: String, actor: String, reason: String = "revoked by an administrator") async throws(StoreError) -> Bool {
        try checkOpen("revoke certificate \(serial)")
        let newlyRevoked = try await backend.revokeCertificate(serial: serial, actor: actor, reason: reason, at: clock.now())
        committed(.serialsRevoked([serial]))
        if newlyRevoked { logger.notice("certificate revoked", metadata: ["serial": "\(serial)", "actor": "\(actor)"]) }
        return newlyRevoked
    }

    /// Revokes every certificate of `cluster` without deleting it (e.g. a suspected key leak);
    /// returns the serials newly revoked.
    @discardableResult
    public func revokeCertificates(cluster: String, actor: String, reason: String = "revoked by an administrator") async throws(StoreError)
        -> [String]
    {
        try checkOpen("revoke certificates of \(cluster)")
        let serials = try await backend.revokeCertificates(cluster: cluster, actor: actor, reason: reason, at: clock.now())
        committed(.serialsRevoked(serials))
        if !serials.isEmpty { logger.notice("certificates revoked", metadata: ["cluster": "\(cluster)", "serials": "\(serials.count)"]) }
        return serials
    }

    /// True when the serial was revoked — here or, on PostgreSQL, on any replica. A set lookup,
    /// no I/O: the hub asks on every request.
    public func isRevoked(_ serial: String) -> Bool {
        revoked.contains(serial)
    }

    /// Every certificate issued to `cluster`, newest first, with revocation times.
    public func certificates(cluster: String) async throws(StoreError) -> [IssuedCertificate] {
        try checkOpen("list certificates of \(cluster)")
        return try await backend.certificates(cluster: cluster)
    }
}
