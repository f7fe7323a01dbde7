import Foundation
import GRDB
import RegistryModel

/// Audit actions the store writes itself, alongside the change they describe.
public enum AuditAction {
    /// A bootstrap token was created.
    public static let tokenCreate = "token.create"
    /// A cluster enrolled with a token.
    public static let clusterEnroll = "cluster.enroll"
    /// A cluster's labels were replaced.
    public static let clusterLabels = "cluster.labels"
    /// A cluster was deleted and its certificates revoked.
    public static let clusterDelete = "cluster.delete"
    /// A certificate serial was revoked.
    public static let certificateRevoke = "certificate.revoke"
    /// A cluster's policy changed generation.
    public static let policyUpdate = "policy.update"
    /// A rollout was created.
    public static let rolloutCreate = "rollout.create"
    /// A rollout was paused, resumed, aborted or rolled back by an admin.
    public static let rolloutControl = "rollout.control"
}

extension FleetStore {
    /// Records an admin write the store does not audit itself (e.g. a rollout pausing).
    @discardableResult
    public func appendAudit(
        actor: String, action: String, target: String, generationBefore: Int64? = nil, generationAfter: Int64? = nil,
        detail: JSONValue? = nil
    ) async throws(StoreError) -> AuditEntry {
        let now = clock.now()
        return try await write("append audit \(action)") { db in
            try AuditLog.append(
                db, at: now, actor: actor, action: action, target: target, generationBefore: generationBefore,
                generationAfter: generationAfter, detail: detail)
        }
    }

    /// Audit rows, newest first: at most `limit`, at or after `since`, by `actor` when given.
    public func audit(limit: Int = 100, since: Date? = nil, actor: String? = nil) async throws(StoreError) -> [AuditEntry] {
        try await read("read audit log") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let since {
                conditions.append("at >= ?")
                arguments += [since]
            }
            if let actor {
                conditions.append("actor = ?")
                arguments += [actor]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [max(0, limit)]
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_log \(whereClause) ORDER BY id DESC LIMIT ?", arguments: arguments)
            return try rows.map(AuditLog.entry)
        }
    }
}
