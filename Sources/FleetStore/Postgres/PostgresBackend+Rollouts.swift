import FleetModel
import Foundation
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    /// Checks and inserts under an advisory lock, so two replicas creating rollouts at the same
    /// moment cannot both take one cluster.
    func createRollout(_ rollout: Rollout) async throws(StoreError) {
        try await transaction("create rollout \(rollout.id)") { [logger] connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.rolloutLock))", logger: logger)
            let active = try await connection.query("SELECT state FROM rollouts WHERE active", logger: logger).collect()
                .map { try JSONColumn.value(Rollout.self, from: try $0.decode(String.self)) }
            try RolloutConflict.check(rollout, against: active)
            try await Self.upsert(connection, rollout, logger: logger)
            try await PostgresRows.appendAudit(
                connection,
                NewAuditEntry(actor: rollout.createdBy, action: AuditAction.rolloutCreate, target: rollout.id, detail: try JSONCoding.tree(rollout.plan)),
                at: rollout.createdAt, logger: logger)
        }
    }

    func saveRollout(_ rollout: Rollout, replacing previous: Rollout?) async throws(StoreError) -> Bool {
        try await transaction("save rollout \(rollout.id)") { [logger] connection in
            if let previous {
                // The row is locked until commit, so no other replica saves between check and write.
                let stored = try await connection.query("SELECT state FROM rollouts WHERE id = \(rollout.id) FOR UPDATE", logger: logger)
                    .collect().first.map { try JSONColumn.value(Rollout.self, from: try $0.decode(String.self)) }
                guard stored == previous else { return false }
            }
            try await Self.upsert(connection, rollout, logger: logger)
            return true
        }
    }

    func rollout(_ id: String) async throws(StoreError) -> Rollout? {
        try await query("read rollout \(id)") { [logger] connection in
            try await connection.query("SELECT state FROM rollouts WHERE id = \(id)", logger: logger).collect().first
                .map { try JSONColumn.value(Rollout.self, from: try $0.decode(String.self)) }
        }
    }

    func rollout(named name: String) async throws(StoreError) -> Rollout? {
        try await query("read rollout named \(name)") { [logger] connection in
            try await connection.query(
                "SELECT state FROM rollouts WHERE state::jsonb ->> 'name' = \(name) ORDER BY created_at DESC LIMIT 1", logger: logger
            ).collect().first.map { try JSONColumn.value(Rollout.self, from: try $0.decode(String.self)) }
        }
    }

    func rollouts(activeOnly: Bool, limit: Int) async throws(StoreError) -> [Rollout] {
        try await query("list rollouts") { [logger] connection in
            try await connection.query(
                "SELECT state FROM rollouts WHERE (active OR NOT \(activeOnly)) ORDER BY created_at DESC LIMIT \(limit)", logger: logger
            ).collect().map { try JSONColumn.value(Rollout.self, from: try $0.decode(String.self)) }
        }
    }

    func rolloutCandidates() async throws(StoreError) -> [RolloutCandidate] {
        try await query("read rollout candidates") { [logger] connection in
            try await connection.query(
                """
                SELECT c.name, c.labels, p.generation, p.policy, p.updated_by, p.updated_at, p.fleet_layer,
                       (l.report::jsonb -> 'registry' ->> 'storageManagementState') AS storage_state
                FROM clusters c
                LEFT JOIN policies p ON p.cluster = c.name
                LEFT JOIN latest_reports l ON l.cluster = c.name
                WHERE c.deleted_at IS NULL
                ORDER BY c.name
                """, logger: logger
            ).collect().map { row in
                let columns = row.makeRandomAccess()
                let name = try columns["name"].decode(String.self)
                return RolloutCandidate(
                    name: name, labels: try JSONColumn.value([String: String].self, from: try columns["labels"].decode(String.self)),
                    policy: try PostgresRows.policyDocument(row, cluster: name),
                    observedStorageState: try columns["storage_state"].decode(String?.self).flatMap(ManagementState.init(rawValue:)),
                    fleetLayer: try columns["fleet_layer"].decode(String?.self).map { try JSONColumn.value(FleetLayer.self, from: $0) })
            }
        }
    }

    private static func upsert(_ connection: PostgresConnection, _ rollout: Rollout, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO rollouts (id, phase, active, created_at, updated_at, state)
            VALUES (\(rollout.id), \(rollout.phase.rawValue), \(rollout.phase.isActive), \(rollout.createdAt), \(rollout.updatedAt), \(try JSONColumn.text(rollout)))
            ON CONFLICT (id) DO UPDATE SET phase = excluded.phase, active = excluded.active, updated_at = excluded.updated_at, state = excluded.state
            """, logger: logger)
    }
}
