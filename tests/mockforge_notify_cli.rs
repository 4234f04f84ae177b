//! MockForge's `notify` steps and event payloads through the real binary: the webhook body
//! MockForge sends (still signed per Standard Webhooks), SMTP credentials only over TLS
//! (against SMTP listeners with and without STARTTLS), and MockForge-shaped payloads of the
//! seven built-in event types. The corpus is `tests/data/mockforge/notify/`.

mod common;
mod smtp_server;
use base64::Engine;
use common::Project;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use smtp_server::{private_ca, Dialogue, SmtpServer};
use std::path::Path;
use std::sync::{Arc, Mutex};

fn corpus(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/mockforge/notify")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ------------------------------------------------------------ an HTTP receiver (tiny_http)

#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Answers 200 to everything on 127.0.0.1 and keeps what it received; stops when dropped.
struct Receiver {
    server: Arc<tiny_http::Server>,
    received: Arc<Mutex<Vec<Received>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Receiver {
    fn start() -> Receiver {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (server, received) = (server.clone(), received.clone());
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    received.lock().unwrap().push(Received {
                        path: request.url().to_string(),
                        headers: request
                            .headers()
                            .iter()
                            .map(|h| (h.field.to_string(), h.value.to_string()))
                            .collect(),
                        body,
                    });
                    let _ = request.respond(tiny_http::Response::from_string("ok"));
                }
            })
        };
        Receiver {
            server,
            received,
            thread: Some(thread),
        }
    }

    fn addr(&self) -> String {
        self.server.server_addr().to_ip().unwrap().to_string()
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

// ---------------------------------------------------------------- webhooks

const SECRET: &str = "whsec_bW9ja29wcy10ZXN0LWtleSEh"; // base64("mockops-test-key!!")

fn drift_webhook(receiver: &Receiver) -> String {
    corpus("drift-webhook.yaml").replace("127.0.0.1:8999", &receiver.addr())
}

/// Emits MockForge's drift payload (the corpus file) with `--format json`.
fn emit_mockforge_drift(p: &Project) -> (i32, Value, String) {
    p.write("drift.yaml", &corpus("drift-threshold-exceeded.yaml"));
    p.json(&[
        "event",
        "emit",
        "drift.threshold_exceeded",
        "--payload-file",
        "drift.yaml",
    ])
}

backends! {
    fn mockforge_webhook_gets_mockforges_body_and_a_valid_signature(backend) {
        let receiver = Receiver::start();
        let p = Project::on(backend);
        p.write("pipelines/drift-webhook.yaml", &drift_webhook(&receiver));
        let (code, v, err) = emit_mockforge_drift(&p);
        assert_eq!(code, 0, "{err}\n{v}");
        let run = &v["runs"][0];
        assert_eq!(run["status"], json!("succeeded"), "{v}");
        let got = receiver.received();
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].path, "/hooks/drift");
        let body: Value = serde_json::from_str(&got[0].body).expect("a JSON body");
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        // MockForge's four fields first, then the payload's keys.
        assert_eq!(
            format!("{keys:?}"),
            r#"["message", "pipeline_execution_id", "step_name", "timestamp", "endpoint", "severity"]"#
        );
        assert_eq!(
            body["message"],
            json!("Drift on /api/users: 15 incidents (threshold 10)")
        );
        assert_eq!(body["pipeline_execution_id"], run["id"]);
        assert_eq!(body["step_name"], json!("notify_team"));
        assert_eq!(body["endpoint"], json!("/api/users"));
        assert_eq!(body["severity"], json!("high"));
        let ts = body["timestamp"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(ts).is_ok(),
            "timestamp {ts}"
        );
        assert!(
            got[0].header("webhook-signature").is_none(),
            "no secret, no signature"
        );

        // The same step with mockops's `secret`: the same body shape, signed.
        let signed = drift_webhook(&receiver).replace(
            "      method: POST\n",
            &format!("      method: POST\n      secret: \"{SECRET}\"\n"),
        );
        p.write("pipelines/drift-webhook.yaml", &signed);
        let (code, v, err) = emit_mockforge_drift(&p);
        assert_eq!(code, 0, "{err}\n{v}");
        let got = receiver.received();
        assert_eq!(got.len(), 2);
        let body: Value = serde_json::from_str(&got[1].body).unwrap();
        assert_eq!(body["pipeline_execution_id"], v["runs"][0]["id"]);
        assert_eq!(body["severity"], json!("high"));
        let id = got[1].header("webhook-id").unwrap();
        let ts = got[1].header("webhook-timestamp").unwrap();
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"mockops-test-key!!").unwrap();
        mac.update(format!("{id}.{ts}.{}", got[1].body).as_bytes());
        let expected = format!(
            "v1,{}",
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        );
        assert_eq!(got[1].header("webhook-signature"), Some(expected.as_str()));
        assert!(!p.state_contains(SECRET));
    }
}

// ------------------------------------------------------------------ events

backends! {
    fn mockforge_drift_payload_is_accepted_and_both_spellings_resolve(backend) {
        let p = Project::on(backend);
        p.write("drift.yaml", &corpus("drift-threshold-exceeded.yaml"));
        // mockops's own templates and MockForge's flat ones, on the same event.
        p.write(
            "pipelines/both.yaml",
            "name: both\ntriggers:\n  - event: drift.threshold_exceeded\n    filters: { drift_count: { gte: 10 } }\nsteps:\n  - name: seen\n    type: run\n    config:\n      command: \"echo {{event.payload.drifting}} {{drift_count}} {{event.threshold}} {{endpoint}} > seen.txt\"\n",
        );
        let validate = p.run(&["pipeline", "validate"]);
        assert_eq!(validate.code, 0, "{}{}", validate.stdout, validate.stderr);
        let out = p.run(&[
            "--format",
            "json",
            "event",
            "emit",
            "drift.threshold_exceeded",
            "--payload-file",
            "drift.yaml",
        ]);
        assert_eq!(out.code, 0, "refused: {}", out.stderr);
        assert_eq!(out.json()["runs"][0]["status"], json!("succeeded"));
        assert_eq!(p.read("seen.txt").trim(), "15 15 10 /api/users");
        // What MockForge cannot supply is named, at once.
        for key in [
            "`service`",
            "`drift_percent`",
            "`threshold_percent`",
            "`total`",
        ] {
            assert!(out.stderr.contains(key), "{key}: {}", out.stderr);
        }
        let (_, events, _) = p.json(&["event", "list", "--type", "drift.threshold_exceeded"]);
        let payload = &events[0]["payload"];
        assert_eq!(payload["drift_count"], json!(15));
        assert_eq!(payload["drifting"], json!(15));
        assert_eq!(payload["threshold"], json!(10));
        assert!(payload.get("threshold_percent").is_none(), "{payload}");
    }
}

backends! {
    fn mockops_drift_event_resolves_mockforges_template(backend) {
        let receiver = Receiver::start();
        let p = Project::on(backend);
        p.write("pipelines/drift-webhook.yaml", &drift_webhook(&receiver));
        let out = p.run(&[
            "event",
            "emit",
            "drift.threshold_exceeded",
            "--payload",
            r#"{"service": "pets", "endpoint": "GET /pets", "drift_percent": 40.0, "threshold_percent": 10.0, "drifting": 4, "total": 10}"#,
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!out.stderr.contains("MockForge"), "{}", out.stderr);
        let body: Value = serde_json::from_str(&receiver.received()[0].body).unwrap();
        assert_eq!(
            body["message"],
            json!("Drift on GET /pets: 4 incidents (threshold 10.0)")
        );
    }
}

backends! {
    fn every_mockforge_payload_of_the_seven_types_is_accepted_and_mapped(backend) {
        let p = Project::on(backend);
        // (type, corpus file, keys the stored payload must hold, keys the warning names)
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, Value)], &'a [&'a str]);
        let cases: &[Case] = &[
            (
                "schema.changed",
                "schema-changed.yaml",
                &[
                    ("spec_name", json!("users")),
                    ("changes", json!({"added": ["endpoint1"]})),
                ],
                &["old_hash", "new_hash", "breaking_count", "summary"],
            ),
            (
                "scenario.published",
                "scenario-published.yaml",
                &[
                    ("scenario_name", json!("my-scenario")),
                    ("version", json!("1.0.0")),
                ],
                &["environment"],
            ),
            (
                "persona.published",
                "persona-published.yaml",
                &[("persona_name", json!("premium-user"))],
                &["version", "environment"],
            ),
            (
                "drift.threshold_exceeded",
                "drift-threshold-exceeded.yaml",
                &[("drifting", json!(15)), ("drift_count", json!(15))],
                &["service", "drift_percent", "threshold_percent", "total"],
            ),
            (
                "promotion.completed",
                "promotion-completed.yaml",
                &[
                    ("entity_type", json!("scenario")),
                    ("to_environment", json!("production")),
                ],
                &["entity_id", "version"],
            ),
            (
                "workspace.created",
                "workspace-created.yaml",
                &[("workspace_name", json!("payments"))],
                &["root"],
            ),
            (
                "config.changed",
                "config-changed.yaml",
                &[
                    ("path", json!("config/mockforge.yaml")),
                    ("config_path", json!("config/mockforge.yaml")),
                ],
                &["old_hash", "new_hash"],
            ),
        ];
        for (event_type, file, stored, missing) in cases {
            p.write(file, &corpus(file));
            let out = p.run(&["event", "emit", event_type, "--payload-file", file]);
            assert_eq!(out.code, 0, "{event_type} refused: {}", out.stderr);
            for key in *missing {
                assert!(
                    out.stderr.contains(&format!("`{key}`")),
                    "{event_type}: the warning does not name `{key}`: {}",
                    out.stderr
                );
            }
            let (_, events, _) = p.json(&["event", "list", "--type", event_type]);
            let payload = &events[0]["payload"];
            for (key, value) in *stored {
                assert_eq!(&payload[*key], value, "{event_type}: {payload}");
            }
        }
        // A mockops payload that lacks a key is still refused, naming it (not MockForge's form).
        let out = p.run(&["event", "emit", "workspace.created", "-p", "workspace_id=w"]);
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("`root`"), "{}", out.stderr);
    }
}

// ------------------------------------------------------------------ SMTP

const PASSWORD: &str = "relay-pass-7f3e";

fn mail_project(server: &SmtpServer, edit: impl Fn(String) -> String) -> Project {
    let p = Project::new();
    let pipeline =
        corpus("email-relay.yaml").replace("port: 2525", &format!("port: {}", server.port));
    p.write("pipelines/scenario-mail.yaml", &edit(pipeline));
    p.write("scenario.yaml", &corpus("scenario-published.yaml"));
    p
}

fn emit_scenario(p: &Project) -> common::Output {
    p.run(&[
        "--format",
        "json",
        "event",
        "emit",
        "scenario.published",
        "--payload-file",
        "scenario.yaml",
        // mockops's key MockForge lacks: these tests are about SMTP, not payloads.
        "-p",
        "environment=dev",
    ])
}

/// Neither the password nor the base64 of an `AUTH PLAIN` or `AUTH LOGIN` exchange.
fn assert_password_never_reached(dialogue: &Dialogue) {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let plain = b64(&format!("\0relay-user\0{PASSWORD}"));
    for (_, line) in &dialogue.lines {
        assert!(
            !line.contains(PASSWORD) && !line.contains(&plain) && !line.contains(&b64(PASSWORD)),
            "the password reached the server: {line}"
        );
    }
}

#[test]
fn credentials_are_never_sent_to_a_server_without_starttls() {
    let server = SmtpServer::start(None);
    let p = mail_project(&server, |y| y);
    let out = emit_scenario(&p);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let v = out.json();
    let step = &v["runs"][0]["steps"][0];
    assert_eq!(step["status"], json!("failed"), "{v}");
    let error = step["error"].as_str().unwrap_or_default();
    for needle in ["does not offer STARTTLS", "username", "smtps://", "465"] {
        assert!(error.contains(needle), "{needle}: {error}");
    }
    let dialogue = server.dialogue();
    assert!(dialogue.auth_lines().is_empty(), "{dialogue:?}");
    assert!(dialogue.messages.is_empty(), "{dialogue:?}");
    assert!(
        !dialogue.lines.iter().any(|(_, l)| l.starts_with("MAIL")),
        "{dialogue:?}"
    );
    assert_password_never_reached(&dialogue);
    // One attempt: another would meet the same server.
    let ehlos = dialogue
        .lines
        .iter()
        .filter(|(_, l)| l.starts_with("EHLO"))
        .count();
    assert_eq!(ehlos, 1, "{dialogue:?}");
    assert!(!out.stdout.contains(PASSWORD) && !out.stderr.contains(PASSWORD));
    assert!(!p.state_contains(PASSWORD));
}

#[test]
fn credentials_in_smtp_url_follow_the_same_rule() {
    let server = SmtpServer::start(None);
    let p = mail_project(&server, |y| {
        let start = y.find("      smtp:\n").unwrap();
        let end = y.find("      to:\n").unwrap();
        format!(
            "{}      smtp_url: \"smtp://relay-user:{PASSWORD}@127.0.0.1:{}\"\n      from: pipelines@example.test\n{}",
            &y[..start],
            server.port,
            &y[end..]
        )
    });
    let out = emit_scenario(&p);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let error = out.json()["runs"][0]["steps"][0]["error"].to_string();
    assert!(error.contains("does not offer STARTTLS"), "{error}");
    let dialogue = server.dialogue();
    assert!(dialogue.auth_lines().is_empty(), "{dialogue:?}");
    assert!(dialogue.messages.is_empty());
    assert_password_never_reached(&dialogue);
    assert!(!out.stdout.contains(PASSWORD) && !out.stderr.contains(PASSWORD));
}

#[test]
fn with_starttls_auth_happens_only_after_tls_and_the_mail_is_delivered() {
    let (ca_pem, tls) = private_ca();
    let server = SmtpServer::start(Some(tls));
    let p = mail_project(&server, |y| {
        y.replace(
            "        from: pipelines@example.test\n",
            "        from: pipelines@example.test\n        ca_file: certs/relay-ca.pem\n",
        )
    });
    p.write("certs/relay-ca.pem", &ca_pem);
    let out = emit_scenario(&p);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let step = &out.json()["runs"][0]["steps"][0];
    assert_eq!(step["outputs"]["delivered"], json!(1), "{step}");
    let dialogue = server.dialogue();
    let before_tls: Vec<&str> = dialogue
        .lines
        .iter()
        .filter(|(tls, _)| !tls)
        .map(|(_, l)| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(before_tls, ["EHLO", "STARTTLS"], "{dialogue:?}");
    let auth = dialogue.auth_lines();
    assert_eq!(auth.len(), 1, "{dialogue:?}");
    assert!(auth[0].0, "AUTH came before TLS: {dialogue:?}");
    // The credentials did arrive, inside TLS.
    let encoded = auth[0].1.rsplit(' ').next().unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(decoded, format!("\0relay-user\0{PASSWORD}").into_bytes());
    assert_eq!(dialogue.messages.len(), 1);
    assert!(dialogue.messages[0].contains("Subject: Scenario my-scenario published"));
    assert!(dialogue.messages[0].contains("Version 1.0.0 of my-scenario is out"));
    assert!(!p.state_contains(PASSWORD));
}

#[test]
fn an_untrusted_certificate_is_refused_and_names_ca_file() {
    let (_, tls) = private_ca();
    let server = SmtpServer::start(Some(tls));
    let p = mail_project(&server, |y| y);
    let out = emit_scenario(&p);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let error = out.json()["runs"][0]["steps"][0]["error"].to_string();
    assert!(
        error.contains("TLS") && error.contains("ca_file"),
        "{error}"
    );
    let dialogue = server.dialogue();
    assert!(dialogue.auth_lines().is_empty(), "{dialogue:?}");
    let tries = dialogue
        .lines
        .iter()
        .filter(|(_, l)| l.starts_with("STARTTLS"))
        .count();
    assert_eq!(tries, 1, "a certificate error is not retried: {dialogue:?}");
    assert!(dialogue.messages.is_empty());
}

#[test]
fn without_credentials_a_plain_relay_still_gets_the_mail() {
    let server = SmtpServer::start(None);
    let p = mail_project(&server, |y| {
        y.replace("        username: relay-user\n", "")
            .replace(&format!("        password: {PASSWORD}\n"), "")
    });
    let out = emit_scenario(&p);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let dialogue = server.dialogue();
    assert!(dialogue.auth_lines().is_empty(), "{dialogue:?}");
    assert!(
        !dialogue
            .lines
            .iter()
            .any(|(_, l)| l.starts_with("STARTTLS")),
        "{dialogue:?}"
    );
    assert_eq!(dialogue.messages.len(), 1, "{dialogue:?}");
}
