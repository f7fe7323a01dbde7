import FleetModel
import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func createRollout(_ rollout: Rollout) async throws(StoreError) {
        try await write("create rollout \(rollout.id)") { db in
            let active = try String.fetchAll(db, sql: "SELECT state FROM rollouts WHERE active = 1").map { try JSONColumn.value(Rollout.self, from: $0) }
            try RolloutConflict.check(rollout, against: active)
            try Self.upsert(db, rollout)
            try AuditLog.append(
                db, at: rollout.createdAt, actor: rollout.createdBy, action: AuditAction.rolloutCreate, target: rollout.id,
                detail: try JSONCoding.tree(rollout.plan))
        }
    }

    func saveRollout(_ rollout: Rollout, replacing previous: Rollout?) async throws(StoreError) -> Bool {
        try await write("save rollout \(rollout.id)") { db in
            if let previous {
                // Compared decoded, not as text: a state read and re-encoded need not match the
                // stored bytes (fractional seconds), but decodes to the same value.
                let stored = try String.fetchOne(db, sql: "SELECT state FROM rollouts WHERE id = ?", arguments: [rollout.id])
                    .map { try JSONColumn.value(Rollout.self, from: $0) }
                guard stored == previous else { return false }
            }
            try Self.upsert(db, rollout)
            return true
        }
    }

    func rollout(_ id: String) async throws(StoreError) -> Rollout? {
        try await read("read rollout \(id)") { db in
            try String.fetchOne(db, sql: "SELECT state FROM rollouts WHERE id = ?", arguments: [id]).map { try JSONColumn.value(Rollout.self, from: $0) }
        }
    }

    func rollout(named name: String) async throws(StoreError) -> Rollout? {
        try await read("read rollout named \(name)") { db in
            try String.fetchOne(
                db, sql: "SELECT state FROM rollouts WHERE json_extract(state, '$.name') = ? ORDER BY created_at DESC LIMIT 1", arguments: [name]
            ).map { try JSONColumn.value(Rollout.self, from: $0) }
        }
    }

    func rollouts(activeOnly: Bool, limit: Int) async throws(StoreError) -> [Rollout] {
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
