import FleetModel
import Foundation
import RegistryModel

extension FleetStore {
    /// Records an admin write the store does not audit itself (e.g. a rollout pausing).
    @discardableResult
    public func appendAudit(
        actor: String, action: String, target: String, generationBefore: Int64? = nil, generationAfter: Int64? = nil,
        detail: JSONValue? = nil
    ) async throws(StoreError) -> AuditEntry {
        try checkOpen("append audit \(action)")
        return try await backend.appendAudit(
            NewAuditEntry(
                actor: actor, action: action, target: target, generationBefore: generationBefore, generationAfter: generationAfter,
                detail: detail),
            at: clock.now())
    }

    /// Audit rows, newest first: at most `limit`, at or after `since`, by `actor` when given.
    public func audit(limit: Int = 100, since: Date? = nil, actor: String? = nil) async throws(StoreError) -> [AuditEntry] {
        try checkOpen("read audit log")
        return try await backend.audit(limit: max(0, limit), since: since, actor: actor)
    }
}
