import FleetModel
import Foundation
import Logging
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    func fleetPolicies() async throws(StoreError) -> [StoredFleetPolicy] {
        try await query("list fleet policies") { [logger] connection in try await Self.fleetPolicies(connection, logger: logger) }
    }

    func putFleetPolicy(name: String, spec: FleetPolicySpec, actor: String, at now: Date) async throws(StoreError) -> FleetPolicyWrite {
        try await transaction("apply fleet policy \(name)") { [logger] connection in
            // Two replicas applying one new name serialise on the lock instead of both writing generation 1.
            try await Self.lockEnrollment(connection, cluster: "fleet-policy/" + name, logger: logger)
            let current = try await connection.query("SELECT * FROM fleet_policies WHERE name = \(name) FOR UPDATE", logger: logger)
                .collect().first.map(Self.fleetPolicy)
            let written = FleetPolicyRules.applying(spec, name: name, over: current, actor: actor, at: now)
            guard written.changed else { return written }
            let policy = written.policy
            let text = try JSONColumn.text(spec)
            try await connection.query(
                """
                INSERT INTO fleet_policies (name, generation, spec, created_by, created_at, updated_by, updated_at)
                VALUES (\(name), \(policy.generation), \(text), \(policy.createdBy), \(policy.createdAt), \(actor), \(now))
                ON CONFLICT (name) DO UPDATE SET generation = excluded.generation, spec = excluded.spec,
                    updated_by = excluded.updated_by, updated_at = excluded.updated_at
                """, logger: logger)
            try await PostgresRows.appendAudit(
                connection,
                NewAuditEntry(
                    actor: actor, action: AuditAction.fleetPolicyApply, target: name, generationBefore: current?.generation,
                    generationAfter: policy.generation, detail: ["spec": try JSONCoding.tree(spec)]),
                at: now, logger: logger)
            return written
        }
    }

    func deleteFleetPolicy(name: String, actor: String, at now: Date) async throws(StoreError) -> StoredFleetPolicy {
        try await transaction("delete fleet policy \(name)") { [logger] connection in
            guard
                let current = try await connection.query("DELETE FROM fleet_policies WHERE name = \(name) RETURNING *", logger: logger)
                    .collect().first.map(Self.fleetPolicy)
            else { throw FleetPolicyRules.notFound(name) }
            try await PostgresRows.appendAudit(
                connection,
                NewAuditEntry(actor: actor, action: AuditAction.fleetPolicyDelete, target: name, generationBefore: current.generation),
                at: now, logger: logger)
            return current
        }
    }

    func recordFleetPolicyRollout(name: String, rollout: String) async throws(StoreError) {
        _ = try await query("record rollout of fleet policy \(name)") { [logger] connection in
            try await connection.query("UPDATE fleet_policies SET last_rollout = \(rollout) WHERE name = \(name)", logger: logger)
        }
    }

    func fleetLayers(clusters names: [String]) async throws(StoreError) -> [String: FleetLayer] {
        try await query("read \(names.count) fleet layers") { [logger] connection in
            var layers: [String: FleetLayer] = [:]
            for try await (cluster, text) in try await connection.query(
                "SELECT cluster, fleet_layer FROM policies WHERE fleet_layer IS NOT NULL AND cluster = ANY(\(names))", logger: logger
            ).decode((String, String).self) {
                layers[cluster] = try JSONColumn.value(FleetLayer.self, from: text)
            }
            return layers
        }
    }

    func freezes() async throws(StoreError) -> [ChangeFreeze] {
        try await query("list freezes") { [logger] connection in
            var freezes: [ChangeFreeze] = []
            for try await (name, selector, reason, until, createdBy, createdAt) in try await connection.query(
                "SELECT name, selector, reason, until, created_by, created_at FROM change_freezes ORDER BY name", logger: logger
            ).decode((String, String, String?, Date?, String, Date).self) {
                freezes.append(ChangeFreeze(name: name, selector: selector, reason: reason, until: until, createdBy: createdBy, createdAt: createdAt))
            }
            return freezes
        }
    }

    func putFreeze(_ freeze: ChangeFreeze) async throws(StoreError) {
        try await transaction("set freeze \(freeze.name)") { [logger] connection in
            try await connection.query(
                """
                INSERT INTO change_freezes (name, selector, reason, until, created_by, created_at)
                VALUES (\(freeze.name), \(freeze.selector), \(freeze.reason), \(freeze.until), \(freeze.createdBy), \(freeze.createdAt))
                ON CONFLICT (name) DO UPDATE SET selector = excluded.selector, reason = excluded.reason, until = excluded.until,
                    created_by = excluded.created_by, created_at = excluded.created_at
                """, logger: logger)
            try await PostgresRows.appendAudit(
                connection,
                NewAuditEntry(actor: freeze.createdBy, action: AuditAction.freezeSet, target: freeze.name, detail: try JSONCoding.tree(freeze)),
                at: freeze.createdAt, logger: logger)
        }
    }

    func deleteFreeze(name: String, actor: String, at now: Date) async throws(StoreError) -> ChangeFreeze {
        try await transaction("lift freeze \(name)") { [logger] connection in
            guard
                let row = try await connection.query(
                    "DELETE FROM change_freezes WHERE name = \(name) RETURNING name, selector, reason, until, created_by, created_at", logger: logger
                ).collect().first
            else { throw FleetPolicyRules.freezeNotFound(name) }
            let (name, selector, reason, until, createdBy, createdAt) = try row.decode((String, String, String?, Date?, String, Date).self)
            try await PostgresRows.appendAudit(
                connection, NewAuditEntry(actor: actor, action: AuditAction.freezeDelete, target: name), at: now, logger: logger)
            return ChangeFreeze(name: name, selector: selector, reason: reason, until: until, createdBy: createdBy, createdAt: createdAt)
        }
    }

    static func fleetPolicies(_ connection: PostgresConnection, logger: Logger) async throws -> [StoredFleetPolicy] {
        try await connection.query("SELECT * FROM fleet_policies ORDER BY name", logger: logger).collect().map(fleetPolicy)
    }

    static func fleetPolicy(_ row: PostgresRow) throws -> StoredFleetPolicy {
        let columns = row.makeRandomAccess()
        return StoredFleetPolicy(
            name: try columns["name"].decode(String.self), generation: try columns["generation"].decode(Int64.self),
            spec: try JSONColumn.value(FleetPolicySpec.self, from: try columns["spec"].decode(String.self)),
            createdBy: try columns["created_by"].decode(String.self), createdAt: try columns["created_at"].decode(Date.self),
            updatedBy: try columns["updated_by"].decode(String.self), updatedAt: try columns["updated_at"].decode(Date.self),
            lastRollout: try columns["last_rollout"].decode(String?.self))
    }

    /// In the enrollment's transaction, after any staged policy: the fleet policies' fields for the cluster's
    /// labels join its policy, so its agent starts from them.
    static func applyFleetPolicies(_ connection: PostgresConnection, cluster: String, labels: [String: String], at now: Date, logger: Logger) async throws {
        let policies = try await fleetPolicies(connection, logger: logger)
        let layerText = try await connection.query("SELECT fleet_layer FROM policies WHERE cluster = \(cluster)", logger: logger)
            .collect().first?.decode(String?.self) ?? nil
        guard !policies.isEmpty || layerText != nil else { return }
        let stored = try layerText.map { try JSONColumn.value(FleetLayer.self, from: $0) }
        let row = try await connection.query(
            "SELECT generation, policy, updated_by, updated_at FROM policies WHERE cluster = \(cluster)", logger: logger
        ).collect().first
        let current = try row.map { try PostgresRows.policyDocument($0, cluster: cluster) } ?? PolicyDocument(cluster: cluster, generation: 0, policy: FleetPolicy())
        guard
            let (change, actor) = FleetPolicyRules.enrollmentChange(
                cluster: cluster, labels: labels, current: current, storedLayer: stored, policies: policies)
        else { return }
        _ = try await putPolicy(connection, change, actor: actor, at: now, logger: logger)
    }
}
