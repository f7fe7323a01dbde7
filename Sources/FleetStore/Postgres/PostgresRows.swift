import FleetModel
import Foundation
import Logging
import PostgresNIO
import RegistryModel

/// Decoding of result rows into the store's records, and the statements several operations share.
enum PostgresRows {
    /// The columns `clusterRecord` decodes, joined from clusters, policies and latest_reports.
    static let clusterColumns = """
        SELECT c.name, c.labels, c.enrolled_at, c.deleted_at, c.last_report_at,
               COALESCE(p.generation, 0) AS policy_generation,
               l.sequence AS latest_sequence, l.received_at AS latest_received_at, l.report AS latest_report
        FROM clusters c
        LEFT JOIN policies p ON p.cluster = c.name
        LEFT JOIN latest_reports l ON l.cluster = c.name
        """

    static func clusterRecord(_ row: PostgresRow) throws -> ClusterRecord {
        let columns = row.makeRandomAccess()
        let name = try columns["name"].decode(String.self)
        var latest: StoredReport?
        if let text = try columns["latest_report"].decode(String?.self) {
            latest = StoredReport(
                cluster: name, sequence: try columns["latest_sequence"].decode(Int64.self),
                receivedAt: try columns["latest_received_at"].decode(Date.self), report: try JSONColumn.value(AgentReport.self, from: text))
        }
        return ClusterRecord(
            name: name, labels: try JSONColumn.value([String: String].self, from: try columns["labels"].decode(String.self)),
            enrolledAt: try columns["enrolled_at"].decode(Date.self), deletedAt: try columns["deleted_at"].decode(Date?.self),
            lastReportAt: try columns["last_report_at"].decode(Date?.self), policyGeneration: try columns["policy_generation"].decode(Int64.self),
            latestReport: latest)
    }

    static func tokenRecord(_ row: PostgresRow) throws -> BootstrapTokenRecord {
        let columns = row.makeRandomAccess()
        let hash = try columns["token_hash"].decode(String.self)
        return BootstrapTokenRecord(
            id: String(hash.prefix(12)), cluster: try columns["cluster"].decode(String.self),
            labels: try JSONColumn.value([String: String].self, from: try columns["labels"].decode(String.self)),
            createdBy: try columns["created_by"].decode(String.self), createdAt: try columns["created_at"].decode(Date.self),
            expiresAt: try columns["expires_at"].decode(Date.self), usedAt: try columns["used_at"].decode(Date?.self))
    }

    /// A row with `generation`, `policy`, `updated_by`, `updated_at`, NULL when no policy was set.
    static func policyDocument(_ row: PostgresRow, cluster: String) throws -> PolicyDocument {
        let columns = row.makeRandomAccess()
        guard let text = try columns["policy"].decode(String?.self) else {
            return PolicyDocument(cluster: cluster, generation: 0, policy: FleetPolicy())
        }
        return PolicyDocument(
            cluster: cluster, generation: try columns["generation"].decode(Int64.self), policy: try JSONColumn.value(FleetPolicy.self, from: text),
            updatedBy: try columns["updated_by"].decode(String.self), updatedAt: try columns["updated_at"].decode(Date.self))
    }

    static func storedReport(_ row: PostgresRow) throws -> StoredReport {
        let columns = row.makeRandomAccess()
        return StoredReport(
            cluster: try columns["cluster"].decode(String.self), sequence: try columns["sequence"].decode(Int64.self),
            receivedAt: try columns["received_at"].decode(Date.self),
            report: try JSONColumn.value(AgentReport.self, from: try columns["report"].decode(String.self)))
    }

    static func auditEntry(_ row: PostgresRow) throws -> AuditEntry {
        let columns = row.makeRandomAccess()
        return AuditEntry(
            id: try columns["id"].decode(Int64.self), at: try columns["at"].decode(Date.self), actor: try columns["actor"].decode(String.self),
            action: try columns["action"].decode(String.self), target: try columns["target"].decode(String.self),
            generationBefore: try columns["generation_before"].decode(Int64?.self),
            generationAfter: try columns["generation_after"].decode(Int64?.self),
            detail: try columns["detail"].decode(String?.self).map { try JSONColumn.value(JSONValue.self, from: $0) })
    }

    static func certificate(_ row: PostgresRow) throws -> IssuedCertificate {
        let columns = row.makeRandomAccess()
        return IssuedCertificate(
            serial: try columns["serial"].decode(String.self),
            role: CertificateRole(rawValue: try columns["role"].decode(String.self)) ?? .agent, subject: try columns["subject"].decode(String.self),
            issuedAt: try columns["issued_at"].decode(Date.self), notAfter: try columns["not_after"].decode(Date.self),
            revokedAt: try columns["revoked_at"].decode(Date?.self))
    }

    // MARK: Statements inside a caller's transaction

    /// Appends an audit row and returns it with its id.
    @discardableResult
    static func appendAudit(_ connection: PostgresConnection, _ entry: NewAuditEntry, at now: Date, logger: Logger) async throws -> AuditEntry {
        let detailText = try entry.detail.map { try JSONColumn.text($0) }
        let rows = try await connection.query(
            """
            INSERT INTO audit_log (at, actor, action, target, generation_before, generation_after, detail)
            VALUES (\(now), \(entry.actor), \(entry.action), \(entry.target), \(entry.generationBefore), \(entry.generationAfter), \(detailText))
            RETURNING id
            """, logger: logger
        ).collect()
        return AuditEntry(
            id: try rows.first?.decode(Int64.self) ?? 0, at: now, actor: entry.actor, action: entry.action, target: entry.target,
            generationBefore: entry.generationBefore, generationAfter: entry.generationAfter, detail: entry.detail)
    }

    /// The cluster row, locked for the rest of the transaction; `notFound` unless enrolled.
    static func lockActiveCluster(_ connection: PostgresConnection, _ name: String, logger: Logger) async throws -> ClusterRecord {
        let locked = try await connection.query(
            "SELECT deleted_at IS NULL FROM clusters WHERE name = \(name) FOR UPDATE", logger: logger
        ).collect().first?.decode(Bool.self)
        guard locked == true, let record = try await cluster(connection, name, logger: logger) else { throw StoreError.clusterNotFound(name) }
        return record
    }

    /// The cluster, deleted or not; nil when it never enrolled.
    static func cluster(_ connection: PostgresConnection, _ name: String, logger: Logger) async throws -> ClusterRecord? {
        try await connection.query(PostgresQuery(unsafeSQL: clusterColumns + " WHERE c.name = $1", binds: binds(name)), logger: logger)
            .collect().first.map(clusterRecord)
    }

    /// Revokes one serial; false when it already was.
    static func revoke(_ connection: PostgresConnection, serial: String, at now: Date, actor: String, reason: String, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO revoked_serials (serial, revoked_at, revoked_by, reason) VALUES (\(serial), \(now), \(actor), \(reason))
            ON CONFLICT (serial) DO NOTHING RETURNING 1
            """, logger: logger
        ).collect()
        return !rows.isEmpty
    }

    /// Revokes every serial issued to `cluster`; returns those not revoked before.
    static func revokeAll(_ connection: PostgresConnection, cluster: String, at now: Date, actor: String, reason: String, logger: Logger) async throws
        -> [String]
    {
        let serials = try await connection.query(
            "SELECT serial FROM certificates WHERE cluster = \(cluster) ORDER BY issued_at", logger: logger
        ).collect().map { try $0.decode(String.self) }
        var revoked: [String] = []
        for serial in serials where try await revoke(connection, serial: serial, at: now, actor: actor, reason: reason, logger: logger) {
            revoked.append(serial)
        }
        return revoked
    }

    /// Announces `events` to every replica when the transaction commits.
    static func notify(_ connection: PostgresConnection, _ events: [StoreEvent], logger: Logger) async throws {
        for payload in StoreEventCoding.payloads(events) {
            try await connection.query("SELECT pg_notify(\(PostgresBackend.channel), \(payload))", logger: logger)
        }
    }

    /// Bindings of the given values, for statements built from text.
    static func binds(_ values: String...) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }
}
