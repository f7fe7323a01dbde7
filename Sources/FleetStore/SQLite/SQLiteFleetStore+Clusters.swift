import FleetModel
import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func enroll(token: String, cluster: String, keyFingerprint: String?, at now: Date) async throws(StoreError) -> ClusterRecord {
        try await write("enroll cluster \(cluster)", cluster: cluster) { db in
            let consumed = try BootstrapTokens.consume(db, token: token, cluster: cluster, keyFingerprint: keyFingerprint, at: now)
            try Self.enroll(db, cluster: cluster, labels: consumed.labels, at: now)
            try AuditLog.append(
                db, at: now, actor: "system", action: AuditAction.clusterEnroll, target: cluster,
                detail: ["token": .string(consumed.id), "tokenCreatedBy": .string(consumed.createdBy)])
            try Self.applyStagedPolicy(db, cluster: cluster, at: now)
            try Self.applyFleetPolicies(db, cluster: cluster, labels: consumed.labels, at: now)
            return try ClusterRecord.fetchActive(db, name: cluster)
        }
    }

    func cluster(_ name: String) async throws(StoreError) -> ClusterRecord {
        try await read("read cluster \(name)", cluster: name) { db in
            guard let record = try ClusterRecord.fetch(db, name: name) else { throw StoreError.clusterNotFound(name) }
            return record
        }
    }

    func clusters(includeDeleted: Bool) async throws(StoreError) -> [ClusterRecord] {
        try await read("list clusters") { db in
            let filter = includeDeleted ? "" : " WHERE c.deleted_at IS NULL"
            return try Row.fetchAll(db, sql: ClusterRecord.selectSQL + filter + " ORDER BY c.name").map(ClusterRecord.record)
        }
    }

    func isActive(_ name: String) async throws(StoreError) -> Bool {
        try await read("check cluster \(name)", cluster: name) { db in
            try Bool.fetchOne(db, sql: "SELECT deleted_at IS NULL FROM clusters WHERE name = ?", arguments: [name]) ?? false
        }
    }

    func setLabels(cluster: String, labels: [String: String], actor: String, at now: Date) async throws(StoreError) -> ClusterRecord {
        try await write("set labels of \(cluster)", cluster: cluster) { db in
            let before = try ClusterRecord.fetchActive(db, name: cluster)
            guard before.labels != labels else { return before }
            try db.execute(sql: "UPDATE clusters SET labels = ? WHERE name = ?", arguments: [try JSONColumn.text(labels), cluster])
            try AuditLog.append(
                db, at: now, actor: actor, action: AuditAction.clusterLabels, target: cluster,
                detail: ["before": try JSONCoding.tree(before.labels), "after": try JSONCoding.tree(labels)])
            return try ClusterRecord.fetchActive(db, name: cluster)
        }
    }

    func deleteCluster(_ name: String, actor: String, at now: Date) async throws(StoreError) -> [String] {
        try await write("delete cluster \(name)", cluster: name) { db in
            _ = try ClusterRecord.fetchActive(db, name: name)
            try db.execute(sql: "UPDATE clusters SET deleted_at = ? WHERE name = ?", arguments: [now, name])
            let serials = try Certificates.revokeAll(db, cluster: name, at: now, actor: actor, reason: "cluster deleted")
            try AuditLog.append(
                db, at: now, actor: actor, action: AuditAction.clusterDelete, target: name,
                detail: ["revokedSerials": .array(serials.map(JSONValue.string))])
            return serials
        }
    }

    /// Creates the cluster row, or brings a deleted one back; `alreadyExists` while it is enrolled.
    static func enroll(_ db: Database, cluster: String, labels: [String: String], at now: Date) throws {
        let labelsText = try JSONColumn.text(labels)
        switch try Bool.fetchOne(db, sql: "SELECT deleted_at IS NULL FROM clusters WHERE name = ?", arguments: [cluster]) {
        case nil:
            try db.execute(
                sql: "INSERT INTO clusters (name, labels, enrolled_at) VALUES (?, ?, ?)", arguments: [cluster, labelsText, now])
            return
        case true?:
            throw StoreError.clusterAlreadyEnrolled(cluster)
        case false?:
            break
        }
        try db.execute(
            sql: "UPDATE clusters SET labels = ?, enrolled_at = ?, deleted_at = NULL, last_report_at = NULL WHERE name = ?",
            arguments: [labelsText, now, cluster])
        try db.execute(sql: "DELETE FROM latest_reports WHERE cluster = ?", arguments: [cluster])
        try db.execute(sql: "DELETE FROM reports WHERE cluster = ?", arguments: [cluster])
    }
}
