import GRDB

/// Prune run ids are unique per cluster, not fleet-wide.
///
/// With `run_id` alone as the key, one agent could store a run under an id another cluster was
/// about to use and that cluster's real run would then be dropped as a "retry" (`INSERT OR
/// IGNORE`). The key is now (cluster, run_id): a retried forward from the same cluster is still
/// stored once, and no cluster can pre-empt another's runs.
enum SchemaV3 {
    static func migrate(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE prune_results_v3 (
                    cluster TEXT NOT NULL REFERENCES clusters(name),
                    run_id TEXT NOT NULL,
                    received_at DATETIME NOT NULL,
                    finished_at DATETIME NOT NULL,
                    report TEXT NOT NULL,                -- JSON PruneReport
                    PRIMARY KEY (cluster, run_id)
                );
                INSERT INTO prune_results_v3 (cluster, run_id, received_at, finished_at, report)
                    SELECT cluster, run_id, received_at, finished_at, report FROM prune_results;
                DROP TABLE prune_results;
                ALTER TABLE prune_results_v3 RENAME TO prune_results;
                CREATE INDEX prune_results_by_cluster ON prune_results(cluster, finished_at);
                CREATE INDEX prune_results_by_time ON prune_results(finished_at);
                """)
    }
}
