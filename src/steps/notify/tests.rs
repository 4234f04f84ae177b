//! Tests of `notify` against real servers on 127.0.0.1: an HTTP receiver and SMTP listeners.

use super::send::{sign, verify, SignatureError};
use super::*;
use crate::steps::http::test_server::TestServer;
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

fn cfg(v: Value) -> Map<String, Value> {
    serde_json::from_value(v).unwrap()
}

fn run(config: Value) -> Result<StepSuccess, StepFailure> {
    run_as("run-1", config)
}

fn run_as(run_id: &str, config: Value) -> Result<StepSuccess, StepFailure> {
    let recall = |_: &str| None;
    let ctx = StepContext {
        project_root: Path::new("."),
        pipeline_name: "p",
        pipeline_file: Path::new("pipelines/p.yaml"),
        step_name: "tell",
        run_id,
        deadline: Some(Instant::now() + Duration::from_secs(10)),
        recall: &recall,
        store: None,
        environments: &[],
    };
    NotifyStep.run(&ctx, &cfg(config))
}

fn ok_server() -> TestServer {
    TestServer::start(|_, _| (200, vec![], "ok".into()))
}

#[test]
fn slack_posts_text_and_blocks() {
    let server = ok_server();
    let out = run(json!({
        "channel": "slack",
        "webhook_url": format!("{}/services/T0/B0/XYZ", server.url),
        "message": "deployed",
        "blocks": "[{\"type\":\"divider\"}]"
    }))
    .unwrap();
    assert_eq!(out.outputs["delivered"], json!(1));
    assert_eq!(out.outputs["status_code"], json!(200));
    let got = server.requests();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].method, "POST");
    assert_eq!(got[0].path, "/services/T0/B0/XYZ");
    assert_eq!(got[0].header("content-type"), Some("application/json"));
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(
        body,
        json!({"text": "deployed", "blocks": [{"type": "divider"}]})
    );
}

#[test]
fn mockforge_names_send_one_message_per_slack_channel() {
    let server = ok_server();
    let out = run(json!({
        "type": "slack",
        "slack_webhook_url": format!("{}/hook", server.url),
        "channels": ["#api", "#ops"],
        "message": "hi"
    }))
    .unwrap();
    assert_eq!(out.outputs["delivered"], json!(2));
    let channels: Vec<Value> = server
        .requests()
        .iter()
        .map(|r| serde_json::from_str::<Value>(&r.body).unwrap()["channel"].clone())
        .collect();
    assert_eq!(channels, vec![json!("#api"), json!("#ops")]);
}

#[test]
fn webhook_is_signed_per_standard_webhooks() {
    let server = ok_server();
    // base64("supersecretkey!!") with the whsec_ prefix
    let secret = "whsec_c3VwZXJzZWNyZXRrZXkhIQ==";
    run(json!({"channel": "webhook", "url": format!("{}/in", server.url), "message": "m1", "secret": secret})).unwrap();
    let got = &server.requests()[0];
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(body["message"], json!("m1"));
    let id = got.header("webhook-id").unwrap();
    let ts: i64 = got.header("webhook-timestamp").unwrap().parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - ts).abs() < 60);
    // Verify independently: HMAC-SHA256 keyed with the decoded secret.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"supersecretkey!!").unwrap();
    mac.update(format!("{id}.{ts}.{}", got.body).as_bytes());
    let expected = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    );
    assert_eq!(got.header("webhook-signature"), Some(expected.as_str()));
    assert_eq!(sign(secret, id, ts, &got.body), expected);
    assert_ne!(sign("whsec_b3RoZXI=", id, ts, &got.body), expected);
}

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[test]
fn webhook_body_is_mockforges_message_run_step_and_timestamp_merged_with_payload() {
    let server = ok_server();
    let run_id = crate::events::new_id();
    let started = uuid::Uuid::parse_str(&run_id)
        .unwrap()
        .get_timestamp()
        .unwrap()
        .to_unix();
    let config = json!({
        "type": "webhook",
        "webhook_url": format!("{}/in", server.url),
        "message": "Drift on /api/users",
        "payload": {"severity": "high", "step_name": "renamed"}
    });
    run_as(&run_id, config.clone()).unwrap();
    // A string payload holding a JSON object (a rendered template) merges the same way.
    let mut templated = config.clone();
    templated["payload"] = json!(r#"{"severity": "high", "step_name": "renamed"}"#);
    run_as(&run_id, templated).unwrap();
    let got = server.requests();
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "message",
            "pipeline_execution_id",
            "step_name",
            "timestamp",
            "severity"
        ]
    );
    assert_eq!(body["message"], json!("Drift on /api/users"));
    assert_eq!(body["pipeline_execution_id"], json!(run_id));
    assert_eq!(
        body["step_name"],
        json!("renamed"),
        "payload keys win, as in MockForge"
    );
    assert_eq!(body["severity"], json!("high"));
    // The run's start (from its time-ordered id), so every attempt sends the same body.
    let ts = chrono::DateTime::parse_from_rfc3339(body["timestamp"].as_str().unwrap()).unwrap();
    assert_eq!(ts.timestamp(), started.0 as i64);
    assert_eq!(got[0].body, got[1].body);
    // Without payload: the message and the three fields.
    run_as(
        &run_id,
        json!({"type": "webhook", "webhook_url": format!("{}/in", server.url), "message": "m"}),
    )
    .unwrap();
    let body: Value = serde_json::from_str(&server.requests()[2].body).unwrap();
    assert_eq!(body["message"], json!("m"));
    assert_eq!(body["step_name"], json!("tell"));
}

#[test]
fn a_payload_that_is_not_a_map_is_refused_before_and_at_run_time() {
    for payload in [json!([1, 2]), json!("plain text"), json!(5)] {
        let config =
            cfg(json!({"channel": "webhook", "url": "http://127.0.0.1:9/x", "payload": payload}));
        let problems = NotifyStep.check_config(&config);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("config `payload` must be a map")),
            "{payload}: {problems:?}"
        );
        let err = run(Value::Object(config)).unwrap_err();
        assert!(
            err.message.contains("must be a map") && !err.retryable,
            "{}",
            err.message
        );
    }
    let templated = cfg(
        json!({"channel": "webhook", "url": "http://127.0.0.1:9/x", "payload": "{{json event.payload}}"}),
    );
    assert!(NotifyStep.check_config(&templated).is_empty());
}

#[test]
fn webhook_payload_method_headers_and_several_urls() {
    let server = ok_server();
    let out = run(json!({
        "type": "webhook",
        "webhook_urls": [format!("{}/a", server.url), format!("{}/b", server.url)],
        "method": "put",
        "headers": {"x-team": "api"},
        "payload": {"event": "schema.changed", "n": 2}
    }))
    .unwrap();
    assert_eq!(out.outputs["delivered"], json!(2));
    let got = server.requests();
    assert_eq!(
        got.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
        ["/a", "/b"]
    );
    assert!(got
        .iter()
        .all(|r| r.method == "PUT" && r.header("x-team") == Some("api")));
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["event"], json!("schema.changed"));
    assert_eq!(body["n"], json!(2));
    assert_eq!(got[0].body, got[1].body);
    assert!(got[0].header("webhook-signature").is_none());
}

#[test]
fn rate_limit_is_retryable_with_retry_after_and_dead_letter_hides_the_secret_path() {
    let server = TestServer::start(|_, _| {
        (
            429,
            vec![("Retry-After".into(), "7".into())],
            "slow down".into(),
        )
    });
    let err = run(json!({"channel": "slack", "webhook_url": format!("{}/services/SECRET", server.url), "message": "x"}))
        .unwrap_err();
    assert!(err.retryable);
    assert_eq!(err.retry_after, Some(Duration::from_secs(7)));
    assert_eq!(err.outputs["delivered"], json!(0));
    assert_eq!(err.outputs["status_code"], json!(429));
    assert!(err.message.contains("429"), "{}", err.message);
    let dead = err.dead_letter.unwrap();
    assert_eq!(dead.target, format!("slack webhook {}/***", server.url));
    assert!(!dead.target.contains("SECRET") && !err.message.contains("SECRET"));
    assert_eq!(dead.body, server.requests()[0].body);
}

#[test]
fn server_errors_retry_client_errors_do_not() {
    let server = TestServer::start(|r, _| {
        if r.path == "/down" {
            (503, vec![], String::new())
        } else {
            (400, vec![], "invalid_payload".into())
        }
    });
    let err =
        run(json!({"channel": "webhook", "url": format!("{}/down", server.url), "message": "x"}))
            .unwrap_err();
    assert!(err.retryable && err.retry_after.is_none());
    let err =
        run(json!({"channel": "webhook", "url": format!("{}/bad", server.url), "message": "x"}))
            .unwrap_err();
    assert!(!err.retryable);
    assert!(err.message.contains("invalid_payload"));
}

#[test]
fn redeliver_sends_the_stored_body_to_the_fresh_target() {
    let server = ok_server();
    let config = cfg(
        json!({"channel": "webhook", "url": format!("{}/x", server.url), "secret": "plain-secret", "message": "new"}),
    );
    let target = plan(&config, &PlanContext::for_run("", "", Path::new("."))).unwrap()[0]
        .target
        .describe();
    let out = redeliver_to(
        &config,
        &target,
        r#"{"message":"old"}"#,
        None,
        Path::new("."),
    )
    .unwrap();
    assert_eq!(out.outputs["delivered"], json!(1));
    let got = &server.requests()[0];
    assert_eq!(got.body, r#"{"message":"old"}"#);
    assert!(got.header("webhook-signature").is_some());
    redeliver(&config, "again", None, Path::new(".")).unwrap();
    assert_eq!(server.requests()[1].body, "again");
}

/// Messages an SMTP listener accepted: (RCPT lines, DATA).
type Inbox = Arc<Mutex<Vec<(Vec<String>, String)>>>;

/// A minimal SMTP server; `refuse` answers 550 to MAIL FROM. Records RCPT addresses and DATA.
fn smtp_server(refuse: bool) -> (String, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let messages = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&messages);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            stream.write_all(b"220 test ESMTP\r\n").unwrap();
            let mut rcpts = Vec::new();
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let upper = line.to_ascii_uppercase();
                let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                    b"250 test\r\n"
                } else if upper.starts_with("MAIL") {
                    if refuse {
                        b"550 5.7.1 relaying denied\r\n"
                    } else {
                        b"250 ok\r\n"
                    }
                } else if upper.starts_with("RCPT") {
                    rcpts.push(line.trim().to_string());
                    b"250 ok\r\n"
                } else if upper.starts_with("DATA") {
                    stream.write_all(b"354 go ahead\r\n").unwrap();
                    let mut data = String::new();
                    loop {
                        let mut l = String::new();
                        if reader.read_line(&mut l).unwrap_or(0) == 0 || l == ".\r\n" {
                            break;
                        }
                        data.push_str(&l);
                    }
                    log.lock().unwrap().push((std::mem::take(&mut rcpts), data));
                    b"250 queued\r\n"
                } else if upper.starts_with("QUIT") {
                    let _ = stream.write_all(b"221 bye\r\n");
                    break;
                } else {
                    b"250 ok\r\n"
                };
                stream.write_all(reply).unwrap();
            }
        }
    });
    (url, messages)
}

#[test]
fn email_to_three_recipients_counts_one_delivery() {
    let (url, messages) = smtp_server(false);
    let out = run(json!({
        "channel": "email",
        "smtp_url": url,
        "from": "mockops <ops@example.test>",
        "to": ["a@example.test", "b@example.test", "c@example.test"],
        "subject": "Pipeline failed",
        "message": "sdk step failed"
    }))
    .unwrap();
    assert_eq!(out.outputs["delivered"], json!(1));
    assert_eq!(out.outputs["status_code"], json!(250));
    let got = messages.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0.len(), 3, "{:?}", got[0].0);
    assert!(got[0].1.contains("Subject: Pipeline failed"));
    assert!(got[0].1.contains("sdk step failed"));
}

#[test]
fn email_with_mockforge_smtp_map() {
    let (url, messages) = smtp_server(false);
    let addr = url.trim_start_matches("smtp://");
    let (host, port) = addr.split_once(':').unwrap();
    let out = run(json!({
        "type": "email",
        "smtp": {"host": host, "port": port.parse::<u16>().unwrap(), "from": "ops@example.test"},
        "to": "dev@example.test",
        "message": "hello"
    }))
    .unwrap();
    assert_eq!(out.outputs["delivered"], json!(1));
    assert_eq!(messages.lock().unwrap().len(), 1);
}

#[test]
fn refusing_smtp_server_is_a_clear_fatal_failure() {
    let (url, messages) = smtp_server(true);
    let err = run(json!({"channel": "email", "smtp_url": url, "from": "a@example.test", "to": "b@example.test", "message": "m"}))
        .unwrap_err();
    assert!(!err.retryable);
    assert!(
        err.message.contains("refused") && err.message.contains("550"),
        "{}",
        err.message
    );
    assert_eq!(err.dead_letter.unwrap().body, "m");
    assert!(messages.lock().unwrap().is_empty());
}

#[test]
fn check_config_reports_unknown_channels_missing_keys_and_types() {
    let problems = NotifyStep.check_config(&cfg(json!({"channel": "pager", "message": "x"})));
    assert!(
        problems[0].contains("unknown channel `pager`"),
        "{problems:?}"
    );
    let problems = NotifyStep.check_config(&cfg(json!({"channel": "email", "message": 5})));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`message` must be a string")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("`to`")), "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains("`smtp_url`")),
        "{problems:?}"
    );
    let ok = cfg(
        json!({"channel": "slack", "webhook_url": "{{env.SLACK}}", "message": "{{run.status}}"}),
    );
    assert!(NotifyStep.check_config(&ok).is_empty());
    assert!(NotifyStep.check_config(&Map::new())[0].contains("`channel` is required"));
    // Literal URLs are checked before any run, and never echoed (they hold secrets).
    for (config, key) in [
        (
            json!({"channel": "slack", "webhook_url": "not a url", "message": "x"}),
            "webhook_url",
        ),
        (
            json!({"channel": "webhook", "url": "ftp://host/x", "message": "x"}),
            "url",
        ),
        (
            json!({"channel": "webhook", "webhook_urls": ["https://ok.example/h", "https:///nohost"], "message": "x"}),
            "webhook_urls",
        ),
        (
            json!({"channel": "email", "smtp_url": "http://mail:25", "to": ["a@x"], "message": "x"}),
            "smtp_url",
        ),
    ] {
        let problems = NotifyStep.check_config(&cfg(config.clone()));
        assert!(
            problems
                .iter()
                .any(|p| p.contains(&format!("config `{key}` is not a URL"))),
            "{config}: {problems:?}"
        );
        assert!(
            !problems
                .iter()
                .any(|p| p.contains("nohost") || p.contains("not a url")),
            "{problems:?}"
        );
    }
    let fine = json!({"channel": "email", "smtp_url": "smtps://user:pw@mail.example:465", "to": ["a@x"], "from": "b@x", "message": "x"});
    let problems = NotifyStep.check_config(&cfg(fine));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(NotifyStep.retry_defaults().attempts, 3);
}

#[test]
fn mockforge_smtp_map_defaults_to_port_587_and_pairs_credentials() {
    let ctx = PlanContext::for_run("", "", Path::new("/project"));
    let config = cfg(json!({
        "type": "email",
        "smtp": {"host": "mail.example", "from": "a@example.test", "ca_file": "certs/ca.pem"},
        "to": ["b@example.test"],
        "message": "m"
    }));
    let planned = plan(&config, &ctx).unwrap();
    assert_eq!(
        planned[0].target.describe(),
        "email smtp://mail.example:587/*** to b@example.test"
    );
    let Target::Email(email) = &planned[0].target else {
        panic!("not an email")
    };
    assert_eq!(email.smtp_url, "smtp://mail.example:587?tls=required");
    assert_eq!(
        email.ca_file.as_deref(),
        Some(Path::new("/project/certs/ca.pem"))
    );
    let mut half = config.clone();
    half.insert("username".into(), json!("only-user"));
    let err = plan(&half, &ctx).err().unwrap();
    assert!(
        err.message.contains("both `username` and `password`"),
        "{}",
        err.message
    );
}

#[test]
fn a_receiver_verifies_what_sign_produces() {
    let (secret, id, body) = (
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_1",
        r#"{"a":1}"#,
    );
    let now = 1_700_000_000;
    let good = sign(secret, id, now, body);
    let check =
        |sig: &str, ts: &str, body: &str| verify(secret, Some(id), Some(ts), Some(sig), body, now);
    assert_eq!(check(&good, "1700000000", body), Ok(()));
    // Several signatures (a key rotation): one that matches is enough.
    assert_eq!(
        check(&format!("v1,AAAA {good}"), "1700000000", body),
        Ok(())
    );
    assert_eq!(
        check(&good, "1700000000", r#"{"a":2}"#),
        Err(SignatureError::Mismatch)
    );
    let other = sign("whsec_b3RoZXI=", id, now, body);
    assert_eq!(
        check(&other, "1700000000", body),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        check("v1,not base64!", "1700000000", body),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        check(&good, "1699999000", body),
        Err(SignatureError::Stale(1000))
    );
    assert_eq!(
        check(&good, "soon", body),
        Err(SignatureError::BadTimestamp)
    );
    assert_eq!(
        verify(secret, None, Some("1700000000"), Some(&good), body, now),
        Err(SignatureError::MissingHeader("webhook-id"))
    );
}
