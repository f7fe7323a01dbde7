import FleetModel
import Foundation
import RegistryModel

extension FleetStore {
    /// Creates a single-use token that enrolls `cluster` until `ttl` seconds from now. The
    /// returned secret exists nowhere else: only its SHA-256 is stored.
    ///
    /// `alreadyExists` while the cluster is enrolled (delete it first).
    public func createToken(cluster: String, labels: [String: String] = [:], ttl: TimeInterval, createdBy: String) async throws(StoreError)
        -> TokenResponse
    {
        try checkOpen("create token for \(cluster)")
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(ttl)
        let secret = BootstrapSecret.generate()
        try await backend.insertToken(
            NewBootstrapToken(
                hash: BootstrapSecret.hash(secret), cluster: cluster, labels: labels, createdBy: createdBy, createdAt: now, expiresAt: expiresAt))
        logger.info("bootstrap token created", metadata: ["cluster": "\(cluster)", "expiresAt": "\(RFC3339.format(expiresAt))"])
        return TokenResponse(cluster: cluster, token: secret, expiresAt: expiresAt)
    }

    /// Marks the token used for `cluster` in one write transaction, without enrolling; refusals
    /// (`tokenUnknown`, `tokenWrongCluster`, `tokenUsed`, `tokenExpired`) change nothing.
    /// `enroll(token:cluster:)` does this and the enrollment together.
    @discardableResult
    public func consumeToken(_ token: String, cluster: String) async throws(StoreError) -> BootstrapTokenRecord {
        try checkOpen("consume token for \(cluster)")
        do throws(StoreError) {
            return try await backend.consumeToken(token, cluster: cluster, at: clock.now())
        } catch {
            logger.warning("bootstrap token refused", metadata: ["cluster": "\(cluster)", "code": "\(error.code)"])
            throw error
        }
    }

    /// The refusal enrollment would give for this token, checked without using it up: the hub
    /// checks the credential before it spends work on the CSR.
    public func checkToken(_ token: String, cluster: String) async throws(StoreError) {
        try checkOpen("check token for \(cluster)")
        try await backend.checkToken(token, cluster: cluster, at: clock.now())
    }

    /// True when `token` already enrolled `cluster` with the key `keyFingerprint`, has not expired and the
    /// cluster is still enrolled: an agent whose enrollment answer was lost (a timeout, a cut connection)
    /// asking again with the same key. Proof of the key is the CSR's signature, which the hub checks.
    public func isEnrollmentRetry(token: String, cluster: String, keyFingerprint: String) async throws(StoreError) -> Bool {
        try checkOpen("check enrollment retry of \(cluster)")
        return try await backend.isEnrollmentRetry(token: token, cluster: cluster, keyFingerprint: keyFingerprint, at: clock.now())
    }

    /// Revokes (deletes) the unused token whose id (`BootstrapTokenRecord.id`) is `id`, audited as
    /// `token.revoke`; `notFound` for an unknown id, `conflict` for a token that already enrolled its cluster.
    @discardableResult
    public func revokeToken(id: String, actor: String) async throws(StoreError) -> BootstrapTokenRecord {
        try checkOpen("revoke token \(id)")
        let record = try await backend.revokeToken(id: id, actor: actor, at: clock.now())
        logger.info("bootstrap token revoked", metadata: ["cluster": "\(record.cluster)", "token": "\(id)", "actor": "\(actor)"])
        return record
    }

    /// Tokens, newest first, for one cluster or all; what `regfleet token list` shows.
    public func tokens(cluster: String? = nil) async throws(StoreError) -> [BootstrapTokenRecord] {
        try checkOpen("list tokens")
        return try await backend.tokens(cluster: cluster)
    }
}
