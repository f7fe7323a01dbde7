import Foundation
import GRDB
import RegistryModel

extension FleetStore {
    /// Stores a new rollout, refusing it (`conflict`) when any of its clusters already belongs to
    /// an active rollout — checked and inserted in one transaction.
    public func createRollout(_ rollout: Rollout) async throws(StoreError) {
        try await write("create rollout \(rollout.id)") { db in
            let names = Set(rollout.clusters.map(\.name))
            for row in try Row.fetchAll(db, sql: "SELECT id, state FROM rollouts WHERE active = 1") {
                let other = try JSONColumn.value(Rollout.self, from: row["state"])
                let taken = names.intersection(other.clusters.map(\.name)).sorted()
                if !taken.isEmpty {
                    throw StoreError(
                        code: .conflict,
                        message: "cluster(s) \(taken.prefix(5).joined(separator: ", "))\(taken.count > 5 ? " and \(taken.count - 5) more" : "") already belong to active rollout \(other.id)",
                        field: "selector")
                }
            }
            try Self.upsert(db, rollout)
            try AuditLog.append(
                db, at: rollout.createdAt, actor: rollout.createdBy, action: AuditAction.rolloutCreate, target: rollout.id, generationBefore: nil,
                generationAfter: nil, detail: try JSONCoding.tree(rollout.plan))
        }
    }

    /// Saves a rollout's current state.
    public func saveRollout(_ rollout: Rollout) async throws(StoreError) {
        try await write("save rollout \(rollout.id)") { db in try Self.upsert(db, rollout) }
    }

    /// One rollout.
    public func rollout(_ id: String) async throws(StoreError) -> Rollout {
        let found = try await read("read rollout \(id)") { db in
            try String.fetchOne(db, sql: "SELECT state FROM rollouts WHERE id = ?", arguments: [id]).map { try JSONColumn.value(Rollout.self, from: $0) }
        }
        guard let found else { throw StoreError(code: .notFound, message: "rollout \"\(id)\" does not exist", field: "id") }
        return found
    }

    /// Rollouts, newest first; only active ones when asked.
    public func rollouts(activeOnly: Bool = false, limit: Int = 100) async throws(StoreError) -> [Rollout] {
        try await read("list rollouts") { db in
            let sql = "SELECT state FROM rollouts \(activeOnly ? "WHERE active = 1" : "") ORDER BY created_at DESC LIMIT ?"
            return try String.fetchAll(db, sql: sql, arguments: [limit]).map { try JSONColumn.value(Rollout.self, from: $0) }
        }
    }

    private static func upsert(_ db: Database, _ rollout: Rollout) throws {
        try db.execute(
            sql: """
                INSERT INTO rollouts (id, phase, active, created_at, updated_at, state) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET phase = excluded.phase, active = excluded.active, updated_at = excluded.updated_at, state = excluded.state
                """,
            arguments: [rollout.id, rollout.phase.rawValue, rollout.phase.isActive, rollout.createdAt, rollout.updatedAt, try JSONColumn.text(rollout)])
    }
}
