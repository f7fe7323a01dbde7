import Foundation
import RegistryModel

extension FleetStore {
    /// Consumes `token` and enrolls `cluster` with the token's labels, in one transaction: a new
    /// cluster is created, a deleted one comes back (its policy and generation kept, its old
    /// report stream dropped because a new agent starts its sequence again).
    ///
    /// Refused — and nothing written — when the token is unknown, expired, used or for another
    /// cluster (`token…` codes), or when the cluster is already enrolled (`alreadyExists`).
    ///
    /// `keyFingerprint` (`SigningRequest.keyFingerprint`) is kept with the used token, so that the same
    /// agent retrying after a lost answer can be recognised (`isEnrollmentRetry`).
    public func enroll(token: String, cluster: String, keyFingerprint: String? = nil) async throws(StoreError) -> ClusterRecord {
        try checkOpen("enroll cluster \(cluster)")
        do throws(StoreError) {
            let record = try await backend.enroll(token: token, cluster: cluster, keyFingerprint: keyFingerprint, at: clock.now())
            logger.info("cluster enrolled", metadata: ["cluster": "\(cluster)"])
            committed(.clusterEnrolled(cluster: cluster))
            return record
        } catch {
            logger.warning("enrollment refused", metadata: ["cluster": "\(cluster)", "code": "\(error.code)", "reason": "\(error.message)"])
            throw error
        }
    }

    /// The cluster, deleted or not; `notFound` when it never enrolled.
    public func cluster(_ name: String) async throws(StoreError) -> ClusterRecord {
        try checkOpen("read cluster \(name)")
        return try await backend.cluster(name)
    }

    /// Clusters whose labels match `selector`, by name; deleted ones only when asked for.
    public func clusters(matching selector: LabelSelector = .everything, includeDeleted: Bool = false) async throws(StoreError)
        -> [ClusterRecord]
    {
        try checkOpen("list clusters")
        return try await backend.clusters(includeDeleted: includeDeleted).filter { selector.matches($0.labels) }
    }

    /// The enrolled (not deleted) clusters among `names`, by name, from one query: what the
    /// rollout engine reads each tick for the clusters it is waiting on. Unknown or deleted
    /// names are absent from the result.
    public func clusters(named names: some Collection<String>) async throws(StoreError) -> [ClusterRecord] {
        guard !names.isEmpty else { return [] }
        try checkOpen("read \(names.count) clusters")
        return try await backend.clusters(named: Array(names))
    }

    /// True when the cluster is enrolled and not deleted.
    public func isActive(_ name: String) async throws(StoreError) -> Bool {
        try checkOpen("check cluster \(name)")
        return try await backend.isActive(name)
    }

    /// Replaces the cluster's labels (validated by the hub) and audits before and after.
    @discardableResult
    public func setLabels(cluster: String, labels: [String: String], actor: String) async throws(StoreError) -> ClusterRecord {
        try checkOpen("set labels of \(cluster)")
        return try await backend.setLabels(cluster: cluster, labels: labels, actor: actor, at: clock.now())
    }

    /// Marks the cluster deleted and revokes every certificate serial it was ever issued, in one
    /// transaction; returns the serials newly revoked.
    @discardableResult
    public func deleteCluster(_ name: String, actor: String) async throws(StoreError) -> [String] {
        try checkOpen("delete cluster \(name)")
        let revoked = try await backend.deleteCluster(name, actor: actor, at: clock.now())
        committed(.serialsRevoked(revoked))
        committed(.clusterDeleted(cluster: name))
        logger.notice("cluster deleted", metadata: ["cluster": "\(name)", "revokedSerials": "\(revoked.count)"])
        return revoked
    }
}
