//! Interned names of exchanges (schema 8): each distinct (service, method, path) — a
//! *route* — and each scenario, persona and CI-run label is stored once, in
//! `exchange_routes` and `exchange_labels`, and exchanges refer to them by id.
//!
//! The report's scan then reads integers per row and indexes vectors by id, instead of
//! decoding and hashing three to six strings per exchange, and the rows it reads are
//! about a third smaller (the scan's columns come first in each row). The view
//! `exchanges_named` shows exchanges with their names, for people reading the file.
//! The table and its bodies are rebuilt, as in schema 7 (ids kept). A later migration
//! that rebuilds `exchanges`, `exchange_routes` or `exchange_labels` must drop that view
//! first and create it again after (SQLite checks views when a table is renamed). Writers resolve names through
//! an in-memory cache ([`Interned`]); a name missing from it is looked up, then inserted,
//! under the write transaction the exchange is inserted in, so two processes cannot
//! store one name twice. Names are never deleted, so an id once committed stays valid
//! (ids of a transaction that rolled back are handed out again: a writer forgets its
//! cache on rollback).

use super::db::Db;
use super::{Result, StoreError};
use crate::fast_hash::FastMap;
use rusqlite::{params, Connection, OptionalExtension};

/// The view as schema 8 made it (PostgreSQL's step 8 in `pg_migrations.rs` makes it too).
macro_rules! exchanges_named_v8 {
    () => {
        "CREATE VIEW exchanges_named AS
    SELECT e.id, e.ts, r.service, r.method, r.path, e.query, e.status, e.workspace_id,
        e.reality_level, s.value AS scenario, p.value AS persona, c.value AS ci_run,
        e.duration_ms, e.response_hash, e.source, e.gateway_path
    FROM exchanges e JOIN exchange_routes r ON r.id = e.route_id
        LEFT JOIN exchange_labels s ON s.id = e.scenario_id
        LEFT JOIN exchange_labels p ON p.id = e.persona_id
        LEFT JOIN exchange_labels c ON c.id = e.ci_run_id;
"
    };
}
pub(super) use exchanges_named_v8;

pub(super) const MIGRATION: &str = concat!(
    "
CREATE TABLE exchange_routes(
    id INTEGER PRIMARY KEY,
    service TEXT,
    method TEXT NOT NULL,
    path TEXT NOT NULL
);
CREATE INDEX exchange_routes_key ON exchange_routes(path, method, service);
CREATE TABLE exchange_labels(
    id INTEGER PRIMARY KEY,
    value TEXT NOT NULL UNIQUE
);
INSERT INTO exchange_routes(service, method, path)
    SELECT DISTINCT service, method, path FROM exchanges;
INSERT OR IGNORE INTO exchange_labels(value)
    SELECT scenario FROM exchanges WHERE scenario IS NOT NULL
    UNION SELECT persona FROM exchanges WHERE persona IS NOT NULL
    UNION SELECT ci_run FROM exchanges WHERE ci_run IS NOT NULL;
CREATE TABLE exchanges_v8(
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    route_id INTEGER NOT NULL,
    status INTEGER NOT NULL,
    response_hash INTEGER,
    scenario_id INTEGER,
    persona_id INTEGER,
    ci_run_id INTEGER,
    fingerprint BLOB NOT NULL,
    reality_level TEXT,
    query TEXT,
    workspace_id TEXT,
    duration_ms REAL,
    source TEXT NOT NULL,
    gateway_path TEXT
);
INSERT INTO exchanges_v8
    SELECT e.id, e.ts, r.id, e.status, e.response_hash,
        (SELECT l.id FROM exchange_labels l WHERE l.value = e.scenario),
        (SELECT l.id FROM exchange_labels l WHERE l.value = e.persona),
        (SELECT l.id FROM exchange_labels l WHERE l.value = e.ci_run),
        e.fingerprint, e.reality_level, e.query, e.workspace_id, e.duration_ms, e.source,
        e.gateway_path
    FROM exchanges e JOIN exchange_routes r
        ON r.path = e.path AND r.method = e.method AND r.service IS e.service
    ORDER BY e.id;
CREATE TABLE exchange_bodies_v8(
    exchange_id INTEGER PRIMARY KEY REFERENCES exchanges_v8(id) ON DELETE CASCADE,
    request_body TEXT,
    response_body TEXT
);
INSERT INTO exchange_bodies_v8 SELECT exchange_id, request_body, response_body
    FROM exchange_bodies ORDER BY exchange_id;
DROP TABLE exchange_bodies;
DROP TABLE exchanges;
ALTER TABLE exchanges_v8 RENAME TO exchanges;
ALTER TABLE exchange_bodies_v8 RENAME TO exchange_bodies;
CREATE UNIQUE INDEX exchanges_ts_fingerprint ON exchanges(ts, fingerprint);
CREATE INDEX exchanges_real ON exchanges(route_id, ts) WHERE reality_level = 'real';
",
    exchanges_named_v8!()
);

/// Schema 9: a route also says whether the gateway answered itself (no route, upstream
/// down, an injected error), so that the report classifies such answers once per route
/// and reads nothing more per exchange. The gateway's no-route answers stored before (its
/// exchanges without a service) get routes of their own; its other answers cannot be
/// told from the service's. The view shows the flag.
pub(super) const GATEWAY_ANSWERS: &str = "
ALTER TABLE exchange_routes ADD COLUMN answered_by_gateway INTEGER NOT NULL DEFAULT 0;
INSERT INTO exchange_routes(service, method, path, answered_by_gateway)
    SELECT NULL, r.method, r.path, 1 FROM exchange_routes r
    WHERE r.service IS NULL AND r.id IN (SELECT route_id FROM exchanges WHERE source = 'gateway')
    ORDER BY r.id;
UPDATE exchanges SET route_id = (
        SELECT g.id FROM exchange_routes r JOIN exchange_routes g
            ON g.answered_by_gateway = 1 AND g.service IS NULL
            AND g.method = r.method AND g.path = r.path
        WHERE r.id = exchanges.route_id)
    WHERE source = 'gateway' AND route_id IN (
        SELECT id FROM exchange_routes WHERE service IS NULL AND answered_by_gateway = 0);
DROP VIEW exchanges_named;
CREATE VIEW exchanges_named AS
    SELECT e.id, e.ts, r.service, r.method, r.path, e.query, e.status, e.workspace_id,
        e.reality_level, s.value AS scenario, p.value AS persona, c.value AS ci_run,
        e.duration_ms, e.response_hash, e.source, e.gateway_path, r.answered_by_gateway
    FROM exchanges e JOIN exchange_routes r ON r.id = e.route_id
        LEFT JOIN exchange_labels s ON s.id = e.scenario_id
        LEFT JOIN exchange_labels p ON p.id = e.persona_id
        LEFT JOIN exchange_labels c ON c.id = e.ci_run_id;
";

/// Names cached before the cache starts over (it holds ids, which never go stale, so
/// starting over only costs lookups).
const CACHE_LIMIT: usize = 1 << 18;

/// A writer's cache of name → id (see the module doc).
#[derive(Default)]
pub(super) struct Interned {
    routes: FastMap<Box<[u8]>, i64>,
    labels: FastMap<String, i64>,
    key: Vec<u8>,
}

impl Interned {
    /// The id of a route, stored first if it is new. Call inside a write transaction.
    pub(super) fn route(
        &mut self,
        conn: &Connection,
        service: Option<&str>,
        method: &str,
        path: &str,
        answered_by_gateway: bool,
    ) -> Result<i64> {
        // Each part length-prefixed, so no choice of texts makes two routes one key.
        let key = &mut self.key;
        key.clear();
        key.push(u8::from(answered_by_gateway));
        match service {
            Some(service) => {
                key.push(b'S');
                push_part(key, service);
            }
            None => key.push(b'N'),
        }
        push_part(key, method);
        push_part(key, path);
        if let Some(id) = self.routes.get(key.as_slice()) {
            return Ok(*id);
        }
        let id = stored_id(
            conn,
            "SELECT id FROM exchange_routes
             WHERE path = ?3 AND method = ?2 AND service IS ?1 AND answered_by_gateway = ?4",
            "INSERT INTO exchange_routes(service, method, path, answered_by_gateway)
             VALUES (?1, ?2, ?3, ?4)",
            params![service, method, path, answered_by_gateway],
        )?;
        bound(&mut self.routes);
        self.routes.insert(self.key.as_slice().into(), id);
        Ok(id)
    }

    /// The id of a label, stored first if it is new. Call inside a write transaction.
    pub(super) fn label(&mut self, conn: &Connection, value: Option<&str>) -> Result<Option<i64>> {
        let Some(value) = value else {
            return Ok(None);
        };
        if let Some(id) = self.labels.get(value) {
            return Ok(Some(*id));
        }
        let id = stored_id(
            conn,
            "SELECT id FROM exchange_labels WHERE value = ?1",
            "INSERT INTO exchange_labels(value) VALUES (?1)",
            params![value],
        )?;
        bound(&mut self.labels);
        self.labels.insert(value.to_string(), id);
        Ok(Some(id))
    }

    /// Forgets every id: call when a transaction that may have stored names rolls back.
    pub(super) fn forget(&mut self) {
        self.routes.clear();
        self.labels.clear();
    }
}

/// The id of the row `select` finds, else of the row `insert` adds (both take `values`).
fn stored_id(
    conn: &Connection,
    select: &str,
    insert: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<i64> {
    let found = conn
        .prepare_cached(select)?
        .query_row(values, |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    conn.prepare_cached(insert)?.execute(values)?;
    Ok(conn.last_insert_rowid())
}

/// Keeps a cache under [`CACHE_LIMIT`] by starting it over.
fn bound<K, V>(cache: &mut FastMap<K, V>) {
    if cache.len() >= CACHE_LIMIT {
        cache.clear();
    }
}

/// Appends `part` with its length in front.
fn push_part(key: &mut Vec<u8>, part: &str) {
    key.extend_from_slice(&(part.len() as u64).to_le_bytes());
    key.extend_from_slice(part.as_bytes());
}

/// A stored route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteName {
    pub service: Option<String>,
    pub method: String,
    pub path: String,
    /// Its exchanges are answers the gateway made itself.
    pub answered_by_gateway: bool,
}

/// A label of an exchange as the scan sees it: its id (dense, for indexing) and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label<'a> {
    pub id: usize,
    pub name: &'a str,
}

/// The stored names a scan needs, read in the scan's transaction: every route of the
/// table, or, for a narrow window, only the routes its exchanges use (a long history of
/// paths that carry ids would otherwise be loaded for a one-day report).
#[derive(Debug)]
pub struct Names {
    /// The loaded routes by position: for a whole table the position is the id (with
    /// holes); for a window, the order they were read in.
    routes: Vec<Option<RouteName>>,
    positions: Positions,
    labels: Vec<Option<String>>,
}

#[derive(Debug)]
enum Positions {
    /// Position = id; bit `id` is set when route `id` is stored, checked per row without
    /// touching the names (100k+ of them do not stay in the cache).
    Dense(Vec<u64>),
    /// Id → position, for the few routes of a narrow window, whose ids may be anywhere.
    Sparse(FastMap<i64, u32>),
}

impl Names {
    /// Loads the names; `window` restricts routes to those of exchanges with
    /// `ts >= window` (used for narrow windows, found through the `ts` index).
    pub(super) fn load(conn: &Db, window: Option<i64>) -> Result<Names> {
        let sql = match window {
            None => {
                "SELECT id, service, method, path, answered_by_gateway FROM exchange_routes
                 WHERE CAST(?1 AS BIGINT) IS NULL"
            }
            Some(_) => {
                "SELECT id, service, method, path, answered_by_gateway FROM exchange_routes
                 WHERE id IN (SELECT route_id FROM exchanges WHERE ts >= ?1)"
            }
        };
        let rows: Vec<(i64, RouteName)> =
            conn.query_all(sql, super::db::params![window], |row| {
                Ok((
                    row.get::<i64>(0)?,
                    RouteName {
                        service: row.get(1)?,
                        method: row.get(2)?,
                        path: row.get(3)?,
                        answered_by_gateway: row.get(4)?,
                    },
                ))
            })?;
        let (routes, positions) = match window {
            None => {
                let routes = by_id(rows)?;
                let mut present = vec![0u64; routes.len().div_ceil(64)];
                for (id, route) in routes.iter().enumerate() {
                    if route.is_some() {
                        present[id / 64] |= 1 << (id % 64);
                    }
                }
                (routes, Positions::Dense(present))
            }
            Some(_) => {
                let mut positions = FastMap::default();
                let mut routes = Vec::with_capacity(rows.len());
                for (id, route) in rows {
                    positions.insert(id, routes.len() as u32);
                    routes.push(Some(route));
                }
                (routes, Positions::Sparse(positions))
            }
        };
        let rows = conn.query_all(
            "SELECT id, value FROM exchange_labels",
            super::db::params![],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let labels = by_id(rows)?;
        Ok(Names {
            routes,
            positions,
            labels,
        })
    }

    /// The position of an exchange's route among the loaded names (dense, for the scan
    /// to index by) without reading the name itself; an id naming no stored route means
    /// a state file not written by mockops.
    pub(super) fn route_id(&self, exchange: i64, id: i64) -> Result<usize> {
        let position = match &self.positions {
            Positions::Dense(present) => usize::try_from(id).ok().filter(|&at| {
                present
                    .get(at / 64)
                    .is_some_and(|bits| bits & (1 << (at % 64)) != 0)
            }),
            Positions::Sparse(positions) => positions.get(&id).map(|&p| p as usize),
        };
        position.ok_or_else(|| dangling(exchange, "route", id))
    }

    /// The name at a position [`Names::route_id`] returned.
    pub fn route(&self, position: usize) -> Option<&RouteName> {
        self.routes.get(position)?.as_ref()
    }

    /// How many routes were loaded.
    #[cfg(test)]
    pub(super) fn routes_loaded(&self) -> usize {
        self.routes.iter().flatten().count()
    }

    pub(super) fn label(&self, exchange: i64, id: Option<i64>) -> Result<Option<Label<'_>>> {
        let Some(id) = id else {
            return Ok(None);
        };
        usize::try_from(id)
            .ok()
            .and_then(|at| {
                let name = self.labels.get(at)?.as_deref()?;
                Some(Label { id: at, name })
            })
            .map(Some)
            .ok_or_else(|| dangling(exchange, "label", id))
    }
}

/// Names placed at their ids. Ids come from `INTEGER PRIMARY KEY`s that only this module
/// assigns (max + 1), so they are dense; an id far beyond the number of names (the file
/// was edited by hand) is an error rather than a vector of that length.
fn by_id<T>(rows: Vec<(i64, T)>) -> Result<Vec<Option<T>>> {
    let limit = dense_limit(rows.len());
    let mut table: Vec<Option<T>> = Vec::new();
    for (id, name) in rows {
        let at = usize::try_from(id)
            .ok()
            .filter(|&at| at < limit)
            .ok_or_else(|| out_of_range(id))?;
        if table.len() <= at {
            table.resize_with(at + 1, || None);
        }
        table[at] = Some(name);
    }
    Ok(table)
}

/// The largest id plausible for `count` names.
fn dense_limit(count: usize) -> usize {
    count * 2 + 1024
}

fn out_of_range(id: i64) -> StoreError {
    StoreError::NotFound(format!(
        "state file: name id {id} is out of range (ids are dense; was the file edited?)"
    ))
}

fn dangling(exchange: i64, what: &str, id: i64) -> StoreError {
    StoreError::NotFound(format!(
        "state file: exchange {exchange} refers to {what} {id}, which is not stored"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_name_is_stored_once_and_found_again_without_the_cache() {
        let store = Store::open_in_memory().unwrap();
        let mut interned = Interned::default();
        let a = interned
            .route(store.sqlite().unwrap(), None, "GET", "/a", false)
            .unwrap();
        let a_again = interned
            .route(store.sqlite().unwrap(), None, "GET", "/a", false)
            .unwrap();
        let in_service = interned
            .route(store.sqlite().unwrap(), Some("s"), "GET", "/a", false)
            .unwrap();
        // The gateway's own answers on the same request are a route of their own.
        let by_gateway = interned
            .route(store.sqlite().unwrap(), None, "GET", "/a", true)
            .unwrap();
        assert_eq!(a, a_again);
        assert_ne!(a, in_service);
        assert_ne!(a, by_gateway);
        // A fresh cache (another process) finds the stored ids.
        let mut other = Interned::default();
        assert_eq!(
            other
                .route(store.sqlite().unwrap(), None, "GET", "/a", false)
                .unwrap(),
            a
        );
        assert_eq!(
            other
                .route(store.sqlite().unwrap(), Some("s"), "GET", "/a", false)
                .unwrap(),
            in_service
        );
        assert_eq!(
            other
                .route(store.sqlite().unwrap(), None, "GET", "/a", true)
                .unwrap(),
            by_gateway
        );
        let happy = interned
            .label(store.sqlite().unwrap(), Some("happy"))
            .unwrap();
        assert_eq!(
            other.label(store.sqlite().unwrap(), Some("happy")).unwrap(),
            happy
        );
        assert_eq!(interned.label(store.sqlite().unwrap(), None).unwrap(), None);
        let count: i64 = store
            .sqlite()
            .unwrap()
            .query_row("SELECT count(*) FROM exchange_routes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 3);

        let names = Names::load(&store.conn, None).unwrap();
        let route = names.route_id(1, in_service).unwrap();
        assert_eq!(names.route(route).unwrap().service.as_deref(), Some("s"));
        assert!(!names.route(route).unwrap().answered_by_gateway);
        let route = names.route_id(1, by_gateway).unwrap();
        assert!(names.route(route).unwrap().answered_by_gateway);
        assert_eq!(names.routes_loaded(), 3);
        assert_eq!(
            names.label(1, happy).unwrap().map(|l| l.name),
            Some("happy")
        );
        assert!(names.route_id(7, 999).is_err());
        assert!(names.route_id(7, 0).is_err());
        assert!(names.route(0).is_none());
        // Texts that would run together in a plain joined key stay apart.
        let joined_one = interned
            .route(store.sqlite().unwrap(), Some("a"), "B\u{1f}C", "/d", false)
            .unwrap();
        let joined_two = interned
            .route(store.sqlite().unwrap(), Some("a\u{1f}B"), "C", "/d", false)
            .unwrap();
        assert_ne!(joined_one, joined_two);
        assert!(names.label(7, Some(-1)).is_err());
    }

    #[test]
    fn an_id_far_beyond_the_count_is_an_error_not_a_huge_table() {
        let store = Store::open_in_memory().unwrap();
        store
            .sqlite()
            .unwrap()
            .execute(
                "INSERT INTO exchange_routes(id, service, method, path) VALUES (2147483647, NULL, 'GET', '/x')",
                [],
            )
            .unwrap();
        let message = Names::load(&store.conn, None).err().unwrap().to_string();
        assert!(message.contains("out of range"), "{message}");
    }
}
