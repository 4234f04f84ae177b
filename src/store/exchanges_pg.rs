//! Dialect: storing exchanges in PostgreSQL in bulk.
//!
//! A batch is written in three steps:
//! 1. **Names.** Each route and label the connection has not seen yet is interned in one
//!    short transaction under an advisory lock (so that ids stay dense however many
//!    writers race), and cached (`name_cache.rs`: committed names are never deleted, so
//!    their ids never change).
//! 2. **Ids.** The batch's exchange ids are drawn from the table's sequence in one query.
//! 3. **Rows.** Exchanges and bodies are streamed with `COPY … FROM STDIN (FORMAT
//!    binary)` straight into `exchanges` and `exchange_bodies`, in one transaction. When
//!    the unique `(ts, fingerprint)` index refuses a row (the batch holds exchanges already
//!    stored), that transaction is rolled back and the batch goes through a staging table
//!    instead, moved by one `INSERT … SELECT … ON CONFLICT (ts, fingerprint) DO NOTHING`,
//!    which keeps the fingerprint de-duplication of SQLite's row-by-row path. Once a
//!    batch needed that, the following ones of the writer go there directly.
//!
//! Every step commits on its own and is idempotent; one the server asks to retry
//! (deadlock, serialization failure) runs again.

use super::db::{Db, Param};
use super::exchange_keys::{InsertCounts, Keys};
use super::name_cache::CACHE_LIMIT;
use super::pg::PgConn;
use super::Result;
use crate::exchange::Exchange;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use std::collections::HashSet;

/// The advisory lock that serialises interning (any constant all processes share).
const NAMES_LOCK: i64 = 0x6d6f_636b_6e61_6d65;

const EXCHANGE_COLUMNS: &str = "id, ts, route_id, status, response_hash, scenario_id, persona_id,
    ci_run_id, fingerprint, reality_level, query, workspace_id, duration_ms, source, gateway_path";

const EXCHANGE_TYPES: [Type; 15] = [
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::BYTEA,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::FLOAT8,
    Type::TEXT,
    Type::TEXT,
];

const BODY_TYPES: [Type; 3] = [Type::INT8, Type::TEXT, Type::TEXT];

const STAGE: &str = "
CREATE TEMP TABLE IF NOT EXISTS mockops_stage (LIKE exchanges);
CREATE TEMP TABLE IF NOT EXISTS mockops_stage_bodies (LIKE exchange_bodies);
TRUNCATE mockops_stage, mockops_stage_bodies;";

const MOVE_STAGED: &str = "
WITH ins AS (
    INSERT INTO exchanges SELECT * FROM mockops_stage ORDER BY id
    ON CONFLICT (ts, fingerprint) DO NOTHING
    RETURNING id
), bodies AS (
    INSERT INTO exchange_bodies SELECT b.* FROM mockops_stage_bodies b JOIN ins ON ins.id = b.exchange_id
)
SELECT count(*) FROM ins";

/// One exchange ready to be written: its row values, with ids resolved.
struct Row<'x> {
    x: &'x Exchange,
    keys: Keys,
    route: i64,
    labels: [Option<i64>; 3],
}

/// Inserts a batch; exchanges already stored count as duplicates.
pub(super) fn insert<'x>(
    db: &Db,
    rows: impl IntoIterator<Item = (&'x Exchange, Keys)>,
) -> Result<InsertCounts> {
    let mut pg = db.pg().expect("a PostgreSQL connection");
    // Equal exchanges within the batch are one row (the first).
    let mut seen = HashSet::new();
    let mut batch = Vec::new();
    let mut total = 0u64;
    for (x, keys) in rows {
        total += 1;
        if seen.insert((x.timestamp.timestamp_millis(), keys.fingerprint)) {
            batch.push((x, keys));
        }
    }
    if batch.is_empty() {
        return Ok(InsertCounts::default());
    }
    let rows = retrying(&mut pg, |pg| resolve_names(pg, &batch))?;
    let ids = retrying(&mut pg, |pg| exchange_ids(pg, rows.len()))?;
    let inserted = retrying(&mut pg, |pg| {
        if !pg.names.met_duplicates {
            match copy_rows(pg, &rows, &ids, "exchanges", "exchange_bodies") {
                Ok(n) => return Ok(n),
                Err(e) if e.sqlstate() == Some("23505") => {
                    let _ = pg.batch("ROLLBACK");
                    pg.names.met_duplicates = true;
                }
                Err(e) => return Err(e),
            }
        }
        pg.batch(STAGE)?;
        copy_rows(pg, &rows, &ids, "mockops_stage", "mockops_stage_bodies")?;
        let inserted = match pg.query_opt(MOVE_STAGED, &[])? {
            Some(row) => match super::pg::value(&row, 0)? {
                super::db::Value::Int(n) => n.max(0) as u64,
                _ => 0,
            },
            None => 0,
        };
        if inserted == rows.len() as u64 {
            pg.names.met_duplicates = false;
        }
        Ok(inserted)
    })?;
    Ok(InsertCounts {
        inserted,
        duplicates: total - inserted,
    })
}

/// Runs `f` again while the server asks for a retry; rolls back what failed.
fn retrying<T>(pg: &mut PgConn, mut f: impl FnMut(&mut PgConn) -> Result<T>) -> Result<T> {
    let mut tries = 0;
    loop {
        match f(pg) {
            Ok(v) => return Ok(v),
            Err(e) => {
                if pg.in_transaction() {
                    let _ = pg.batch("ROLLBACK");
                }
                tries += 1;
                if !e.is_retryable() || tries >= 20 {
                    return Err(e);
                }
                super::retry_pause(tries);
            }
        }
    }
}

/// Interns the batch's new names (one transaction under [`NAMES_LOCK`]) and resolves
/// every row's route and label ids.
fn resolve_names<'x>(pg: &mut PgConn, batch: &[(&'x Exchange, Keys)]) -> Result<Vec<Row<'x>>> {
    let mut new_routes: Vec<&Exchange> = Vec::new();
    let mut new_route_keys: HashSet<Box<[u8]>> = HashSet::new();
    let mut new_labels: Vec<&str> = Vec::new();
    for (x, _) in batch {
        if pg.names.route(x).is_none() && new_route_keys.insert(pg.names.route_key(x)) {
            new_routes.push(x);
        }
        for label in [&x.scenario, &x.persona, &x.ci_run].into_iter().flatten() {
            if !pg.names.labels.contains_key(label.as_str())
                && !new_labels.contains(&label.as_str())
            {
                new_labels.push(label);
            }
        }
    }
    if !new_routes.is_empty() || !new_labels.is_empty() {
        if pg.names.routes.len() + new_routes.len() > CACHE_LIMIT {
            pg.names.routes.clear();
        }
        if pg.names.labels.len() + new_labels.len() > CACHE_LIMIT {
            pg.names.labels.clear();
        }
        intern(pg, &new_routes, &new_labels)?;
    }
    let mut rows = Vec::with_capacity(batch.len());
    for &(x, keys) in batch {
        let route = match pg.names.route(x) {
            Some(id) => id,
            // The cache started over in this batch: look the name up again.
            None => {
                intern(pg, &[x], &[])?;
                pg.names.route(x).ok_or_else(not_interned)?
            }
        };
        let mut labels = [None; 3];
        for (slot, label) in labels.iter_mut().zip([&x.scenario, &x.persona, &x.ci_run]) {
            if let Some(label) = label {
                *slot = Some(match pg.names.labels.get(label.as_str()) {
                    Some(id) => *id,
                    None => {
                        intern(pg, &[], &[label])?;
                        pg.names
                            .labels
                            .get(label.as_str())
                            .copied()
                            .ok_or_else(not_interned)?
                    }
                });
            }
        }
        rows.push(Row {
            x,
            keys,
            route,
            labels,
        });
    }
    Ok(rows)
}

/// Stores `routes` and `labels` (those not stored yet) and caches every one's id: one
/// statement per kind that finds the stored ones and inserts the rest `RETURNING` their
/// ids. The transaction commits asynchronously (no wait for its WAL flush): the batch's
/// rows commit synchronously next, which flushes the WAL up to there, names included; a
/// crash before that loses only names nothing refers to yet.
fn intern(pg: &mut PgConn, routes: &[&Exchange], labels: &[&str]) -> Result<()> {
    let services: Vec<Option<&str>> = routes.iter().map(|x| x.service.as_deref()).collect();
    let methods: Vec<&str> = routes.iter().map(|x| x.method.as_str()).collect();
    let paths: Vec<&str> = routes.iter().map(|x| x.path.as_str()).collect();
    let gateway: Vec<i64> = routes
        .iter()
        .map(|x| i64::from(x.answered_by_gateway))
        .collect();
    let route_args: [&(dyn ToSql + Sync); 4] = [&services, &methods, &paths, &gateway];
    pg.batch(&format!(
        "BEGIN; SET LOCAL synchronous_commit = off; SELECT pg_advisory_xact_lock({NAMES_LOCK})"
    ))?;
    let server = pg.server.clone();
    let client = pg.client().0;
    let fail = |e| server.error(e);
    let mut found = Vec::new();
    if !routes.is_empty() {
        for row in client.query(INTERN_ROUTES, &route_args).map_err(fail)? {
            found.push((row.get::<_, i64>(0), row.get::<_, i64>(1)));
        }
    }
    let mut found_labels = Vec::new();
    if !labels.is_empty() {
        let values: Vec<&str> = labels.to_vec();
        for row in client.query(INTERN_LABELS, &[&values]).map_err(fail)? {
            found_labels.push((row.get::<_, i64>(0), row.get::<_, i64>(1)));
        }
    }
    pg.batch("COMMIT")?;
    for (i, id) in found {
        let key = pg.names.route_key(routes[i as usize - 1]);
        pg.names.routes.insert(key, id);
    }
    for (i, id) in found_labels {
        pg.names
            .labels
            .insert(labels[i as usize - 1].to_string(), id);
    }
    Ok(())
}

/// Routes by position (`$1..$4`: services, methods, paths, answered by the gateway) →
/// `(position, id)`, the stored ones found and the others inserted in order.
const INTERN_ROUTES: &str = "
WITH n AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[])
        WITH ORDINALITY AS n(service, method, path, gw, i)
), old AS (
    SELECT n.i, r.id FROM n JOIN exchange_routes r
    ON r.path = n.path AND r.method = n.method
        AND COALESCE(r.service, '') = COALESCE(n.service, '')
        AND (r.service IS NULL) = (n.service IS NULL) AND r.answered_by_gateway = n.gw
), ins AS (
    INSERT INTO exchange_routes (service, method, path, answered_by_gateway)
    SELECT n.service, n.method, n.path, n.gw FROM n
    WHERE NOT EXISTS (SELECT 1 FROM old WHERE old.i = n.i)
    ORDER BY n.i ON CONFLICT DO NOTHING
    RETURNING id, service, method, path, answered_by_gateway
)
SELECT i, id FROM old
UNION ALL
SELECT n.i, ins.id FROM ins JOIN n
    ON ins.path = n.path AND ins.method = n.method
        AND ins.service IS NOT DISTINCT FROM n.service AND ins.answered_by_gateway = n.gw";

/// Labels by position (`$1`) → `(position, id)`, as [`INTERN_ROUTES`].
const INTERN_LABELS: &str = "
WITH n AS (
    SELECT * FROM unnest($1::text[]) WITH ORDINALITY AS n(v, i)
), old AS (
    SELECT n.i, l.id FROM n JOIN exchange_labels l ON l.value = n.v
), ins AS (
    INSERT INTO exchange_labels (value)
    SELECT n.v FROM n WHERE NOT EXISTS (SELECT 1 FROM old WHERE old.i = n.i)
    ORDER BY n.i ON CONFLICT DO NOTHING
    RETURNING id, value
)
SELECT i, id FROM old
UNION ALL
SELECT n.i, ins.id FROM ins JOIN n ON ins.value = n.v";

/// `n` new exchange ids from the table's sequence.
fn exchange_ids(pg: &mut PgConn, n: usize) -> Result<Vec<i64>> {
    let server = pg.server.clone();
    let client = pg.client().0;
    // The sequence by its oid: looked up once per statement, not once per id.
    let sequence: u32 = client
        .query_one(
            "SELECT pg_get_serial_sequence('exchanges', 'id')::regclass::oid",
            &[],
        )
        .map_err(|e| server.error(e))?
        .get(0);
    let rows = client
        .query(
            "SELECT nextval($1::oid::regclass) FROM generate_series(1, $2::int8)",
            &[&sequence, &(n as i64)],
        )
        .map_err(|e| server.error(e))?;
    Ok(rows.iter().map(|r| r.get::<_, i64>(0)).collect())
}

fn not_interned() -> super::StoreError {
    super::StoreError::Column("a name was stored but not found again".into())
}

fn text(v: &Option<String>) -> Param<'_> {
    v.as_deref().map_or(Param::Null, Param::Text)
}

/// Streams the rows into `table` and their bodies into `bodies`, in one transaction;
/// returns the number of rows.
fn copy_rows(
    pg: &mut PgConn,
    rows: &[Row<'_>],
    ids: &[i64],
    table: &str,
    bodies: &str,
) -> Result<u64> {
    pg.batch("BEGIN")?;
    let server = pg.server.clone();
    let fail = |e| server.error(e);
    let client = pg.client().0;
    let copy = client
        .copy_in(&format!(
            "COPY {table} ({EXCHANGE_COLUMNS}) FROM STDIN (FORMAT binary)"
        ))
        .map_err(fail)?;
    let mut writer = BinaryCopyInWriter::new(copy, &EXCHANGE_TYPES);
    let int = |v: Option<i64>| v.map_or(Param::Null, Param::Int);
    for (row, id) in rows.iter().zip(ids) {
        let x = row.x;
        let values = [
            Param::Int(*id),
            Param::Int(x.timestamp.timestamp_millis()),
            Param::Int(row.route),
            Param::Int(x.status.into()),
            int(row.keys.response_hash),
            int(row.labels[0]),
            int(row.labels[1]),
            int(row.labels[2]),
            Param::Blob(&row.keys.fingerprint),
            text(&x.reality_level),
            text(&x.query),
            text(&x.workspace_id),
            x.duration_ms.map_or(Param::Null, Param::Real),
            Param::Text(&x.source),
            text(&x.gateway_path),
        ];
        let refs: [&(dyn ToSql + Sync); 15] = values.each_ref().map(|p| p as _);
        writer.write(&refs).map_err(fail)?;
    }
    writer.finish().map_err(fail)?;
    if rows
        .iter()
        .any(|r| r.x.request_body.is_some() || r.x.response_body.is_some())
    {
        let copy = client
            .copy_in(&format!(
                "COPY {bodies} (exchange_id, request_body, response_body) FROM STDIN (FORMAT binary)"
            ))
            .map_err(fail)?;
        let mut writer = BinaryCopyInWriter::new(copy, &BODY_TYPES);
        for (row, id) in rows.iter().zip(ids) {
            let x = row.x;
            if x.request_body.is_none() && x.response_body.is_none() {
                continue;
            }
            let values = [
                Param::Int(*id),
                text(&x.request_body),
                text(&x.response_body),
            ];
            let refs: [&(dyn ToSql + Sync); 3] = values.each_ref().map(|p| p as _);
            writer.write(&refs).map_err(fail)?;
        }
        writer.finish().map_err(fail)?;
    }
    pg.batch("COMMIT")?;
    Ok(rows.len() as u64)
}
