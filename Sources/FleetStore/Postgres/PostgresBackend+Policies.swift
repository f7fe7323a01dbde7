import FleetModel
import Foundation
import Logging
import PostgresNIO
import RegistryModel

extension PostgresBackend {
    func policy(cluster: String) async throws(StoreError) -> PolicyDocument {
        try await query("read policy of \(cluster)", cluster: cluster) { [logger] connection in
            let rows = try await connection.query(
                """
                SELECT p.generation, p.policy, p.updated_by, p.updated_at FROM clusters c LEFT JOIN policies p ON p.cluster = c.name
                WHERE c.name = \(cluster)
                """, logger: logger
            ).collect()
            guard let row = rows.first else { throw StoreError.clusterNotFound(cluster) }
            return try PostgresRows.policyDocument(row, cluster: cluster)
        }
    }

    func policies(clusters names: [String]) async throws(StoreError) -> [String: PolicyDocument] {
        try await query("read \(names.count) policies") { [logger] connection in
            let rows = try await connection.query(
                """
                SELECT c.name, p.generation, p.policy, p.updated_by, p.updated_at
                FROM clusters c LEFT JOIN policies p ON p.cluster = c.name WHERE c.name = ANY(\(names))
                """, logger: logger
            ).collect()
            var documents: [String: PolicyDocument] = [:]
            for row in rows {
                let name = try row.makeRandomAccess()["name"].decode(String.self)
                documents[name] = try PostgresRows.policyDocument(row, cluster: name)
            }
            return documents
        }
    }

    /// Every change in one transaction, each cluster's row locked before its generation is read,
    /// so two replicas writing one cluster's policy serialise instead of both taking `n + 1`.
    func putPolicies(_ changes: [PolicyChange], actor: String, at now: Date) async throws(StoreError) -> [String: Result<PolicyUpdate, StoreError>] {
        try await transaction("update the policies of \(changes.count) clusters", cluster: changes.count == 1 ? changes[0].cluster : nil) {
            [logger] connection in
            var results: [String: Result<PolicyUpdate, StoreError>] = [:]
            var events: [StoreEvent] = []
            for change in changes {
                do {
                    let update = try await Self.putPolicy(connection, change, actor: actor, at: now, logger: logger)
                    if update.changed { events.append(.policyChanged(cluster: change.cluster, generation: update.document.generation)) }
                    results[change.cluster] = .success(update)
                } catch let error as StoreError {
                    // Thrown by the checks, before the cluster's first write: the batch stays whole.
                    results[change.cluster] = .failure(error)
                }
            }
            try await PostgresRows.notify(connection, events, logger: logger)
            return results
        }
    }

    func policyHistory(cluster: String, limit: Int) async throws(StoreError) -> [PolicyRevision] {
        try await query("read policy history of \(cluster)", cluster: cluster) { [logger] connection in
            try await connection.query(
                "SELECT * FROM policy_history WHERE cluster = \(cluster) ORDER BY generation DESC LIMIT \(limit)", logger: logger
            ).collect().map { row in
                let document = try PostgresRows.policyDocument(row, cluster: cluster)
                return PolicyRevision(
                    cluster: cluster, generation: document.generation, policy: document.policy, updatedBy: document.updatedBy ?? "",
                    updatedAt: document.updatedAt ?? .distantPast)
            }
        }
    }

    /// The rows of one policy change, in the caller's transaction; `notFound` or `conflict`
    /// before anything is written.
    static func putPolicy(_ connection: PostgresConnection, _ change: PolicyChange, actor: String, at now: Date, logger: Logger) async throws
        -> PolicyUpdate
    {
        let cluster = change.cluster
        _ = try await PostgresRows.lockActiveCluster(connection, cluster, logger: logger)
        let row = try await connection.query(
            "SELECT generation, policy, updated_by, updated_at FROM policies WHERE cluster = \(cluster)", logger: logger
        ).collect().first
        let current = try row.map { try PostgresRows.policyDocument($0, cluster: cluster) } ?? PolicyDocument(cluster: cluster, generation: 0, policy: FleetPolicy())
        if let expected = change.expectedGeneration, expected != current.generation {
            throw StoreError.staleGeneration(cluster: cluster, current: current.generation, expected: expected)
        }
        let layerText = try change.fleetLayer.map { try JSONColumn.text($0) }
        guard change.policy != current.policy else {
            if let layerText {
                // Provenance only: the agent's policy is the same, so no generation moves.
                try await connection.query(
                    """
                    INSERT INTO policies (cluster, generation, policy, updated_by, updated_at, fleet_layer)
                    VALUES (\(cluster), 0, '{}', \(actor), \(now), \(layerText))
                    ON CONFLICT (cluster) DO UPDATE SET fleet_layer = excluded.fleet_layer
                    """, logger: logger)
            }
            return PolicyUpdate(document: current, changed: false, previousGeneration: current.generation)
        }
        let generation = current.generation + 1
        let text = try JSONColumn.text(change.policy)
        try await connection.query(
            """
            INSERT INTO policies (cluster, generation, policy, updated_by, updated_at, fleet_layer)
            VALUES (\(cluster), \(generation), \(text), \(actor), \(now), \(layerText))
            ON CONFLICT (cluster) DO UPDATE SET generation = excluded.generation, policy = excluded.policy,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at,
                fleet_layer = COALESCE(excluded.fleet_layer, policies.fleet_layer)
            """, logger: logger)
        try await connection.query(
            """
            INSERT INTO policy_history (cluster, generation, policy, updated_by, updated_at)
            VALUES (\(cluster), \(generation), \(text), \(actor), \(now))
            """, logger: logger)
        try await PostgresRows.appendAudit(
            connection,
            NewAuditEntry(
                actor: actor, action: AuditAction.policyUpdate, target: cluster, generationBefore: current.generation, generationAfter: generation,
                detail: ["changes": try JSONCoding.tree(current.policy.diff(to: change.policy))]),
            at: now, logger: logger)
        let document = PolicyDocument(cluster: cluster, generation: generation, policy: change.policy, updatedBy: actor, updatedAt: now)
        return PolicyUpdate(document: document, changed: true, previousGeneration: current.generation)
    }
}
