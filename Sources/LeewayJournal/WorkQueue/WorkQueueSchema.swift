/// The work queue of distributed `leeway stress` / `leeway tune` (`WorkQueue`), in the schema
/// `leeway_work` of the database `--postgres` names: apart from the journal's schema `leeway`, so
/// a queue never touches a journal's tables or its schema version, and one database may hold both.
///
/// - `jobs (id, kind, configuration, created)`: one per coordinator run; `kind` is `stress` or
///   `tune`, `configuration` everything a worker needs to rebuild the run (JSON, written by the CLI).
/// - `units (job, unit, spec, state, claimed_by, token, lease_until, attempts, result)`: the work,
///   `spec` saying which part (a range of paths, or one (rung, policy, input) run). `state` is
///   `pending`, `claimed` or `done`. A claim sets `claimed_by`, a new `token` from the sequence
///   `claim_tokens`, and `lease_until`; the worker renews the lease while it runs the unit; a unit
///   whose lease has passed is claimable again (its worker died or stalled), and its `attempts`
///   count the claims. A result is written only with the token of the current claim, so a worker
///   whose lease expired and was claimed by another cannot overwrite, or double-count, anything.
enum WorkQueueSchema {
    /// The advisory lock taken while creating the tables (two processes starting at once).
    static let setupLock: Int64 = 7_270_003

    /// The statements that create the tables when missing, run one by one in one transaction.
    static let create: [String] = [
        "CREATE SCHEMA IF NOT EXISTS leeway_work",
        """
        CREATE TABLE IF NOT EXISTS leeway_work.jobs (id bigserial PRIMARY KEY, kind text NOT NULL, configuration text NOT NULL,
            created timestamptz NOT NULL DEFAULT now())
        """,
        """
        CREATE TABLE IF NOT EXISTS leeway_work.units (
            job bigint NOT NULL REFERENCES leeway_work.jobs (id) ON DELETE CASCADE,
            unit bigint NOT NULL,
            spec text NOT NULL,
            state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'claimed', 'done')),
            claimed_by text,
            token bigint,
            lease_until timestamptz,
            attempts int NOT NULL DEFAULT 0,
            result text,
            PRIMARY KEY (job, unit))
        """,
        "CREATE INDEX IF NOT EXISTS units_open ON leeway_work.units (job, unit) WHERE state <> 'done'",
        "CREATE SEQUENCE IF NOT EXISTS leeway_work.claim_tokens",
    ]
}
