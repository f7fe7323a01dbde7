import Foundation
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    func recordCertificate(serial: String, role: CertificateRole, subject: String, notAfter: Date, at now: Date) async throws(StoreError) {
        try await transaction("record certificate \(serial)", cluster: role == .agent ? subject : nil) { [logger] connection in
            if role == .agent { _ = try await PostgresRows.lockActiveCluster(connection, subject, logger: logger) }
            let cluster: String? = role == .agent ? subject : nil
            let inserted = try await connection.query(
                """
                INSERT INTO certificates (serial, role, subject, cluster, issued_at, not_after)
                VALUES (\(serial), \(role.rawValue), \(subject), \(cluster), \(now), \(notAfter))
                ON CONFLICT (serial) DO NOTHING RETURNING 1
                """, logger: logger
            ).collect()
            if inserted.isEmpty { throw StoreError.serialAlreadyRecorded(serial) }
        }
    }

    func revokeCertificate(serial: String, actor: String, reason: String, at now: Date) async throws(StoreError) -> Bool {
        try await transaction("revoke certificate \(serial)") { [logger] connection in
            guard try await PostgresRows.revoke(connection, serial: serial, at: now, actor: actor, reason: reason, logger: logger) else { return false }
            try await PostgresRows.appendAudit(
                connection, NewAuditEntry(actor: actor, action: AuditAction.certificateRevoke, target: serial, detail: ["reason": .string(reason)]),
                at: now, logger: logger)
            try await PostgresRows.notify(connection, [.serialsRevoked([serial])], logger: logger)
            return true
        }
    }

    func revokeCertificates(cluster: String, actor: String, reason: String, at now: Date) async throws(StoreError) -> [String] {
        try await transaction("revoke certificates of \(cluster)", cluster: cluster) { [logger] connection in
            let known = try await connection.query("SELECT 1 FROM clusters WHERE name = \(cluster)", logger: logger).collect()
            guard !known.isEmpty else { throw StoreError.clusterNotFound(cluster) }
            let serials = try await PostgresRows.revokeAll(connection, cluster: cluster, at: now, actor: actor, reason: reason, logger: logger)
            for serial in serials {
                try await PostgresRows.appendAudit(
                    connection,
                    NewAuditEntry(
                        actor: actor, action: AuditAction.certificateRevoke, target: serial,
                        detail: ["cluster": .string(cluster), "reason": .string(reason)]),
                    at: now, logger: logger)
            }
            try await PostgresRows.notify(connection, [.serialsRevoked(serials)], logger: logger)
            return serials
        }
    }

    func certificates(cluster: String) async throws(StoreError) -> [IssuedCertificate] {
        try await query("list certificates of \(cluster)", cluster: cluster) { [logger] connection in
            try await connection.query(
                """
                SELECT c.*, r.revoked_at FROM certificates c LEFT JOIN revoked_serials r ON r.serial = c.serial
                WHERE c.cluster = \(cluster) ORDER BY c.issued_at DESC, c.serial
                """, logger: logger
            ).collect().map(PostgresRows.certificate)
        }
    }

    func revokedSerials() async throws(StoreError) -> Set<String> {
        try await query("read revoked serials") { [logger] connection in
            Set(try await connection.query("SELECT serial FROM revoked_serials", logger: logger).collect().map { try $0.decode(String.self) })
        }
    }
}
