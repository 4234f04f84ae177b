//! Recorded traffic (`exchanges`) and the history of reality-level changes (`reality_changes`).
//!
//! Bodies live in `exchange_bodies`, apart, so that the aggregate scans of the report
//! read small rows; a report reads a body only to validate a distinct one.
//! Timestamps are stored as integer milliseconds since the Unix epoch, UTC (`ts`,
//! `changed_at`): day buckets and windows are then plain integer arithmetic in SQL.
//! Each exchange carries its content fingerprint (`Exchange::fingerprint`, stored as the
//! first 8 bytes its hex spells), unique together with `ts` (schema 7: one index that also
//! serves the window's range, instead of a random-order UNIQUE index beside a `ts` index;
//! the fingerprint covers the timestamp, so equal exchanges have equal `ts`), so
//! inserting the same exchange twice stores it once, and `response_hash`, the first
//! 8 bytes of the SHA-256 of its response body, so that drift validates each distinct
//! body once rather than each exchange.

use super::db::{params, Db, Param};
use super::exchange_keys::Keys;
pub use super::exchange_keys::{body_hash, InsertCounts};
use super::interned::{Interned, Names};
pub use super::interned::{Label, RouteName};
use super::{Result, Store};
use crate::exchange::Exchange;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use std::collections::HashMap;
use std::time::{Duration, Instant};

pub(super) const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS exchanges(
    id INTEGER PRIMARY KEY,
    fingerprint BLOB NOT NULL UNIQUE,
    ts INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT,
    status INTEGER NOT NULL,
    service TEXT,
    workspace_id TEXT,
    reality_level TEXT,
    scenario TEXT,
    persona TEXT,
    ci_run TEXT,
    duration_ms REAL,
    response_hash INTEGER,
    source TEXT NOT NULL,
    gateway_path TEXT
);
CREATE INDEX IF NOT EXISTS exchanges_ts ON exchanges(ts);
CREATE TABLE IF NOT EXISTS exchange_bodies(
    exchange_id INTEGER PRIMARY KEY REFERENCES exchanges(id) ON DELETE CASCADE,
    request_body TEXT,
    response_body TEXT
);
CREATE TABLE IF NOT EXISTS reality_changes(
    id INTEGER PRIMARY KEY,
    service TEXT NOT NULL,
    federation TEXT,
    reality_level TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reality_changes_service ON reality_changes(service, changed_at);
";

/// Schema 7: the fingerprint shrinks to 8 bytes and is unique with `ts`
/// (`exchanges_ts_fingerprint`, which replaces `exchanges_ts`); real traffic gets a small
/// partial index for staleness. SQLite cannot drop a UNIQUE constraint, so both tables
/// are rebuilt (ids kept); bodies are copied first, so dropping the old table cascades
/// into nothing, and the renames carry the new bodies' reference over to `exchanges`.
pub(super) const SLIM_FINGERPRINT: &str = "
CREATE TABLE exchanges_v7(
    id INTEGER PRIMARY KEY,
    fingerprint BLOB NOT NULL,
    ts INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT,
    status INTEGER NOT NULL,
    service TEXT,
    workspace_id TEXT,
    reality_level TEXT,
    scenario TEXT,
    persona TEXT,
    ci_run TEXT,
    duration_ms REAL,
    response_hash INTEGER,
    source TEXT NOT NULL,
    gateway_path TEXT
);
INSERT INTO exchanges_v7 SELECT id, substr(fingerprint, 1, 8), ts, method, path, query, status,
    service, workspace_id, reality_level, scenario, persona, ci_run, duration_ms,
    response_hash, source, gateway_path FROM exchanges ORDER BY id;
CREATE TABLE exchange_bodies_v7(
    exchange_id INTEGER PRIMARY KEY REFERENCES exchanges_v7(id) ON DELETE CASCADE,
    request_body TEXT,
    response_body TEXT
);
INSERT INTO exchange_bodies_v7 SELECT exchange_id, request_body, response_body
    FROM exchange_bodies ORDER BY exchange_id;
DROP TABLE exchange_bodies;
DROP TABLE exchanges;
ALTER TABLE exchanges_v7 RENAME TO exchanges;
ALTER TABLE exchange_bodies_v7 RENAME TO exchange_bodies;
CREATE UNIQUE INDEX exchanges_ts_fingerprint ON exchanges(ts, fingerprint);
CREATE INDEX exchanges_real ON exchanges(service, ts) WHERE reality_level = 'real';
";

/// One exchange as the report's scan sees it (bodies are read apart; names come interned,
/// with ids that index dense vectors).
#[derive(Debug, Clone)]
pub struct ScannedExchange<'a> {
    pub id: i64,
    /// Milliseconds since the epoch, UTC.
    pub ts: i64,
    /// The route's id: small and dense, one per distinct (service, method, path); its
    /// name is [`ScannedExchange::route`].
    pub route_id: usize,
    names: &'a Names,
    pub status: u16,
    pub response_hash: Option<i64>,
    pub scenario: Option<Label<'a>>,
    pub persona: Option<Label<'a>>,
    pub ci_run: Option<Label<'a>>,
}

impl<'a> ScannedExchange<'a> {
    /// The exchange's (service, method, path): `None` only in a state file whose
    /// `exchange_routes` lost a row.
    pub fn route(&self) -> Option<&'a RouteName> {
        self.names.route(self.route_id)
    }
}

/// An exchange with its [`Keys`], so that a caller can compute them on another thread
/// than the one inserting.
pub struct Keyed {
    pub exchange: Exchange,
    pub(super) keys: Keys,
}

impl Keyed {
    pub fn new(exchange: Exchange) -> Keyed {
        Keyed {
            keys: Keys::of(&exchange),
            exchange,
        }
    }
}

/// The window condition that reads through the `ts` index (a small part of the table).
pub(super) const NARROW: &str = "ts >= ?1";

/// Page cache for ingest and report queries (KiB, as SQLite's negative `cache_size`).
const CACHE_KIB: i64 = 64 * 1024;

impl Store {
    /// The window condition: through the `ts` index when the window holds a small part of
    /// the table (judged from the oldest and newest times), else as a plain scan, which
    /// reads the table in order and is faster than an index walk over most of it.
    pub(super) fn since_clause(&self, since_ms: Option<i64>) -> Result<(&'static str, i64)> {
        let Some(since) = since_ms else {
            return Ok(("CAST(?1 AS BIGINT) IS NOT NULL", 0));
        };
        let (oldest, newest): (Option<i64>, Option<i64>) = self.conn.query_one(
            // Two subqueries: each is one index probe, where `MIN(ts), MAX(ts)`
            // in one SELECT reads the whole index.
            "SELECT (SELECT MIN(ts) FROM exchanges), (SELECT MAX(ts) FROM exchanges)",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let narrow = match (oldest, newest) {
            (Some(oldest), Some(newest)) if newest > oldest => {
                (newest.saturating_sub(since) as f64) / ((newest - oldest) as f64) < 0.25
            }
            _ => true,
        };
        Ok((if narrow { NARROW } else { "+ts >= ?1" }, since))
    }

    /// Dialect: a larger page cache for the report's scan (works on read-only
    /// connections too); SQLite only.
    fn tune_for_scan(&self) -> Result<()> {
        if let Some(conn) = self.sqlite() {
            conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        }
        Ok(())
    }

    /// Dialect: SQLite only.
    fn tune_for_bulk(&self) -> Result<()> {
        if let Some(conn) = self.sqlite() {
            conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
            // Fewer, larger WAL checkpoints during bulk inserts (pages: 16,000 × 4 KiB).
            conn.pragma_update(None, "wal_autocheckpoint", 16_000)?;
        }
        Ok(())
    }
}

/// Rows per commit of an [`ExchangeWriter`] (or fewer, after [`COMMIT_AFTER`]).
const COMMIT_ROWS: usize = 250_000;
/// The longest an [`ExchangeWriter`] holds the write lock before it commits.
const COMMIT_AFTER: Duration = Duration::from_secs(2);

impl Store {
    /// Inserts a batch in one transaction; exchanges already stored count as duplicates.
    /// (The gateway's recorder calls this for hours: it keeps SQLite's default page cache,
    /// so that its memory stays flat; a file's ingest uses [`Store::exchange_writer`].)
    pub fn insert_exchanges(&mut self, batch: &[Exchange]) -> Result<InsertCounts> {
        let conn = match &mut self.conn {
            Db::Sqlite(conn) => conn,
            Db::Postgres(_) => {
                return super::exchanges_pg::insert(
                    &self.conn,
                    batch.iter().map(|x| (x, Keys::of(x))),
                )
            }
        };
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let inserted = insert_batch(
            &tx,
            &mut self.interned,
            batch.iter().map(|x| (x, Keys::of(x))),
        )
        .and_then(|counts| Ok(tx.commit().map(|()| counts)?));
        if inserted.is_err() {
            // Rolled back: ids of names stored by this transaction are gone.
            self.interned.forget();
        }
        inserted
    }

    /// A writer for a long run of batches (a file's ingest): batches share a transaction
    /// that is committed every [`COMMIT_ROWS`] rows or [`COMMIT_AFTER`], since each commit
    /// rewrites every index page the batch touched.
    pub fn exchange_writer(&mut self) -> Result<ExchangeWriter<'_>> {
        self.tune_for_bulk()?;
        Ok(ExchangeWriter {
            store: self,
            open_since: None,
            rows: 0,
        })
    }
}

/// Inserts batches of exchanges, committing now and then (see [`Store::exchange_writer`]).
/// What was inserted is committed by [`ExchangeWriter::commit`], else when it is dropped.
pub struct ExchangeWriter<'s> {
    store: &'s mut Store,
    open_since: Option<Instant>,
    rows: usize,
}

impl ExchangeWriter<'_> {
    /// Inserts a batch; exchanges already stored count as duplicates.
    pub fn insert(&mut self, batch: &[Keyed]) -> Result<InsertCounts> {
        // Dialect: PostgreSQL commits each batch (COPY and one statement, see
        // `exchanges_pg`); SQLite shares a transaction between batches.
        let conn = match &self.store.conn {
            Db::Sqlite(conn) => conn,
            Db::Postgres(_) => {
                return super::exchanges_pg::insert(
                    &self.store.conn,
                    batch.iter().map(|k| (&k.exchange, k.keys)),
                )
            }
        };
        let opened = match self.open_since {
            Some(at) => at,
            None => {
                conn.execute_batch("BEGIN IMMEDIATE")?;
                self.rows = 0;
                *self.open_since.insert(Instant::now())
            }
        };
        let counts = insert_batch(
            conn,
            &mut self.store.interned,
            batch.iter().map(|k| (&k.exchange, k.keys)),
        )
        .inspect_err(|_| {
            // SQLite may have rolled the transaction back on its own (disk full, I/O).
            if conn.is_autocommit() {
                self.open_since = None;
                self.store.interned.forget();
            }
        })?;
        self.rows += batch.len();
        if self.rows >= COMMIT_ROWS || opened.elapsed() >= COMMIT_AFTER {
            self.commit()?;
        }
        Ok(counts)
    }

    /// Commits what was inserted so far.
    pub fn commit(&mut self) -> Result<()> {
        if self.open_since.take().is_some() {
            if let Err(e) = self.store.conn.batch("COMMIT") {
                self.store.conn.rollback();
                self.store.interned.forget();
                return Err(e);
            }
        }
        Ok(())
    }
}

impl Drop for ExchangeWriter<'_> {
    /// Keeps the batches inserted before an error, as one transaction per batch would.
    fn drop(&mut self) {
        let _ = self.commit();
    }
}

/// Inserts a batch inside the caller's transaction.
fn insert_batch<'x>(
    conn: &Connection,
    interned: &mut Interned,
    rows: impl IntoIterator<Item = (&'x Exchange, Keys)>,
) -> Result<InsertCounts> {
    let mut counts = InsertCounts::default();
    use rusqlite::params;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO exchanges(ts, route_id, status, response_hash, scenario_id,
         persona_id, ci_run_id, fingerprint, reality_level, query, workspace_id, duration_ms,
         source, gateway_path)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut insert_bodies = conn.prepare_cached(
        "INSERT INTO exchange_bodies(exchange_id, request_body, response_body) VALUES (?1, ?2, ?3)",
    )?;
    for (x, keys) in rows {
        let route_id = interned.route(
            conn,
            x.service.as_deref(),
            &x.method,
            &x.path,
            x.answered_by_gateway,
        )?;
        let scenario_id = interned.label(conn, x.scenario.as_deref())?;
        let persona_id = interned.label(conn, x.persona.as_deref())?;
        let ci_run_id = interned.label(conn, x.ci_run.as_deref())?;
        let changed = insert.execute(params![
            x.timestamp.timestamp_millis(),
            route_id,
            x.status,
            keys.response_hash,
            scenario_id,
            persona_id,
            ci_run_id,
            &keys.fingerprint[..],
            x.reality_level,
            x.query,
            x.workspace_id,
            x.duration_ms,
            x.source,
            x.gateway_path,
        ])?;
        if changed == 0 {
            counts.duplicates += 1;
            continue;
        }
        counts.inserted += 1;
        if x.request_body.is_some() || x.response_body.is_some() {
            insert_bodies.execute(params![
                conn.last_insert_rowid(),
                x.request_body,
                x.response_body
            ])?;
        }
    }
    Ok(counts)
}

impl Store {
    /// Records that a federation service moved to a reality level.
    pub fn record_reality_change(
        &mut self,
        service: &str,
        federation: Option<&str>,
        reality_level: &str,
        changed_at: DateTime<Utc>,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO reality_changes(service, federation, reality_level, changed_at) VALUES (?1, ?2, ?3, ?4)",
            params![service, federation, reality_level, changed_at.timestamp_millis()],
        )?;
        Ok(())
    }

    /// Every recorded reality-level change, oldest first: `(service, reality_level, changed_at)`.
    pub fn reality_changes(&self) -> Result<Vec<(String, String, DateTime<Utc>)>> {
        self.conn.query_all(
            "SELECT service, reality_level, changed_at FROM reality_changes ORDER BY changed_at, id",
            params![],
            |r| {
                let ms: i64 = r.get(2)?;
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    DateTime::from_timestamp_millis(ms).unwrap_or_default(),
                ))
            },
        )
    }

    /// Number of exchanges at or after `since_ms` (all when `None`).
    pub fn exchange_count(&self, since_ms: Option<i64>) -> Result<u64> {
        let (clause, bound) = self.since_clause(since_ms)?;
        let sql = format!("SELECT COUNT(*) FROM exchanges WHERE {clause}");
        Ok(self
            .conn
            .query_one(&sql, params![bound], |r| r.get::<i64>(0))?
            .max(0) as u64)
    }

    /// The oldest exchange's time in milliseconds, if any.
    pub fn earliest_exchange_ms(&self) -> Result<Option<i64>> {
        self.conn
            .query_one("SELECT MIN(ts) FROM exchanges", params![], |r| r.get(0))
    }

    /// Visits every exchange of the window once, in table order (one sequential scan;
    /// the caller aggregates, which is cheaper than one sorted GROUP BY per section).
    /// Names and rows are read in one transaction, so every id a row holds is known.
    pub fn scan_window(
        &self,
        since_ms: Option<i64>,
        visit: &mut dyn FnMut(&ScannedExchange<'_>),
    ) -> Result<()> {
        self.tune_for_scan()?;
        // The caller's transaction, if any, is the snapshot.
        let snapshot = !self.conn.in_transaction();
        if snapshot {
            self.conn.begin_snapshot()?;
        }
        let scanned = self.scan_in_snapshot(since_ms, visit);
        if snapshot {
            match &scanned {
                Ok(()) => self.conn.commit()?,
                Err(_) => self.conn.rollback(),
            }
        }
        scanned
    }

    fn scan_in_snapshot(
        &self,
        since_ms: Option<i64>,
        visit: &mut dyn FnMut(&ScannedExchange<'_>),
    ) -> Result<()> {
        let (clause, bound) = self.since_clause(since_ms)?;
        // A window read through the `ts` index needs only its own routes' names.
        let narrow = clause == NARROW;
        let names = Names::load(&self.conn, narrow.then_some(bound))?;
        let sql = format!(
            "SELECT id, ts, route_id, status, response_hash, scenario_id, persona_id, ci_run_id
             FROM exchanges WHERE {clause}"
        );
        self.conn.query_each(&sql, params![bound], |row| {
            let id: i64 = row.get(0)?;
            let scanned = ScannedExchange {
                id,
                ts: row.get(1)?,
                route_id: names.route_id(id, row.get(2)?)?,
                names: &names,
                status: row.get::<i64>(3)?.clamp(0, i64::from(u16::MAX)) as u16,
                response_hash: row.get(4)?,
                scenario: names.label(id, row.get(5)?)?,
                persona: names.label(id, row.get(6)?)?,
                ci_run: names.label(id, row.get(7)?)?,
            };
            visit(&scanned);
            Ok(())
        })
    }

    /// The response body of one exchange.
    pub fn exchange_response_body(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_opt(
                "SELECT response_body FROM exchange_bodies WHERE exchange_id = ?1",
                params![id],
                |r| r.get::<Option<String>>(0),
            )?
            .flatten())
    }

    /// The response bodies of several exchanges, in a few queries rather than one each
    /// (a round trip per body costs on a server). Exchanges without a body are absent.
    pub fn exchange_response_bodies(&self, ids: &[i64]) -> Result<HashMap<i64, String>> {
        let mut bodies = HashMap::new();
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "SELECT exchange_id, response_body FROM exchange_bodies
                 WHERE response_body IS NOT NULL AND exchange_id IN ({})",
                marks.join(", ")
            );
            let params: Vec<Param<'_>> = chunk.iter().map(|&id| Param::Int(id)).collect();
            self.conn.query_each(&sql, &params, |r| {
                bodies.insert(r.get::<i64>(0)?, r.get::<String>(1)?);
                Ok(())
            })?;
        }
        Ok(bodies)
    }

    /// The last exchange recorded at reality level `real`, per service (all time), in
    /// milliseconds. An answer the gateway made itself (the real service unreachable) is
    /// no sign of real traffic.
    pub fn last_real_exchange_ms(&self) -> Result<Vec<(String, i64)>> {
        self.conn.query_all(
            "SELECT r.service, MAX(e.ts) FROM exchanges e JOIN exchange_routes r ON r.id = e.route_id
             WHERE e.reality_level = 'real' AND r.service IS NOT NULL
                AND r.answered_by_gateway = 0
             GROUP BY r.service",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }
}

/// Sabotage for tests of failure paths.
#[cfg(test)]
impl Store {
    /// Makes inserting an exchange with `status` fail ('disk on fire'), as a full disk
    /// would: `raise` is `ABORT` (the one statement is undone) or `ROLLBACK` (the whole
    /// transaction is).
    pub(crate) fn fail_inserts_of_status(&self, status: u16, raise: &str) {
        self.conn
            .batch(&format!(
                "CREATE TRIGGER fail_inserts BEFORE INSERT ON exchanges WHEN NEW.status = {status}
                 BEGIN SELECT RAISE({raise}, 'disk on fire'); END;"
            ))
            .expect("test trigger");
    }

    pub(crate) fn stop_failing_inserts(&self) {
        self.conn
            .batch("DROP TRIGGER fail_inserts")
            .expect("test trigger");
    }
}

#[cfg(test)]
#[path = "exchanges_tests.rs"]
mod tests;
