import FleetModel
import Foundation
import GRDB
import RegistryModel

/// One cluster as planning a rollout needs it: its labels (selection and waves), its current
/// policy (the target and the diff) and the storage state its agent last reported (the data-loss
/// check). A plan over the whole fleet reads these in one query instead of three per cluster.
public struct RolloutCandidate: Hashable, Sendable {
    /// The cluster name.
    public var name: String
    /// Labels the rollout's selector and canary selector match on.
    public var labels: [String: String]
    /// The stored policy; generation 0 and an empty policy until one is set.
    public var policy: PolicyDocument
    /// `registry.storageManagementState` of the latest report; nil without a report or when the
    /// agent did not say.
    public var observedStorageState: ManagementState?
    /// The fleet layer last rolled out to it; nil when fleet policies never gave it a field.
    public var fleetLayer: FleetLayer?

    /// Creates a candidate.
    public init(
        name: String, labels: [String: String], policy: PolicyDocument, observedStorageState: ManagementState?, fleetLayer: FleetLayer? = nil
    ) {
        self.name = name
        self.labels = labels
        self.policy = policy
        self.observedStorageState = observedStorageState
        self.fleetLayer = fleetLayer
    }
}

extension RolloutCandidate {
    /// Clusters, policies and the one field of the latest report the plan needs. The report is
    /// not decoded: SQLite extracts the field, which keeps planning cheap at thousands of clusters.
    static let selectSQL = """
        SELECT c.name, c.labels, p.generation, p.policy, p.updated_by, p.updated_at, p.fleet_layer,
               json_extract(l.report, '$.registry.storageManagementState') AS storage_state
        FROM clusters c
        LEFT JOIN policies p ON p.cluster = c.name
        LEFT JOIN latest_reports l ON l.cluster = c.name
        WHERE c.deleted_at IS NULL
        ORDER BY c.name
        """

    /// Decodes a row of `selectSQL`.
    static func record(_ row: Row) throws -> RolloutCandidate {
        let name: String = row["name"]
        let policy: PolicyDocument
        if let text: String = row["policy"] {
            policy = PolicyDocument(
                cluster: name, generation: row["generation"], policy: try JSONColumn.value(FleetPolicy.self, from: text),
                updatedBy: row["updated_by"], updatedAt: row["updated_at"])
        } else {
            policy = PolicyDocument(cluster: name, generation: 0, policy: FleetPolicy())
        }
        let storage: String? = row["storage_state"]
        let layer: String? = row["fleet_layer"]
        return RolloutCandidate(
            name: name, labels: try JSONColumn.value([String: String].self, from: row["labels"]), policy: policy,
            observedStorageState: storage.flatMap(ManagementState.init(rawValue:)), fleetLayer: try layer.map { try JSONColumn.value(FleetLayer.self, from: $0) })
    }
}
