//! The state's backend: `state status`, `state migrate --to postgres://…`, the URL forms
//! (`--state`, `MOCKOPS_STATE`, `state:` in mockops.yaml), TLS, and every way a
//! PostgreSQL state can be unusable (exit 2, naming the server, never the password).

mod common;
use common::pg::{cluster, SECRET_PASSWORD};
use common::{Backend, Project};
use serde_json::{json, Value};

/// The schema version this mockops writes, as a fresh SQLite state says.
fn latest_schema() -> i64 {
    let p = Project::on(Backend::Sqlite);
    let (code, v, err) = p.json(&["state", "status"]);
    assert_eq!(code, 0, "{err}");
    v["schema_version"].as_i64().unwrap()
}

fn emit_pipeline(p: &Project) {
    p.write(
        "pipelines/p.yaml",
        "triggers: [{event: custom.a}]\nsteps:\n  - {name: s, type: run, config: {command: \"echo hi\"}}\n",
    );
}

fn traffic(p: &Project, n: usize) {
    let now = chrono::Utc::now();
    let mut text = String::new();
    for i in 0..n {
        let at = (now - chrono::Duration::seconds(i as i64)).to_rfc3339();
        text.push_str(
            &json!({"timestamp": at, "method": "GET", "path": format!("/pets/{}", i % 7),
                "status": 200, "service": "pets", "response_body": format!("{{\"id\":{i}}}")})
            .to_string(),
        );
        text.push('\n');
    }
    p.write("traffic.jsonl", &text);
}

backends! {
    fn status_names_backend_schema_and_row_counts(backend) {
        let p = Project::on(backend);
        emit_pipeline(&p);
        assert_eq!(p.run(&["event", "emit", "custom.a"]).code, 0);
        traffic(&p, 5);
        assert_eq!(p.run(&["coverage", "ingest", "traffic.jsonl"]).code, 0);
        let (code, v, err) = p.json(&["state", "status"]);
        assert_eq!(code, 0, "{err}");
        let expected = match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        assert_eq!(v["backend"], expected);
        assert_eq!(v["schema_version"], json!(latest_schema()));
        assert!(latest_schema() >= 9);
        assert_eq!(v["tables"]["events"], json!(1));
        assert_eq!(v["tables"]["runs"], json!(1));
        assert_eq!(v["tables"]["steps"], json!(1));
        assert_eq!(v["tables"]["logs"], json!(1));
        assert_eq!(v["tables"]["exchanges"], json!(5));
        assert_eq!(v["tables"]["exchange_bodies"], json!(5));
        assert_eq!(v["tables"]["exchange_routes"], json!(5), "five paths of seven");
        let table = p.run(&["state", "status"]);
        assert_eq!(table.code, 0, "{}", table.stderr);
        assert!(table.stdout.contains(expected), "{}", table.stdout);
        assert!(table.stdout.contains("exchanges"), "{}", table.stdout);
    }
}

#[test]
fn state_migrate_copies_a_local_state_and_twice_adds_nothing() {
    let local = Project::on(Backend::Sqlite);
    emit_pipeline(&local);
    for _ in 0..3 {
        assert_eq!(local.run(&["event", "emit", "custom.a"]).code, 0);
    }
    traffic(&local, 40);
    assert_eq!(
        local
            .run(&["coverage", "ingest", "traffic.jsonl", "--scenario", "happy"])
            .code,
        0
    );
    // Two gateway runs' recorder counters (what `federation serve` stores).
    let conn = rusqlite::Connection::open(local.path(".mockops/state.db")).unwrap();
    conn.execute_batch(
        "INSERT INTO gateway_runs (federation, started_at, stopped_at, received, recorded, dropped, held)
         VALUES ('shop', 1000, 2000, 10, 9, 1, 3), ('shop', 3000, NULL, 5, 5, 0, 0);",
    )
    .unwrap();
    drop(conn);
    let c = cluster();
    let db = c.create_database("migrate_target");
    let url = c.url(&db);
    let (code, first, err) = local.json(&["state", "migrate", "--to", &url]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first["tables"]["gateway_runs"]["copied"], json!(2));
    assert_eq!(
        c.count(
            &db,
            "SELECT count(*) FROM gateway_runs WHERE dropped = 1 AND held = 3"
        ),
        1
    );
    assert_eq!(first["tables"]["events"]["copied"], json!(3));
    assert_eq!(first["tables"]["runs"]["copied"], json!(3));
    assert_eq!(first["tables"]["steps"]["copied"], json!(3));
    assert_eq!(first["tables"]["logs"]["copied"], json!(3));
    assert_eq!(first["tables"]["exchanges"]["copied"], json!(40));
    let (code, again, err) = local.json(&["state", "migrate", "--to", &url]);
    assert_eq!(code, 0, "{err}");
    for (table, counts) in again["tables"].as_object().unwrap() {
        assert_eq!(counts["copied"], json!(0), "{table} copied again: {again}");
    }
    assert_eq!(again["tables"]["exchanges"]["already_present"], json!(40));
    assert_eq!(c.count(&db, "SELECT count(*) FROM logs"), 3);
    assert_eq!(c.count(&db, "SELECT count(*) FROM exchange_bodies"), 40);

    // The copy reads back as the original did.
    let shared = |args: &[&str]| -> Value {
        let out = local.run_with(
            &[&["--format", "json"], args].concat(),
            &[("MOCKOPS_STATE", &url)],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.json()
    };
    let (_, events, _) = local.json(&["event", "list"]);
    assert_eq!(shared(&["event", "list"]), events);
    let (_, history, _) = local.json(&["pipeline", "history"]);
    assert_eq!(shared(&["pipeline", "history"]), history);
    let run = history[0]["id"].as_str().unwrap();
    let (_, logs, _) = local.json(&["pipeline", "logs", run]);
    assert_eq!(shared(&["pipeline", "logs", run]), logs);
    let (_, report, _) = local.json(&["coverage", "report", "--since", "all"]);
    assert_eq!(shared(&["coverage", "report", "--since", "all"]), report);
}

#[test]
fn sixteen_runners_on_a_fresh_database_migrate_it_once() {
    let c = cluster();
    let db = c.create_database("advisory");
    let url = c.url(&db);
    let p = Project::on(Backend::Sqlite);
    let outputs: Vec<std::process::Output> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let p = &p;
                let url = &url;
                scope.spawn(move || {
                    p.process()
                        .args(["event", "list"])
                        .env("MOCKOPS_STATE", url)
                        .output()
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for out in &outputs {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // One row per version: a second migration would have failed on the primary key.
    let latest = latest_schema();
    assert_eq!(c.count(&db, "SELECT count(*) FROM mockops_schema"), latest);
    assert_eq!(
        c.count(&db, "SELECT max(version) FROM mockops_schema"),
        latest
    );
}

/// Runs `args` with MOCKOPS_STATE set to `url` (and `env`): exit code and stderr.
fn with_state(url: &str, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let p = Project::on(Backend::Sqlite);
    let mut all = env.to_vec();
    all.push(("MOCKOPS_STATE", url));
    let out = p.run_with(args, &all);
    (out.code, out.stdout, out.stderr)
}

#[test]
fn an_unreachable_server_is_exit_2_naming_the_host() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://mockops:{SECRET_PASSWORD}@127.0.0.1:{port}/x?sslmode=disable");
    let (code, out, err) = with_state(&url, &["event", "list"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(err.contains("cannot connect"), "{err}");
    assert!(!err.contains(SECRET_PASSWORD) && !out.contains(SECRET_PASSWORD));
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn wrong_credentials_missing_database_and_no_permission_say_what_to_do() {
    let c = cluster();
    let db = c.create_database("creds");
    let as_user = |user: &str, database: &str| {
        format!(
            "postgres://{user}@127.0.0.1:{}/{database}?sslmode=disable",
            c.port
        )
    };
    // Wrong password from PGPASSWORD.
    let (code, out, err) = with_state(
        &as_user("secret_user", &db),
        &["event", "list"],
        &[("PGPASSWORD", "not-the-password")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("authentication failed for user `secret_user`"),
        "{err}"
    );
    assert!(err.contains(&format!("127.0.0.1:{}", c.port)), "{err}");
    assert!(!err.contains("not-the-password") && !out.contains("not-the-password"));

    // The right one, from PGPASSWORD or the URL: works, and is never shown.
    c.admin(&format!("ALTER DATABASE {db} OWNER TO secret_user"));
    let (code, _, err) = with_state(
        &as_user("secret_user", &db),
        &["event", "list"],
        &[("PGPASSWORD", SECRET_PASSWORD)],
    );
    assert_eq!(code, 0, "{err}");
    let in_url = format!(
        "postgres://secret_user:{SECRET_PASSWORD}@127.0.0.1:{}/{db}?sslmode=disable",
        c.port
    );
    let (code, out, err) = with_state(&in_url, &["-v", "state", "status"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("postgres://secret_user@127.0.0.1:{}/{db}", c.port)),
        "{out}"
    );
    assert!(
        !out.contains(SECRET_PASSWORD) && !err.contains(SECRET_PASSWORD),
        "{out}{err}"
    );
    let help = with_state(&in_url, &["--help"], &[]);
    assert!(
        !help.1.contains(SECRET_PASSWORD),
        "help shows MOCKOPS_STATE's value"
    );

    // No such database.
    let (code, _, err) = with_state(&as_user("mockops", "nosuch_db"), &["event", "list"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("database `nosuch_db` does not exist"), "{err}");
    assert!(err.contains("createdb nosuch_db"), "{err}");

    // A user who may not create tables, on a fresh database.
    let fresh = c.create_database("noperm");
    let (code, _, err) = with_state(
        &as_user("reader", &fresh),
        &["event", "list"],
        &[("PGPASSWORD", "reader-pw")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("permission denied"), "{err}");
    assert!(
        err.contains("GRANT CREATE ON SCHEMA public TO reader"),
        "{err}"
    );
    assert!(!err.contains("reader-pw"), "{err}");
}

#[test]
fn a_typo_in_the_scheme_lists_the_accepted_ones() {
    let (code, out, err) = with_state(
        &format!("postgress://me:{SECRET_PASSWORD}@db.example/team"),
        &["event", "list"],
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown scheme `postgress://`"), "{err}");
    assert!(err.contains("postgres:// or postgresql://"), "{err}");
    assert!(!err.contains(SECRET_PASSWORD) && !out.contains(SECRET_PASSWORD));
    let p = Project::on(Backend::Sqlite);
    let out = p.run(&["--state", "mysql://h/db", "event", "list"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown scheme `mysql://`"),
        "{}",
        out.stderr
    );
}

#[test]
fn state_migrate_names_a_typo_in_the_destination_scheme_before_a_missing_source() {
    // A project with no local state yet: the typo is still what the user must fix.
    let p = Project::on(Backend::Sqlite);
    let target = format!("postgress://me:{SECRET_PASSWORD}@db.example/team");
    let out = p.run(&["state", "migrate", "--to", &target]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown scheme `postgress://`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(SECRET_PASSWORD), "{}", out.stderr);
    assert!(!p.path(".mockops/state.db").exists());
}

#[test]
fn a_database_written_by_a_newer_mockops_is_left_alone() {
    let p = Project::on(Backend::Postgres);
    assert_eq!(p.run(&["event", "list"]).code, 0);
    let db = p.database.clone().unwrap();
    cluster().admin_in(
        &db,
        "INSERT INTO mockops_schema (version, applied_at) VALUES (99, 'later')",
    );
    for args in [&["event", "list"][..], &["pipeline", "list"][..]] {
        let out = p.run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("newer mockops"), "{}", out.stderr);
        assert!(out.stderr.contains("schema version 99"), "{}", out.stderr);
        assert!(
            out.stderr
                .contains(&format!("127.0.0.1:{}/{db}", cluster().port)),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn mockops_yaml_names_the_state_but_never_holds_its_password() {
    let c = cluster();
    let db = c.create_database("yaml");
    c.admin(&format!("ALTER DATABASE {db} OWNER TO secret_user"));
    let p = Project::on(Backend::Sqlite);
    let url = format!(
        "postgres://secret_user@127.0.0.1:{}/{db}?sslmode=disable",
        c.port
    );
    p.write("mockops.yaml", &format!("state: {url}\n"));
    let out = p.run_with(
        &["--format", "json", "state", "status"],
        &[("PGPASSWORD", SECRET_PASSWORD)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["backend"], "postgres");
    assert!(!p.path(".mockops/state.db").exists());

    let with_password = format!(
        "postgres://secret_user:{SECRET_PASSWORD}@127.0.0.1:{}/{db}",
        c.port
    );
    p.write("mockops.yaml", &format!("state: {with_password}\n"));
    let out = p.run(&["event", "list"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("mockops.yaml"), "{}", out.stderr);
    assert!(out.stderr.contains("holds a password"), "{}", out.stderr);
    assert!(out.stderr.contains("PGPASSWORD"), "{}", out.stderr);
    assert!(!out.stderr.contains(SECRET_PASSWORD), "{}", out.stderr);
}

#[test]
fn tls_require_and_verify_full_against_the_test_ca() {
    let c = cluster();
    let db = c.create_database("tls");
    let url =
        |host: &str, params: &str| format!("postgres://tls_user@{host}:{}/{db}?{params}", c.port);
    // The server refuses tls_user without TLS: the connections below are encrypted.
    let (code, _, err) = with_state(
        &url("127.0.0.1", "sslmode=disable"),
        &["event", "list"],
        &[],
    );
    assert_eq!(code, 2, "{err}");
    for params in [
        "sslmode=require".to_string(),
        String::new(), // prefer, the default
        format!("sslmode=verify-full&sslrootcert={}", c.ca_file().display()),
        format!("sslmode=verify-ca&sslrootcert={}", c.ca_file().display()),
    ] {
        for host in ["localhost", "127.0.0.1"] {
            let (code, _, err) = with_state(&url(host, &params), &["event", "list"], &[]);
            assert_eq!(code, 0, "{host} {params}: {err}");
        }
    }
    // A CA that did not sign the server's certificate.
    let other = format!(
        "sslmode=verify-full&sslrootcert={}",
        c.other_ca_file().display()
    );
    let (code, _, err) = with_state(&url("localhost", &other), &["event", "list"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot connect"), "{err}");
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    // verify-ca skips the host name only: the chain is still checked.
    let other_ca = format!(
        "sslmode=verify-ca&sslrootcert={}",
        c.other_ca_file().display()
    );
    let (code, _, err) = with_state(&url("127.0.0.1", &other_ca), &["event", "list"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    // verify-full needs a CA.
    let (code, _, err) = with_state(
        &url("localhost", "sslmode=verify-full"),
        &["event", "list"],
        &[("HOME", "/nonexistent")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("sslrootcert"), "{err}");
}
