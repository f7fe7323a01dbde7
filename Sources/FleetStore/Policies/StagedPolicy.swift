import FleetModel
import Foundation
import RegistryModel

/// A policy staged for a cluster before it enrolls, as both backends present it.
enum StagedPolicy {
    /// Generation 0 and `staged`: nothing has reached an agent yet.
    static func document(cluster: String, policy: FleetPolicy, stagedBy: String, stagedAt: Date) -> PolicyDocument {
        PolicyDocument(cluster: cluster, generation: 0, policy: policy, updatedBy: stagedBy, updatedAt: stagedAt, staged: true)
    }
}

extension StoreError {
    /// The cluster enrolled between the hub's check and the staging: its policy is now set like any other.
    static func enrolledWhileStaging(_ cluster: String) -> StoreError {
        StoreError(code: .conflict, message: "cluster \"\(cluster)\" has enrolled; set its policy again (nothing was staged)", cluster: cluster, field: "cluster")
    }
}
