import FleetModel
import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func fleetPolicies() async throws(StoreError) -> [StoredFleetPolicy] {
        try await read("list fleet policies") { db in try Self.fleetPolicies(db) }
    }

    func putFleetPolicy(name: String, spec: FleetPolicySpec, actor: String, at now: Date) async throws(StoreError) -> FleetPolicyWrite {
        try await write("apply fleet policy \(name)") { db in
            let current = try Row.fetchOne(db, sql: "SELECT * FROM fleet_policies WHERE name = ?", arguments: [name]).map(Self.fleetPolicy)
            let written = FleetPolicyRules.applying(spec, name: name, over: current, actor: actor, at: now)
            guard written.changed else { return written }
            let policy = written.policy
            try db.execute(
                sql: """
                    INSERT INTO fleet_policies (name, generation, spec, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET generation = excluded.generation, spec = excluded.spec,
                        updated_by = excluded.updated_by, updated_at = excluded.updated_at
                    """,
                arguments: [name, policy.generation, try JSONColumn.text(spec), policy.createdBy, policy.createdAt, actor, now])
            try AuditLog.append(
                db, at: now, actor: actor, action: AuditAction.fleetPolicyApply, target: name, generationBefore: current?.generation,
                generationAfter: policy.generation, detail: ["spec": try JSONCoding.tree(spec)])
            return written
        }
    }

    func deleteFleetPolicy(name: String, actor: String, at now: Date) async throws(StoreError) -> StoredFleetPolicy {
        try await write("delete fleet policy \(name)") { db in
            guard let current = try Row.fetchOne(db, sql: "SELECT * FROM fleet_policies WHERE name = ?", arguments: [name]).map(Self.fleetPolicy) else {
                throw FleetPolicyRules.notFound(name)
            }
            try db.execute(sql: "DELETE FROM fleet_policies WHERE name = ?", arguments: [name])
            try AuditLog.append(db, at: now, actor: actor, action: AuditAction.fleetPolicyDelete, target: name, generationBefore: current.generation)
            return current
        }
    }

    func recordFleetPolicyRollout(name: String, rollout: String) async throws(StoreError) {
        try await write("record rollout of fleet policy \(name)") { db in
            try db.execute(sql: "UPDATE fleet_policies SET last_rollout = ? WHERE name = ?", arguments: [rollout, name])
        }
    }

    func fleetLayers(clusters names: [String]) async throws(StoreError) -> [String: FleetLayer] {
        let list = try Self.jsonArray(names)
        return try await read("read \(names.count) fleet layers") { db in
            var layers: [String: FleetLayer] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT cluster, fleet_layer FROM policies WHERE fleet_layer IS NOT NULL AND cluster IN (SELECT value FROM json_each(?))",
                arguments: [list])
            {
                layers[row["cluster"]] = try JSONColumn.value(FleetLayer.self, from: row["fleet_layer"] as String)
            }
            return layers
        }
    }

    func freezes() async throws(StoreError) -> [ChangeFreeze] {
        try await read("list freezes") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM change_freezes ORDER BY name").map { row in
                ChangeFreeze(
                    name: row["name"], selector: row["selector"], reason: row["reason"], until: row["until"], createdBy: row["created_by"],
                    createdAt: row["created_at"])
            }
        }
    }

    func putFreeze(_ freeze: ChangeFreeze) async throws(StoreError) {
        try await write("set freeze \(freeze.name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO change_freezes (name, selector, reason, until, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET selector = excluded.selector, reason = excluded.reason, until = excluded.until,
                        created_by = excluded.created_by, created_at = excluded.created_at
                    """,
                arguments: [freeze.name, freeze.selector, freeze.reason, freeze.until, freeze.createdBy, freeze.createdAt])
            try AuditLog.append(db, at: freeze.createdAt, actor: freeze.createdBy, action: AuditAction.freezeSet, target: freeze.name, detail: try JSONCoding.tree(freeze))
        }
    }

    func deleteFreeze(name: String, actor: String, at now: Date) async throws(StoreError) -> ChangeFreeze {
        let all = try await freezes()
        guard let freeze = all.first(where: { $0.name == name }) else { throw FleetPolicyRules.freezeNotFound(name) }
        return try await write("lift freeze \(name)") { db in
            try db.execute(sql: "DELETE FROM change_freezes WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { throw FleetPolicyRules.freezeNotFound(name) }
            try AuditLog.append(db, at: now, actor: actor, action: AuditAction.freezeDelete, target: name)
            return freeze
        }
    }

    static func fleetPolicies(_ db: Database) throws -> [StoredFleetPolicy] {
        try Row.fetchAll(db, sql: "SELECT * FROM fleet_policies ORDER BY name").map(fleetPolicy)
    }

    static func fleetPolicy(_ row: Row) throws -> StoredFleetPolicy {
        StoredFleetPolicy(
            name: row["name"], generation: row["generation"], spec: try JSONColumn.value(FleetPolicySpec.self, from: row["spec"] as String),
            createdBy: row["created_by"], createdAt: row["created_at"], updatedBy: row["updated_by"], updatedAt: row["updated_at"],
            lastRollout: row["last_rollout"])
    }

    /// In the enrollment's transaction, after any staged policy: the fleet policies' fields for the cluster's
    /// labels join its policy, so its agent starts from them.
    static func applyFleetPolicies(_ db: Database, cluster: String, labels: [String: String], at now: Date) throws {
        let policies = try fleetPolicies(db)
        let layerText = try String.fetchOne(db, sql: "SELECT fleet_layer FROM policies WHERE cluster = ?", arguments: [cluster])
        guard !policies.isEmpty || layerText != nil else { return }
        let stored = try layerText.map { try JSONColumn.value(FleetLayer.self, from: $0) }
        let current = try policyDocument(db, cluster: cluster)
        guard
            let (change, actor) = FleetPolicyRules.enrollmentChange(
                cluster: cluster, labels: labels, current: current, storedLayer: stored, policies: policies)
        else { return }
        _ = try putPolicy(db, change, actor: actor, at: now)
    }
}
