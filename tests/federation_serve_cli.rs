//! `federation serve` end to end through the real binary (docs/federation.md), against
//! real upstream sockets (the harness is tests/common/gateway.rs): routing, blending,
//! fallbacks, scenarios and recording; reproducible chaos and `--no-record`; a busy port.

mod common;
#[path = "common/gateway.rs"]
mod gateway;
use common::Project;
use gateway::*;
use serde_json::{json, Value};
use std::net::TcpListener;
use std::time::{Duration, Instant};

backends! {
    fn serve_routes_blends_falls_back_applies_scenarios_and_records(backend) {
        let mock = Upstream::start(mock_answer);
        let real = Upstream::start(real_answer);
        let dead = free_port();
        let p = Project::on(backend);
        p.write(
            "federations/gw.yaml",
            &format!(
                "\
name: gw
services:
  - name: auth
    base_path: /auth
    workspace_id: auth-ws
    reality_level: mock_v3
    mock_url: {mock}/mock-auth
  - name: cart
    base_path: /tenants/{{tenant}}/cart
    workspace_id: cart-ws
    reality_level: blended
    mock_url: {mock}
    upstream_url: {real}
    config: {{ blend: real_over_mock }}
    dependencies: [auth]
  - name: orders
    base_path: /orders
    workspace_id: orders-ws
    reality_level: blended
    mock_url: {mock}
    upstream_url: http://127.0.0.1:{dead}
    config: {{ blend: real_over_mock, timeout_ms: 3000 }}
  - name: pay
    base_path: /pay
    workspace_id: pay-ws
    reality_level: real
    upstream_url: {real}/v1
",
                mock = mock.url(),
                real = real.url()
            ),
        );
        p.write(
            "scenarios/teapot.yaml",
            "name: teapot\nservices:\n  auth:\n    error_rate: 1.0\n    error_status: 418\n",
        );
        let port = free_port();
        let (mut gateway, log) = start_gateway(&p, port, "gw");
        let base = format!("http://127.0.0.1:{port}");
        let http = agent();
        let mut sent = 0usize;

        // mock_v3: forwarded to mock_url's path + service path, query kept.
        let r = get(&http, &format!("{base}/auth/login?user=a%20b&x=1"));
        sent += 1;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["x-mockops-service"], "auth");
        assert_eq!(r.headers["x-mockops-reality"], "mock_v3");
        assert_eq!(r.body["from"], "mock");
        assert_eq!(r.body["target"], "/mock-auth/login?user=a%20b&x=1");
        assert!(!r.headers.contains_key("x-mockops-fallback"));

        // blended, real_over_mock: both called, real values win, mock fills the rest.
        let r = get(&http, &format!("{base}/tenants/acme/cart/items?page=2"));
        sent += 1;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["x-mockops-service"], "cart");
        assert_eq!(r.headers["x-mockops-reality"], "blended");
        assert!(
            !r.headers.contains_key("x-mockops-fallback"),
            "{:?}",
            r.headers
        );
        assert_eq!(r.body["from"], "real");
        assert_eq!(r.body["shared"], "real");
        assert_eq!(r.body["mock_only"], 1);
        assert_eq!(r.body["nested"], json!({"a": "real", "m": true, "r": true}));
        assert_eq!(r.body["target"], "/items?page=2");
        assert!(
            mock.seen().iter().any(|s| s.target == "/items?page=2"),
            "{:?}",
            mock.seen()
        );

        // blended with the real service down: the mock answers, and says so.
        let r = get(&http, &format!("{base}/orders/7"));
        sent += 1;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["x-mockops-service"], "orders");
        assert_eq!(r.headers["x-mockops-reality"], "blended");
        assert_eq!(
            r.headers.get("x-mockops-fallback").map(String::as_str),
            Some("mock")
        );
        assert_eq!(r.body["from"], "mock");
        assert_eq!(r.body["target"], "/7");

        // real: method, headers and body pass through.
        let resp = http
            .post(&format!("{base}/pay/charge?amount=5"))
            .header("x-trace", "abc-123")
            .header("content-type", "application/json")
            .send(r#"{"amount":5}"#)
            .unwrap();
        let r = reply(resp);
        sent += 1;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["x-mockops-reality"], "real");
        assert_eq!(r.body["method"], "POST");
        assert_eq!(r.body["body"], r#"{"amount":5}"#);
        let at_real = real.seen();
        let charge = at_real
            .iter()
            .find(|s| s.target.starts_with("/v1/charge"))
            .unwrap_or_else(|| panic!("{at_real:?}"));
        assert_eq!(charge.target, "/v1/charge?amount=5");
        assert_eq!(
            charge.headers.get("x-trace").map(String::as_str),
            Some("abc-123")
        );
        assert!(!charge.headers.contains_key("x-mockops-scenario"));

        // No route: a JSON 404.
        let r = get(&http, &format!("{base}/authx/1"));
        sent += 1;
        assert_eq!(r.status, 404);
        assert_eq!(r.body["error"], "no route");
        assert_eq!(
            r.headers.get("content-type").map(String::as_str),
            Some("application/json")
        );

        // A scenario activated by another process is picked up while serving.
        let out = p.run(&[
            "federation",
            "scenario",
            "activate",
            "scenarios/teapot.yaml",
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let activated = Instant::now();
        let mut injected = None;
        while activated.elapsed() < Duration::from_secs(3) {
            let r = get(&http, &format!("{base}/auth/login"));
            sent += 1;
            if r.status == 418 {
                injected = Some(r);
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let r = injected.unwrap_or_else(|| {
            panic!(
                "scenario not applied within 3 s; gateway log:\n{}",
                log.lock().unwrap()
            )
        });
        assert_eq!(
            r.body,
            json!({"error": "injected by mockops chaos", "service": "auth"})
        );
        assert_eq!(r.headers["x-mockops-service"], "auth");
        // Forwarded requests carry the scenario's name.
        let r = get(&http, &format!("{base}/pay/status"));
        sent += 1;
        assert_eq!(r.status, 200);
        let at_real = real.seen();
        let status = at_real
            .iter()
            .find(|s| s.target == "/v1/status")
            .unwrap_or_else(|| panic!("{at_real:?}"));
        assert_eq!(
            status.headers.get("x-mockops-scenario").map(String::as_str),
            Some("teapot")
        );

        // Deactivation is picked up too.
        let out = p.run(&["federation", "scenario", "deactivate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let deactivated = Instant::now();
        let mut healed = false;
        while deactivated.elapsed() < Duration::from_secs(3) {
            let r = get(&http, &format!("{base}/auth/login"));
            sent += 1;
            if r.status == 200 {
                healed = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(healed, "deactivation not applied within 3 s");

        drop(http);
        let status = gateway.terminate(Duration::from_secs(20));
        let log = log.lock().unwrap().clone();
        let status = status.unwrap_or_else(|| panic!("gateway did not stop on SIGTERM:\n{log}"));
        assert!(status.success(), "{status:?}:\n{log}");

        // Specs without operations: each service's traffic is then undeclared for it, with
        // its paths (traffic of a service without a spec is only counted per service).
        p.write(
            "specs/empty.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        );
        let entries: String = ["auth", "cart", "orders", "pay"]
            .iter()
            .map(|s| format!("  - path: specs/empty.yaml\n    service: {s}\n"))
            .collect();
        p.write("mockops.yaml", &format!("specs:\n{entries}"));
        let (code, report, err) = p.json(&["coverage", "report", "--since", "all"]);
        assert_eq!(code, 0, "{err}");
        let exchanges = report["summary"]["exchanges"].as_u64().unwrap();
        assert!(
            exchanges >= sent as u64,
            "{exchanges} exchanges recorded, {sent} requests sent"
        );
        // Each exchange has its service and the path the service received (the target's path).
        let undeclared = report["undeclared"].as_array().unwrap();
        for (service, method, path) in [
            (json!("auth"), "GET", "/mock-auth/login"),
            (json!("cart"), "GET", "/items"),
            (json!("orders"), "GET", "/7"),
            (json!("pay"), "POST", "/v1/charge"),
            (json!("pay"), "GET", "/v1/status"),
        ] {
            assert!(
                undeclared
                    .iter()
                    .any(|u| u["service"] == service && u["method"] == method && u["path"] == path),
                "no {service} {method} {path} in {undeclared:#?}"
            );
        }
        // The gateway's own "no route" answer is recorded as such, never as traffic.
        assert!(
            !undeclared.iter().any(|u| u["path"] == "/authx/1"),
            "{undeclared:#?}"
        );
        assert!(
            report["gateway_answers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["service"] == Value::Null && a["path"] == "/authx/1" && a["status"] == 404),
            "{:#}",
            report["gateway_answers"]
        );
        // Exchanges served while the scenario was active carry its name.
        let teapot = report["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["scenario"] == "teapot")
            .unwrap_or_else(|| panic!("{report:#}"));
        assert!(teapot["hits"].as_u64().unwrap() >= 2, "{teapot}");
    }
}

backends! {
    /// Chaos draws come from a seeded RNG: two runs give the same answers; `--no-record`
    /// records nothing.
    fn serve_chaos_is_reproducible_and_no_record_records_nothing(backend) {
        let mock = Upstream::start(mock_answer);
        let p = Project::on(backend);
        p.write(
            "federations/chaos.yaml",
            &format!(
                "services:\n  - name: pay\n    base_path: /pay\n    workspace_id: pay-ws\n    \
             reality_level: chaos_driven\n    mock_url: {}\n    \
             config: {{ error_rate: 0.5, error_status: 503, latency_ms: [0, 5], seed: 7 }}\n",
                mock.url()
            ),
        );
        let run = |extra: &[&str]| -> Vec<u16> {
            let port = free_port();
            let (mut gateway, log) = start_gateway_with(&p, port, "chaos", extra);
            let http = agent();
            let mut statuses = Vec::new();
            for i in 0..24 {
                let r = get(&http, &format!("http://127.0.0.1:{port}/pay/{i}"));
                assert_eq!(r.headers["x-mockops-reality"], "chaos_driven");
                if r.status == 503 {
                    assert_eq!(
                        r.body,
                        json!({"error": "injected by mockops chaos", "service": "pay"})
                    );
                } else {
                    assert_eq!(r.status, 200, "{}", r.body);
                    assert_eq!(r.body["target"], format!("/{i}"));
                }
                statuses.push(r.status);
            }
            drop(http);
            let status = gateway.terminate(Duration::from_secs(20));
            assert!(
                status.is_some_and(|s| s.success()),
                "{status:?}:\n{}",
                log.lock().unwrap()
            );
            statuses
        };
        let first = run(&[]);
        assert!(
            first.contains(&200) && first.contains(&503),
            "error_rate 0.5 gave {first:?}"
        );
        let exchanges = |p: &Project| {
            let (code, report, err) = p.json(&["coverage", "report", "--since", "all"]);
            assert_eq!(code, 0, "{err}");
            report["summary"]["exchanges"].as_u64().unwrap()
        };
        assert_eq!(exchanges(&p), 24);
        let second = run(&["--no-record"]);
        assert_eq!(first, second, "the same seed gave different answers");
        assert_eq!(exchanges(&p), 24, "--no-record recorded exchanges");
    }
}

backends! {
    fn serve_on_a_busy_port_or_bad_address_is_a_usage_error(backend) {
        let p = Project::on(backend);
        p.write(
            "federations/f.yaml",
            "services:\n  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: mock_v3\n    mock_url: http://127.0.0.1:1\n",
        );
        let busy = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = busy.local_addr().unwrap().to_string();
        let out = p.run(&["federation", "serve", "--listen", &addr]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("cannot listen on"), "{}", out.stderr);
        // A bare port means loopback: the same busy address.
        let port = busy.local_addr().unwrap().port().to_string();
        let out = p.run(&["federation", "serve", "--listen", &port]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains(&format!("cannot listen on {addr}")),
            "{}",
            out.stderr
        );
        let out = p.run(&["federation", "serve", "--listen", "nowhere"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("--listen nowhere"), "{}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
}
