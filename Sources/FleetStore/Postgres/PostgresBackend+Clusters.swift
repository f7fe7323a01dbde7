import Foundation
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    func enroll(token: String, cluster: String, keyFingerprint: String?, at now: Date) async throws(StoreError) -> ClusterRecord {
        try await transaction("enroll cluster \(cluster)", cluster: cluster) { [logger] connection in
            try await Self.lockEnrollment(connection, cluster: cluster, logger: logger)
            let consumed = try await Self.consume(connection, token: token, cluster: cluster, keyFingerprint: keyFingerprint, at: now, logger: logger)
            let labels = try JSONColumn.text(consumed.labels)
            let state = try await connection.query(
                "SELECT deleted_at IS NULL FROM clusters WHERE name = \(cluster) FOR UPDATE", logger: logger
            ).collect().first?.decode(Bool.self)
            switch state {
            case nil:
                try await connection.query(
                    "INSERT INTO clusters (name, labels, enrolled_at) VALUES (\(cluster), \(labels), \(now))", logger: logger)
            case true?:
                throw StoreError.clusterAlreadyEnrolled(cluster)
            case false?:
                try await connection.query(
                    "UPDATE clusters SET labels = \(labels), enrolled_at = \(now), deleted_at = NULL, last_report_at = NULL WHERE name = \(cluster)",
                    logger: logger)
                try await connection.query("DELETE FROM latest_reports WHERE cluster = \(cluster)", logger: logger)
                try await connection.query("DELETE FROM reports WHERE cluster = \(cluster)", logger: logger)
            }
            try await PostgresRows.appendAudit(
                connection,
                NewAuditEntry(
                    actor: "system", action: AuditAction.clusterEnroll, target: cluster,
                    detail: ["token": .string(consumed.id), "tokenCreatedBy": .string(consumed.createdBy)]),
                at: now, logger: logger)
            try await Self.applyStagedPolicy(connection, cluster: cluster, at: now, logger: logger)
            try await Self.applyFleetPolicies(connection, cluster: cluster, labels: consumed.labels, at: now, logger: logger)
            try await PostgresRows.notify(connection, [.clusterEnrolled(cluster: cluster)], logger: logger)
            return try await PostgresRows.lockActiveCluster(connection, cluster, logger: logger)
        }
    }

    func cluster(_ name: String) async throws(StoreError) -> ClusterRecord {
        try await query("read cluster \(name)", cluster: name) { [logger] connection in
            guard let record = try await PostgresRows.cluster(connection, name, logger: logger) else { throw StoreError.clusterNotFound(name) }
            return record
        }
    }

    func clusters(includeDeleted: Bool) async throws(StoreError) -> [ClusterRecord] {
        try await query("list clusters") { [logger] connection in
            let filter = includeDeleted ? "" : " WHERE c.deleted_at IS NULL"
            return try await connection.query(PostgresQuery(unsafeSQL: PostgresRows.clusterColumns + filter + " ORDER BY c.name"), logger: logger)
                .collect().map(PostgresRows.clusterRecord)
        }
    }

    func clusters(named names: [String]) async throws(StoreError) -> [ClusterRecord] {
        try await query("read \(names.count) clusters") { [logger] connection in
            var binds = PostgresBindings()
            binds.append(names)
            return try await connection.query(
                PostgresQuery(
                    unsafeSQL: PostgresRows.clusterColumns + " WHERE c.deleted_at IS NULL AND c.name = ANY($1) ORDER BY c.name", binds: binds),
                logger: logger
            ).collect().map(PostgresRows.clusterRecord)
        }
    }

    func isActive(_ name: String) async throws(StoreError) -> Bool {
        try await query("check cluster \(name)", cluster: name) { [logger] connection in
            try await connection.query("SELECT deleted_at IS NULL FROM clusters WHERE name = \(name)", logger: logger)
                .collect().first?.decode(Bool.self) ?? false
        }
    }

    func setLabels(cluster: String, labels: [String: String], actor: String, at now: Date) async throws(StoreError) -> ClusterRecord {
        try await transaction("set labels of \(cluster)", cluster: cluster) { [logger] connection in
            let before = try await PostgresRows.lockActiveCluster(connection, cluster, logger: logger)
            guard before.labels != labels else { return before }
            try await connection.query("UPDATE clusters SET labels = \(try JSONColumn.text(labels)) WHERE name = \(cluster)", logger: logger)
            try await PostgresRows.appendAudit(
                connection,
                NewAuditEntry(
                    actor: actor, action: AuditAction.clusterLabels, target: cluster,
                    detail: ["before": try JSONCoding.tree(before.labels), "after": try JSONCoding.tree(labels)]),
                at: now, logger: logger)
            return try await PostgresRows.lockActiveCluster(connection, cluster, logger: logger)
        }
    }

    func deleteCluster(_ name: String, actor: String, at now: Date) async throws(StoreError) -> [String] {
        try await transaction("delete cluster \(name)", cluster: name) { [logger] connection in
            _ = try await PostgresRows.lockActiveCluster(connection, name, logger: logger)
            try await connection.query("UPDATE clusters SET deleted_at = \(now) WHERE name = \(name)", logger: logger)
            let serials = try await PostgresRows.revokeAll(connection, cluster: name, at: now, actor: actor, reason: "cluster deleted", logger: logger)
            try await PostgresRows.appendAudit(
                connection,
                NewAuditEntry(
                    actor: actor, action: AuditAction.clusterDelete, target: name, detail: ["revokedSerials": .array(serials.map(JSONValue.string))]),
                at: now, logger: logger)
            try await PostgresRows.notify(connection, [.serialsRevoked(serials), .clusterDeleted(cluster: name)], logger: logger)
            return serials
        }
    }
}
