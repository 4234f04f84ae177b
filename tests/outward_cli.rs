//! Pipelines with outward steps through the real binary: signed webhooks and dead
//! letters, publish and promote (CLI and `auto_promote`), `create_pr` into a real git
//! remote, `regenerate_sdk` with a command generator.

mod common;
use common::http::{Request, Server as HttpServer};
use common::{git, Project};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;

// ---------------------------------------------------------------- a test HTTP server

/// A server answering every request with `status` (changeable while it runs), recording
/// each request.
struct Server {
    http: HttpServer,
    status: Arc<AtomicU16>,
    port: u16,
}

impl Server {
    fn start(status: u16) -> Server {
        let status = Arc::new(AtomicU16::new(status));
        let answer = status.clone();
        let http = HttpServer::start(move |_| {
            let status = answer.load(Ordering::SeqCst);
            (status, if status < 300 { "ok" } else { "nope" }.to_string())
        });
        Server {
            port: http.port,
            http,
            status,
        }
    }

    fn url(&self, path: &str) -> String {
        self.http.url(path)
    }

    fn requests(&self) -> Vec<Request> {
        self.http.requests()
    }
}

// ---------------------------------------------------------------- webhooks

use base64::Engine as _;
use hmac::{Hmac, Mac};

const KEY_BYTES: &[u8] = b"mockops-outward-test-signing-key!";

fn secret() -> String {
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(KEY_BYTES)
    )
}

/// Checks a Standard Webhooks signature: `v1,<base64 HMAC-SHA256("id.timestamp.body")>`.
fn verify(req: &Request) {
    let id = req.header("webhook-id").expect("webhook-id header");
    let ts = req
        .header("webhook-timestamp")
        .expect("webhook-timestamp header");
    let sig = req
        .header("webhook-signature")
        .expect("webhook-signature header");
    let ts_num: i64 = ts.parse().expect("numeric timestamp");
    let now = chrono::Utc::now().timestamp();
    assert!((now - ts_num).abs() < 300, "timestamp {ts} is not now");
    assert!(!id.is_empty());
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(KEY_BYTES).unwrap();
    mac.update(format!("{id}.{ts}.{}", req.body).as_bytes());
    let expected = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    );
    // several space-separated signatures are allowed by the standard
    assert!(
        sig.split(' ').any(|s| s == expected),
        "signature {sig} does not verify (expected {expected})"
    );
}

fn webhook_pipeline(url: &str, retry: &str) -> String {
    format!(
        r#"name: hook
triggers:
  - event: custom.ping
steps:
  - name: tell
    type: notify
{retry}    config:
      channel: webhook
      url: "{url}"
      secret: {secret}
      payload:
        text: "ping {{{{event.payload.n}}}}"
        pipeline: "{{{{pipeline.name}}}}"
"#,
        secret = secret()
    )
}

fn assert_no_secret(p: &Project, texts: &[&str]) {
    let s = secret();
    let key_b64 = s.trim_start_matches("whsec_").to_string();
    for t in texts {
        assert!(!t.contains(&s), "the secret was printed: {t}");
        assert!(!t.contains(&key_b64), "the secret was printed: {t}");
    }
    assert!(
        p.backend != common::Backend::Sqlite || !p.state_bytes().is_empty(),
        "no state file"
    );
    assert!(!p.state_contains(&s), "the secret is in the state");
    assert!(!p.state_contains(&key_b64), "the secret is in the state");
}

backends! {
    fn notify_signs_a_generic_webhook_and_never_leaks_the_secret(backend) {
        let server = Server::start(200);
        let p = Project::on(backend);
        p.write(
            "pipelines/hook.yaml",
            &webhook_pipeline(&server.url("/hooks/in"), ""),
        );
        let (code, v, err) = p.json(&["event", "emit", "custom.ping", "-p", "n=7"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let run = &v["runs"][0];
        assert_eq!(run["status"], json!("succeeded"), "{v}");
        let step = &run["steps"][0];
        assert_eq!(step["outputs"]["delivered"], json!(1), "{step}");
        assert_eq!(step["outputs"]["status_code"], json!(200));

        let reqs = server.requests();
        assert_eq!(reqs.len(), 1, "{reqs:?}");
        let req = &reqs[0];
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/hooks/in");
        let mut body: Value = serde_json::from_str(&req.body).expect("JSON body");
        // MockForge's webhook body: the run and step, then the payload's keys.
        let fields = body.as_object_mut().unwrap();
        assert_eq!(
            fields.remove("pipeline_execution_id").as_ref(),
            Some(&run["id"])
        );
        assert_eq!(fields.remove("step_name"), Some(json!("tell")));
        assert!(fields.remove("timestamp").is_some_and(|t| t.is_string()));
        assert_eq!(body, json!({"text": "ping 7", "pipeline": "hook"}));
        assert!(req
            .header("content-type")
            .unwrap_or_default()
            .contains("application/json"));
        verify(req);

        // nothing printed or stored holds the secret: this run, its show and its logs
        let run_id = run["id"].as_str().unwrap();
        let show = p.run(&["--format", "json", "pipeline", "show", run_id]);
        let logs = p.run(&["pipeline", "logs", run_id]);
        let events = p.run(&["--format", "json", "event", "list"]);
        let dry = p.run(&["event", "emit", "custom.ping", "-p", "n=8", "--dry-run"]);
        assert_eq!(dry.code, 0, "{}", dry.stderr);
        assert!(dry.stdout.contains("***") || dry.stderr.contains("***"));
        assert_no_secret(
            &p,
            &[
                &v.to_string(),
                &err,
                &show.stdout,
                &show.stderr,
                &logs.stdout,
                &logs.stderr,
                &events.stdout,
                &dry.stdout,
                &dry.stderr,
            ],
        );
        assert_eq!(server.requests().len(), 1, "a dry run sends nothing");
    }
}

backends! {
    fn a_failing_webhook_becomes_a_dead_letter_that_redelivers(backend) {
        let server = Server::start(500);
        let p = Project::on(backend);
        p.write(
            "pipelines/hook.yaml",
            &webhook_pipeline(
                &server.url("/hooks/in"),
                "    retry: { attempts: 2, backoff: 10ms }\n",
            ),
        );
        let run = p.run(&["event", "emit", "custom.ping", "-p", "n=1"]);
        assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
        let first = server.requests();
        assert_eq!(first.len(), 2, "two attempts: {first:?}");
        assert_eq!(first[0].body, first[1].body);
        for r in &first {
            verify(r);
        }

        let (code, letters, err) = p.json(&["event", "dead-letters"]);
        assert_eq!(code, 0, "{err}");
        let letters = letters.as_array().unwrap().clone();
        assert_eq!(letters.len(), 1, "{letters:?}");
        let letter = &letters[0];
        for k in [
            "id",
            "run_id",
            "step",
            "target",
            "attempts",
            "last_error",
            "created_at",
        ] {
            assert!(letter.get(k).is_some(), "dead letter lacks {k}: {letter}");
        }
        assert_eq!(letter["step"], json!("tell"));
        assert_eq!(letter["attempts"], json!(2));
        assert!(
            letter["last_error"].as_str().unwrap().contains("500"),
            "{letter}"
        );
        assert!(letter["target"]
            .as_str()
            .unwrap()
            .contains(&server.port.to_string()));
        let (_, history, _) = p.json(&["pipeline", "history", "hook"]);
        assert_eq!(letter["run_id"], history[0]["id"]);
        assert_eq!(history[0]["status"], json!("failed"));
        let table = p.run(&["event", "dead-letters"]);
        assert_no_secret(
            &p,
            &[&letter.to_string(), &run.stdout, &run.stderr, &table.stdout],
        );

        // the receiver is fixed: redeliver sends the same body again, signed afresh
        server.status.store(200, Ordering::SeqCst);
        let id = letter["id"].as_str().unwrap();
        let out = p.run(&["event", "redeliver", id]);
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
        let all = server.requests();
        assert_eq!(all.len(), 3, "{all:?}");
        assert_eq!(all[2].body, first[0].body);
        assert_eq!(all[2].path, "/hooks/in");
        verify(&all[2]);
        assert_no_secret(&p, &[&out.stdout, &out.stderr]);
        // a delivered letter is not sent twice
        let again = p.run(&["event", "redeliver", id]);
        assert_eq!(again.code, 2, "{}", again.stderr);
        assert_eq!(server.requests().len(), 3);
    }
}

// ---------------------------------------------------------------- publish and promote

const SCENARIO: &str = "# a scenario, kept byte for byte\nid: checkout-happy\nname: Checkout happy path\nsteps:\n  - { request: GET /cart, respond: 200 }\n";

fn published_events(p: &Project, kind: &str) -> Vec<Value> {
    let (code, v, err) = p.json(&["event", "list", "--type", kind]);
    assert_eq!(code, 0, "{err}");
    v.as_array().unwrap().clone()
}

backends! {
    fn publish_then_promote_a_scenario(backend) {
        let p = Project::on(backend);
        p.write("drafts/checkout.yaml", SCENARIO);
        let (code, v, err) = p.json(&["publish", "scenario", "drafts/checkout.yaml"]);
        assert_eq!(code, 0, "{err}");
        let version = v["published"]["version"].clone();
        assert!(
            version == json!(1) || version == json!("1"),
            "first version is 1: {v}"
        );
        let copied = std::fs::read(p.path("environments/dev/scenarios/checkout-happy.yaml"))
            .expect("copied to the first environment");
        assert_eq!(copied, SCENARIO.as_bytes());
        let events = published_events(&p, "scenario.published");
        assert_eq!(events.len(), 1);
        let payload = &events[0]["payload"];
        assert_eq!(payload["scenario_id"], json!("checkout-happy"));
        assert_eq!(payload["scenario_name"], json!("Checkout happy path"));
        assert_eq!(payload["environment"], json!("dev"));
        assert_eq!(payload["version"], version);
        assert_eq!(v["event_id"], events[0]["id"]);

        // identical content again: a no-op
        let out = p.run(&["publish", "scenario", "drafts/checkout.yaml"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(published_events(&p, "scenario.published").len(), 1);

        // new content: version 2
        p.write("drafts/checkout.yaml", &format!("{SCENARIO}# v2\n"));
        let (code, v2, err) = p.json(&["publish", "scenario", "drafts/checkout.yaml"]);
        assert_eq!(code, 0, "{err}");
        let v2v = v2["published"]["version"].clone();
        assert!(v2v == json!(2) || v2v == json!("2"), "{v2}");
        assert_eq!(published_events(&p, "scenario.published").len(), 2);

        // promote dev → test
        let (code, pv, err) = p.json(&[
            "promote",
            "scenario",
            "checkout-happy",
            "--from",
            "dev",
            "--to",
            "test",
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            std::fs::read(p.path("environments/test/scenarios/checkout-happy.yaml")).unwrap(),
            format!("{SCENARIO}# v2\n").as_bytes()
        );
        let (code, list, err) = p.json(&["promotion", "list"]);
        assert_eq!(code, 0, "{err}");
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1);
        let promo = &list[0];
        for k in [
            "id",
            "entity_type",
            "entity_id",
            "from_environment",
            "to_environment",
            "version",
            "status",
            "created_at",
        ] {
            assert!(promo.get(k).is_some(), "promotion lacks {k}: {promo}");
        }
        assert_eq!(promo["entity_type"], json!("scenario"));
        assert_eq!(promo["entity_id"], json!("checkout-happy"));
        assert_eq!(promo["from_environment"], json!("dev"));
        assert_eq!(promo["to_environment"], json!("test"));
        assert_eq!(promo["status"], json!("completed"));
        assert_eq!(promo["version"], v2v);
        assert!(chrono::DateTime::parse_from_rfc3339(promo["created_at"].as_str().unwrap()).is_ok());
        assert_eq!(pv["promotion"]["id"], promo["id"]);
        let completed = published_events(&p, "promotion.completed");
        assert_eq!(completed.len(), 1);
        assert_eq!(completed[0]["payload"]["promotion_id"], promo["id"]);
        let (_, filtered, _) = p.json(&["promotion", "list", "--entity", "nothing-like-it"]);
        assert_eq!(filtered, json!([]));

        // refused: backwards, unknown environment, a path in the id, a missing entity
        for args in [
            &["checkout-happy", "--from", "test", "--to", "dev"][..],
            &["checkout-happy", "--from", "dev", "--to", "staging"][..],
            &["checkout-happy", "--from", "nowhere", "--to", "prod"][..],
            &["../checkout-happy", "--from", "dev", "--to", "test"][..],
            &["../../etc/passwd", "--from", "dev", "--to", "prod"][..],
            &["sub/checkout-happy", "--from", "dev", "--to", "test"][..],
            &["no-such-scenario", "--from", "dev", "--to", "test"][..],
        ] {
            let mut all = vec!["promote", "scenario"];
            all.extend_from_slice(args);
            let out = p.run(&all);
            assert_eq!(out.code, 2, "{args:?}: {}\n{}", out.stdout, out.stderr);
            assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        }
        assert!(!p.path("environments/staging").exists());
        assert!(!p.path("environments/prod").exists());
        let (_, list, _) = p.json(&["promotion", "list"]);
        assert_eq!(
            list.as_array()
                .unwrap()
                .iter()
                .filter(|x| x["status"] == "completed")
                .count(),
            1
        );

        // an id that is a path is refused by publish too
        p.write("drafts/evil.yaml", "id: ../../escape\nname: Evil\n");
        let out = p.run(&["publish", "scenario", "drafts/evil.yaml"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(!p.path("escape.yaml").exists());
        assert!(!p.path("environments/escape.yaml").exists());
    }
}

backends! {
    fn a_published_scenario_is_auto_promoted_by_a_pipeline(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/auto.yaml",
            r#"name: auto
triggers:
  - event: scenario.published
    filters:
      environment: dev
steps:
  - name: promote
    type: auto_promote
    config:
      entity_type: scenario
      entity_id: "{{event.payload.scenario_id}}"
      from_environment: "{{event.payload.environment}}"
      to_environment: test
      comments: "auto from {{event.payload.environment}}"
"#,
        );
        p.write("drafts/checkout.yaml", SCENARIO);
        let (code, v, err) = p.json(&["publish", "scenario", "drafts/checkout.yaml"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let runs = v["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1, "{v}");
        assert_eq!(runs[0]["status"], json!("succeeded"));
        let outputs = &runs[0]["steps"][0]["outputs"];
        assert!(outputs["promotion_id"].is_string(), "{outputs}");
        assert_eq!(
            std::fs::read(p.path("environments/test/scenarios/checkout-happy.yaml")).unwrap(),
            SCENARIO.as_bytes()
        );
        let completed = published_events(&p, "promotion.completed");
        assert_eq!(completed.len(), 1);
        let payload = &completed[0]["payload"];
        assert_eq!(payload["entity_id"], json!("checkout-happy"));
        assert_eq!(payload["from_environment"], json!("dev"));
        assert_eq!(payload["to_environment"], json!("test"));
        assert_eq!(payload["promotion_id"], outputs["promotion_id"]);
        assert_eq!(
            completed[0]["parent_id"], v["event_id"],
            "child of the publish"
        );
        let (_, list, _) = p.json(&["promotion", "list", "--entity", "checkout-happy"]);
        assert_eq!(list[0]["status"], json!("completed"));
        assert_eq!(list[0]["to_environment"], json!("test"));
    }
}

// ---------------------------------------------------------------- create_pr

backends! {
    fn create_pr_commits_and_pushes_to_a_real_remote(backend) {
        let remote = tempfile::tempdir().unwrap();
        let bare = remote.path().join("origin.git");
        let bare_s = bare.to_str().unwrap();
        git(remote.path(), &["init", "--bare", "-b", "main", bare_s]);

        let p = Project::on(backend);
        p.write("README.md", "# project\n");
        p.write(".gitignore", ".mockops/\n");
        git(p.root(), &["init", "-b", "main"]);
        git(p.root(), &["config", "user.name", "Repo User"]);
        git(p.root(), &["config", "user.email", "repo@example.com"]);
        git(p.root(), &["add", "README.md", ".gitignore"]);
        git(p.root(), &["commit", "-m", "initial"]);
        git(p.root(), &["remote", "add", "origin", bare_s]);
        git(p.root(), &["push", "origin", "main"]);
        let base_commit = git(p.root(), &["rev-parse", "HEAD"]);

        p.write(
            "pipelines/sdk-pr.yaml",
            r#"name: sdk-pr
triggers:
  - event: custom.sdk
steps:
  - name: write
    type: run
    config:
      command: "mkdir -p sdk && printf 'export const v = 1;\n' > sdk/client.ts && echo notes > other.txt"
  - name: pr
    type: create_pr
    config:
      provider: none
      branch: "mockops/sdk-{{event.payload.name}}"
      paths: ["sdk/**"]
      message: "Regenerate SDK ({{event.payload.name}})"
      title: "Regenerate SDK"
"#,
        );
        let (code, v, err) = p.json(&["pipeline", "run", "sdk-pr", "-p", "name=ts"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let run = &v["runs"][0];
        assert_eq!(run["status"], json!("succeeded"), "{run}");
        let outputs = &run["steps"][1]["outputs"];
        assert_eq!(outputs["branch"], json!("mockops/sdk-ts"));
        assert_eq!(outputs["operation"], json!("created"), "{outputs}");
        assert_eq!(outputs["pr_url"], json!(null));
        let commit = outputs["commit"].as_str().expect("commit").to_string();

        let git_dir = format!("--git-dir={bare_s}");
        let pushed = git(
            remote.path(),
            &[&git_dir, "rev-parse", "refs/heads/mockops/sdk-ts"],
        );
        assert_eq!(pushed, commit);
        assert_eq!(
            git(
                remote.path(),
                &[&git_dir, "show", "refs/heads/mockops/sdk-ts:sdk/client.ts"]
            ),
            "export const v = 1;"
        );
        // only the files matching `paths`, on top of the base
        let files = git(
            remote.path(),
            &[
                &git_dir,
                "ls-tree",
                "-r",
                "--name-only",
                "refs/heads/mockops/sdk-ts",
            ],
        );
        let files: Vec<&str> = files.lines().collect();
        assert_eq!(files, vec![".gitignore", "README.md", "sdk/client.ts"]);
        assert_eq!(
            git(
                remote.path(),
                &[&git_dir, "rev-parse", "refs/heads/mockops/sdk-ts^"]
            ),
            base_commit
        );
        assert_eq!(
            git(
                remote.path(),
                &[
                    &git_dir,
                    "log",
                    "-1",
                    "--format=%s",
                    "refs/heads/mockops/sdk-ts"
                ]
            ),
            "Regenerate SDK (ts)"
        );
        // the checkout is untouched: still on main at the base commit
        assert_eq!(
            git(p.root(), &["rev-parse", "--abbrev-ref", "HEAD"]),
            "main"
        );
        assert_eq!(git(p.root(), &["rev-parse", "HEAD"]), base_commit);
        assert_eq!(
            git(remote.path(), &[&git_dir, "rev-parse", "refs/heads/main"]),
            base_commit
        );

        // the same content again: nothing to commit
        let (code, v, err) = p.json(&["pipeline", "run", "sdk-pr", "-p", "name=ts"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let outputs = &v["runs"][0]["steps"][1]["outputs"];
        assert_eq!(outputs["operation"], json!("none"), "{outputs}");
        assert_eq!(
            git(
                remote.path(),
                &[&git_dir, "rev-parse", "refs/heads/mockops/sdk-ts"]
            ),
            commit
        );

        // changed content: a new commit on the branch
        p.write(
            "pipelines/sdk-pr.yaml",
            &p.read("pipelines/sdk-pr.yaml").replace("v = 1", "v = 2"),
        );
        let (code, v, err) = p.json(&["pipeline", "run", "sdk-pr", "-p", "name=ts"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let outputs = &v["runs"][0]["steps"][1]["outputs"];
        assert_eq!(outputs["operation"], json!("updated"), "{outputs}");
        let second = git(
            remote.path(),
            &[&git_dir, "rev-parse", "refs/heads/mockops/sdk-ts"],
        );
        assert_eq!(outputs["commit"], json!(second));
        assert_eq!(
            git(
                remote.path(),
                &[&git_dir, "rev-parse", "refs/heads/mockops/sdk-ts^"]
            ),
            commit
        );
    }
}

// ---------------------------------------------------------------- regenerate_sdk

backends! {
    fn regenerate_sdk_with_a_command_generator_skips_unchanged_specs(backend) {
        let p = Project::on(backend);
        p.write(
            "specs/api.yaml",
            "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths: {}\n",
        );
        p.write(
            "pipelines/sdk.yaml",
            r#"name: sdk
triggers:
  - event: custom.spec
steps:
  - name: gen
    type: regenerate_sdk
    config:
      spec: specs/api.yaml
      generator: command
      command: "echo run >> generator-runs.txt; cp \"$MOCKOPS_SPEC\" \"$MOCKOPS_OUTPUT_DIR/spec-copy.yaml\"; echo 'export {}' > \"$MOCKOPS_OUTPUT_DIR/index.ts\""
      output: sdks/ts
"#,
        );
        let (code, v, err) = p.json(&["pipeline", "run", "sdk"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let outputs = &v["runs"][0]["steps"][0]["outputs"];
        assert_eq!(outputs["changed"], json!(true), "{outputs}");
        let files: Vec<&str> = outputs["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(files.iter().any(|f| f.ends_with("index.ts")), "{files:?}");
        assert!(
            files.iter().any(|f| f.ends_with("spec-copy.yaml")),
            "{files:?}"
        );
        assert_eq!(p.read("sdks/ts/index.ts"), "export {}\n");
        assert_eq!(p.read("sdks/ts/spec-copy.yaml"), p.read("specs/api.yaml"));
        assert_eq!(p.read("generator-runs.txt").lines().count(), 1);

        // unchanged spec and config: nothing runs
        let (code, v, err) = p.json(&["pipeline", "run", "sdk"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let outputs = &v["runs"][0]["steps"][0]["outputs"];
        assert_eq!(outputs["changed"], json!(false), "{outputs}");
        assert_eq!(outputs["files"], json!([]));
        assert_eq!(p.read("generator-runs.txt").lines().count(), 1);

        // a changed spec runs the generator again
        p.write(
            "specs/api.yaml",
            "openapi: 3.0.3\ninfo: { title: t, version: '2' }\npaths: {}\n",
        );
        let (code, v, err) = p.json(&["pipeline", "run", "sdk"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let outputs = &v["runs"][0]["steps"][0]["outputs"];
        assert_eq!(outputs["changed"], json!(true), "{outputs}");
        assert_eq!(p.read("generator-runs.txt").lines().count(), 2);
        assert_eq!(p.read("sdks/ts/spec-copy.yaml"), p.read("specs/api.yaml"));
    }
}

backends! {
    fn redeliver_renders_target_and_secret_afresh_from_the_pipeline_and_environment(backend) {
        let down = Server::start(503);
        let p = Project::on(backend);
        let pipeline = |url: &str| {
            format!(
                "name: hook\ntriggers:\n  - event: custom.ping\nsteps:\n  - name: tell\n    type: notify\n    retry: {{ attempts: 1 }}\n    config:\n      channel: webhook\n      url: \"{url}\"\n      secret: \"{{{{env.HOOK_SECRET}}}}\"\n      message: \"hello {{{{event.payload.n}}}}\"\n"
            )
        };
        p.write("pipelines/hook.yaml", &pipeline(&down.url("/old")));
        let out = p.run_with(
            &["event", "emit", "custom.ping", "-p", "n=5"],
            &[("HOOK_SECRET", &secret())],
        );
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(down.requests().len(), 1);
        verify(&down.requests()[0]);
        let (_, letters, _) = p.json(&["event", "dead-letters"]);
        assert_eq!(letters.as_array().unwrap().len(), 1);
        assert_eq!(letters[0]["attempts"], json!(1));
        let id = letters[0]["id"].as_str().unwrap().to_string();

        // the receiver moved: the pipeline file says where, the environment holds the secret
        let up = Server::start(200);
        p.write("pipelines/hook.yaml", &pipeline(&up.url("/new")));
        let out = p.run_with(&["event", "redeliver", &id], &[("HOOK_SECRET", &secret())]);
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
        assert_eq!(down.requests().len(), 1);
        let got = up.requests();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].path, "/new");
        assert_eq!(got[0].body, down.requests()[0].body);
        let body = serde_json::from_str::<Value>(&got[0].body).unwrap();
        assert_eq!(body["message"], json!("hello 5"));
        assert_eq!(body["step_name"], json!("tell"));
        verify(&got[0]);
        assert_no_secret(&p, &[&out.stdout, &out.stderr, &letters.to_string()]);
    }
}
