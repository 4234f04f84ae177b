//! Many writers on one PostgreSQL database: 16 processes started at once on a fresh
//! database — `event emit` running a one-step pipeline, `coverage ingest` of files that
//! share routes, labels and exchanges, and the gateway recording what it answers — all
//! succeed, store everything exactly once, and migrate the database exactly once.

mod common;
use common::{Backend, Project};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Output, Stdio};
use std::sync::{mpsc, Barrier};
use std::time::{Duration, Instant};

const EMITTERS: usize = 7;
const EMITS_EACH: usize = 5;
const INGESTERS: usize = 8;
/// Lines only one file has, and lines every file has (the same exchanges).
const OWN_LINES: usize = 300;
const SHARED_LINES: usize = 200;
const GATEWAY_REQUESTS: usize = 150;

/// One traffic file: its own exchanges (routes `/own/{file}/…`, CI run `run-{file}`)
/// and the shared ones, each file listing them in a different order.
fn traffic(file: usize, base: chrono::DateTime<chrono::Utc>) -> String {
    let line = |ms: i64, path: String, ci_run: String, k: usize| {
        json!({"timestamp": (base + chrono::Duration::milliseconds(ms)).to_rfc3339(),
            "method": "GET", "path": path, "status": 200, "service": "pets",
            "persona": format!("p{}", k % 5), "scenario": format!("s{}", k % 3),
            "ci_run": ci_run, "response_body": format!("{{\"k\":{k}}}")})
        .to_string()
    };
    let mut lines: Vec<String> = (0..OWN_LINES)
        .map(|k| {
            let ms = (file * OWN_LINES + k) as i64;
            line(
                ms,
                format!("/own/{file}/{}", k % 40),
                format!("run-{file}"),
                k,
            )
        })
        .collect();
    let mut shared: Vec<String> = (0..SHARED_LINES)
        .map(|k| {
            let ms = 1_000_000 + k as i64;
            line(ms, format!("/shared/{}", k % 30), "run-shared".into(), k)
        })
        .collect();
    shared.rotate_left(file * SHARED_LINES / INGESTERS);
    lines.extend(shared);
    lines.join("\n") + "\n"
}

fn dead_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// Starts `federation serve`, waits until it listens, sends requests no service takes
/// (the gateway answers them itself, 404, and records each), then stops it with SIGTERM.
fn gateway_process(p: &Project, port: u16) -> Output {
    let child = p
        .process()
        .args(["federation", "serve", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the gateway");
    let mut child = Killed(child);
    let stderr = child.0.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut log = String::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if line.contains("listening on") {
                let _ = tx.send(());
            }
            log.push_str(&line);
            log.push('\n');
        }
        log
    });
    if rx.recv_timeout(Duration::from_secs(60)).is_err() {
        let _ = child.0.kill();
        let _ = child.0.wait();
        panic!("the gateway did not start:\n{}", reader.join().unwrap());
    }
    let http: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    for k in 0..GATEWAY_REQUESTS {
        let resp = http
            .get(format!("http://127.0.0.1:{port}/nowhere/{k}"))
            .call()
            .expect("the gateway answers");
        assert_eq!(resp.status().as_u16(), 404);
    }
    unsafe {
        libc::kill(child.0.id() as libc::pid_t, libc::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the gateway did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: Vec::new(),
        stderr: reader.join().unwrap().into_bytes(),
    }
}

/// A child killed and reaped if the test fails before it exits.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn sixteen_processes_at_once_lose_nothing_and_migrate_once() {
    let p = Project::on(Backend::Postgres);
    p.write(
        "pipelines/c.yaml",
        "triggers: [{event: custom.c}]\nsteps:\n  - {name: e, type: emit, config: {event: custom.sink}}\n",
    );
    p.write(
        "federations/gw.yaml",
        &format!(
            "name: gw\nservices:\n  - name: svc\n    base_path: /svc\n    workspace_id: svc-ws\n    \
             reality_level: mock_v3\n    mock_url: http://127.0.0.1:{}\n",
            dead_port()
        ),
    );
    let base = chrono::Utc::now() - chrono::Duration::hours(1);
    for file in 0..INGESTERS {
        p.write(&format!("traffic-{file}.jsonl"), &traffic(file, base));
    }
    let gateway_port = dead_port();
    // 16 processes in all, released together on a database no command has used yet.
    let start = Barrier::new(EMITTERS + INGESTERS + 1);
    let (emits, ingests, gateway) = std::thread::scope(|scope| {
        let emitters: Vec<_> = (0..EMITTERS)
            .map(|i| {
                let (p, start) = (&p, &start);
                scope.spawn(move || {
                    start.wait();
                    (0..EMITS_EACH)
                        .map(|j| {
                            p.process()
                                .args(["event", "emit", "custom.c", "-p"])
                                .arg(format!("who={i}-{j}"))
                                .output()
                                .unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let ingesters: Vec<_> = (0..INGESTERS)
            .map(|file| {
                let (p, start) = (&p, &start);
                scope.spawn(move || {
                    start.wait();
                    p.process()
                        .args(["--format", "json", "coverage", "ingest"])
                        .arg(format!("traffic-{file}.jsonl"))
                        .output()
                        .unwrap()
                })
            })
            .collect();
        let gateway = {
            let (p, start) = (&p, &start);
            scope.spawn(move || {
                start.wait();
                gateway_process(p, gateway_port)
            })
        };
        let emits: Vec<Output> = emitters
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        let ingests: Vec<Output> = ingesters.into_iter().map(|h| h.join().unwrap()).collect();
        (emits, ingests, gateway.join().unwrap())
    });

    let ok = |out: &Output| {
        assert!(
            out.status.success(),
            "{:?}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
    };
    emits.iter().for_each(ok);
    ingests.iter().for_each(ok);
    ok(&gateway);

    // Migrated exactly once: one row per version (a second run of a migration would
    // have failed on the primary key, or left a second row).
    let (code, status, err) = p.json(&["state", "status"]);
    assert_eq!(code, 0, "{err}");
    let latest = status["schema_version"].as_i64().unwrap();
    assert_eq!(p.count("SELECT count(*) FROM mockops_schema"), latest);
    assert_eq!(
        p.count("SELECT count(DISTINCT version) FROM mockops_schema"),
        latest
    );

    // Every event and run: each emit stores its event, the run and the event it emits.
    let emitted = (EMITTERS * EMITS_EACH) as i64;
    assert_eq!(emits.len() as i64, emitted);
    assert_eq!(p.count("SELECT count(*) FROM runs"), emitted);
    assert_eq!(
        p.count("SELECT count(*) FROM runs WHERE status = 'succeeded'"),
        emitted
    );
    assert_eq!(p.count("SELECT count(*) FROM events"), 2 * emitted);
    assert_eq!(
        p.count("SELECT count(DISTINCT id) FROM events"),
        2 * emitted
    );

    // Every exchange once: the shared ones were stored by exactly one of the ingests.
    let mut ingested = 0;
    for out in &ingests {
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["read"], json!(OWN_LINES + SHARED_LINES), "{v}");
        assert_eq!(
            v["ingested"].as_u64().unwrap() + v["duplicates"].as_u64().unwrap(),
            (OWN_LINES + SHARED_LINES) as u64,
            "{v}"
        );
        ingested += v["ingested"].as_u64().unwrap();
    }
    let distinct = (INGESTERS * OWN_LINES + SHARED_LINES) as u64;
    assert_eq!(ingested, distinct);
    let recorded = "SELECT count(*) FROM exchanges x JOIN exchange_routes r ON r.id = x.route_id";
    assert_eq!(
        p.count(&format!("{recorded} WHERE r.answered_by_gateway = 0")),
        distinct as i64
    );
    assert_eq!(
        p.count(&format!("{recorded} WHERE r.answered_by_gateway = 1")),
        GATEWAY_REQUESTS as i64
    );
    assert_eq!(
        p.count("SELECT count(*) FROM exchanges"),
        distinct as i64 + GATEWAY_REQUESTS as i64
    );
    assert_eq!(
        p.count("SELECT count(*) FROM exchange_bodies"),
        distinct as i64 + GATEWAY_REQUESTS as i64
    );

    // Each name stored once, whoever raced to intern it: 40 own routes per file and 30
    // shared ones; 5 personas, 3 scenarios, 8 + 1 CI runs.
    assert_eq!(
        p.count("SELECT count(*) FROM exchange_routes WHERE answered_by_gateway = 0"),
        (INGESTERS * 40 + 30) as i64
    );
    assert_eq!(
        p.count(
            "SELECT count(*) FROM (SELECT DISTINCT service, method, path, answered_by_gateway \
             FROM exchange_routes) d"
        ),
        p.count("SELECT count(*) FROM exchange_routes")
    );
    assert_eq!(
        p.count("SELECT count(*) FROM exchange_labels"),
        (5 + 3 + INGESTERS + 1) as i64
    );
    // … and ids stay dense (interning is serialised, so no id is drawn and thrown away).
    for table in ["exchange_routes", "exchange_labels"] {
        assert_eq!(
            p.count(&format!("SELECT max(id) FROM {table}")),
            p.count(&format!("SELECT count(*) FROM {table}")),
            "{table}"
        );
    }
    // What a report reads back: every exchange with its labels.
    assert_eq!(
        p.count(
            "SELECT count(*) FROM exchanges x JOIN exchange_labels l ON l.id = x.persona_id \
             WHERE l.value LIKE 'p%'"
        ),
        distinct as i64
    );
}
