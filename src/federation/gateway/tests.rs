//! Gateway tests over real sockets: stub upstreams on 127.0.0.1, the gateway, ureq clients.

use super::*;
use crate::exchange::Exchange;
use crate::federation::parse_str;
use crate::federation::scenario::{ScenarioFile, ServiceOverride};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

/// A request as a stub upstream saw it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Reply = (u16, String);

/// A keep-alive HTTP/1.1 stub server, one thread per connection.
pub(crate) struct Stub {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    pub connections: Arc<std::sync::atomic::AtomicUsize>,
}

pub(crate) fn stub(reply: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Stub {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let connections = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (log, reply, count) = (seen.clone(), Arc::new(reply), connections.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let (log, reply) = (log.clone(), reply.clone());
            std::thread::spawn(move || serve_stub_connection(stream, &log, reply.as_ref()));
        }
    });
    Stub {
        url,
        seen,
        connections,
    }
}

fn serve_stub_connection(
    stream: TcpStream,
    log: &Mutex<Vec<Seen>>,
    reply: &(dyn Fn(&Seen) -> Reply + Send + Sync),
) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap_or("").to_string(),
            parts.next().unwrap_or("").to_string(),
        );
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap_or(0));
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let seen = Seen {
            method,
            target,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        let (status, text) = reply(&seen);
        log.lock().unwrap().push(seen);
        let response = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\nx-upstream: yes\r\ncontent-length: {}\r\n\r\n{text}",
            text.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

#[derive(Default)]
pub(crate) struct MemorySink(pub Mutex<Vec<Exchange>>);

impl ExchangeSink for MemorySink {
    fn record(&self, batch: Vec<Exchange>) -> Result<(), SinkError> {
        self.0.lock().unwrap().extend(batch);
        Ok(())
    }
}

#[derive(Default)]
pub(crate) struct FixedScenario(pub Mutex<Option<ScenarioFile>>);

impl ScenarioSource for FixedScenario {
    fn active(&self) -> Option<ScenarioFile> {
        self.0.lock().unwrap().clone()
    }
}

pub(crate) fn federation(services: &str) -> Federation {
    parse_str(
        Path::new("gw.yaml"),
        &format!("name: gw\nservices:\n{services}"),
    )
    .unwrap()
}

fn options() -> ServeOptions {
    ServeOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        scenario_poll: Duration::from_millis(100),
        max_body_bytes: 4096,
        ..ServeOptions::default()
    }
}

struct Running {
    handle: ServeHandle,
    sink: Arc<MemorySink>,
    scenario: Arc<FixedScenario>,
    agent: ureq::Agent,
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.handle.local_addr())
    }
    fn get(&self, path: &str) -> (u16, String, ureq::http::HeaderMap) {
        let mut r = self.agent.get(&self.url(path)).call().unwrap();
        let body = r.body_mut().read_to_string().unwrap();
        (r.status().as_u16(), body, r.headers().clone())
    }
}

fn start(fed: Federation, opts: ServeOptions) -> Running {
    let sink = Arc::new(MemorySink::default());
    let scenario = Arc::new(FixedScenario::default());
    let handle = serve(fed, opts, sink.clone(), scenario.clone()).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    Running {
        handle,
        sink,
        scenario,
        agent,
    }
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn forwards_everything_and_records_the_exchange() {
    let mock = stub(|_| (201, r#"{"ok":true}"#.into()));
    let fed = federation(&format!(
        "  - {{name: cart, workspace_id: cart-ws, base_path: \"/t/{{tenant}}/cart\", reality_level: mock_v3, mock_url: \"{}/v1\"}}\n",
        mock.url
    ));
    let gw = start(fed, options());
    let mut r = gw
        .agent
        .put(&gw.url("/t/acme/cart/items/7?q=1&r=two"))
        .header("x-custom", "abc")
        .header("x-mockops-persona", "alice")
        .header("connection", "keep-alive, x-drop-me")
        .header("x-drop-me", "1")
        .send("{\"n\":1}")
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(r.headers()["x-mockops-service"], "cart");
    assert_eq!(r.headers()["x-mockops-reality"], "mock_v3");
    assert_eq!(r.headers()["x-upstream"], "yes");
    assert_eq!(r.body_mut().read_to_string().unwrap(), r#"{"ok":true}"#);
    let seen = mock.seen.lock().unwrap()[0].clone();
    assert_eq!(
        (seen.method.as_str(), seen.target.as_str()),
        ("PUT", "/v1/items/7?q=1&r=two")
    );
    assert_eq!(seen.header("x-custom"), Some("abc"));
    assert_eq!(
        seen.header("x-drop-me"),
        None,
        "headers named in Connection are hop-by-hop"
    );
    assert_eq!(seen.body, "{\"n\":1}");
    assert!(
        seen.header("host").is_some_and(|h| mock.url.ends_with(h)),
        "{:?}",
        seen.header("host")
    );
    let Running { handle, sink, .. } = gw;
    handle.shutdown();
    let recorded = sink.0.lock().unwrap().clone();
    assert_eq!(recorded.len(), 1);
    let e = &recorded[0];
    assert_eq!(
        (e.method.as_str(), e.path.as_str(), e.query.as_deref()),
        ("PUT", "/v1/items/7", Some("q=1&r=two"))
    );
    assert_eq!(e.gateway_path.as_deref(), Some("/t/acme/cart/items/7"));
    assert_eq!(
        (e.status, e.service.as_deref(), e.workspace_id.as_deref()),
        (201, Some("cart"), Some("cart-ws"))
    );
    assert_eq!(
        (
            e.reality_level.as_deref(),
            e.persona.as_deref(),
            e.source.as_str()
        ),
        (Some("mock_v3"), Some("alice"), "gateway")
    );
    assert_eq!(e.request_body.as_deref(), Some("{\"n\":1}"));
    assert_eq!(e.response_body.as_deref(), Some(r#"{"ok":true}"#));
    assert!(e.duration_ms.is_some_and(|d| d >= 0.0));
}

#[test]
fn unmatched_is_404_json_and_unreachable_is_502_json() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let gw = start(
        federation(&format!("  - {{name: auth, workspace_id: a, base_path: /auth, reality_level: real, upstream_url: \"{dead}\"}}\n")),
        options(),
    );
    let (status, body, _) = gw.get("/authx/login");
    assert_eq!(status, 404);
    assert_eq!(
        json(&body),
        serde_json::json!({"error": "no route", "path": "/authx/login"})
    );
    let (status, body, headers) = gw.get("/auth/login");
    assert_eq!(status, 502);
    let body = json(&body);
    assert_eq!(
        (body["error"].as_str(), body["service"].as_str()),
        (Some("upstream unreachable"), Some("auth"))
    );
    assert_eq!(headers["x-mockops-reality"], "real");
}

#[test]
fn hanging_upstream_times_out_and_large_body_is_413() {
    let slow = stub(|_| {
        std::thread::sleep(Duration::from_millis(1500));
        (200, "{}".into())
    });
    let gw = start(
        federation(&format!(
            "  - {{name: s, workspace_id: a, base_path: /s, reality_level: mock_v3, mock_url: \"{}\", config: {{timeout_ms: 200}}}}\n",
            slow.url
        )),
        options(),
    );
    let started = Instant::now();
    let (status, body, _) = gw.get("/s/x");
    assert_eq!(status, 504, "{body}");
    assert!(
        started.elapsed() < Duration::from_millis(1200),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(json(&body)["timeout_ms"], 200);
    let big = "x".repeat(10_000);
    let r = gw
        .agent
        .post(&gw.url("/s/upload"))
        .send(big.as_str())
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
}

#[test]
fn blended_merges_both_ways_and_falls_back_to_mock() {
    let real = stub(|s| {
        if s.target.starts_with("/fail") {
            (500, "{}".into())
        } else {
            (200, r#"{"id":1,"user":{"name":"real"}}"#.into())
        }
    });
    let mock = stub(|_| {
        (
            203,
            r#"{"id":9,"user":{"name":"mock","email":"m@x"},"extra":true}"#.into(),
        )
    });
    let service = |name: &str, blend: &str| {
        format!(
            "  - {{name: {name}, workspace_id: w, base_path: /{name}, reality_level: blended, upstream_url: \"{}\", mock_url: \"{}\", config: {{blend: {blend}}}}}\n",
            real.url, mock.url
        )
    };
    let fed = federation(&(service("rom", "real_over_mock") + &service("mor", "mock_over_real")));
    let gw = start(fed, options());
    let (status, body, headers) = gw.get("/rom/x");
    assert_eq!(status, 200, "real status wins");
    assert_eq!(
        json(&body),
        serde_json::json!({"id": 1, "user": {"name": "real", "email": "m@x"}, "extra": true})
    );
    assert!(headers.get("x-mockops-fallback").is_none());
    let (_, body, _) = gw.get("/mor/x");
    assert_eq!(
        json(&body),
        serde_json::json!({"id": 9, "user": {"name": "mock", "email": "m@x"}, "extra": true})
    );
    let (status, body, headers) = gw.get("/rom/fail");
    assert_eq!(
        (status, headers["x-mockops-fallback"].to_str().unwrap()),
        (203, "mock")
    );
    assert_eq!(json(&body)["id"], 9);
}

#[test]
fn ratio_splits_traffic_reproducibly() {
    let real = stub(|_| (200, r#"{"from":"real"}"#.into()));
    let mock = stub(|_| (200, r#"{"from":"mock"}"#.into()));
    let fed = || {
        federation(&format!(
            "  - {{name: r, workspace_id: w, base_path: /r, reality_level: blended, upstream_url: \"{}\", mock_url: \"{}\", config: {{blend: ratio, ratio: 0.3, seed: 11}}}}\n",
            real.url, mock.url
        ))
    };
    let run = || {
        let gw = start(fed(), options());
        (0..60)
            .map(|_| json(&gw.get("/r/x").1)["from"].as_str().unwrap() == "real")
            .collect::<Vec<bool>>()
    };
    let first = run();
    let reals = first.iter().filter(|r| **r).count();
    assert!(
        (8..=30).contains(&reals),
        "about 30% should go to real, got {reals}/60"
    );
    assert_eq!(first, run(), "same seed, same split");
}

#[test]
fn chaos_is_deterministic_for_a_seed() {
    let mock = stub(|_| (200, "{}".into()));
    let fed = |seed: u64| {
        federation(&format!(
            "  - {{name: pay, workspace_id: w, base_path: /pay, reality_level: chaos_driven, mock_url: \"{}\", config: {{error_rate: 0.5, error_status: 418, latency_ms: [0, 3], seed: {seed}}}}}\n",
            mock.url
        ))
    };
    let run = |seed| {
        let gw = start(fed(seed), options());
        (0..40).map(|_| gw.get("/pay/x")).collect::<Vec<_>>()
    };
    let a = run(7);
    let statuses: Vec<u16> = a.iter().map(|r| r.0).collect();
    assert_eq!(statuses, run(7).iter().map(|r| r.0).collect::<Vec<_>>());
    assert_ne!(statuses, run(8).iter().map(|r| r.0).collect::<Vec<_>>());
    assert!(
        statuses.contains(&418) && statuses.contains(&200),
        "{statuses:?}"
    );
    let injected = a.iter().find(|r| r.0 == 418).unwrap();
    assert_eq!(
        json(&injected.1),
        serde_json::json!({"error": "injected by mockops chaos", "service": "pay"})
    );
    assert_eq!(injected.2["x-mockops-reality"], "chaos_driven");
}

#[test]
fn scenario_activation_is_picked_up_while_running() {
    let mock = stub(|_| (200, "{}".into()));
    let fed = federation(&format!(
        "  - {{name: auth, workspace_id: w, base_path: /auth, reality_level: mock_v3, mock_url: \"{}\"}}\n",
        mock.url
    ));
    let gw = start(fed, options());
    assert_eq!(gw.get("/auth/a").0, 200);
    let mut services = BTreeMap::new();
    services.insert(
        "auth".to_string(),
        ServiceOverride {
            headers: BTreeMap::from([("x-team".to_string(), "core".to_string())]),
            ..Default::default()
        },
    );
    *gw.scenario.0.lock().unwrap() = Some(ScenarioFile {
        name: "outage".into(),
        services: services.clone(),
    });
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        gw.get("/auth/b");
        let last = mock.seen.lock().unwrap().last().cloned().unwrap();
        if last.header("x-mockops-scenario") == Some("outage") {
            assert_eq!(last.header("x-team"), Some("core"));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "scenario not picked up within 2 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    services.insert(
        "auth".to_string(),
        ServiceOverride {
            error_rate: Some(1.0),
            error_status: Some(503),
            ..Default::default()
        },
    );
    *gw.scenario.0.lock().unwrap() = Some(ScenarioFile {
        name: "down".into(),
        services,
    });
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        gw.get("/auth/c").0,
        503,
        "scenario errors apply at any level"
    );
    *gw.scenario.0.lock().unwrap() = None;
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(gw.get("/auth/d").0, 200);
    assert_eq!(
        mock.seen
            .lock()
            .unwrap()
            .last()
            .unwrap()
            .header("x-mockops-scenario"),
        None
    );
    let Running { handle, sink, .. } = gw;
    handle.shutdown();
    let scenarios: Vec<Option<String>> = sink
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|e| e.scenario.clone())
        .collect();
    assert!(
        scenarios.contains(&Some("down".to_string())),
        "{scenarios:?}"
    );
}

#[test]
fn serve_refuses_a_level_without_its_url() {
    let fed =
        federation("  - {name: auth, workspace_id: w, base_path: /auth, reality_level: real}\n");
    let err = serve(
        fed,
        options(),
        Arc::new(MemorySink::default()),
        Arc::new(FixedScenario::default()),
    )
    .err()
    .unwrap();
    assert!(
        err.to_string()
            .contains("service `auth` is `real` but has no `upstream_url`"),
        "{err}"
    );
}

#[test]
fn upstream_connections_are_kept_alive() {
    let mock = stub(|_| (200, "{}".into()));
    let gw = start(
        federation(&format!("  - {{name: a, workspace_id: w, base_path: /a, reality_level: mock_v3, mock_url: \"{}\"}}\n", mock.url)),
        options(),
    );
    for _ in 0..20 {
        assert_eq!(gw.get("/a/x").0, 200);
    }
    assert_eq!(mock.seen.lock().unwrap().len(), 20);
    assert_eq!(
        mock.connections.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "sequential requests share one upstream connection"
    );
}

/// Sends raw bytes to the gateway and returns the status line it answers with.
fn raw_status(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = String::new();
    let _ = BufReader::new(stream).read_line(&mut answer);
    answer.trim_end().to_string()
}

#[test]
fn malformed_requests_get_4xx_and_the_gateway_keeps_serving() {
    let mock = stub(|_| (200, "{}".into()));
    let gw = start(
        federation(&format!("  - {{name: a, workspace_id: w, base_path: /, reality_level: mock_v3, mock_url: \"{}\"}}\n", mock.url)),
        options(),
    );
    let addr = gw.handle.local_addr();
    for request in [
        &b"GARBAGE\r\n\r\n"[..],
        b"GET /a b c HTTP/1.1\r\nhost: x\r\n\r\n",
        b"OPTIONS * HTTP/1.1\r\nhost: x\r\n\r\n",
        b"POST /a HTTP/1.1\r\nhost: x\r\ncontent-length: nope\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\nhost: x\r\n\r\n",
    ] {
        let status = raw_status(addr, request);
        assert!(
            status.starts_with("HTTP/1.1 4"),
            "{:?} → {status:?}",
            String::from_utf8_lossy(request)
        );
    }
    assert_eq!(gw.get("/still/alive").0, 200);
}

#[test]
fn shutdown_finishes_requests_in_flight_and_flushes_the_recorder() {
    let slow = stub(|_| {
        std::thread::sleep(Duration::from_millis(400));
        (200, r#"{"slow":true}"#.into())
    });
    let gw = start(
        federation(&format!("  - {{name: a, workspace_id: w, base_path: /a, reality_level: mock_v3, mock_url: \"{}\"}}\n", slow.url)),
        options(),
    );
    let url = gw.url("/a/slow");
    let agent = gw.agent.clone();
    let in_flight = std::thread::spawn(move || {
        let mut r = agent.get(&url).call().unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    });
    std::thread::sleep(Duration::from_millis(150));
    let Running { handle, sink, .. } = gw;
    let addr = handle.local_addr();
    handle.shutdown();
    assert_eq!(
        in_flight.join().unwrap(),
        (200, r#"{"slow":true}"#.to_string())
    );
    assert_eq!(
        sink.0.lock().unwrap().len(),
        1,
        "the in-flight exchange was recorded before shutdown returned"
    );
    assert!(TcpStream::connect(addr).is_err(), "no longer accepting");
}
