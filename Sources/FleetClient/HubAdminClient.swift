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

    public func clusters(selector: String? = nil) async throws -> [ClusterSummary] {
        try await connection.call(.GET, "/v1/clusters" + Self.query(["selector": selector]), as: ClusterList.self).clusters
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

    public func pruneResults(cluster: String? = nil, since: Date? = nil) async throws -> PruneResultsResponse {
        try await connection.call(
            .GET, "/v1/prune-results" + Self.query(["cluster": cluster, "since": since.map(RFC3339.format)]), as: PruneResultsResponse.self)
    }

    public func audit(limit: Int = 100, since: Date? = nil, actor: String? = nil) async throws -> [AuditEntry] {
        try await connection.call(
            .GET, "/v1/audit" + Self.query(["limit": String(limit), "since": since.map(RFC3339.format), "actor": actor]), as: [String: [AuditEntry]].self
        )["entries"] ?? []
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
