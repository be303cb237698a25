/// The journal's tables in PostgreSQL, all in the schema `leeway` of the database `--postgres`
/// names (one deployment per database):
///
/// - `meta`: `schema_version` (this layout: 1) and `deployment` (the name the journal was created
///   for; a server for another deployment refuses it).
/// - `records (seq, epoch, line, hash)`: the hash-chained command records, each with the leader
///   epoch that wrote it; `events (seq, record, account, line)`; `snapshots (seq, state, digest)`.
/// - `lease`: one row, the current leader `epoch`, who holds it and until when (`expires`). A
///   leader holds the session-level advisory lock `leaseLock` for as long as it leads and renews
///   `expires` every `renewEvery`. Another server takes the lease, raising `epoch` by one, when it
///   gets the advisory lock (the leader's session is gone: it died) or when `expires` has passed
///   (the leader stopped renewing: paused, partitioned, or stuck).
///
/// Fencing is the database's: a statement-level trigger on `records` refuses (SQLSTATE `LW001`)
/// any insert whose rows carry an epoch other than `lease.epoch`, reading that row `FOR SHARE`, so a
/// takeover (which updates it) waits for an append in flight to commit, and an append after a
/// takeover sees the new epoch. A paused old leader that wakes up cannot write. The journal's own
/// appends check the epoch first as well (`PostgresJournal.requireLeadingEpoch`), so such a leader
/// is told it was fenced rather than that its seqs already exist.
///
/// Followers: each append's transaction NOTIFYs `appendChannel` with the new head seq; PostgreSQL
/// delivers a notification only when its transaction commits, so a follower woken by one reads only
/// committed records.
enum PostgresSchema {
    static let version = 1
    /// SQLSTATE of a refused append from a superseded epoch.
    static let fencedState = "LW001"
    /// The advisory lock (per database) a leader holds for as long as it leads.
    static let leaseLock: Int64 = 7_270_001
    /// The advisory lock taken while creating or checking the tables (two servers starting at once).
    static let setupLock: Int64 = 7_270_002
    /// How long a lease lasts without renewal, and how often its leader renews it.
    static let leaseMilliseconds = 2_000
    static let renewEveryMilliseconds = 500
    /// The LISTEN/NOTIFY channel of committed appends (payload: the new head seq).
    static let appendChannel = "leeway_appended"

    /// The statements that create the tables, run one by one in one transaction.
    static let create: [String] = [
        "CREATE SCHEMA IF NOT EXISTS leeway",
        "CREATE TABLE leeway.meta (key text PRIMARY KEY, value text NOT NULL)",
        "CREATE TABLE leeway.records (seq bigint PRIMARY KEY, epoch bigint NOT NULL, line text NOT NULL, hash bytea NOT NULL)",
        "CREATE TABLE leeway.events (seq bigint PRIMARY KEY, record bigint NOT NULL, account text, line text NOT NULL)",
        "CREATE INDEX events_by_account ON leeway.events (account, seq)",
        "CREATE INDEX events_by_record ON leeway.events (record)",
        "CREATE TABLE leeway.snapshots (seq bigint PRIMARY KEY, state bytea NOT NULL, digest text NOT NULL)",
        "CREATE TABLE leeway.lease (id int PRIMARY KEY CHECK (id = 1), epoch bigint NOT NULL, holder text NOT NULL, since timestamptz NOT NULL, expires timestamptz NOT NULL)",
        "INSERT INTO leeway.lease VALUES (1, 0, 'nobody yet', now(), now())",
        """
        CREATE FUNCTION leeway.refuse_stale_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            current_epoch bigint;
            stale_epoch bigint;
        BEGIN
            SELECT epoch INTO current_epoch FROM leeway.lease WHERE id = 1 FOR SHARE;
            SELECT epoch INTO stale_epoch FROM inserted WHERE epoch IS DISTINCT FROM current_epoch LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'an append from leader epoch % was refused: epoch % leads this journal', stale_epoch, current_epoch
                    USING ERRCODE = 'LW001', DETAIL = stale_epoch || ' ' || current_epoch;
            END IF;
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER records_from_the_leading_epoch AFTER INSERT ON leeway.records
            REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION leeway.refuse_stale_epoch()
        """,
    ]
}
