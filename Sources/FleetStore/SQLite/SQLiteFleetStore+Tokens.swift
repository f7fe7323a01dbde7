import FleetModel
import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func insertToken(_ token: NewBootstrapToken) async throws(StoreError) {
        try await write("create token for \(token.cluster)", cluster: token.cluster) { db in
            let active = try Bool.fetchOne(db, sql: "SELECT deleted_at IS NULL FROM clusters WHERE name = ?", arguments: [token.cluster])
            if active == true { throw StoreError.clusterAlreadyEnrolled(token.cluster) }
            try db.execute(
                sql: """
                    INSERT INTO bootstrap_tokens (token_hash, cluster, labels, created_by, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [token.hash, token.cluster, try JSONColumn.text(token.labels), token.createdBy, token.createdAt, token.expiresAt])
            try AuditLog.append(
                db, at: token.createdAt, actor: token.createdBy, action: AuditAction.tokenCreate, target: token.cluster,
                detail: ["token": .string(String(token.hash.prefix(12))), "expiresAt": .string(RFC3339.format(token.expiresAt))])
        }
    }

    func consumeToken(_ token: String, cluster: String, at now: Date) async throws(StoreError) -> BootstrapTokenRecord {
        try await write("consume token for \(cluster)", cluster: cluster) { db in
            try BootstrapTokens.consume(db, token: token, cluster: cluster, at: now)
        }
    }

    func checkToken(_ token: String, cluster: String, at now: Date) async throws(StoreError) {
        _ = try await read("check token for \(cluster)", cluster: cluster) { db in
            try BootstrapTokens.check(db, token: token, cluster: cluster, at: now)
        }
    }

    func isEnrollmentRetry(token: String, cluster: String, keyFingerprint: String, at now: Date) async throws(StoreError) -> Bool {
        try await read("check enrollment retry of \(cluster)", cluster: cluster) { db in
            try BootstrapTokens.isRetry(db, token: token, cluster: cluster, keyFingerprint: keyFingerprint, at: now)
        }
    }

    func revokeToken(id: String, actor: String, at now: Date) async throws(StoreError) -> BootstrapTokenRecord {
        try await write("revoke token \(id)") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM bootstrap_tokens WHERE substr(token_hash, 1, 12) = ?", arguments: [id])
            let record = try BootstrapTokenRevocation.check(try rows.map(BootstrapTokenRecord.record), id: id)
            try db.execute(sql: "DELETE FROM bootstrap_tokens WHERE substr(token_hash, 1, 12) = ? AND used_at IS NULL", arguments: [id])
            try AuditLog.append(db, at: now, actor: actor, action: AuditAction.tokenRevoke, target: record.cluster, detail: ["token": .string(id)])
            return record
        }
    }

    func tokens(cluster: String?) async throws(StoreError) -> [BootstrapTokenRecord] {
        try await read("list tokens") { db in
            let filter = cluster == nil ? "" : "WHERE cluster = ?"
            let arguments: StatementArguments = cluster.map { [$0] } ?? []
            return try Row.fetchAll(
                db, sql: "SELECT * FROM bootstrap_tokens \(filter) ORDER BY created_at DESC, token_hash", arguments: arguments
            ).map(BootstrapTokenRecord.record)
        }
    }
}
