import Foundation
import NIOHTTP1
import RegistryModel

/// The admin API, typed. Every call authenticates with the admin certificate of the connection.
public struct HubAdminClient: Sendable {
    public let connection: HubConnection

    public init(connection: HubConnection) { self.connection = connection }

    public func createToken(_ request: TokenRequest) async throws -> TokenResponse {
        try await connection.call(.POST, "/v1/tokens", body: request, as: TokenResponse.self)
    }

    /// Bootstrap tokens, newest first, for one cluster or all; never their secrets.
    public func tokens(cluster: String? = nil) async throws -> [TokenSummary] {
        let path = "/v1/tokens" + (cluster.map { "?cluster=\(Self.escape($0))" } ?? "")
        return try await connection.call(.GET, path, as: TokenList.self).tokens
    }

    /// Revokes an unused bootstrap token by its id.
    public func revokeToken(id: String) async throws {
        let (status, body) = try await connection.send(.DELETE, "/v1/tokens/\(Self.escape(id))")
        guard status == 204 else { throw HubConnection.error(status: status, body: body) }
    }

    /// Every cluster matching `selector`, by name, fetched a page of `pageSize` at a time (following `continue`),
    /// so no single answer has to hold the whole fleet.
    public func clusters(selector: String? = nil, pageSize: Int = 500) async throws -> [ClusterSummary] {
        var clusters: [ClusterSummary] = []
        var token: String?
        repeat {
            let page = try await clusterPage(selector: selector, limit: pageSize, continueToken: token)
            clusters += page.clusters
            token = page.continueToken
        } while token != nil
        return clusters
    }

    /// One page of at most `limit` clusters, after the page whose `continueToken` is given.
    public func clusterPage(selector: String? = nil, limit: Int, continueToken: String? = nil) async throws -> ClusterList {
        try await connection.call(
            .GET, "/v1/clusters" + Self.query(["selector": selector, "limit": String(limit), "continue": continueToken]), as: ClusterList.self)
    }

    public func cluster(_ name: String) async throws -> ClusterDetail {
        try await connection.call(.GET, "/v1/clusters/\(Self.escape(name))", as: ClusterDetail.self)
    }

    public func setLabels(_ name: String, labels: [String: String]) async throws -> ClusterSummary {
        try await connection.call(.PUT, "/v1/clusters/\(Self.escape(name))/labels", body: LabelsUpdate(labels: labels), as: ClusterSummary.self)
    }

    /// Deletes a cluster; returns the serials that were revoked.
    public func deleteCluster(_ name: String) async throws -> [String] {
        try await connection.call(.DELETE, "/v1/clusters/\(Self.escape(name))", as: [String: [String]].self)["revokedSerials"] ?? []
    }

    public func policy(_ name: String) async throws -> PolicyDocument {
        try await connection.call(.GET, "/v1/clusters/\(Self.escape(name))/policy", as: PolicyDocument.self)
    }

    public func putPolicy(_ name: String, _ request: PolicyUpdateRequest) async throws -> PolicyDocument {
        try await connection.call(.PUT, "/v1/clusters/\(Self.escape(name))/policy", body: request, as: PolicyDocument.self)
    }

    public func health(selector: String? = nil) async throws -> FleetHealthReport {
        try await connection.call(.GET, "/v1/health" + Self.query(["selector": selector]), as: FleetHealthReport.self)
    }

    public func pruneResults(cluster: String? = nil, since: Date? = nil, limit: Int = 100) async throws -> PruneResultsResponse {
        try await connection.call(
            .GET, "/v1/prune-results" + Self.query(["cluster": cluster, "since": since.map(RFC3339.format), "limit": String(limit)]),
            as: PruneResultsResponse.self)
    }

    public func audit(limit: Int = 100, since: Date? = nil, actor: String? = nil) async throws -> [AuditEntry] {
        try await connection.call(
            .GET, "/v1/audit" + Self.query(["limit": String(limit), "since": since.map(RFC3339.format), "actor": actor]), as: [String: [AuditEntry]].self
        )["entries"] ?? []
    }

    /// Starts a rollout.
    public func createRollout(_ plan: RolloutPlan) async throws -> Rollout {
        var plan = plan
        plan.dryRun = nil
        return try await connection.call(.POST, "/v1/rollouts", body: plan, as: Rollout.self)
    }

    /// Previews a rollout: each cluster's diff and the waves; nothing changes.
    public func previewRollout(_ plan: RolloutPlan) async throws -> RolloutPreview {
        var plan = plan
        plan.dryRun = true
        return try await connection.call(.POST, "/v1/rollouts", body: plan, as: RolloutPreview.self)
    }

    public func rollouts() async throws -> [Rollout] {
        try await connection.call(.GET, "/v1/rollouts", as: RolloutList.self).rollouts
    }

    public func rollout(_ id: String) async throws -> Rollout {
        try await connection.call(.GET, "/v1/rollouts/\(Self.escape(id))", as: Rollout.self)
    }

    /// `pause`, `resume`, `abort` or `rollback`.
    public func controlRollout(_ id: String, action: String) async throws -> Rollout {
        try await connection.call(.POST, "/v1/rollouts/\(Self.escape(id))/\(Self.escape(action))", as: Rollout.self)
    }

    /// Revokes a certificate by serial: the hub refuses it from now on.
    public func revokeCertificate(_ request: CertificateRevocationRequest) async throws -> CertificateRevocation {
        try await connection.call(.POST, "/v1/certificates/revoke", body: request, as: CertificateRevocation.self)
    }

    /// Every fleet policy with its status.
    public func fleetPolicies() async throws -> [StoredFleetPolicy] {
        try await connection.call(.GET, "/v1/fleet-policies", as: FleetPolicyList.self).fleetPolicies
    }

    public func fleetPolicy(_ name: String) async throws -> StoredFleetPolicy {
        try await connection.call(.GET, "/v1/fleet-policies/\(Self.escape(name))", as: StoredFleetPolicy.self)
    }

    /// Creates or replaces a fleet policy; the hub rolls its changes out.
    public func applyFleetPolicy(_ name: String, _ spec: FleetPolicySpec) async throws -> StoredFleetPolicy {
        try await connection.call(.PUT, "/v1/fleet-policies/\(Self.escape(name))", body: spec, as: StoredFleetPolicy.self)
    }

    /// What applying the fleet policy would change; nothing changes.
    public func previewFleetPolicy(_ name: String, _ spec: FleetPolicySpec) async throws -> FleetPolicyPreview {
        try await connection.call(.PUT, "/v1/fleet-policies/\(Self.escape(name))?dryRun=true", body: spec, as: FleetPolicyPreview.self)
    }

    @discardableResult
    public func deleteFleetPolicy(_ name: String) async throws -> StoredFleetPolicy {
        try await connection.call(.DELETE, "/v1/fleet-policies/\(Self.escape(name))", as: StoredFleetPolicy.self)
    }

    /// A cluster's policy field by field with where each field comes from.
    public func effectivePolicy(_ cluster: String) async throws -> EffectivePolicy {
        try await connection.call(.GET, "/v1/clusters/\(Self.escape(cluster))/policy/effective", as: EffectivePolicy.self)
    }

    public func freezes() async throws -> [ChangeFreeze] {
        try await connection.call(.GET, "/v1/freezes", as: FreezeList.self).freezes
    }

    /// Sets or replaces a change freeze.
    public func putFreeze(_ name: String, _ request: FreezeRequest) async throws -> ChangeFreeze {
        try await connection.call(.PUT, "/v1/freezes/\(Self.escape(name))", body: request, as: ChangeFreeze.self)
    }

    /// Lifts a change freeze.
    @discardableResult
    public func deleteFreeze(_ name: String) async throws -> ChangeFreeze {
        try await connection.call(.DELETE, "/v1/freezes/\(Self.escape(name))", as: ChangeFreeze.self)
    }

    /// `?a=1&b=2` from the non-nil values, percent-encoded.
    static func query(_ items: [String: String?]) -> String {
        let pairs = items.keys.sorted().compactMap { key in items[key]!.map { "\(key)=\(escape($0))" } }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
