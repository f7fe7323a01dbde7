import FleetModel
import Foundation
import RegistryModel

/// The SQL side of the store: one conformance per database engine (SQLite, PostgreSQL).
///
/// `FleetStore` owns everything that is the same on every engine — group commit of reports, the
/// in-memory revocation set, change events, logging — and calls a backend only for the
/// transactions themselves. Each method is one transaction (or one consistent read); every
/// refusal is a `StoreError` thrown before anything is written.
protocol StoreBackend: Sendable {
    /// What the store is, for logs and `/readyz`: a file path or a URL without its password.
    var location: String { get }
    /// Statements run so far when the configuration counts them; 0 otherwise.
    var statementsExecuted: Int { get }

    /// Commits one group of reports; one result per write, in order.
    func applyReports(_ writes: [ReportWrite], historyLimit: Int) async throws(StoreError) -> [Result<ReportAck, StoreError>]
    /// Every revoked serial.
    func revokedSerials() async throws(StoreError) -> Set<String>
    /// A cheap round trip to the database: what readiness checks.
    func ping() async throws(StoreError)
    /// Names of the applied migrations, oldest first.
    func appliedMigrations() async throws(StoreError) -> [String]
    /// The engine's settings that make a commit durable.
    func durabilitySettings() async throws(StoreError) -> DurabilitySettings
    /// Releases connections and files.
    func close() async throws(StoreError)

    // Clusters
    func enroll(token: String, cluster: String, keyFingerprint: String?, at now: Date) async throws(StoreError) -> ClusterRecord
    func isEnrollmentRetry(token: String, cluster: String, keyFingerprint: String, at now: Date) async throws(StoreError) -> Bool
    func cluster(_ name: String) async throws(StoreError) -> ClusterRecord
    func clusters(includeDeleted: Bool) async throws(StoreError) -> [ClusterRecord]
    func clusters(named names: [String]) async throws(StoreError) -> [ClusterRecord]
    func isActive(_ name: String) async throws(StoreError) -> Bool
    func clusterPage(matching selector: LabelSelector, after: String?, limit: Int) async throws(StoreError) -> ClusterRecordPage
    func setLabels(cluster: String, labels: [String: String], actor: String, at now: Date) async throws(StoreError) -> ClusterRecord
    func deleteCluster(_ name: String, actor: String, at now: Date) async throws(StoreError) -> [String]

    // Tokens
    func insertToken(_ token: NewBootstrapToken) async throws(StoreError)
    func consumeToken(_ token: String, cluster: String, at now: Date) async throws(StoreError) -> BootstrapTokenRecord
    func checkToken(_ token: String, cluster: String, at now: Date) async throws(StoreError)
    func tokens(cluster: String?) async throws(StoreError) -> [BootstrapTokenRecord]
    func revokeToken(id: String, actor: String, at now: Date) async throws(StoreError) -> BootstrapTokenRecord

    // Certificates
    func recordCertificate(serial: String, role: CertificateRole, subject: String, notAfter: Date, at now: Date) async throws(StoreError)
    func revokeCertificate(serial: String, actor: String, reason: String, at now: Date) async throws(StoreError) -> Bool
    func revokeCertificates(cluster: String, actor: String, reason: String, at now: Date) async throws(StoreError) -> [String]
    func certificates(cluster: String) async throws(StoreError) -> [IssuedCertificate]

    // Policies
    func policy(cluster: String) async throws(StoreError) -> PolicyDocument
    func policies(clusters names: [String]) async throws(StoreError) -> [String: PolicyDocument]
    func putPolicies(_ changes: [PolicyChange], actor: String, at now: Date) async throws(StoreError) -> [String: Result<PolicyUpdate, StoreError>]
    func policyHistory(cluster: String, limit: Int) async throws(StoreError) -> [PolicyRevision]
    func stagePolicy(cluster: String, policy: FleetPolicy, actor: String, at now: Date) async throws(StoreError) -> PolicyDocument
    func stagedPolicy(cluster: String) async throws(StoreError) -> PolicyDocument?

    // Fleet policies and freezes
    func fleetPolicies() async throws(StoreError) -> [StoredFleetPolicy]
    func putFleetPolicy(name: String, spec: FleetPolicySpec, actor: String, at now: Date) async throws(StoreError) -> FleetPolicyWrite
    func deleteFleetPolicy(name: String, actor: String, at now: Date) async throws(StoreError) -> StoredFleetPolicy
    func recordFleetPolicyRollout(name: String, rollout: String) async throws(StoreError)
    func fleetLayers(clusters names: [String]) async throws(StoreError) -> [String: FleetLayer]
    func freezes() async throws(StoreError) -> [ChangeFreeze]
    func putFreeze(_ freeze: ChangeFreeze) async throws(StoreError)
    func deleteFreeze(name: String, actor: String, at now: Date) async throws(StoreError) -> ChangeFreeze

    // Audit
    func appendAudit(_ entry: NewAuditEntry, at now: Date) async throws(StoreError) -> AuditEntry
    func audit(limit: Int, since: Date?, actor: String?) async throws(StoreError) -> [AuditEntry]

    // Reports
    func latestReport(cluster: String) async throws(StoreError) -> StoredReport?
    func reportHistory(cluster: String, limit: Int) async throws(StoreError) -> [StoredReport]
    func pruneResults(cluster: String?, since: Date?, limit: Int) async throws(StoreError) -> [PruneResultRecord]

    // Rollouts
    func createRollout(_ rollout: Rollout) async throws(StoreError)
    func saveRollout(_ rollout: Rollout, replacing previous: Rollout?) async throws(StoreError) -> Bool
    func rollout(_ id: String) async throws(StoreError) -> Rollout?
    func rollout(named name: String) async throws(StoreError) -> Rollout?
    func rollouts(activeOnly: Bool, limit: Int) async throws(StoreError) -> [Rollout]
    func rolloutCandidates() async throws(StoreError) -> [RolloutCandidate]

    // Leases
    func acquireLease(_ name: String, holder: String, until expiry: Date, at now: Date) async throws(StoreError) -> Bool
    func releaseLease(_ name: String, holder: String) async throws(StoreError)
    func leaseHolder(_ name: String, at now: Date) async throws(StoreError) -> String?
}

/// A policy write of `putPolicies`: the cluster, its new policy, and the generation the caller
/// read (nil: whatever is stored).
struct PolicyChange: Sendable {
    var cluster: String
    var policy: FleetPolicy
    var expectedGeneration: Int64?
    /// The fleet layer the policy now carries; nil keeps the stored one. A change of the layer alone moves
    /// no generation (the agent's policy is the same).
    var fleetLayer: FleetLayer? = nil
}

/// A token row to insert: only the secret's hash reaches the database.
struct NewBootstrapToken: Sendable {
    var hash: String
    var cluster: String
    var labels: [String: String]
    var createdBy: String
    var createdAt: Date
    var expiresAt: Date
}

/// An audit row to append.
struct NewAuditEntry: Sendable {
    var actor: String
    var action: String
    var target: String
    var generationBefore: Int64?
    var generationAfter: Int64?
    var detail: JSONValue?
}
