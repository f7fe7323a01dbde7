import FleetModel
import Foundation
import GRDB
import RegistryModel

/// One generation of a cluster's policy, kept so a rollout can roll back to the one before.
public struct PolicyRevision: Hashable, Sendable {
    /// The cluster the policy is for.
    public var cluster: String
    /// The generation this revision created.
    public var generation: Int64
    /// The whole policy at that generation.
    public var policy: FleetPolicy
    /// `admin/NAME` or `rollout/ID`.
    public var updatedBy: String
    /// When it was set.
    public var updatedAt: Date

    /// Decodes a `policy_history` row.
    static func record(_ row: Row) throws -> PolicyRevision {
        PolicyRevision(
            cluster: row["cluster"], generation: row["generation"], policy: try JSONColumn.value(FleetPolicy.self, from: row["policy"]),
            updatedBy: row["updated_by"], updatedAt: row["updated_at"])
    }
}

/// The outcome of `putPolicy`.
public struct PolicyUpdate: Hashable, Sendable {
    /// The policy now stored.
    public var document: PolicyDocument
    /// False when the new policy equalled the stored one: no generation bump, nothing written.
    public var changed: Bool
    /// The generation before the call.
    public var previousGeneration: Int64

    public init(document: PolicyDocument, changed: Bool, previousGeneration: Int64) {
        self.document = document
        self.changed = changed
        self.previousGeneration = previousGeneration
    }
}
