import FleetModel
import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func recordCertificate(serial: String, role: CertificateRole, subject: String, notAfter: Date, at now: Date) async throws(StoreError) {
        try await write("record certificate \(serial)", cluster: role == .agent ? subject : nil) { db in
            if role == .agent { _ = try ClusterRecord.fetchActive(db, name: subject) }
            let known = try Bool.fetchOne(db, sql: "SELECT 1 FROM certificates WHERE serial = ?", arguments: [serial]) ?? false
            if known { throw StoreError.serialAlreadyRecorded(serial) }
            try db.execute(
                sql: "INSERT INTO certificates (serial, role, subject, cluster, issued_at, not_after) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [serial, role.rawValue, subject, role == .agent ? subject : nil, now, notAfter])
        }
    }

    func revokeCertificate(serial: String, actor: String, reason: String, at now: Date) async throws(StoreError) -> Bool {
        try await write("revoke certificate \(serial)") { db in
            guard try Certificates.revoke(db, serial: serial, at: now, actor: actor, reason: reason) else { return false }
            try AuditLog.append(
                db, at: now, actor: actor, action: AuditAction.certificateRevoke, target: serial, detail: ["reason": .string(reason)])
            return true
        }
    }

    func revokeCertificates(cluster: String, actor: String, reason: String, at now: Date) async throws(StoreError) -> [String] {
        try await write("revoke certificates of \(cluster)", cluster: cluster) { db in
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
    }

    func certificates(cluster: String) async throws(StoreError) -> [IssuedCertificate] {
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
