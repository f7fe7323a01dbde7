import Foundation
import GRDB
import RegistryModel

extension FleetStore {
    /// Creates a single-use token that enrolls `cluster` until `ttl` seconds from now. The
    /// returned secret exists nowhere else: only its SHA-256 is stored.
    ///
    /// `alreadyExists` while the cluster is enrolled (delete it first).
    public func createToken(cluster: String, labels: [String: String] = [:], ttl: TimeInterval, createdBy: String) async throws(StoreError)
        -> TokenResponse
    {
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(ttl)
        let secret = BootstrapSecret.generate()
        let hash = BootstrapSecret.hash(secret)
        try await write("create token for \(cluster)", cluster: cluster) { db in
            let active = try Bool.fetchOne(db, sql: "SELECT deleted_at IS NULL FROM clusters WHERE name = ?", arguments: [cluster])
            if active == true { throw StoreError.clusterAlreadyEnrolled(cluster) }
            try db.execute(
                sql: """
                    INSERT INTO bootstrap_tokens (token_hash, cluster, labels, created_by, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [hash, cluster, try JSONColumn.text(labels), createdBy, now, expiresAt])
            try AuditLog.append(
                db, at: now, actor: createdBy, action: AuditAction.tokenCreate, target: cluster,
                detail: ["token": .string(String(hash.prefix(12))), "expiresAt": .string(RFC3339.format(expiresAt))])
        }
        logger.info("bootstrap token created", metadata: ["cluster": "\(cluster)", "expiresAt": "\(RFC3339.format(expiresAt))"])
        return TokenResponse(cluster: cluster, token: secret, expiresAt: expiresAt)
    }

    /// Marks the token used for `cluster` in one write transaction, without enrolling; refusals
    /// (`tokenUnknown`, `tokenWrongCluster`, `tokenUsed`, `tokenExpired`) change nothing.
    /// `enroll(token:cluster:)` does this and the enrollment together.
    @discardableResult
    public func consumeToken(_ token: String, cluster: String) async throws(StoreError) -> BootstrapTokenRecord {
        let now = clock.now()
        do throws(StoreError) {
            return try await write("consume token for \(cluster)", cluster: cluster) { db in
                try BootstrapTokens.consume(db, token: token, cluster: cluster, at: now)
            }
        } catch {
            logger.warning("bootstrap token refused", metadata: ["cluster": "\(cluster)", "code": "\(error.code)"])
            throw error
        }
    }

    /// The refusal enrollment would give for this token, checked on a reader without using it up:
    /// the hub checks the credential before it spends work on the CSR.
    public func checkToken(_ token: String, cluster: String) async throws(StoreError) {
        let now = clock.now()
        _ = try await read("check token for \(cluster)", cluster: cluster) { db in
            try BootstrapTokens.check(db, token: token, cluster: cluster, at: now)
        }
    }

    /// Tokens, newest first, for one cluster or all; what `regfleet token list` shows.
    public func tokens(cluster: String? = nil) async throws(StoreError) -> [BootstrapTokenRecord] {
        try await read("list tokens") { db in
            let filter = cluster == nil ? "" : "WHERE cluster = ?"
            let arguments: StatementArguments = cluster.map { [$0] } ?? []
            return try Row.fetchAll(
                db, sql: "SELECT * FROM bootstrap_tokens \(filter) ORDER BY created_at DESC, token_hash", arguments: arguments
            ).map(BootstrapTokenRecord.record)
        }
    }
}
