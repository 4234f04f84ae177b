//! The store on a real PostgreSQL server (the test cluster of `tests/common/pg.rs`):
//! each migration keeps the rows of the version before, a fresh database gets the same
//! tables and columns as SQLite, and the query layer round-trips every value type.

#[path = "../../tests/common/pg.rs"]
#[allow(dead_code, clippy::all)]
pub(super) mod harness;

use super::location::Location;
use super::migrations::{latest_version, STEPS};
use super::Store;
use crate::exchange::Exchange;
use chrono::TimeZone;
use std::collections::BTreeMap;
use std::path::Path;

fn location(database: &str) -> Location {
    Location::parse(&harness::cluster().url(database), Path::new("/")).unwrap()
}

/// A database migrated by hand to `version` (PostgreSQL's SQL of each step).
fn database_at(version: usize, hint: &str) -> (String, postgres::Client) {
    let cluster = harness::cluster();
    let db = cluster.create_database(hint);
    let mut client = cluster.client(&db);
    client
        .batch_execute(
            "CREATE TABLE mockops_schema (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .unwrap();
    for (i, step) in STEPS[..version].iter().enumerate() {
        client
            .batch_execute(&step.postgres())
            .unwrap_or_else(|e| panic!("step {}: {e}", i + 1));
        client
            .execute(
                "INSERT INTO mockops_schema VALUES ($1, 'test')",
                &[&(i as i64 + 1)],
            )
            .unwrap();
    }
    (db, client)
}

fn count(client: &mut postgres::Client, sql: &str) -> i64 {
    client.query_one(sql, &[]).unwrap().get(0)
}

#[test]
fn versions_6_to_latest_keep_the_rows_of_version_5() {
    let (db, mut client) = database_at(5, "from5");
    client
        .batch_execute(
            "INSERT INTO events VALUES ('e1', 'custom.a', 'w', 'cli', '2026-01-01T00:00:00Z', NULL, NULL, '{}', 0);
             INSERT INTO events VALUES ('e2', 'custom.b', 'w', 'cli', '2026-01-01T00:00:01Z', 'e1', NULL, '{}', 1);
             INSERT INTO runs VALUES ('r1', 'p', 'p.yaml', 'e1', 'running', '2026-01-01T00:00:00Z', NULL, NULL, 1);
             INSERT INTO steps (run_id, idx, name, type, status, attempts) VALUES ('r1', 0, 's', 'emit', 'succeeded', 1);
             INSERT INTO attempts VALUES ('r1', 's', 1, 'succeeded', 'a', 'b', NULL);
             INSERT INTO exchanges (fingerprint, ts, method, path, status, service, source, scenario, persona, reality_level)
                 VALUES ('\\x00000000000000010000000000000001', 1, 'GET', '/pets/1', 200, 'pets', 'jsonl', 'happy', 'happy', 'real'),
                        ('\\x00000000000000020000000000000002', 2, 'GET', '/pets/2', 200, 'pets', 'jsonl', 'happy', NULL, NULL),
                        ('\\x00000000000000030000000000000003', 3, 'GET', '/nowhere', 404, NULL, 'gateway', NULL, NULL, NULL),
                        ('\\x00000000000000040000000000000004', 4, 'GET', '/nowhere', 200, NULL, 'jsonl', NULL, NULL, NULL);
             INSERT INTO exchange_bodies (exchange_id, response_body)
                 SELECT id, '{}' FROM exchanges WHERE path = '/pets/1';",
        )
        .unwrap();
    let mut store = Store::open_at(&location(&db)).unwrap();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    assert_eq!(count(&mut client, "SELECT count(*) FROM events"), 2);
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM runs WHERE status = 'running'"
        ),
        1
    );
    assert_eq!(count(&mut client, "SELECT count(*) FROM steps"), 1);
    assert_eq!(count(&mut client, "SELECT count(*) FROM attempts"), 1);
    // 6: the partial indexes.
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM pg_indexes WHERE indexname IN ('runs_running', 'events_by_parent')
             AND indexdef LIKE '%WHERE%'"
        ),
        2
    );
    // 7: 8-byte fingerprints, unique with ts.
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM exchanges WHERE length(fingerprint) = 8"
        ),
        4
    );
    // 8: names interned, the view joins them back.
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM exchanges_named WHERE scenario = 'happy' AND service = 'pets'"
        ),
        2
    );
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM exchange_labels"),
        1
    );
    // 9: the gateway's no-route answer got a route of its own.
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM exchanges_named WHERE path = '/nowhere' AND answered_by_gateway = 1"
        ),
        1
    );
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM exchange_bodies b JOIN exchanges e ON e.id = b.exchange_id"
        ),
        1
    );
    assert_eq!(store.last_real_exchange_ms().unwrap(), [("pets".into(), 1)]);

    // What version 5 stored is found again by its fingerprint's first 8 bytes.
    let stored = Exchange {
        timestamp: chrono::Utc.timestamp_millis_opt(1).unwrap(),
        method: "GET".into(),
        path: "/pets/1".into(),
        query: None,
        status: 200,
        service: Some("pets".into()),
        workspace_id: None,
        reality_level: Some("real".into()),
        scenario: Some("happy".into()),
        persona: Some("happy".into()),
        ci_run: None,
        duration_ms: None,
        request_body: None,
        response_body: Some("{}".into()),
        source: "jsonl".into(),
        gateway_path: None,
        answered_by_gateway: false,
    };
    let counts = store
        .insert_exchanges(std::slice::from_ref(&stored))
        .unwrap();
    assert_eq!(
        (counts.inserted, counts.duplicates),
        (1, 0),
        "new fingerprint"
    );
    let again = store.insert_exchanges(&[stored]).unwrap();
    assert_eq!((again.inserted, again.duplicates), (0, 1));
    let mut paths = Vec::new();
    store
        .scan_window(None, &mut |x| paths.push(x.route().unwrap().path.clone()))
        .unwrap();
    paths.sort();
    assert_eq!(
        paths,
        ["/nowhere", "/nowhere", "/pets/1", "/pets/1", "/pets/2"]
    );
}

/// The columns of every table, by engine.
fn columns_sqlite(store: &Store) -> BTreeMap<String, Vec<String>> {
    let conn = store.sqlite().unwrap();
    let mut out = BTreeMap::new();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for table in tables {
        let mut columns: Vec<String> = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        columns.sort();
        out.insert(table, columns);
    }
    out
}

#[test]
fn a_fresh_database_has_the_tables_and_columns_of_a_fresh_file() {
    let db = harness::cluster().create_database("fresh");
    let store = Store::open_at(&location(&db)).unwrap();
    assert_eq!(store.engine(), super::Engine::Postgres);
    let mut client = harness::cluster().client(&db);
    let mut pg: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in client
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> 'mockops_schema'",
            &[],
        )
        .unwrap()
    {
        pg.entry(row.get(0)).or_default().push(row.get(1));
    }
    for columns in pg.values_mut() {
        columns.sort();
    }
    let sqlite = columns_sqlite(&Store::open_in_memory().unwrap());
    assert_eq!(pg, sqlite);
}

#[test]
fn values_round_trip_through_the_query_layer() {
    use super::db::params;
    let db = harness::cluster().create_database("values");
    let store = Store::open_at(&location(&db)).unwrap();
    store
        .conn
        .batch("CREATE TABLE t (i BIGINT, r DOUBLE PRECISION, s TEXT, b BYTEA, n TEXT)")
        .unwrap();
    let none: Option<&str> = None;
    store
        .conn
        .execute(
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)",
            params![-7i64, 2.5f64, "ünï ?1 'q'", [0u8, 255, 1], none],
        )
        .unwrap();
    let row = store
        .conn
        .query_one(
            "SELECT i, r, s, b, n, i = ?1, 1 FROM t",
            params![-7i64],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<f64>(1)?,
                    r.get::<String>(2)?,
                    r.get::<Vec<u8>>(3)?,
                    r.get::<Option<String>>(4)?,
                    r.get::<bool>(5)?,
                    r.get::<u32>(6)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        row,
        (
            -7,
            2.5,
            "ünï ?1 'q'".to_string(),
            vec![0, 255, 1],
            None,
            true,
            1
        )
    );
    let wrong = store
        .conn
        .query_one("SELECT s FROM t", params![], |r| r.get::<i64>(0))
        .unwrap_err()
        .to_string();
    assert!(wrong.contains("column 0"), "{wrong}");
}

#[test]
fn the_urls_statement_timeout_is_set_on_the_session_directly_and_through_a_pooler() {
    let cluster = harness::cluster();
    let db = cluster.create_database("timeout");
    let pooler = cluster.pooler();
    for base in [cluster.url(&db), pooler.url(&db)] {
        let url = format!("{base}&statement_timeout=42s");
        let Location::Postgres(pg_url) = Location::parse(&url, Path::new("/")).unwrap() else {
            panic!("{url} is not a PostgreSQL location");
        };
        let mut conn = super::pg::connect(&pg_url).unwrap_or_else(|e| panic!("{base}: {e}"));
        let shown: String = conn
            .client()
            .0
            .query_one("SHOW statement_timeout", &[])
            .unwrap()
            .get(0);
        assert_eq!(shown, "42s", "{base}");
    }
}
