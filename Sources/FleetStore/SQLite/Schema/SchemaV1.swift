import FleetModel
import GRDB

/// The first schema: clusters, certificates, tokens, policies, reports, prune results, audit.
///
/// Dates are GRDB's UTC text (`YYYY-MM-DD HH:MM:SS.SSS`), which sorts and compares as text; JSON
/// columns hold the `JSONCoding` encoding of the RegistryModel wire types.
enum SchemaV1 {
    /// Creates the v1 tables and indexes.
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE clusters (
                    name TEXT PRIMARY KEY NOT NULL,
                    labels TEXT NOT NULL,                -- JSON object
                    enrolled_at DATETIME NOT NULL,
                    deleted_at DATETIME,                 -- NULL while enrolled
                    last_report_at DATETIME              -- arrival of the newest report of any sequence
                );

                CREATE TABLE certificates (
                    serial TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
                    subject TEXT NOT NULL,               -- cluster name or admin name
                    cluster TEXT REFERENCES clusters(name),
                    issued_at DATETIME NOT NULL,
                    not_after DATETIME NOT NULL
                );
                CREATE INDEX certificates_by_cluster ON certificates(cluster);

                CREATE TABLE revoked_serials (
                    serial TEXT PRIMARY KEY NOT NULL,
                    revoked_at DATETIME NOT NULL,
                    revoked_by TEXT NOT NULL,
                    reason TEXT NOT NULL
                );

                CREATE TABLE bootstrap_tokens (
                    token_hash TEXT PRIMARY KEY NOT NULL, -- hex SHA-256 of the secret; the secret is never stored
                    cluster TEXT NOT NULL,
                    labels TEXT NOT NULL,                 -- JSON object given to the cluster at enrollment
                    created_by TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    expires_at DATETIME NOT NULL,
                    used_at DATETIME
                );
                CREATE INDEX bootstrap_tokens_by_cluster ON bootstrap_tokens(cluster);

                CREATE TABLE policies (
                    cluster TEXT PRIMARY KEY NOT NULL REFERENCES clusters(name),
                    generation INTEGER NOT NULL,
                    policy TEXT NOT NULL,                -- JSON FleetPolicy
                    updated_by TEXT NOT NULL,
                    updated_at DATETIME NOT NULL
                );

                CREATE TABLE policy_history (
                    cluster TEXT NOT NULL REFERENCES clusters(name),
                    generation INTEGER NOT NULL,
                    policy TEXT NOT NULL,                -- JSON FleetPolicy
                    updated_by TEXT NOT NULL,
                    updated_at DATETIME NOT NULL,
                    PRIMARY KEY (cluster, generation)
                );

                CREATE TABLE reports (
                    cluster TEXT NOT NULL REFERENCES clusters(name),
                    sequence INTEGER NOT NULL,
                    received_at DATETIME NOT NULL,
                    report TEXT NOT NULL,                -- JSON AgentReport
                    PRIMARY KEY (cluster, sequence)
                );

                CREATE TABLE latest_reports (
                    cluster TEXT PRIMARY KEY NOT NULL REFERENCES clusters(name),
                    sequence INTEGER NOT NULL,
                    received_at DATETIME NOT NULL,
                    report TEXT NOT NULL                 -- JSON AgentReport
                );

                CREATE TABLE prune_results (
                    run_id TEXT PRIMARY KEY NOT NULL,
                    cluster TEXT NOT NULL REFERENCES clusters(name),
                    received_at DATETIME NOT NULL,
                    finished_at DATETIME NOT NULL,
                    report TEXT NOT NULL                 -- JSON PruneReport
                );
                CREATE INDEX prune_results_by_cluster ON prune_results(cluster, finished_at);
                CREATE INDEX prune_results_by_time ON prune_results(finished_at);

                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at DATETIME NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    generation_before INTEGER,
                    generation_after INTEGER,
                    detail TEXT                          -- JSON value
                );
                CREATE INDEX audit_log_by_actor ON audit_log(actor, id);
                CREATE INDEX audit_log_by_time ON audit_log(at);
                """)
    }
}
