import Logging
import PostgresNIO

/// The PostgreSQL schema and its migrations: the same tables as SQLite's v1–v6, in PostgreSQL's
/// types (timestamps with time zone, bigint generations, JSON kept as the exact wire text).
///
/// Every pending migration runs in the caller's transaction after `pg_advisory_xact_lock`, so of
/// several replicas starting together one migrates and the others wait, then find nothing to do.
enum PostgresSchema {
    /// The advisory lock key of migrations (any constant; "regfleet" in ASCII).
    static let migrationLock: Int64 = 0x7265_6766_6c65_6574
    /// The first half of the advisory lock key that serialises staging and enrollment of one cluster name.
    static let enrollmentLock: Int32 = 0x7265_6765
    /// The advisory lock key that serialises rollout creation across replicas.
    static let rolloutLock: Int64 = 0x7265_6766_726f_6c6c

    /// Every migration, oldest first; a shipped migration is never edited.
    static let steps: [(identifier: String, statements: [String])] = [
        ("v1", v1),
        ("v2", v2),
        ("v3", v3),
    ]

    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS regfleet_migrations (
                identifier text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        let applied = Set(
            try await connection.query("SELECT identifier FROM regfleet_migrations", logger: logger).collect().map { try $0.decode(String.self) })
        let unknown = applied.subtracting(steps.map(\.identifier))
        guard unknown.isEmpty else { throw MigrationError.newerSchema(unknown.sorted()) }
        for step in steps where !applied.contains(step.identifier) {
            for statement in step.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query("INSERT INTO regfleet_migrations (identifier) VALUES (\(step.identifier))", logger: logger)
            logger.info("database migrated", metadata: ["migration": "\(step.identifier)"])
        }
    }

    /// Fleet policies, change freezes and each cluster's fleet layer (SQLite's v6).
    static let v3 = [
        """
        CREATE TABLE fleet_policies (
            name text PRIMARY KEY,
            generation bigint NOT NULL,
            spec text NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_by text NOT NULL,
            updated_at timestamptz NOT NULL,
            last_rollout text)
        """,
        """
        CREATE TABLE change_freezes (
            name text PRIMARY KEY,
            selector text NOT NULL,
            reason text,
            until timestamptz,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL)
        """,
        "ALTER TABLE policies ADD COLUMN fleet_layer text",
    ]

    /// Staged policies and the key a token enrolled (SQLite's v5).
    static let v2 = [
        "ALTER TABLE bootstrap_tokens ADD COLUMN used_by_key text",
        """
        CREATE TABLE staged_policies (
            cluster text PRIMARY KEY,
            policy text NOT NULL,
            staged_by text NOT NULL,
            staged_at timestamptz NOT NULL)
        """
    ]

    static let v1 = [
        """
        CREATE TABLE clusters (
            name text PRIMARY KEY,
            labels text NOT NULL,
            enrolled_at timestamptz NOT NULL,
            deleted_at timestamptz,
            last_report_at timestamptz)
        """,
        """
        CREATE TABLE certificates (
            serial text PRIMARY KEY,
            role text NOT NULL CHECK (role IN ('agent', 'admin')),
            subject text NOT NULL,
            cluster text REFERENCES clusters(name),
            issued_at timestamptz NOT NULL,
            not_after timestamptz NOT NULL)
        """,
        "CREATE INDEX certificates_by_cluster ON certificates(cluster)",
        """
        CREATE TABLE revoked_serials (
            serial text PRIMARY KEY,
            revoked_at timestamptz NOT NULL,
            revoked_by text NOT NULL,
            reason text NOT NULL)
        """,
        """
        CREATE TABLE bootstrap_tokens (
            token_hash text PRIMARY KEY,
            cluster text NOT NULL,
            labels text NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            used_at timestamptz)
        """,
        "CREATE INDEX bootstrap_tokens_by_cluster ON bootstrap_tokens(cluster)",
        """
        CREATE TABLE policies (
            cluster text PRIMARY KEY REFERENCES clusters(name),
            generation bigint NOT NULL,
            policy text NOT NULL,
            updated_by text NOT NULL,
            updated_at timestamptz NOT NULL)
        """,
        """
        CREATE TABLE policy_history (
            cluster text NOT NULL REFERENCES clusters(name),
            generation bigint NOT NULL,
            policy text NOT NULL,
            updated_by text NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (cluster, generation))
        """,
        """
        CREATE TABLE reports (
            cluster text NOT NULL REFERENCES clusters(name),
            sequence bigint NOT NULL,
            received_at timestamptz NOT NULL,
            report text NOT NULL,
            PRIMARY KEY (cluster, sequence))
        """,
        """
        CREATE TABLE latest_reports (
            cluster text PRIMARY KEY REFERENCES clusters(name),
            sequence bigint NOT NULL,
            received_at timestamptz NOT NULL,
            report text NOT NULL)
        """,
        """
        CREATE TABLE prune_results (
            cluster text NOT NULL REFERENCES clusters(name),
            run_id text NOT NULL,
            received_at timestamptz NOT NULL,
            finished_at timestamptz NOT NULL,
            report text NOT NULL,
            PRIMARY KEY (cluster, run_id))
        """,
        "CREATE INDEX prune_results_by_cluster ON prune_results(cluster, finished_at)",
        "CREATE INDEX prune_results_by_time ON prune_results(finished_at)",
        """
        CREATE TABLE audit_log (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            target text NOT NULL,
            generation_before bigint,
            generation_after bigint,
            detail text)
        """,
        "CREATE INDEX audit_log_by_actor ON audit_log(actor, id)",
        "CREATE INDEX audit_log_by_time ON audit_log(at)",
        """
        CREATE TABLE rollouts (
            id text PRIMARY KEY,
            phase text NOT NULL,
            active boolean NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            state text NOT NULL)
        """,
        "CREATE INDEX rollouts_active ON rollouts(active, created_at)",
        """
        CREATE TABLE leases (
            name text PRIMARY KEY,
            holder text NOT NULL,
            expires_at timestamptz NOT NULL)
        """,
    ]
}
