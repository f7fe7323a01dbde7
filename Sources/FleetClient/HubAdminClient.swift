import FleetAPI
import FleetModel
import Foundation
import RegistryModel

/// The admin API, typed: each call is the generated client's operation of the same name in the OpenAPI
/// document. Every call authenticates with the admin certificate of the connection; an error status is a
/// `HubClientError` with the hub's message and field.
public struct HubAdminClient: Sendable {
    public let connection: HubConnection

    public init(connection: HubConnection) { self.connection = connection }

    public func createToken(_ request: TokenRequest) async throws -> TokenResponse {
        try await connection.api { try await $0.createToken(body: .json(request)).created.body.json }
    }

    /// Bootstrap tokens, newest first, for one cluster or all; never their secrets.
    public func tokens(cluster: String? = nil) async throws -> [TokenSummary] {
        try await connection.api { try await $0.listTokens(query: .init(cluster: cluster)).ok.body.json.tokens }
    }

    /// Revokes an unused bootstrap token by its id.
    public func revokeToken(id: String) async throws {
        try await connection.api { _ = try await $0.revokeToken(path: .init(id: id)).noContent }
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
        try await connection.api { try await $0.listClusters(query: .init(selector: selector, limit: limit, _continue: continueToken)).ok.body.json }
    }

    public func cluster(_ name: String) async throws -> ClusterDetail {
        try await connection.api { try await $0.getCluster(path: .init(name: name)).ok.body.json }
    }

    public func setLabels(_ name: String, labels: [String: String]) async throws -> ClusterSummary {
        try await connection.api { try await $0.setClusterLabels(path: .init(name: name), body: .json(LabelsUpdate(labels: labels))).ok.body.json }
    }

    /// Deletes a cluster; returns the serials that were revoked.
    public func deleteCluster(_ name: String) async throws -> [String] {
        try await connection.api { try await $0.deleteCluster(path: .init(name: name)).ok.body.json.revokedSerials }
    }

    public func policy(_ name: String) async throws -> PolicyDocument {
        try await connection.api { try await $0.getPolicy(path: .init(name: name)).ok.body.json }
    }

    public func putPolicy(_ name: String, _ request: PolicyUpdateRequest) async throws -> PolicyDocument {
        try await connection.api { try await $0.putPolicy(path: .init(name: name), body: .json(request)).ok.body.json }
    }

    public func health(selector: String? = nil) async throws -> FleetHealthReport {
        try await connection.api { try await $0.fleetHealth(query: .init(selector: selector)).ok.body.json }
    }

    public func pruneResults(cluster: String? = nil, since: Date? = nil, limit: Int = 100) async throws -> PruneResultsResponse {
        try await connection.api { try await $0.listPruneResults(query: .init(cluster: cluster, since: since, limit: limit)).ok.body.json }
    }

    public func audit(limit: Int = 100, since: Date? = nil, actor: String? = nil) async throws -> [AuditEntry] {
        try await connection.api { try await $0.listAudit(query: .init(limit: limit, since: since, actor: actor)).ok.body.json.entries }
    }

    /// Starts a rollout.
    public func createRollout(_ plan: RolloutPlan) async throws -> Rollout {
        var plan = plan
        plan.dryRun = nil
        return try await connection.api { try await $0.createRollout(body: .json(plan)).created.body.json }
    }

    /// Previews a rollout: each cluster's diff and the waves; nothing changes.
    public func previewRollout(_ plan: RolloutPlan) async throws -> RolloutPreview {
        var plan = plan
        plan.dryRun = true
        return try await connection.api { try await $0.createRollout(body: .json(plan)).ok.body.json }
    }

    public func rollouts() async throws -> [Rollout] {
        try await connection.api { try await $0.listRollouts().ok.body.json.rollouts }
    }

    /// A rollout by id or name.
    public func rollout(_ id: String) async throws -> Rollout {
        try await connection.api { try await $0.getRollout(path: .init(id: id)).ok.body.json }
    }

    /// `pause`, `resume`, `abort` or `rollback`.
    public func controlRollout(_ id: String, action: RolloutAction) async throws -> Rollout {
        try await connection.api { client in
            switch action {
            case .pause: try await client.pauseRollout(path: .init(id: id)).ok.body.json
            case .resume: try await client.resumeRollout(path: .init(id: id)).ok.body.json
            case .abort: try await client.abortRollout(path: .init(id: id)).ok.body.json
            case .rollback: try await client.rollbackRollout(path: .init(id: id)).ok.body.json
            }
        }
    }

    /// Revokes a certificate by serial: the hub refuses it from now on.
    public func revokeCertificate(_ request: CertificateRevocationRequest) async throws -> CertificateRevocation {
        try await connection.api { try await $0.revokeCertificate(body: .json(request)).ok.body.json }
    }

    /// Every fleet policy with its status.
    public func fleetPolicies() async throws -> [StoredFleetPolicy] {
        try await connection.api { try await $0.listFleetPolicies().ok.body.json.fleetPolicies }
    }

    public func fleetPolicy(_ name: String) async throws -> StoredFleetPolicy {
        try await connection.api { try await $0.getFleetPolicy(path: .init(name: name)).ok.body.json }
    }

    /// Creates or replaces a fleet policy; the hub rolls its changes out.
    public func applyFleetPolicy(_ name: String, _ spec: FleetPolicySpec) async throws -> StoredFleetPolicy {
        try await connection.api { client in
            switch try await client.applyFleetPolicy(path: .init(name: name), body: .json(spec)) {
            case .created(let created): return try created.body.json
            case .ok(let ok):
                guard case .stored(let policy) = try ok.body.json else { throw Self.unexpected("a preview", "PUT /v1/fleet-policies/\(name)") }
                return policy
            case let other: throw Self.unexpected("\(other)", "PUT /v1/fleet-policies/\(name)")
            }
        }
    }

    /// What applying the fleet policy would change; nothing changes.
    public func previewFleetPolicy(_ name: String, _ spec: FleetPolicySpec) async throws -> FleetPolicyPreview {
        try await connection.api { client in
            guard case .preview(let preview) = try await client.applyFleetPolicy(path: .init(name: name), query: .init(dryRun: true), body: .json(spec)).ok.body.json else {
                throw Self.unexpected("a stored policy", "PUT /v1/fleet-policies/\(name)?dryRun=true")
            }
            return preview
        }
    }

    @discardableResult
    public func deleteFleetPolicy(_ name: String) async throws -> StoredFleetPolicy {
        try await connection.api { try await $0.deleteFleetPolicy(path: .init(name: name)).ok.body.json }
    }

    /// A cluster's policy field by field with where each field comes from.
    public func effectivePolicy(_ cluster: String) async throws -> EffectivePolicy {
        try await connection.api { try await $0.getEffectivePolicy(path: .init(name: cluster)).ok.body.json }
    }

    public func freezes() async throws -> [ChangeFreeze] {
        try await connection.api { try await $0.listFreezes().ok.body.json.freezes }
    }

    /// Sets or replaces a change freeze.
    public func putFreeze(_ name: String, _ request: FreezeRequest) async throws -> ChangeFreeze {
        try await connection.api { try await $0.putFreeze(path: .init(name: name), body: .json(request)).ok.body.json }
    }

    /// Lifts a change freeze.
    @discardableResult
    public func deleteFreeze(_ name: String) async throws -> ChangeFreeze {
        try await connection.api { try await $0.deleteFreeze(path: .init(name: name)).ok.body.json }
    }

    private static func unexpected(_ what: String, _ operation: String) -> HubClientError {
        HubClientError(status: 200, code: "invalid_response", message: "the hub answered \(operation) with \(what)")
    }
}
