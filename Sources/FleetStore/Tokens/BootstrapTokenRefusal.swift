import Foundation
import RegistryModel

/// Why a bootstrap token does not enroll a cluster: the same refusals, with the same codes and
/// sentences, on every backend.
enum BootstrapTokenRefusal {
    /// No token has this secret.
    static func unknown(_ cluster: String) -> StoreError {
        StoreError(code: .tokenUnknown, message: "the bootstrap token is not valid", cluster: cluster, field: "token")
    }

    /// The token was consumed before.
    static func used(_ cluster: String) -> StoreError {
        StoreError(code: .tokenUsed, message: "the bootstrap token for cluster \"\(cluster)\" has already been used", cluster: cluster, field: "token")
    }

    /// Throws the refusal for a stored token presented by `cluster` at `now`, if any.
    static func check(_ record: BootstrapTokenRecord, cluster: String, at now: Date) throws(StoreError) {
        guard record.cluster == cluster else {
            throw StoreError(
                code: .tokenWrongCluster, message: "the bootstrap token was issued for another cluster, not \"\(cluster)\"",
                cluster: cluster, field: "cluster")
        }
        guard record.usedAt == nil else { throw used(cluster) }
        guard now < record.expiresAt else {
            throw StoreError(
                code: .tokenExpired, message: "the bootstrap token for cluster \"\(cluster)\" expired at \(RFC3339.format(record.expiresAt))",
                cluster: cluster, field: "token")
        }
    }
}
