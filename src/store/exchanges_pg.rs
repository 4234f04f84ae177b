//! Dialect: storing exchanges in PostgreSQL in bulk. A batch is streamed into a
//! session-local staging table with `COPY … FROM STDIN (FORMAT binary)`, its new names
//! are interned in one short transaction under an advisory lock (so that ids stay dense
//! however many writers race), and one statement moves the batch into `exchanges` and
//! `exchange_bodies`: `ON CONFLICT (ts, fingerprint) DO NOTHING` keeps the fingerprint
//! de-duplication of SQLite's row-by-row path. Each statement commits on its own; one the
//! server asks to retry (deadlock, serialization failure) runs again, which is safe since
//! each is idempotent.

use super::db::{Db, Param};
use super::exchanges::{InsertCounts, Keys};
use super::Result;
use crate::exchange::Exchange;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};

const STAGE: &str = r#"
CREATE TEMP TABLE IF NOT EXISTS mockops_stage (
    seq BIGINT, ts BIGINT, service TEXT COLLATE "C", method TEXT COLLATE "C",
    path TEXT COLLATE "C", status BIGINT, response_hash BIGINT, scenario TEXT COLLATE "C",
    persona TEXT COLLATE "C", ci_run TEXT COLLATE "C", fingerprint BYTEA, reality_level TEXT,
    query TEXT, workspace_id TEXT, duration_ms DOUBLE PRECISION, source TEXT,
    gateway_path TEXT, request_body TEXT, response_body TEXT, answered_by_gateway BIGINT
);
TRUNCATE mockops_stage;
"#;

const COPY: &str = "COPY mockops_stage (seq, ts, service, method, path, status, response_hash,
    scenario, persona, ci_run, fingerprint, reality_level, query, workspace_id, duration_ms,
    source, gateway_path, request_body, response_body, answered_by_gateway)
    FROM STDIN (FORMAT binary)";

const COPY_TYPES: [Type; 20] = [
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::BYTEA,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::FLOAT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::INT8,
];

/// A route's identity as equalities the planner can hash (`service` may be NULL).
const SAME_ROUTE: &str = "r.path = s.path AND r.method = s.method
    AND COALESCE(r.service, '') = COALESCE(s.service, '') AND (r.service IS NULL) = (s.service IS NULL)
    AND r.answered_by_gateway = s.answered_by_gateway";

/// The advisory lock that serialises interning (any constant all processes share).
const NAMES_LOCK: i64 = 0x6d6f_636b_6e61_6d65;

fn intern_names() -> String {
    format!(
        "BEGIN;
         SELECT pg_advisory_xact_lock({NAMES_LOCK});
         INSERT INTO exchange_routes (service, method, path, answered_by_gateway)
             SELECT DISTINCT s.service, s.method, s.path, s.answered_by_gateway
             FROM mockops_stage s
             WHERE NOT EXISTS (SELECT 1 FROM exchange_routes r WHERE {SAME_ROUTE})
             ORDER BY 3, 2, 1, 4
             ON CONFLICT DO NOTHING;
         INSERT INTO exchange_labels (value)
             SELECT n.v FROM (SELECT scenario AS v FROM mockops_stage
                 UNION SELECT persona FROM mockops_stage
                 UNION SELECT ci_run FROM mockops_stage) n
             WHERE n.v IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM exchange_labels l WHERE l.value = n.v)
             ORDER BY 1
             ON CONFLICT DO NOTHING;
         COMMIT;"
    )
}

fn move_batch() -> String {
    format!(
        "WITH s AS (
             SELECT DISTINCT ON (ts, fingerprint) * FROM mockops_stage ORDER BY ts, fingerprint, seq
         ), ins AS (
             INSERT INTO exchanges (ts, route_id, status, response_hash, scenario_id,
                 persona_id, ci_run_id, fingerprint, reality_level, query, workspace_id,
                 duration_ms, source, gateway_path)
             SELECT s.ts, r.id, s.status, s.response_hash, sl.id, pl.id, cl.id, s.fingerprint,
                 s.reality_level, s.query, s.workspace_id, s.duration_ms, s.source,
                 s.gateway_path
             FROM s JOIN exchange_routes r ON {SAME_ROUTE}
                 LEFT JOIN exchange_labels sl ON sl.value = s.scenario
                 LEFT JOIN exchange_labels pl ON pl.value = s.persona
                 LEFT JOIN exchange_labels cl ON cl.value = s.ci_run
             ORDER BY s.seq
             ON CONFLICT (ts, fingerprint) DO NOTHING
             RETURNING id, ts, fingerprint
         ), bodies AS (
             INSERT INTO exchange_bodies (exchange_id, request_body, response_body)
             SELECT ins.id, s.request_body, s.response_body FROM ins JOIN s USING (ts, fingerprint)
             WHERE s.request_body IS NOT NULL OR s.response_body IS NOT NULL
         )
         SELECT count(*) FROM ins"
    )
}

/// Inserts a batch; exchanges already stored count as duplicates.
pub(super) fn insert<'x>(
    db: &Db,
    rows: impl IntoIterator<Item = (&'x Exchange, Keys)>,
) -> Result<InsertCounts> {
    let total = stage(db, rows)?;
    if total == 0 {
        return Ok(InsertCounts::default());
    }
    retrying(db, || db.batch(&intern_names()))?;
    let inserted: i64 = retrying(db, || db.query_one(&move_batch(), &[], |r| r.get(0)))?;
    let inserted = inserted.max(0) as u64;
    Ok(InsertCounts {
        inserted,
        duplicates: total.saturating_sub(inserted),
    })
}

/// Streams the batch into the staging table; returns its number of rows.
fn stage<'x>(db: &Db, rows: impl IntoIterator<Item = (&'x Exchange, Keys)>) -> Result<u64> {
    db.batch(STAGE)?;
    let mut pg = db.pg().expect("a PostgreSQL connection");
    let (client, server) = pg.client();
    let copy = client.copy_in(COPY).map_err(|e| server.error(e))?;
    let mut writer = BinaryCopyInWriter::new(copy, &COPY_TYPES);
    let mut count = 0u64;
    for (seq, (x, keys)) in rows.into_iter().enumerate() {
        let fingerprint = keys.fingerprint;
        let text = |v: &'x Option<String>| v.as_deref().map_or(Param::Null, Param::Text);
        let values = [
            Param::Int(seq as i64),
            Param::Int(x.timestamp.timestamp_millis()),
            text(&x.service),
            Param::Text(&x.method),
            Param::Text(&x.path),
            Param::Int(x.status.into()),
            keys.response_hash.map_or(Param::Null, Param::Int),
            text(&x.scenario),
            text(&x.persona),
            text(&x.ci_run),
            Param::Blob(&fingerprint),
            text(&x.reality_level),
            text(&x.query),
            text(&x.workspace_id),
            x.duration_ms.map_or(Param::Null, Param::Real),
            Param::Text(&x.source),
            text(&x.gateway_path),
            text(&x.request_body),
            text(&x.response_body),
            Param::Int(x.answered_by_gateway.into()),
        ];
        let refs: Vec<&(dyn ToSql + Sync)> =
            values.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        if let Err(e) = writer.write(&refs) {
            return Err(server.error(e));
        }
        count += 1;
    }
    writer.finish().map_err(|e| server.error(e))?;
    Ok(count)
}

/// Runs `f` again while the server asks for a retry.
fn retrying<T>(db: &Db, mut f: impl FnMut() -> Result<T>) -> Result<T> {
    let mut tries = 0;
    loop {
        match f() {
            Err(e) if e.is_retryable() && tries < 20 => {
                db.rollback();
                tries += 1;
                super::retry_pause(tries);
            }
            Err(e) => {
                db.rollback();
                return Err(e);
            }
            ok => return ok,
        }
    }
}
