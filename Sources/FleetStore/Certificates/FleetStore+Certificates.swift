import Foundation
import GRDB
import RegistryModel

extension FleetStore {
    /// Records a certificate the hub just issued, so deleting its cluster can revoke it.
    ///
    /// `notFound` for an agent certificate of a cluster that is not enrolled; `alreadyExists`
    /// when the serial was recorded before.
    public func recordCertificate(serial: String, role: CertificateRole, subject: String, notAfter: Date) async throws(StoreError) {
        let now = clock.now()
        try await write("record certificate \(serial)", cluster: role == .agent ? subject : nil) { db in
            if role == .agent { _ = try ClusterRecord.fetchActive(db, name: subject) }
            let known = try Bool.fetchOne(db, sql: "SELECT 1 FROM certificates WHERE serial = ?", arguments: [serial]) ?? false
            if known {
                throw StoreError(code: .alreadyExists, message: "certificate serial \(serial) is already recorded", field: "serial")
            }
            try db.execute(
                sql: "INSERT INTO certificates (serial, role, subject, cluster, issued_at, not_after) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [serial, role.rawValue, subject, role == .agent ? subject : nil, now, notAfter])
        }
    }

    /// Revokes one serial, recorded or not (a certificate issued just before a crash was never
    /// recorded); false when it was revoked already.
    @discardableResult
    public func revokeCertificate(serial: String, actor: String, reason: String = "revoked by an administrator") async throws(StoreError) -> Bool {
        let now = clock.now()
        let revoked = try await write("revoke certificate \(serial)") { db in
            guard try Certificates.revoke(db, serial: serial, at: now, actor: actor, reason: reason) else { return false }
            try AuditLog.append(
                db, at: now, actor: actor, action: AuditAction.certificateRevoke, target: serial, detail: ["reason": .string(reason)])
            return true
        }
        revokedSerials.insert(contentsOf: [serial])
        if revoked { logger.notice("certificate revoked", metadata: ["serial": "\(serial)", "actor": "\(actor)"]) }
        return revoked
    }

    /// Revokes every certificate of `cluster` without deleting it (e.g. a suspected key leak);
    /// returns the serials newly revoked.
    @discardableResult
    public func revokeCertificates(cluster: String, actor: String, reason: String = "revoked by an administrator") async throws(StoreError)
        -> [String]
    {
        let now = clock.now()
        let serials = try await write("revoke certificates of \(cluster)", cluster: cluster) { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clusters WHERE name = ?", arguments: [cluster]) ?? false else {
                throw StoreError.clusterNotFound(cluster)
            }
            let serials = try Certificates.revokeAll(db, cluster: cluster, at: now, actor: actor, reason: reason)
            for serial in serials {
                try AuditLog.append(
                    db, at: now, actor: actor, action: AuditAction.certificateRevoke, target: serial,
                    detail: ["cluster": .string(cluster), "reason": .string(reason)])
            }
            return serials
        }
        revokedSerials.insert(contentsOf: serials)
        return serials
    }

    /// True when the serial was revoked. A set lookup, no I/O: the hub asks on every request.
    public func isRevoked(_ serial: String) -> Bool {
        revokedSerials.contains(serial)
    }

    /// Every certificate issued to `cluster`, newest first, with revocation times.
    public func certificates(cluster: String) async throws(StoreError) -> [IssuedCertificate] {
        try await read("list certificates of \(cluster)", cluster: cluster) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.*, r.revoked_at FROM certificates c LEFT JOIN revoked_serials r ON r.serial = c.serial
                    WHERE c.cluster = ? ORDER BY c.issued_at DESC, c.serial
                    """,
                arguments: [cluster]
            ).map(IssuedCertificate.record)
        }
    }
}
