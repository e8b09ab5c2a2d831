/// The ledger's tables, as named migrations applied in order on first use.
/// The SQL is portable between SQLite and PostgreSQL (BIGINT, DOUBLE
/// PRECISION, TEXT), so both backends hold the same schema; applied
/// identifiers live in `grdb_migrations` on both (GRDB's own table).
/// Never edit a shipped migration: add a new one.
package enum LedgerSchema {
    package static let migrations: [(identifier: String, statements: [String])] = [
        (
            "v1-runs",
            [
                """
                CREATE TABLE runs (
                    id BIGINT PRIMARY KEY,
                    run_key TEXT NOT NULL,
                    repeat_of BIGINT,
                    gate TEXT NOT NULL,
                    revision TEXT,
                    verdict TEXT NOT NULL,
                    exit_code BIGINT NOT NULL,
                    evalgate_version TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    contract_path TEXT NOT NULL,
                    contract_sha256 TEXT,
                    dataset_path TEXT, dataset_sha256 TEXT, dataset_rows BIGINT,
                    candidate_path TEXT, candidate_sha256 TEXT, candidate_rows BIGINT,
                    champion_path TEXT, champion_sha256 TEXT, champion_rows BIGINT,
                    baseline_run BIGINT,
                    results BIGINT NOT NULL, passed BIGINT NOT NULL, failed BIGINT NOT NULL,
                    warned BIGINT NOT NULL, skipped BIGINT NOT NULL,
                    error TEXT,
                    ci_system TEXT, ci_commit TEXT, ci_ref TEXT, ci_repository TEXT, ci_run_id TEXT, ci_run_url TEXT,
                    report_json TEXT NOT NULL
                )
                """,
                "CREATE INDEX runs_by_gate ON runs (gate, id)",
                "CREATE INDEX runs_by_key ON runs (run_key, id)",
                """
                CREATE TABLE run_labels (
                    run_id BIGINT NOT NULL REFERENCES runs (id),
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (run_id, key)
                )
                """,
                """
                CREATE TABLE run_slices (
                    run_id BIGINT NOT NULL REFERENCES runs (id),
                    position BIGINT NOT NULL,
                    slice TEXT NOT NULL,
                    slice_group TEXT,
                    rows BIGINT NOT NULL,
                    weight DOUBLE PRECISION NOT NULL,
                    status TEXT NOT NULL,
                    PRIMARY KEY (run_id, slice)
                )
                """,
                """
                CREATE TABLE slice_metrics (
                    run_id BIGINT NOT NULL REFERENCES runs (id),
                    slice TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    candidate DOUBLE PRECISION, champion DOUBLE PRECISION, delta DOUBLE PRECISION,
                    candidate_lo DOUBLE PRECISION, candidate_hi DOUBLE PRECISION,
                    delta_lo DOUBLE PRECISION, delta_hi DOUBLE PRECISION,
                    p_value DOUBLE PRECISION,
                    PRIMARY KEY (run_id, slice, metric)
                )
                """,
                "CREATE INDEX slice_metrics_by_metric ON slice_metrics (metric, slice, run_id)",
                """
                CREATE TABLE results (
                    run_id BIGINT NOT NULL REFERENCES runs (id),
                    position BIGINT NOT NULL,
                    check_id TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    slice TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    limit_value DOUBLE PRECISION NOT NULL,
                    status TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    candidate DOUBLE PRECISION, champion DOUBLE PRECISION, delta DOUBLE PRECISION,
                    reason TEXT NOT NULL,
                    PRIMARY KEY (run_id, position)
                )
                """,
            ]
        ),
        // --baseline last-pass looks for a gate's newest passing run.
        (
            "v2-runs-by-verdict",
            [
                "CREATE INDEX runs_by_gate_verdict ON runs (gate, verdict, id)"
            ]
        ),
        // The drift reference is an input too: an auditor ties a decision
        // to every file it compared.
        (
            "v3-drift-reference",
            [
                "ALTER TABLE runs ADD COLUMN reference_path TEXT",
                "ALTER TABLE runs ADD COLUMN reference_sha256 TEXT",
                "ALTER TABLE runs ADD COLUMN reference_rows BIGINT",
            ]
        ),
    ]
}
