//! Coverage counts each exchange once, for the service it was for, through the real binary:
//! traffic of a service without a spec, exchanges without a service (federation routing,
//! the unique-match rule), the gateway's own answers, HAR entries without a response, and
//! drift verdicts below `min_samples`.

mod common;
mod coverage_support;
use common::Project;
use coverage_support::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A spec with one operation, `GET /{id}` (200).
const ID_SPEC: &str = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok}
";

/// [`ID_SPEC`] and `GET /{id}/profile`.
fn profile_spec() -> String {
    format!(
        "{ID_SPEC}  /{{id}}/profile:\n    get:\n      \
         parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      \
         responses:\n        '200': {{description: ok}}\n"
    )
}

backends! {
    /// The repro: traffic for `payments`, which has no spec, is not coverage of `users`.
    fn a_service_without_a_spec_is_reported_apart_never_as_coverage_of_another(backend) {
        let p = project_on(
                backend,&[("specs/users.yaml", "users", ID_SPEC)], "");
        ingest_lines(
            &p,
            &[
                json!({"method": "GET", "path": "/p1", "status": 503, "service": "payments",
                       "timestamp": "2026-03-01T10:00:00Z"}),
                json!({"method": "POST", "path": "/p2", "status": 201, "service": "payments",
                       "timestamp": "2026-03-02T11:30:00Z"}),
                // users traffic on a path its spec does not declare: undeclared for users.
                json!({"method": "GET", "path": "/u1/orders", "status": 200, "service": "users",
                       "timestamp": "2026-03-02T12:00:00Z"}),
            ],
        );
        let r = report(&p);
        let get = endpoint(&r, "users", "GET", "/{id}");
        assert_eq!(get["hits"], json!(0), "{get}");
        assert_eq!(get["statuses_seen"], json!([]));
        assert_eq!(get["status"], json!("none"));
        assert_eq!(r["summary"]["covered"], json!(0));
        assert_eq!(r["summary"]["exchanges"], json!(3));
        assert_eq!(
            r["services_without_spec"],
            json!([{"service": "payments", "hits": 2,
                    "first_seen": "2026-03-01T10:00:00Z", "last_seen": "2026-03-02T11:30:00Z"}])
        );
        assert_eq!(
            r["undeclared"],
            json!([{"service": "users", "method": "GET", "path": "/u1/orders", "hits": 1, "candidates": []}])
        );
        // Nothing to judge payments against: no drift row for it.
        assert!(
            r["drift"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["service"] != "payments"),
            "{:#}",
            r["drift"]
        );
        // Limited to payments: its traffic, and no operation.
        let (code, only, err) = p.json(&[
            "coverage",
            "report",
            "--since",
            "all",
            "--service",
            "payments",
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(only["services_without_spec"][0]["hits"], json!(2));
        assert_eq!(only["endpoints"], json!([]));

        let table = text_report(&p, "table");
        assert!(table.contains("Services without a spec"), "{table}");
        assert!(table.contains("payments"), "{table}");
        let markdown = text_report(&p, "markdown");
        assert!(markdown.contains("Services without a spec"), "{markdown}");
        assert!(
            markdown.contains("| payments | 2 | 2026-03-01T10:00:00Z | 2026-03-02T11:30:00Z |"),
            "{markdown}"
        );
        let html = text_report(&p, "html");
        assert!(html.contains("Services without a spec"), "{html}");
        assert!(html.contains("<td>payments</td>"), "{html}");
    }
}

backends! {
    /// Without a service and without a federation, an exchange counts only when exactly one
    /// spec has an operation for it; otherwise it is undeclared, naming the candidates.
    fn without_service_or_federation_only_a_unique_match_counts(backend) {
        let p = project_on(
                backend,
            &[
                ("specs/users.yaml", "users", &profile_spec()),
                ("specs/payments.yaml", "payments", ID_SPEC),
            ],
            "",
        );
        ingest_lines(
            &p,
            &[
                json!({"method": "GET", "path": "/p1", "status": 200, "timestamp": "2026-03-01T10:00:00Z"}),
                json!({"method": "GET", "path": "/p1", "status": 200, "timestamp": "2026-03-01T10:00:01Z"}),
                json!({"method": "GET", "path": "/u1/profile", "status": 200}),
            ],
        );
        let r = report(&p);
        assert_eq!(endpoint(&r, "users", "GET", "/{id}")["hits"], json!(0));
        assert_eq!(endpoint(&r, "payments", "GET", "/{id}")["hits"], json!(0));
        assert_eq!(
            endpoint(&r, "users", "GET", "/{id}/profile")["hits"],
            json!(1)
        );
        assert_eq!(
            r["undeclared"],
            json!([{"service": null, "method": "GET", "path": "/p1", "hits": 2,
                    "candidates": ["specs/users.yaml", "specs/payments.yaml"]}])
        );
        let table = text_report(&p, "table");
        assert!(
            table.contains("specs/payments.yaml"),
            "candidates are named: {table}"
        );
    }
}

backends! {
    /// With a federation, an exchange without a service is routed: the service path is matched
    /// against the routed service's spec; a routed service without a spec is traffic without
    /// a spec; a path with no route is undeclared (never tried against every spec).
    fn without_service_the_federation_decides_the_service(backend) {
        let p = project_on(
                backend,&[("specs/users.yaml", "users", ID_SPEC)], "");
        p.write(
            "federations/gw.yaml",
            "name: gw\nservices:\n  - name: users\n    base_path: /users\n    workspace_id: u\n    \
         reality_level: mock_v3\n    mock_url: http://127.0.0.1:9/\n  - name: payments\n    \
         base_path: /payments\n    workspace_id: p\n    reality_level: mock_v3\n    \
         mock_url: http://127.0.0.1:9/\n",
        );
        ingest_lines(
            &p,
            &[
                json!({"method": "GET", "path": "/users/u1", "status": 200, "timestamp": "2026-03-01T00:00:00Z"}),
                json!({"method": "GET", "path": "/payments/p1", "status": 503, "timestamp": "2026-03-01T00:00:01Z"}),
                json!({"method": "GET", "path": "/x1", "status": 200, "timestamp": "2026-03-01T00:00:02Z"}),
            ],
        );
        let r = report(&p);
        let get = endpoint(&r, "users", "GET", "/{id}");
        assert_eq!(get["hits"], json!(1), "{get}");
        assert_eq!(get["statuses_seen"], json!([200]));
        assert_eq!(
            r["services_without_spec"],
            json!([{"service": "payments", "hits": 1,
                    "first_seen": "2026-03-01T00:00:01Z", "last_seen": "2026-03-01T00:00:01Z"}])
        );
        assert_eq!(
            r["undeclared"],
            json!([{"service": null, "method": "GET", "path": "/x1", "hits": 1, "candidates": []}])
        );
    }
}

backends! {
    /// HAR entries that got no response (status 0, or no `response`) are skipped with a reason.
    fn har_entries_without_a_response_are_skipped_with_a_reason(backend) {
        let p = project_on(
                backend,&[("specs/users.yaml", "users", ID_SPEC)], "");
        let har = json!({"log": {"version": "1.2", "entries": [
            {"startedDateTime": "2026-03-01T10:00:00Z",
             "request": {"method": "GET", "url": "http://api.local/u1"},
             "response": {"status": 200}},
            {"startedDateTime": "2026-03-01T10:00:01Z",
             "request": {"method": "GET", "url": "http://api.local/u2"},
             "response": {"status": 0, "statusText": ""}},
            {"startedDateTime": "2026-03-01T10:00:02Z",
             "request": {"method": "GET", "url": "http://api.local/u3"}}
        ]}});
        p.write("capture.har", &har.to_string());
        let (code, v, err) = p.json(&["coverage", "ingest", "capture.har"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["read"], json!(3));
        assert_eq!(v["ingested"], json!(1), "{v}");
        let rejected = v["rejected"].as_array().unwrap();
        let entries: Vec<u64> = rejected
            .iter()
            .map(|r| r["entry"].as_u64().unwrap())
            .collect();
        assert_eq!(entries, [2, 3], "{v}");
        for r in rejected {
            assert!(r["reason"].as_str().unwrap().contains("no response"), "{r}");
        }
        assert!(
            err.contains("entry 2: ") && err.contains("no response"),
            "{err}"
        );
        let r = report(&p);
        assert_eq!(r["summary"]["exchanges"], json!(1));
        assert_eq!(
            endpoint(&r, "users", "GET", "/{id}")["statuses_seen"],
            json!([200])
        );
    }
}

backends! {
    /// Below `min_samples` the verdict is `insufficient`, never `ok`, in the report and in
    /// `drift check`; at or over it, `ok` or `exceeded`.
    fn drift_below_min_samples_is_insufficient(backend) {
        let p = project_on(
                backend,
            &[("specs/users.yaml", "users", ID_SPEC)],
            "drift:\n  budgets:\n    - match: { service: users }\n      max_drift_percent: 10\n      min_samples: 5\n",
        );
        ingest_lines(
            &p,
            &[
                json!({"method": "GET", "path": "/u1", "status": 200, "service": "users"}),
                json!({"method": "GET", "path": "/u2", "status": 500, "service": "users"}),
            ],
        );
        let r = report(&p);
        let row = drift_row(&r, "*");
        assert_eq!(row["total"], json!(2));
        assert_eq!(row["exceeded"], json!(false));
        assert_eq!(row["verdict"], json!("insufficient"), "{row}");
        // No budget for the endpoint row: no verdict at all.
        let endpoint_row = drift_row(&r, "GET /{id}");
        assert_eq!(endpoint_row["verdict"], Value::Null, "{endpoint_row}");

        let (code, rows, err) = p.json(&["drift", "check", "--no-run"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
        assert_eq!(rows[0]["verdict"], json!("insufficient"));
        assert_eq!(rows[0]["exceeded"], json!(false));

        let check = p.run(&["drift", "check", "--no-run"]);
        assert_eq!(check.code, 0, "{}", check.stderr);
        assert!(check.stdout.contains("insufficient"), "{}", check.stdout);
        assert!(!check.stdout.contains(" ok "), "{}", check.stdout);
        for format in ["table", "markdown", "html"] {
            let text = text_report(&p, format);
            let drift = &text[text.rfind("Drift").unwrap()..];
            assert!(drift.contains("insufficient"), "{format}: {drift}");
            assert!(
                !drift.contains(" ok ") && !drift.contains(">ok<"),
                "{format}: {drift}"
            );
        }

        // Ten more conforming exchanges: 1 of 12 drifts (8.3%), within the budget.
        let more: Vec<Value> = (0..10)
            .map(|i| json!({"method": "GET", "path": format!("/v{i}"), "status": 200, "service": "users"}))
            .collect();
        ingest_lines(&p, &more);
        let (_, rows, _) = p.json(&["drift", "check", "--no-run"]);
        assert_eq!(rows[0]["total"], json!(12));
        assert_eq!(rows[0]["verdict"], json!("ok"), "{rows}");
    }
}

// The gateway's own answers, end to end.

/// An upstream on 127.0.0.1 that answers every request 200 with `{"id": <last segment>}`.
fn start_upstream() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(match stream.try_clone() {
                Ok(s) => s,
                Err(_) => continue,
            });
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                match reader.read_line(&mut header) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if header.trim().is_empty() => break,
                    Ok(_) => {}
                }
            }
            let target = request_line.split_whitespace().nth(1).unwrap_or("/");
            let body = json!({"id": target.rsplit('/').next().unwrap_or("")}).to_string();
            let mut stream = stream;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `federation serve` as a child, killed on drop.
struct Gateway(Child);

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Gateway {
    fn start(p: &Project, port: u16) -> Gateway {
        let child = Command::new(env!("CARGO_BIN_EXE_mockops"))
            .current_dir(p.root())
            .env_remove("MOCKOPS_PROJECT")
            .env_remove("MOCKOPS_STATE")
            .envs(p.state_url().map(|url| ("MOCKOPS_STATE", url)))
            .env("NO_COLOR", "1")
            .args(["federation", "serve", "--federation", "gw", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn mockops federation serve");
        // Killed and reaped on drop, whatever happens below.
        let mut gateway = Gateway(child);
        let stderr = gateway.0.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut log = String::new();
        while Instant::now() < deadline {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(line) if line.contains("listening on") => return gateway,
                Ok(line) => log.push_str(&(line + "\n")),
                Err(_) => {}
            }
        }
        panic!("gateway did not start:\n{log}");
    }

    /// SIGTERM, then waits (bounded): a graceful stop records everything buffered.
    fn stop(mut self) {
        unsafe {
            libc::kill(self.0.id() as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.0.try_wait() {
                assert!(status.success(), "{status:?}");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("gateway did not stop on SIGTERM");
    }
}

fn status_of(agent: &ureq::Agent, url: &str) -> u16 {
    agent
        .get(url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
        .status()
        .as_u16()
}

backends! {
    /// Answers the gateway made itself — no route, an unreachable upstream, an injected chaos
    /// error — are recorded as such and never count as coverage, undeclared traffic or drift.
    fn the_gateways_own_answers_never_count_as_coverage(backend) {
        let upstream = start_upstream();
        let dead = free_port();
        let p = project_on(
                backend,
            &[
                ("specs/users.yaml", "users", ID_SPEC),
                ("specs/payments.yaml", "payments", ID_SPEC),
                ("specs/orders.yaml", "orders", ID_SPEC),
            ],
            "",
        );
        p.write(
            "federations/gw.yaml",
            &format!(
                "name: gw
services:
  - name: users
    base_path: /users
    workspace_id: u
    reality_level: mock_v3
    mock_url: http://127.0.0.1:{upstream}
  - name: payments
    base_path: /payments
    workspace_id: p
    reality_level: mock_v3
    mock_url: http://127.0.0.1:{dead}
  - name: orders
    base_path: /orders
    workspace_id: o
    reality_level: chaos_driven
    mock_url: http://127.0.0.1:{upstream}
    config: {{ error_rate: 1.0, error_status: 503 }}
"
            ),
        );
        let port = free_port();
        let gateway = Gateway::start(&p, port);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        assert_eq!(status_of(&agent, &format!("{base}/users/u1")), 200);
        assert_eq!(status_of(&agent, &format!("{base}/payments/p1")), 502);
        assert_eq!(status_of(&agent, &format!("{base}/orders/o1")), 503);
        assert_eq!(status_of(&agent, &format!("{base}/nowhere/x")), 404);
        drop(agent);
        gateway.stop();

        let r = report(&p);
        assert_eq!(
            r["summary"]["exchanges"],
            json!(4),
            "every exchange is recorded"
        );
        let users = endpoint(&r, "users", "GET", "/{id}");
        assert_eq!(users["hits"], json!(1));
        assert_eq!(users["statuses_seen"], json!([200]));
        for service in ["payments", "orders"] {
            let e = endpoint(&r, service, "GET", "/{id}");
            assert_eq!(e["hits"], json!(0), "{e}");
            assert_eq!(e["statuses_seen"], json!([]), "{e}");
        }
        assert_eq!(r["summary"]["covered"], json!(1));
        assert_eq!(r["undeclared"], json!([]), "{:#}", r["undeclared"]);
        assert_eq!(r["services_without_spec"], json!([]));
        let mut answers: Vec<(Value, u64, u64)> = r["gateway_answers"]
            .as_array()
            .unwrap_or_else(|| panic!("{r:#}"))
            .iter()
            .map(|a| {
                (
                    a["service"].clone(),
                    a["status"].as_u64().unwrap(),
                    a["hits"].as_u64().unwrap(),
                )
            })
            .collect();
        answers.sort_by_key(|a| a.1);
        assert_eq!(
            answers,
            [
                (Value::Null, 404, 1),
                (json!("payments"), 502, 1),
                (json!("orders"), 503, 1)
            ]
        );
        // The drift of users is its own traffic; the gateway's answers are nobody's drift.
        for d in r["drift"].as_array().unwrap() {
            assert_eq!(d["drifting"], json!(0), "{d}");
        }
        let table = text_report(&p, "table");
        assert!(table.contains("Answered by the gateway"), "{table}");
    }
}

backends! {
    /// A JSON Lines exchange may say the gateway answered it (`answered_by_gateway: true`).
    fn jsonl_lines_can_carry_the_gateways_own_answers(backend) {
        let p = project_on(
                backend,&[("specs/users.yaml", "users", ID_SPEC)], "");
        let v = ingest_lines(
            &p,
            &[
                json!({"method": "GET", "path": "/u1", "status": 502, "service": "users", "answered_by_gateway": true}),
                json!({"method": "GET", "path": "/u1", "status": 502, "service": "users", "answered_by_gateway": "yes"}),
            ],
        );
        assert_eq!(v["ingested"], json!(1), "{v}");
        assert!(
            v["rejected"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("answered_by_gateway"),
            "{v}"
        );
        let r = report(&p);
        assert_eq!(endpoint(&r, "users", "GET", "/{id}")["hits"], json!(0));
        assert_eq!(r["gateway_answers"][0]["status"], json!(502));
    }
}
