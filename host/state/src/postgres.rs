//! PostgreSQL backend: the same [`Store`] as the file backend plus the [`LeaseQueue`] that lets
//! many `strive worker` processes, on many machines, share the due loops.
//!
//! Guarantees:
//! - **Schema on start.** [`PgStore::connect`] applies the embedded migrations
//!   (`host/state/migrations/*.sql`) that the database lacks, each in its own transaction,
//!   recorded in `schema_migrations`, under an advisory lock so that workers starting together
//!   apply each migration exactly once.
//! - **Sections**: an update is a read-modify-write in one transaction under a per-loop
//!   transaction advisory lock, so concurrent writers (threads, processes, machines) never lose
//!   each other's changes, including for sections that do not exist yet.
//! - **A run commits in one transaction** ([`Store::commit_run`]): audit lines, section and
//!   run-log row; a retry after a lost commit acknowledgement finds the run's row and writes
//!   nothing twice.
//! - **Leases**: claims use `SELECT … FOR UPDATE SKIP LOCKED`; every lease carries a fencing
//!   token from a sequence; the `runs` table's primary key (loop, slot) makes each due slot
//!   complete at most once; lease expiry and due-ness use the database clock. Every write of a
//!   leased run (see [`LeaseQueue::run_store`]) locks the loop's row and checks the token in
//!   the transaction that writes, so a worker that lost its lease writes nothing.
//! - **Outages are ridden out.** A call that fails because the server cannot be reached (refused,
//!   connection lost, server shutting down or starting) reconnects and retries with backoff
//!   (100 ms doubling to 2 s) for up to the retry window (default 30 s,
//!   [`PgStore::set_retry_window`]), then fails with [`StoreError::Unavailable`]. Each retried
//!   call is one transaction, so a retry never applies half of one.
//!   Only a bare [`Store::append_runlog`]/[`Store::append_audit`] whose commit acknowledgement was
//!   lost may be applied twice; runs use `commit_run`, which cannot.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use postgres::{Client, GenericClient, NoTls};
use serde_json::Value;

use crate::lease::{Completion, Lease, LeaseQueue, LoopEntry, RunStore, SlotFinish, SyncReport};
use crate::{RunCommit, Store, StoreError};

/// The embedded migrations, in order: (version, name, SQL).
pub const MIGRATIONS: &[(i32, &str, &str)] =
    &[(1, "init", include_str!("../migrations/0001_init.sql"))];

/// Advisory-lock namespaces (the first key of the two-key form), so Strive's locks never
/// collide with each other or with an application's own.
const LOCK_MIGRATIONS: i32 = 0x5354_0001;
const LOCK_SECTION: i32 = 0x5354_0002;
/// Namespace of the writer locks on target repositories (see [`PgStore::try_lock_key`]).
pub const LOCK_REPO: i32 = 0x5354_0003;

/// How long a call keeps retrying an unreachable server by default.
pub const DEFAULT_RETRY_WINDOW: Duration = Duration::from_secs(30);

/// Whether `target` names a PostgreSQL database rather than a state file.
pub fn is_postgres_url(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

/// A connection to a Strive database. Clones share the connection.
#[derive(Clone)]
pub struct PgStore {
    inner: Arc<Inner>,
}

struct Inner {
    url: String,
    /// `None` after a connection failure: the next call reconnects.
    client: Mutex<Option<Client>>,
    retry_window: Mutex<Duration>,
}

/// Whether a driver error means "the server could not be reached" (worth a retry on a fresh
/// connection) rather than "the server refused this".
fn is_transient(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(code) = e.code() {
        let c = code.code();
        // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot
        // connect now (starting up); 53300: too many connections; 40001/40P01: serialisation
        // failure, deadlock (the transaction was rolled back and may be retried).
        return c.starts_with("08")
            || c.starts_with("57P")
            || c == "53300"
            || c == "40001"
            || c == "40P01";
    }
    // No server error: an I/O failure on the socket, or a connect that failed.
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    let text = e.to_string();
    text.contains("connection") || text.contains("closed")
}

fn pg_err(what: &str, e: postgres::Error) -> StoreError {
    // The chain's last source is the server's message; Display of the outer error is terse.
    let detail = match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => match std::error::Error::source(&e) {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        },
    };
    let msg = format!("postgres: {what}: {detail}");
    if is_transient(&e) {
        StoreError::Unavailable(msg)
    } else {
        StoreError::Other(msg)
    }
}

/// `url` with any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

impl PgStore {
    /// Connect to `url` (`postgres://user[:password]@host[:port]/db`) and apply missing
    /// migrations. The first connection is not retried: an unreachable server fails at once.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let client = Self::open_client(url)?;
        let store = PgStore {
            inner: Arc::new(Inner {
                url: url.to_string(),
                client: Mutex::new(Some(client)),
                retry_window: Mutex::new(DEFAULT_RETRY_WINDOW),
            }),
        };
        store.with_client(apply_migrations)?;
        Ok(store)
    }

    /// How long a call keeps retrying an unreachable server before it fails (0: no retry).
    pub fn set_retry_window(&self, window: Duration) {
        *self
            .inner
            .retry_window
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = window;
    }

    fn retry_window(&self) -> Duration {
        *self
            .inner
            .retry_window
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn open_client(url: &str) -> Result<Client, StoreError> {
        Client::connect(url, NoTls).map_err(|e| {
            let msg = format!(
                "cannot connect to PostgreSQL at {}: {e}; check the URL, that the server runs and accepts this user",
                redact_url(url)
            );
            if is_transient(&e) {
                StoreError::Unavailable(msg)
            } else {
                StoreError::Other(msg)
            }
        })
    }

    /// Run `f` on the connection (reconnecting first if the last call lost it); retry it on a
    /// fresh connection while the server is unreachable, for up to the retry window. `f` must
    /// be one transaction (or one statement), so that a failed attempt applied nothing.
    fn with_client<T>(
        &self,
        mut f: impl FnMut(&mut Client) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let started = Instant::now();
        let window = self.retry_window();
        let mut pause = Duration::from_millis(100);
        loop {
            let attempt = {
                let mut guard = self
                    .inner
                    .client
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                let ready = if guard.as_ref().is_none_or(Client::is_closed) {
                    match Self::open_client(&self.inner.url) {
                        Ok(c) => {
                            *guard = Some(c);
                            Ok(())
                        }
                        Err(e) => {
                            *guard = None;
                            Err(e)
                        }
                    }
                } else {
                    Ok(())
                };
                let attempt = ready.and_then(|()| match guard.as_mut() {
                    Some(client) => f(client),
                    None => Err(StoreError::Unavailable("postgres: not connected".into())),
                });
                if matches!(&attempt, Err(e) if e.is_transient()) {
                    // The connection may be half-dead: start the next attempt on a fresh one.
                    *guard = None;
                }
                attempt
            };
            match attempt {
                Err(e) if e.is_transient() && started.elapsed() + pause <= window => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
                Err(StoreError::Unavailable(msg)) if !window.is_zero() => {
                    return Err(StoreError::Unavailable(format!(
                        "{msg} (still unreachable after retrying for {} s)",
                        started.elapsed().as_secs()
                    )));
                }
                other => return other,
            }
        }
    }

    /// The schema versions applied, ascending.
    pub fn applied_migrations(&self) -> Result<Vec<i32>, StoreError> {
        self.with_client(|c| {
            let rows = c
                .query(
                    "SELECT version FROM schema_migrations ORDER BY version",
                    &[],
                )
                .map_err(|e| pg_err("reading schema_migrations", e))?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }

    /// Try to take the session-level advisory lock `(namespace, hash(key))` without waiting.
    /// It is held by this connection until [`unlock_key`](Self::unlock_key) or until the
    /// connection ends (a crashed process releases it, and so does a lost connection: a lock
    /// is only as good as the connection it was taken on).
    pub fn try_lock_key(&self, namespace: i32, key: &str) -> Result<bool, StoreError> {
        self.with_client(|c| {
            c.query_one(
                "SELECT pg_try_advisory_lock($1, hashtext($2))",
                &[&namespace, &key],
            )
            .map(|r| r.get(0))
            .map_err(|e| pg_err("taking an advisory lock", e))
        })
    }

    /// Release a lock taken with [`try_lock_key`](Self::try_lock_key).
    pub fn unlock_key(&self, namespace: i32, key: &str) -> Result<(), StoreError> {
        self.with_client(|c| {
            c.query_one(
                "SELECT pg_advisory_unlock($1, hashtext($2))",
                &[&namespace, &key],
            )
            .map(|_| ())
            .map_err(|e| pg_err("releasing an advisory lock", e))
        })
    }

    /// Append a run-log row copied from another store, identified by (`origin`, `seq`); a row
    /// already copied is left alone. Returns whether it was inserted.
    pub fn import_runlog_row(
        &self,
        origin: &str,
        seq: i64,
        row: &Value,
    ) -> Result<bool, StoreError> {
        let loop_id = row.get("loop").and_then(Value::as_str);
        self.with_client(|c| {
            c.execute(
                "INSERT INTO runlog (loop_id, row, origin, origin_seq) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (origin, origin_seq) DO NOTHING",
                &[&loop_id, row, &origin, &seq],
            )
            .map(|n| n == 1)
            .map_err(|e| pg_err("importing a run-log row", e))
        })
    }

    /// How many run-log rows came from `origin`.
    pub fn imported_runlog_rows(&self, origin: &str) -> Result<i64, StoreError> {
        self.with_client(|c| {
            c.query_one("SELECT count(*) FROM runlog WHERE origin = $1", &[&origin])
                .map(|r| r.get(0))
                .map_err(|e| pg_err("counting imported run-log rows", e))
        })
    }

    /// Append audit line number `seq` of `run_id` unless it is already there. Returns whether
    /// it was inserted.
    pub fn import_audit_line(
        &self,
        run_id: &str,
        seq: i64,
        line: &str,
    ) -> Result<bool, StoreError> {
        self.with_client(|c| {
            c.execute(
                "INSERT INTO audit_log (run_id, line, origin_seq) VALUES ($1, $2, $3)
                 ON CONFLICT (run_id, origin_seq) DO NOTHING",
                &[&run_id, &line, &seq],
            )
            .map(|n| n == 1)
            .map_err(|e| pg_err("importing an audit line", e))
        })
    }

    /// Status counts of the `runs` table for one loop: (done, attempts summed over slots).
    pub fn run_counts(&self, loop_id: &str) -> Result<(i64, i64), StoreError> {
        self.with_client(|c| {
            let row = c
                .query_one(
                    "SELECT count(*) FILTER (WHERE status = 'done'), coalesce(sum(attempt), 0)::bigint
                     FROM runs WHERE loop_id = $1",
                    &[&loop_id],
                )
                .map_err(|e| pg_err("counting runs", e))?;
            Ok((row.get(0), row.get(1)))
        })
    }

    /// Live leases, as (loop id, worker id), ordered by loop id.
    pub fn live_leases(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.with_client(|c| {
            let rows = c
                .query(
                    "SELECT loop_id, lease_owner FROM loops
                     WHERE lease_owner IS NOT NULL AND lease_expires_at > now() ORDER BY loop_id",
                    &[],
                )
                .map_err(|e| pg_err("reading leases", e))?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }

    /// One transaction that checks `lease` is current (locking the loop's row until commit),
    /// then runs `f` in it. `Err(LeaseLost)` when it is not; nothing is written then.
    fn fenced<T>(
        &self,
        lease: &Lease,
        mut f: impl FnMut(&mut postgres::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.with_client(|c| {
            let mut tx = c
                .transaction()
                .map_err(|e| pg_err("beginning a fenced write", e))?;
            fence(&mut tx, lease)?;
            let out = f(&mut tx)?;
            tx.commit()
                .map_err(|e| pg_err("committing a fenced write", e))?;
            Ok(out)
        })
    }
}

fn apply_migrations(c: &mut Client) -> Result<(), StoreError> {
    let run = |c: &mut Client| -> Result<(), StoreError> {
        c.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    integer PRIMARY KEY,
                 name       text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .map_err(|e| pg_err("creating schema_migrations", e))?;
        for (version, name, sql) in MIGRATIONS {
            let done = c
                .query_opt(
                    "SELECT 1 FROM schema_migrations WHERE version = $1",
                    &[version],
                )
                .map_err(|e| pg_err("reading schema_migrations", e))?
                .is_some();
            if done {
                continue;
            }
            let mut tx = c
                .transaction()
                .map_err(|e| pg_err("beginning a migration", e))?;
            tx.batch_execute(sql)
                .map_err(|e| pg_err(&format!("applying migration {version} ({name})"), e))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                &[version, name],
            )
            .map_err(|e| pg_err("recording a migration", e))?;
            tx.commit()
                .map_err(|e| pg_err("committing a migration", e))?;
        }
        Ok(())
    };
    c.execute("SELECT pg_advisory_lock($1, 0)", &[&LOCK_MIGRATIONS])
        .map_err(|e| pg_err("waiting for the migration lock", e))?;
    let outcome = run(c);
    let unlocked = c
        .execute("SELECT pg_advisory_unlock($1, 0)", &[&LOCK_MIGRATIONS])
        .map_err(|e| pg_err("releasing the migration lock", e));
    outcome.and(unlocked.map(|_| ()))
}

// The statements every store view shares (a connection, a transaction of a fenced run).

fn sql_read_section(
    c: &mut impl GenericClient,
    loop_id: &str,
) -> Result<Option<Value>, StoreError> {
    c.query_opt("SELECT value FROM sections WHERE loop_id = $1", &[&loop_id])
        .map(|row| row.map(|r| r.get(0)))
        .map_err(|e| pg_err("reading a section", e))
}

/// A section update inside a transaction (`c` must be one: the lock is transaction-scoped).
fn sql_update_section(
    c: &mut impl GenericClient,
    loop_id: &str,
    update: &mut dyn FnMut(Option<Value>) -> Result<Option<Value>, StoreError>,
) -> Result<Option<Value>, StoreError> {
    c.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        &[&LOCK_SECTION, &loop_id],
    )
    .map_err(|e| pg_err("locking a section", e))?;
    let current = sql_read_section(c, loop_id)?;
    let next = update(current)?;
    match &next {
        Some(value) => c.execute(
            "INSERT INTO sections (loop_id, value) VALUES ($1, $2)
             ON CONFLICT (loop_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
            &[&loop_id, value],
        ),
        None => c.execute("DELETE FROM sections WHERE loop_id = $1", &[&loop_id]),
    }
    .map_err(|e| pg_err("writing a section", e))?;
    Ok(next)
}

fn sql_all_sections(c: &mut impl GenericClient) -> Result<BTreeMap<String, Value>, StoreError> {
    let rows = c
        .query("SELECT loop_id, value FROM sections", &[])
        .map_err(|e| pg_err("reading sections", e))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

fn sql_append_runlog(c: &mut impl GenericClient, row: &Value) -> Result<(), StoreError> {
    let loop_id = row.get("loop").and_then(Value::as_str);
    c.execute(
        "INSERT INTO runlog (loop_id, row) VALUES ($1, $2)",
        &[&loop_id, row],
    )
    .map(|_| ())
    .map_err(|e| pg_err("appending a run-log row", e))
}

fn sql_read_runlog(
    c: &mut impl GenericClient,
    loop_id: Option<&str>,
) -> Result<Vec<Value>, StoreError> {
    let rows = match loop_id {
        Some(id) => c.query(
            "SELECT row FROM runlog WHERE loop_id = $1 ORDER BY id",
            &[&id],
        ),
        None => c.query("SELECT row FROM runlog ORDER BY id", &[]),
    }
    .map_err(|e| pg_err("reading the run log", e))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

fn sql_append_audit(
    c: &mut impl GenericClient,
    run_id: &str,
    line: &str,
) -> Result<(), StoreError> {
    if line.contains('\n') {
        return Err(StoreError::Other(format!(
            "audit log of run {run_id}: an audit line must be a single line (serialise it as compact JSON)"
        )));
    }
    c.execute(
        "INSERT INTO audit_log (run_id, line) VALUES ($1, $2)",
        &[&run_id, &line],
    )
    .map(|_| ())
    .map_err(|e| pg_err("appending an audit line", e))
}

fn sql_read_audit(c: &mut impl GenericClient, run_id: &str) -> Result<Vec<String>, StoreError> {
    let rows = c
        .query(
            "SELECT line FROM audit_log WHERE run_id = $1 ORDER BY id",
            &[&run_id],
        )
        .map_err(|e| pg_err("reading an audit log", e))?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

/// Whether the run-log already holds the row of `run_id` (a commit whose acknowledgement was
/// lost, being retried).
fn sql_run_logged(c: &mut impl GenericClient, run: &RunCommit<'_>) -> Result<bool, StoreError> {
    let Some(run_id) = run.runlog_row.get("run_id").and_then(Value::as_str) else {
        return Ok(false);
    };
    c.query_opt(
        "SELECT 1 FROM runlog WHERE loop_id = $1 AND row->>'run_id' = $2",
        &[&run.loop_id, &run_id],
    )
    .map(|r| r.is_some())
    .map_err(|e| pg_err("looking for a run's row", e))
}

/// Audit lines, section, run-log row, inside the caller's transaction.
fn sql_write_run(
    c: &mut impl GenericClient,
    run: &mut RunCommit<'_>,
) -> Result<Option<Value>, StoreError> {
    for line in run.audit {
        sql_append_audit(c, run.run_id, line)?;
    }
    let new = sql_update_section(c, run.loop_id, run.update)?;
    sql_append_runlog(c, run.runlog_row)?;
    Ok(new)
}

/// Check, inside a transaction, that `lease` is the loop's current lease and lock the loop's
/// row until the transaction ends (a takeover waits for it, or skips it).
fn fence(c: &mut impl GenericClient, lease: &Lease) -> Result<(), StoreError> {
    let current = c
        .query_opt(
            "SELECT 1 FROM loops WHERE loop_id = $1 AND lease_token = $2 FOR UPDATE",
            &[&lease.loop_id, &lease.token],
        )
        .map_err(|e| pg_err("checking a lease", e))?
        .is_some();
    if current {
        Ok(())
    } else {
        Err(StoreError::LeaseLost(format!(
            "loop {}: lease {} (attempt {}, slot {}) is no longer current — another worker took the slot over; nothing was written",
            lease.loop_id, lease.token, lease.attempt, lease.slot
        )))
    }
}

/// Whether the slot of `lease` is already recorded done under its token (a completion whose
/// acknowledgement was lost, being retried).
fn slot_done_by(c: &mut impl GenericClient, lease: &Lease) -> Result<bool, StoreError> {
    c.query_opt(
        "SELECT 1 FROM runs WHERE loop_id = $1 AND slot = $2 AND lease_token = $3 AND status = 'done'",
        &[&lease.loop_id, &lease.slot, &lease.token],
    )
    .map(|r| r.is_some())
    .map_err(|e| pg_err("reading a slot", e))
}

/// Complete the slot of a fenced lease inside `tx`: `finish`'s writes, the slot done, the loop
/// advanced. The caller checked the fence in `tx`.
fn sql_finish(
    tx: &mut postgres::Transaction<'_>,
    url: &str,
    lease: &Lease,
    result: &str,
    note: &str,
    finish: &dyn SlotFinish,
) -> Result<(), StoreError> {
    {
        let view = TxStore {
            tx: Mutex::new(&mut *tx),
            url,
        };
        finish.record(&view, result, note)?;
    }
    let finished: DateTime<Utc> = tx
        .query_one("SELECT now()", &[])
        .map_err(|e| pg_err("reading the database clock", e))?
        .get(0);
    let next_due = finish.next_due(finished);
    let done = tx
        .execute(
            "UPDATE runs SET status = 'done', result = $4, note = $5, finished_at = now()
             WHERE loop_id = $1 AND slot = $2 AND lease_token = $3 AND status = 'running'",
            &[&lease.loop_id, &lease.slot, &lease.token, &result, &note],
        )
        .map_err(|e| pg_err("recording a finished slot", e))?;
    let advanced = tx
        .execute(
            "UPDATE loops SET next_due = $3, last_slot = $4, last_result = $5,
                 lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
             WHERE loop_id = $1 AND lease_token = $2",
            &[
                &lease.loop_id,
                &lease.token,
                &next_due,
                &lease.slot,
                &result,
            ],
        )
        .map_err(|e| pg_err("advancing a loop", e))?;
    if done != 1 || advanced != 1 {
        return Err(StoreError::LeaseLost(format!(
            "loop {}: slot {} is no longer running under lease {}; nothing was written",
            lease.loop_id, lease.slot, lease.token
        )));
    }
    Ok(())
}

/// A [`Store`] over one open transaction: every call joins it (used for the writes that commit
/// with a slot).
struct TxStore<'a, 'b> {
    tx: Mutex<&'a mut postgres::Transaction<'b>>,
    url: &'a str,
}

impl TxStore<'_, '_> {
    fn with<T>(
        &self,
        f: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self.tx.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}

impl Store for TxStore<'_, '_> {
    fn describe(&self) -> String {
        redact_url(self.url)
    }
    fn read_section(&self, loop_id: &str) -> Result<Option<Value>, StoreError> {
        self.with(|c| sql_read_section(c, loop_id))
    }
    fn update_section(
        &self,
        loop_id: &str,
        update: &mut dyn FnMut(Option<Value>) -> Result<Option<Value>, StoreError>,
    ) -> Result<Option<Value>, StoreError> {
        self.with(|c| sql_update_section(c, loop_id, update))
    }
    fn all_sections(&self) -> Result<BTreeMap<String, Value>, StoreError> {
        self.with(|c| sql_all_sections(c))
    }
    fn append_runlog(&self, row: &Value) -> Result<(), StoreError> {
        self.with(|c| sql_append_runlog(c, row))
    }
    fn read_runlog(&self, loop_id: Option<&str>) -> Result<Vec<Value>, StoreError> {
        self.with(|c| sql_read_runlog(c, loop_id))
    }
    fn append_audit(&self, run_id: &str, line: &str) -> Result<(), StoreError> {
        self.with(|c| sql_append_audit(c, run_id, line))
    }
    fn read_audit(&self, run_id: &str) -> Result<Vec<String>, StoreError> {
        self.with(|c| sql_read_audit(c, run_id))
    }
    fn commit_run(&self, run: &mut RunCommit<'_>) -> Result<Option<Value>, StoreError> {
        self.with(|c| sql_write_run(c, run))
    }
}

impl Store for PgStore {
    fn describe(&self) -> String {
        redact_url(&self.inner.url)
    }

    fn read_section(&self, loop_id: &str) -> Result<Option<Value>, StoreError> {
        self.with_client(|c| sql_read_section(c, loop_id))
    }

    fn update_section(
        &self,
        loop_id: &str,
        update: &mut dyn FnMut(Option<Value>) -> Result<Option<Value>, StoreError>,
    ) -> Result<Option<Value>, StoreError> {
        self.with_client(|c| {
            let mut tx = c
                .transaction()
                .map_err(|e| pg_err("beginning an update", e))?;
            let next = sql_update_section(&mut tx, loop_id, update)?;
            tx.commit().map_err(|e| pg_err("committing a section", e))?;
            Ok(next)
        })
    }

    fn all_sections(&self) -> Result<BTreeMap<String, Value>, StoreError> {
        self.with_client(sql_all_sections)
    }

    fn append_runlog(&self, row: &Value) -> Result<(), StoreError> {
        self.with_client(|c| sql_append_runlog(c, row))
    }

    fn read_runlog(&self, loop_id: Option<&str>) -> Result<Vec<Value>, StoreError> {
        self.with_client(|c| sql_read_runlog(c, loop_id))
    }

    fn append_audit(&self, run_id: &str, line: &str) -> Result<(), StoreError> {
        self.with_client(|c| sql_append_audit(c, run_id, line))
    }

    fn read_audit(&self, run_id: &str) -> Result<Vec<String>, StoreError> {
        self.with_client(|c| sql_read_audit(c, run_id))
    }

    fn commit_run(&self, run: &mut RunCommit<'_>) -> Result<Option<Value>, StoreError> {
        self.with_client(|c| {
            let mut tx = c
                .transaction()
                .map_err(|e| pg_err("beginning a run commit", e))?;
            if sql_run_logged(&mut tx, run)? {
                return sql_read_section(&mut tx, run.loop_id);
            }
            let new = sql_write_run(&mut tx, run)?;
            tx.commit().map_err(|e| pg_err("committing a run", e))?;
            Ok(new)
        })
    }
}

/// The store of one leased run (see [`LeaseQueue::run_store`]).
pub struct FencedRun {
    store: PgStore,
    lease: Lease,
    finish: Arc<dyn SlotFinish>,
    finished: Mutex<Option<Completion>>,
}

impl FencedRun {
    fn note(&self, outcome: &Result<impl Sized, StoreError>) {
        let c = match outcome {
            Ok(_) => Completion::Recorded,
            Err(StoreError::LeaseLost(_)) => Completion::LeaseLost,
            Err(_) => return,
        };
        *self.finished.lock().unwrap_or_else(|p| p.into_inner()) = Some(c);
    }
}

impl RunStore for FencedRun {
    fn finished(&self) -> Option<Completion> {
        *self.finished.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Store for FencedRun {
    fn describe(&self) -> String {
        format!(
            "{} (writes fenced by lease {} of loop {})",
            self.store.describe(),
            self.lease.token,
            self.lease.loop_id
        )
    }
    fn read_section(&self, loop_id: &str) -> Result<Option<Value>, StoreError> {
        self.store.read_section(loop_id)
    }
    fn update_section(
        &self,
        loop_id: &str,
        update: &mut dyn FnMut(Option<Value>) -> Result<Option<Value>, StoreError>,
    ) -> Result<Option<Value>, StoreError> {
        self.store
            .fenced(&self.lease, |tx| sql_update_section(tx, loop_id, update))
    }
    fn all_sections(&self) -> Result<BTreeMap<String, Value>, StoreError> {
        self.store.all_sections()
    }
    fn append_runlog(&self, row: &Value) -> Result<(), StoreError> {
        self.store
            .fenced(&self.lease, |tx| sql_append_runlog(tx, row))
    }
    fn read_runlog(&self, loop_id: Option<&str>) -> Result<Vec<Value>, StoreError> {
        self.store.read_runlog(loop_id)
    }
    fn append_audit(&self, run_id: &str, line: &str) -> Result<(), StoreError> {
        self.store
            .fenced(&self.lease, |tx| sql_append_audit(tx, run_id, line))
    }
    fn read_audit(&self, run_id: &str) -> Result<Vec<String>, StoreError> {
        self.store.read_audit(run_id)
    }
    /// One transaction: the lease checked, the run's audit lines, section and run-log row,
    /// the slot's [`SlotFinish`] writes, the slot done and the loop advanced.
    fn commit_run(&self, run: &mut RunCommit<'_>) -> Result<Option<Value>, StoreError> {
        let result = run
            .runlog_row
            .get("result")
            .and_then(Value::as_str)
            .unwrap_or("error")
            .to_string();
        let note = run
            .runlog_row
            .get("note")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let url = self.store.inner.url.clone();
        let outcome = self.store.with_client(|c| {
            let mut tx = c
                .transaction()
                .map_err(|e| pg_err("beginning a run commit", e))?;
            if slot_done_by(&mut tx, &self.lease)? {
                // An earlier attempt committed; its acknowledgement was lost.
                return sql_read_section(&mut tx, run.loop_id);
            }
            fence(&mut tx, &self.lease)?;
            let new = sql_write_run(&mut tx, run)?;
            sql_finish(
                &mut tx,
                &url,
                &self.lease,
                &result,
                &note,
                self.finish.as_ref(),
            )?;
            tx.commit().map_err(|e| pg_err("committing a run", e))?;
            Ok(new)
        });
        self.note(&outcome);
        outcome
    }
}

impl LeaseQueue for PgStore {
    fn now(&self) -> Result<DateTime<Utc>, StoreError> {
        self.with_client(|c| {
            c.query_one("SELECT now()", &[])
                .map(|r| r.get(0))
                .map_err(|e| pg_err("reading the database clock", e))
        })
    }
    fn sync_loops(&self, entries: &[LoopEntry], prune: bool) -> Result<SyncReport, StoreError> {
        self.with_client(|c| {
            let mut tx = c.transaction().map_err(|e| pg_err("beginning a sync", e))?;
            let upsert = tx
                .prepare(
                    "INSERT INTO loops (loop_id, spec, priority, cadence, enabled, stop_after, next_due)
                     VALUES ($1, $2, $3, $4, $5, $6,
                             CASE WHEN $4::text IS NULL THEN NULL ELSE coalesce($7, now()) END)
                     ON CONFLICT (loop_id) DO UPDATE SET
                         spec = EXCLUDED.spec, priority = EXCLUDED.priority,
                         enabled = EXCLUDED.enabled, stop_after = EXCLUDED.stop_after,
                         synced_at = now(),
                         next_due = CASE WHEN loops.cadence IS DISTINCT FROM EXCLUDED.cadence
                                         THEN EXCLUDED.next_due ELSE loops.next_due END,
                         cadence = EXCLUDED.cadence
                     RETURNING (xmax = 0)",
                )
                .map_err(|e| pg_err("preparing a sync", e))?;
            let mut report = SyncReport::default();
            for entry in entries {
                let inserted: bool = tx
                    .query_one(
                        &upsert,
                        &[
                            &entry.loop_id,
                            &entry.spec,
                            &entry.priority,
                            &entry.cadence,
                            &entry.enabled,
                            &entry.stop_after,
                            &entry.first_due,
                        ],
                    )
                    .map_err(|e| pg_err(&format!("syncing loop {}", entry.loop_id), e))?
                    .get(0);
                if inserted {
                    report.added += 1;
                } else {
                    report.updated += 1;
                }
            }
            if prune {
                let ids: Vec<&str> = entries.iter().map(|e| e.loop_id.as_str()).collect();
                report.disabled = tx
                    .execute(
                        "UPDATE loops SET enabled = false WHERE enabled AND loop_id <> ALL($1)",
                        &[&ids],
                    )
                    .map_err(|e| pg_err("pruning loops", e))? as usize;
            }
            tx.commit().map_err(|e| pg_err("committing a sync", e))?;
            Ok(report)
        })
    }

    fn claim(&self, worker_id: &str, lease_secs: u32) -> Result<Option<Lease>, StoreError> {
        let secs = f64::from(lease_secs.max(1));
        self.with_client(|c| {
            let mut tx = c.transaction().map_err(|e| pg_err("beginning a claim", e))?;
            let Some(row) = tx
                .query_opt(
                    "WITH candidate AS (
                         SELECT loop_id FROM loops
                         WHERE enabled AND next_due <= now()
                           AND (stop_after IS NULL OR now() < stop_after)
                           AND (lease_expires_at IS NULL OR lease_expires_at <= now())
                         ORDER BY priority, next_due, loop_id
                         LIMIT 1
                         FOR UPDATE SKIP LOCKED)
                     UPDATE loops l SET lease_owner = $1, lease_token = nextval('lease_tokens'),
                         lease_expires_at = now() + make_interval(secs => $2), heartbeat_at = now()
                     FROM candidate WHERE l.loop_id = candidate.loop_id
                     RETURNING l.loop_id, l.next_due, l.lease_token, l.lease_expires_at, l.cadence, l.spec",
                    &[&worker_id, &secs],
                )
                .map_err(|e| pg_err("claiming a due loop", e))?
            else {
                return Ok(None);
            };
            let loop_id: String = row.get(0);
            let slot: DateTime<Utc> = row.get(1);
            let token: i64 = row.get(2);
            let attempt: Option<i32> = tx
                .query_opt(
                    "INSERT INTO runs (loop_id, slot, worker_id, lease_token, status)
                     VALUES ($1, $2, $3, $4, 'running')
                     ON CONFLICT (loop_id, slot) DO UPDATE SET worker_id = EXCLUDED.worker_id,
                         lease_token = EXCLUDED.lease_token, attempt = runs.attempt + 1,
                         status = 'running', claimed_at = now(), finished_at = NULL
                     WHERE runs.status <> 'done'
                     RETURNING attempt",
                    &[&loop_id, &slot, &worker_id, &token],
                )
                .map_err(|e| pg_err("recording a claimed slot", e))?
                .map(|r| r.get(0));
            let Some(attempt) = attempt else {
                return Err(StoreError::Other(format!(
                    "postgres: slot {slot} of loop {loop_id} is recorded as done but the loop is still due there; \
                     set loops.next_due past it to repair"
                )));
            };
            tx.commit().map_err(|e| pg_err("committing a claim", e))?;
            Ok(Some(Lease {
                loop_id,
                slot,
                token,
                worker_id: worker_id.to_string(),
                attempt,
                expires_at: row.get(3),
                cadence: row.get(4),
                spec: row.get(5),
            }))
        })
    }

    fn heartbeat(&self, lease: &Lease, lease_secs: u32) -> Result<bool, StoreError> {
        let secs = f64::from(lease_secs.max(1));
        self.with_client(|c| {
            c.execute(
                "UPDATE loops SET lease_expires_at = now() + make_interval(secs => $3), heartbeat_at = now()
                 WHERE loop_id = $1 AND lease_token = $2",
                &[&lease.loop_id, &lease.token, &secs],
            )
            .map(|n| n == 1)
            .map_err(|e| pg_err("heartbeating a lease", e))
        })
    }

    fn finish_slot(
        &self,
        lease: &Lease,
        result: &str,
        note: &str,
        finish: &dyn SlotFinish,
    ) -> Result<Completion, StoreError> {
        let url = self.inner.url.clone();
        let outcome = self.with_client(|c| {
            let mut tx = c
                .transaction()
                .map_err(|e| pg_err("beginning a completion", e))?;
            if slot_done_by(&mut tx, lease)? {
                return Ok(());
            }
            fence(&mut tx, lease)?;
            sql_finish(&mut tx, &url, lease, result, note, finish)?;
            tx.commit()
                .map_err(|e| pg_err("committing a completion", e))
        });
        match outcome {
            Ok(()) => Ok(Completion::Recorded),
            Err(StoreError::LeaseLost(_)) => Ok(Completion::LeaseLost),
            Err(e) => Err(e),
        }
    }

    fn run_store(&self, lease: &Lease, finish: Arc<dyn SlotFinish>) -> Arc<dyn RunStore> {
        Arc::new(FencedRun {
            store: self.clone(),
            lease: lease.clone(),
            finish,
            finished: Mutex::new(None),
        })
    }

    fn release(&self, lease: &Lease, retry_after_secs: u32) -> Result<(), StoreError> {
        let secs = f64::from(retry_after_secs);
        self.with_client(|c| {
            let mut tx = c.transaction().map_err(|e| pg_err("beginning a release", e))?;
            tx.execute(
                "UPDATE loops SET lease_owner = NULL, lease_token = NULL,
                     lease_expires_at = CASE WHEN $3::float8 > 0 THEN now() + make_interval(secs => $3::float8) END
                 WHERE loop_id = $1 AND lease_token = $2",
                &[&lease.loop_id, &lease.token, &secs],
            )
            .map_err(|e| pg_err("releasing a lease", e))?;
            tx.execute(
                "UPDATE runs SET status = 'released' WHERE loop_id = $1 AND slot = $2 AND lease_token = $3
                 AND status = 'running'",
                &[&lease.loop_id, &lease.slot, &lease.token],
            )
            .map_err(|e| pg_err("releasing a slot", e))?;
            tx.commit().map_err(|e| pg_err("committing a release", e))
        })
    }

    fn outstanding(&self) -> Result<usize, StoreError> {
        self.with_client(|c| {
            c.query_one(
                "SELECT count(*) FROM loops WHERE enabled AND (
                     (next_due <= now() AND (stop_after IS NULL OR now() < stop_after))
                     OR lease_expires_at > now())",
                &[],
            )
            .map(|r| r.get::<_, i64>(0) as usize)
            .map_err(|e| pg_err("counting outstanding loops", e))
        })
    }
}

/// Create an empty database named `name` on the server of `admin_url` (dropping one of that
/// name first) and return its URL. For tests and benchmarks, which each want a clean schema.
pub fn scratch_database(admin_url: &str, name: &str) -> Result<String, StoreError> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(StoreError::Other(format!(
            "scratch database name {name:?} must be ASCII letters, digits and underscores"
        )));
    }
    let mut admin = PgStore::open_client(admin_url)?;
    for statement in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin
            .batch_execute(&statement)
            .map_err(|e| pg_err(&format!("creating scratch database {name}"), e))?;
    }
    // Connection options after `?` are not carried over.
    let base = admin_url.split('?').next().unwrap_or(admin_url);
    let cut = base
        .rfind('/')
        .filter(|&i| i > base.find("://").map_or(0, |s| s + 2))
        .ok_or_else(|| {
            StoreError::Other(format!(
                "{}: no database name in the URL",
                redact_url(admin_url)
            ))
        })?;
    Ok(format!("{}/{name}", &base[..cut]))
}

/// Why a migration stopped.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// A store could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The copy was made but does not match the source.
    #[error("migration check failed: {0}")]
    Mismatch(String),
}

/// What [`migrate_from_file`] copied and verified.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct MigrationReport {
    pub sections: usize,
    pub runlog_rows: usize,
    /// Run-log rows newly inserted by this call (0 when repeated).
    pub runlog_rows_inserted: usize,
    pub audit_runs: usize,
    pub audit_lines: usize,
    pub audit_lines_inserted: usize,
}

/// Copy every section, run-log row and audit log of a file store into PostgreSQL, then verify
/// that the database holds each of them. Idempotent: sections are upserted with the file's
/// value, run-log rows and audit lines are keyed by their position in the source, so running
/// it again copies nothing twice. The file store is only read.
pub fn migrate_from_file(
    from: &crate::file::FileStore,
    to: &PgStore,
) -> Result<MigrationReport, MigrationError> {
    let mut report = MigrationReport::default();
    let sections = from.all_sections()?;
    for (key, value) in &sections {
        to.update_section(key, &mut |_| Ok(Some(value.clone())))?;
    }
    report.sections = sections.len();

    let origin = std::fs::canonicalize(from.runlog_path())
        .unwrap_or_else(|_| from.runlog_path().to_path_buf())
        .display()
        .to_string();
    let rows = from.read_runlog(None)?;
    for (seq, row) in rows.iter().enumerate() {
        if to.import_runlog_row(&origin, seq as i64, row)? {
            report.runlog_rows_inserted += 1;
        }
    }
    report.runlog_rows = rows.len();

    let audit_dir = from
        .audit_path("probe")?
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let mut run_ids: Vec<String> = match std::fs::read_dir(&audit_dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".jsonl").map(str::to_string)
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(StoreError::Io {
                path: audit_dir.display().to_string(),
                source: e,
            }
            .into());
        }
    };
    run_ids.sort();
    for run_id in &run_ids {
        let lines = from.read_audit(run_id)?;
        for (seq, line) in lines.iter().enumerate() {
            if to.import_audit_line(run_id, seq as i64, line)? {
                report.audit_lines_inserted += 1;
            }
        }
        report.audit_lines += lines.len();
        if to.read_audit(run_id)? != lines {
            return Err(MigrationError::Mismatch(format!(
                "the audit log of run {run_id} in {} differs from {}",
                to.describe(),
                audit_dir.display()
            )));
        }
    }
    report.audit_runs = run_ids.len();

    // Verify: every section equal, every run-log row present.
    let copied = to.all_sections()?;
    for (key, value) in &sections {
        if copied.get(key) != Some(value) {
            return Err(MigrationError::Mismatch(format!(
                "section {key:?} in {} differs from the file",
                to.describe()
            )));
        }
    }
    let present = to.imported_runlog_rows(&origin)?;
    if present != rows.len() as i64 {
        return Err(MigrationError::Mismatch(format!(
            "{} run-log rows in {origin} but {present} in {}",
            rows.len(),
            to.describe()
        )));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_appear_in_descriptions() {
        assert_eq!(
            redact_url("postgres://u:secret@db.example:5432/strive"),
            "postgres://u:***@db.example:5432/strive"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("postgresql://h/db"), "postgresql://h/db");
    }

    proptest::proptest! {
        #[test]
        fn redaction_never_panics_and_never_leaks(user in "[a-z]{1,8}", pw in "[A-Za-z0-9]{4,12}", rest in "\\PC{0,40}") {
            let _ = redact_url(&rest);
            let url = format!("postgres://{user}:{pw}@host:5432/db");
            let leaked = format!(":{pw}@");
            proptest::prop_assert!(!redact_url(&url).contains(&leaked));
        }
    }

    #[test]
    fn migrations_are_ordered_and_unique() {
        let versions: Vec<i32> = MIGRATIONS.iter().map(|m| m.0).collect();
        let mut sorted = versions.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(versions, sorted);
    }
}
