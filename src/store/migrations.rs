//! Schema migrations, applied in order and keyed on SQLite's `user_version`
//! (cargo's pattern). Append only: never edit a migration that has shipped.
//!
//! The version is read and the migrations applied inside one `BEGIN IMMEDIATE`
//! transaction, so two processes opening a new state file at once cannot both
//! migrate it. (rusqlite_migration reads the version before taking the write lock,
//! which loses exactly that race; hence this small module instead.)

use super::{Result, StoreError};
use rusqlite::Connection;
use std::path::Path;

const STEPS: &[&str] = &[
    super::core_tables::MIGRATION,
    super::snapshots::MIGRATION,
    super::entities::MIGRATION,
    super::exchanges::MIGRATION,
    super::federation::MIGRATION,
    super::core_tables::COMPACT_RUN_TABLES,
    super::exchanges::SLIM_FINGERPRINT,
    super::interned::MIGRATION,
    super::interned::GATEWAY_ANSWERS,
    super::federation::GATEWAY_RUNS,
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    STEPS.len() as i64
}

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found == latest_version() {
        return Ok(());
    }
    if found > latest_version() {
        return Err(too_new(path, found));
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Read again under the write lock: another process may have migrated meanwhile.
    let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > latest_version() {
        return Err(too_new(path, found));
    }
    for (i, sql) in STEPS.iter().enumerate().skip(found.max(0) as usize) {
        tx.execute_batch(sql).map_err(|error| StoreError::Migrate {
            path: path.to_path_buf(),
            version: i as i64 + 1,
            error,
        })?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    if found > 0 {
        give_back_freed_pages(conn);
    }
    Ok(())
}

/// Migrations that rebuild a table (7 and 8 rebuild `exchanges`) leave the old copy's
/// pages free inside the file: a 1M-exchange state file grew from 147 MB to 233 MB. When
/// over a quarter of the file is free after upgrading it, one `VACUUM` gives that back
/// (a few seconds, once). It is only housekeeping: when it cannot run (another process
/// is reading, the disk is full) the migrated file is left as it is, intact.
fn give_back_freed_pages(conn: &Connection) {
    let pragma = |name: &str| conn.pragma_query_value(None, name, |r| r.get::<_, i64>(0));
    if let (Ok(free), Ok(pages)) = (pragma("freelist_count"), pragma("page_count")) {
        if free * 4 > pages {
            let _ = conn.execute_batch("VACUUM");
        }
    }
}

fn too_new(path: &Path, found: i64) -> StoreError {
    StoreError::TooNew {
        path: path.to_path_buf(),
        found,
        known: latest_version(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_6_keeps_the_rows_of_version_5() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for sql in &STEPS[..5] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 5).unwrap();
        conn.execute_batch(
            "INSERT INTO events VALUES ('e1', 'custom.a', 'w', 'cli', '2026-01-01T00:00:00Z', NULL, NULL, '{}', 0);
             INSERT INTO events VALUES ('e2', 'custom.b', 'w', 'cli', '2026-01-01T00:00:01Z', 'e1', NULL, '{}', 1);
             INSERT INTO runs VALUES ('r1', 'p', 'p.yaml', 'e1', 'running', '2026-01-01T00:00:00Z', NULL, NULL, 1);
             INSERT INTO steps (run_id, idx, name, type, status, attempts) VALUES ('r1', 0, 's', 'emit', 'succeeded', 1);
             INSERT INTO attempts VALUES ('r1', 's', 1, 'succeeded', 'a', 'b', NULL);",
        )
        .unwrap();
        migrate(&mut conn, Path::new("state.db")).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, latest_version());
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(count("SELECT count(*) FROM events"), 2);
        assert_eq!(
            count("SELECT count(*) FROM events WHERE parent_id = 'e1'"),
            1
        );
        assert_eq!(
            count("SELECT count(*) FROM runs WHERE status = 'running'"),
            1
        );
        assert_eq!(count("SELECT count(*) FROM steps WHERE run_id = 'r1'"), 1);
        assert_eq!(
            count("SELECT count(*) FROM attempts WHERE run_id = 'r1'"),
            1
        );
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id FROM runs WHERE status = 'running'",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("runs_running"), "{plan}");
    }

    #[test]
    fn upgrading_a_file_gives_back_the_pages_a_rebuild_freed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let mut conn = Connection::open(&path).unwrap();
        for sql in &STEPS[..7] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO exchanges(fingerprint, ts, method, path, status, source)
             SELECT randomblob(8), i, 'GET', '/items/' || i || '/' || hex(randomblob(60)), 200, 'jsonl'
             FROM n;",
        )
        .unwrap();
        migrate(&mut conn, &path).unwrap();
        let pragma =
            |name: &str| -> i64 { conn.pragma_query_value(None, name, |r| r.get(0)).unwrap() };
        assert_eq!(pragma("user_version"), latest_version());
        assert!(
            pragma("freelist_count") * 20 < pragma("page_count"),
            "{} of {} pages free after the upgrade",
            pragma("freelist_count"),
            pragma("page_count")
        );
        let rows: i64 = conn
            .query_row(
                "SELECT count(*) FROM exchanges_named WHERE path LIKE '/items/%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rows, 3000);
    }

    #[test]
    fn version_9_tells_the_gateways_no_route_answers_apart() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for sql in &STEPS[..8] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 8).unwrap();
        // The gateway's no-route 404 and an ingested line share a route in schema 8; a
        // gateway exchange with a service is the service's answer as far as can be told.
        conn.execute_batch(
            "INSERT INTO exchange_routes(id, service, method, path) VALUES
                 (1, NULL, 'GET', '/nowhere'), (2, 'pets', 'GET', '/pets/1');
             INSERT INTO exchanges(id, ts, route_id, status, fingerprint, source) VALUES
                 (10, 1, 1, 404, x'01', 'gateway'),
                 (11, 2, 1, 404, x'02', 'gateway'),
                 (12, 3, 1, 200, x'03', 'jsonl'),
                 (13, 4, 2, 502, x'04', 'gateway');",
        )
        .unwrap();
        migrate(&mut conn, Path::new("state.db")).unwrap();
        let by_gateway: Vec<(i64, i64, i64)> = conn
            .prepare(
                "SELECT e.id, e.route_id, r.answered_by_gateway FROM exchanges e
                 JOIN exchange_routes r ON r.id = e.route_id ORDER BY e.id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(by_gateway, [(10, 3, 1), (11, 3, 1), (12, 1, 0), (13, 2, 0)]);
        let named: i64 = conn
            .query_row(
                "SELECT count(*) FROM exchanges_named WHERE answered_by_gateway = 1 AND path = '/nowhere'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(named, 2);
    }

    #[test]
    fn versions_7_and_8_keep_exchanges_and_bodies_of_version_6() {
        use crate::exchange::Exchange;
        use chrono::TimeZone;
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for sql in &STEPS[..6] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        let exchange = |path: &str, body: Option<&str>| Exchange {
            timestamp: chrono::Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap(),
            method: "GET".into(),
            path: path.into(),
            query: None,
            status: 200,
            service: Some("pets".into()),
            workspace_id: None,
            reality_level: Some("real".into()),
            scenario: None,
            persona: None,
            ci_run: None,
            duration_ms: None,
            request_body: None,
            response_body: body.map(str::to_string),
            source: "jsonl".into(),
            gateway_path: None,
            answered_by_gateway: false,
        };
        let old = [exchange("/pets/1", Some("{}")), exchange("/pets/2", None)];
        for (id, x) in old.iter().enumerate() {
            // Version 6 stored the whole 16-byte fingerprint.
            conn.execute(
                "INSERT INTO exchanges(id, fingerprint, ts, method, path, status, service, reality_level, source, scenario)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'happy')",
                rusqlite::params![
                    id as i64 + 10,
                    hex::decode(x.fingerprint()).unwrap(),
                    x.timestamp.timestamp_millis(),
                    x.method,
                    x.path,
                    x.status,
                    x.service,
                    x.reality_level,
                    x.source
                ],
            )
            .unwrap();
        }
        conn.execute(
            "INSERT INTO exchange_bodies(exchange_id, response_body) VALUES (10, '{}')",
            [],
        )
        .unwrap();
        // Two exchanges without a service on one path, with one text as both scenario
        // and persona: one route, one label.
        conn.execute_batch(
            "INSERT INTO exchanges(id, fingerprint, ts, method, path, status, service, source, scenario, persona)
             VALUES (20, x'0000000000000001', 1, 'GET', '/free', 404, NULL, 'jsonl', 'happy', 'happy'),
                    (21, x'0000000000000002', 2, 'GET', '/free', 404, NULL, 'jsonl', 'happy', 'happy');",
        )
        .unwrap();
        migrate(&mut conn, Path::new("state.db")).unwrap();
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(count("PRAGMA user_version"), latest_version());
        assert_eq!(count("SELECT count(*) FROM exchanges"), 4);
        assert_eq!(
            count("SELECT count(*) FROM exchanges WHERE length(fingerprint) = 8"),
            4
        );
        assert_eq!(
            count("SELECT count(*) FROM exchange_bodies WHERE exchange_id = 10"),
            1
        );
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM exchanges WHERE ts >= 0",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("exchanges_ts_fingerprint"), "{plan}");
        // Version 8 interned the names of the rows already stored.
        assert_eq!(count("SELECT count(*) FROM exchange_routes"), 3);
        assert_eq!(count("SELECT count(*) FROM exchange_labels"), 1);
        assert_eq!(
            count("SELECT count(*) FROM exchanges_named WHERE path LIKE '/pets/%' AND scenario = 'happy'"),
            2
        );
        assert_eq!(
            count("SELECT count(*) FROM exchanges_named WHERE service IS NULL AND path = '/free' AND scenario = 'happy' AND persona = 'happy'"),
            2
        );
        assert_eq!(
            count("SELECT count(*) FROM exchanges WHERE scenario_id IS NOT NULL"),
            4
        );

        let mut store = super::super::Store {
            conn,
            path: "state.db".into(),
            interned: Default::default(),
        };
        // Re-ingesting what version 6 stored adds nothing; bodies still follow their exchange.
        let again = store
            .insert_exchanges(&[old[0].clone(), old[1].clone(), exchange("/pets/3", None)])
            .unwrap();
        assert_eq!((again.inserted, again.duplicates), (1, 2));
        assert_eq!(
            store.exchange_response_body(10).unwrap().as_deref(),
            Some("{}")
        );
        assert_eq!(store.last_real_exchange_ms().unwrap().len(), 1);
        let mut scanned = Vec::new();
        store
            .scan_window(None, &mut |x| {
                scanned.push((
                    x.route().unwrap().path.clone(),
                    x.scenario.map(|l| l.name.to_string()),
                ))
            })
            .unwrap();
        scanned.sort();
        assert_eq!(
            scanned,
            [
                ("/free".to_string(), Some("happy".to_string())),
                ("/free".to_string(), Some("happy".to_string())),
                ("/pets/1".to_string(), Some("happy".to_string())),
                ("/pets/2".to_string(), Some("happy".to_string())),
                ("/pets/3".to_string(), None)
            ]
        );
        store
            .conn
            .execute("DELETE FROM exchanges WHERE id = 10", [])
            .unwrap();
        let bodies: i64 = store
            .conn
            .query_row("SELECT count(*) FROM exchange_bodies", [], |r| r.get(0))
            .unwrap();
        assert_eq!(bodies, 0, "the cascade points at the new table");
    }
}
