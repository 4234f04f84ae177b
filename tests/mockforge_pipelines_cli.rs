//! MockForge's own pipeline files through the real binary: the corpus under
//! `tests/data/mockforge/pipelines/` (each file names the MockForge struct or document
//! it follows) loads, validates, routes and runs with MockForge's meaning, against real
//! components (a bare git remote, local HTTP servers, a generator process).

mod common;
use common::http::Server;
use common::{git, Project};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A server answering 200 `{}` to everything.
fn ok_server() -> Server {
    Server::start(|_| (200, "{}".into()))
}

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/mockforge/pipelines"
);

/// Copies corpus files into the project's `pipelines/`, pointing their local URLs
/// (`http://127.0.0.1:9`) at `port`.
fn install(p: &Project, files: &[&str], port: u16) {
    for file in files {
        let text = std::fs::read_to_string(Path::new(CORPUS).join(file)).unwrap();
        let text = text.replace("127.0.0.1:9", &format!("127.0.0.1:{port}"));
        p.write(&format!("pipelines/{file}"), &text);
    }
}

fn messages(server: &Server) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.json()["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

const DRIFT: &[&str] = &[
    "drift.threshold_exceeded",
    "-p",
    "service=users",
    "-p",
    "endpoint=GET /users",
    "-p",
    "drift_percent=12.5",
    "-p",
    "threshold_percent=5",
    "-p",
    "drifting=3",
    "-p",
    "total=24",
];

fn emit(p: &Project, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["event", "emit"];
    all.extend_from_slice(args);
    p.json(&all)
}

// ---------------------------------------------------------------- the corpus as a whole

backends! {
    fn the_whole_corpus_validates_with_only_the_warnings_mockforge_forms_earn(backend) {
        let p = Project::on(backend);
        let files: Vec<String> = std::fs::read_dir(CORPUS)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let names: Vec<&str> = files.iter().map(String::as_str).collect();
        install(&p, &names, 9);
        let (code, v, err) = p.json(&["pipeline", "validate"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let mut loaded: Vec<&str> = v["pipelines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        loaded.sort_unstable();
        assert_eq!(
            loaded,
            [
                "auto-sdk-regeneration",
                "drift-gitops-pr",
                "drift-notify",
                "manual-notify",
                "minimal",
                "scoped-notify"
            ],
            "the .json file is read too"
        );
        let warnings: Vec<String> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{}:{} {}", d["file"], d["line"], d["message"]))
            .collect();
        // exactly: four ignored regenerate_sdk keys, two trigger-less and one step-less
        // pipeline, one org_id
        assert_eq!(warnings.len(), 8, "{warnings:#?}");
        for d in v["diagnostics"].as_array().unwrap() {
            assert_eq!(d["severity"], "warning", "{d}");
            assert!(d["line"].is_u64(), "every finding is located: {d}");
        }
    }
}

// ---------------------------------------------------------------- 1. definition.name

backends! {
    fn a_definition_holding_its_own_name_loads_under_that_name(backend) {
        let server = ok_server();
        let p = Project::on(backend);
        install(&p, &["drift-notify.yaml"], server.port);
        let (code, v, err) = p.json(&["pipeline", "list"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v[0]["name"], "drift-notify");
        // only `definition.name`, no outer name: that names the pipeline
        p.write(
            "pipelines/inner-only.yaml",
            "definition:\n  name: inner-name\n  triggers: [{event: custom.x}]\n  steps: []\n",
        );
        // both, different: the outer one wins and the difference is a warning
        p.write(
            "pipelines/both.yaml",
            "name: outer\ndefinition:\n  name: inner\n  triggers: [{event: custom.x}]\n  steps: []\n",
        );
        let (code, v, err) = p.json(&["pipeline", "validate"]);
        assert_eq!(code, 0, "{err}\n{v}");
        let names = v["pipelines"].to_string();
        assert!(
            names.contains("inner-name") && names.contains("outer"),
            "{v}"
        );
        assert!(
            v["diagnostics"].to_string().contains("differs from `name`"),
            "{v}"
        );
    }
}

// ---------------------------------------------------------------- 2. regenerate_sdk

/// A stand-in for openapi-generator in the project's `node_modules/.bin`: writes its
/// argument list into the folder given with `-o`.
const FAKE_GENERATOR: &str = r#"#!/bin/sh
out=""; lang=""
prev=""
for a in "$@"; do
  [ "$prev" = "-o" ] && out="$a"
  [ "$prev" = "-g" ] && lang="$a"
  prev="$a"
done
mkdir -p "$out"
echo "$lang" > "$out/generator.txt"
"#;

backends! {
    fn regenerate_sdk_in_mockforges_form_defaults_the_output_and_maps_short_languages(backend) {
        let p = Project::on(backend);
        install(&p, &["auto-sdk-regeneration.yaml"], 9);
        p.write(
            "specs/api.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        );
        p.write("node_modules/.bin/openapi-generator-cli", FAKE_GENERATOR);
        std::fs::set_permissions(
            p.path("node_modules/.bin/openapi-generator-cli"),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();

        let out = p.run(&["pipeline", "validate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        for (key, instead) in [
            ("port", "mockops federation serve"),
            ("enable_cors", "generates no server"),
            ("default_delay_ms", "latency_ms"),
            ("mock_data_strategy", "make no mock data"),
        ] {
            let line = out
                .stderr
                .lines()
                .find(|l| l.contains(&format!("`{key}` is not used by mockops")))
                .unwrap_or_else(|| panic!("no warning for `{key}`: {}", out.stderr));
            assert!(
                line.starts_with("warning: pipelines/auto-sdk-regeneration.yaml:"),
                "{line}"
            );
            assert!(
                line.contains(instead),
                "the warning says what mockops does: {line}"
            );
        }

        let changed = [
            "schema.changed",
            "-p",
            "spec_path=specs/api.yaml",
            "-p",
            "spec_name=api",
            "-p",
            "schema_type=openapi",
            "-p",
            "old_hash=a",
            "-p",
            "new_hash=b",
            "-p",
            "breaking_count=0",
            "-p",
            "changes=[]",
            "-p",
            "summary=none",
        ];
        // the ignored keys are dropped from the config the step gets
        let mut dry = changed.to_vec();
        dry.push("--dry-run");
        let (code, v, err) = emit(&p, &dry);
        assert_eq!(code, 0, "{err}");
        let config = v["pipelines"][0]["steps"][0]["config"]
            .as_object()
            .unwrap()
            .clone();
        let mut keys: Vec<&str> = config.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["languages", "spec_path"], "{v}");

        let (code, v, err) = emit(&p, &changed);
        assert_eq!(code, 0, "{err}\n{v}");
        let step = &v["runs"][0]["steps"][0];
        assert_eq!(step["status"], "succeeded", "{step}");
        assert_eq!(step["outputs"]["output"], "generated-sdks");
        // MockForge's `ts` and `rs` reach the generator as `typescript` and `rust`
        assert_eq!(
            p.read("generated-sdks/typescript/generator.txt").trim(),
            "typescript"
        );
        assert_eq!(p.read("generated-sdks/rust/generator.txt").trim(), "rust");
    }
}

// ---------------------------------------------------------------- 3. no triggers, no steps

backends! {
    fn a_pipeline_without_triggers_runs_by_hand_only_and_one_without_steps_warns(backend) {
        let server = ok_server();
        let p = Project::on(backend);
        install(&p, &["minimal.yaml", "manual-notify.yaml"], server.port);
        let out = p.run(&["pipeline", "validate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stderr.contains("pipelines/minimal.yaml:")
                && out.stderr.contains("`minimal` has no triggers")
                && out.stderr.contains("`minimal` has no steps")
                && out
                    .stderr
                    .contains("mockops pipeline run manual-notify --event TYPE"),
            "{}",
            out.stderr
        );
        // no event starts them
        let (code, v, err) = emit(&p, &["custom.anything"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["runs"], json!([]));
        assert!(server.requests().is_empty());
        // by hand they run; without --event the message says what to give
        let out = p.run(&["pipeline", "run", "manual-notify"]);
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("--event TYPE"), "{}", out.stderr);
        let (code, v, err) = p.json(&["pipeline", "run", "manual-notify", "--event", "custom.go"]);
        assert_eq!(code, 0, "{err}\n{v}");
        assert_eq!(v["runs"][0]["status"], "succeeded", "{v}");
        assert_eq!(
            messages(&server),
            vec![format!("manual custom.go for {}", workspace(&p))]
        );
        let (code, v, err) = p.json(&["pipeline", "run", "minimal", "--event", "custom.go"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["runs"][0]["status"], "succeeded");
        let (_, list, _) = p.json(&["pipeline", "list"]);
        assert_eq!(list[0]["triggers"], json!([]));
    }
}

fn workspace(p: &Project) -> String {
    let (_, events, _) = p.json(&["event", "list", "--limit", "1"]);
    events[0]["workspace_id"].as_str().unwrap().to_string()
}

// ---------------------------------------------------------------- 5. templates

backends! {
    fn mockforges_flat_variables_and_its_guides_event_names_resolve(backend) {
        let server = ok_server();
        let p = Project::on(backend);
        install(&p, &["drift-notify.yaml"], server.port);
        // validate and run agree: no warning for `event.event_type`, and the run succeeds
        let out = p.run(&["pipeline", "validate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(!out.stderr.contains("warning:"), "{}", out.stderr);
        let mut args = DRIFT.to_vec();
        args.extend(["--workspace", "ws-1"]);
        let (code, v, err) = emit(&p, &args);
        assert_eq!(code, 0, "{err}\n{v}");
        assert_eq!(
            messages(&server),
            vec![
                "drift.threshold_exceeded ws=ws-1 org=[] endpoint=GET /users guide=drift.threshold_exceeded/ws-1"
                    .to_string()
            ]
        );
    }
}

backends! {
    fn a_flat_payload_key_validate_cannot_promise_warns_and_the_run_says_which(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/counts.yaml",
            "name: counts\ndefinition:\n  name: counts\n  triggers: [{event: drift.threshold_exceeded}]\n  steps:\n    - name: s\n      step_type: run\n      config: {command: \"echo {{ticket}}\"}\n",
        );
        let out = p.run(&["pipeline", "validate"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stderr
                .contains("`ticket` is not a required payload key")
                && out
                    .stderr
                    .contains("fails unless the event's payload has it"),
            "{}",
            out.stderr
        );
        let (code, v, _) = emit(&p, DRIFT);
        assert_eq!(code, 1);
        assert!(
            v["runs"][0]["steps"][0]["error"]
                .as_str()
                .unwrap()
                .contains("missing value `ticket`"),
            "{v}"
        );
        let mut args = DRIFT.to_vec();
        args.extend(["-p", "ticket=OPS-4"]);
        let (code, v, err) = emit(&p, &args);
        assert_eq!(code, 0, "{err}\n{v}");
    }
}

// ---------------------------------------------------------------- 8. JSON files

backends! {
    fn the_apis_json_form_is_read_from_the_folder_and_scoped_to_its_workspace(backend) {
        let server = ok_server();
        let p = Project::on(backend);
        install(&p, &["api-create-request.json"], server.port);
        let (code, v, err) = p.json(&["pipeline", "list"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v[0]["name"], "scoped-notify");
        assert_eq!(v[0]["file"], "pipelines/api-create-request.json");
        let published = [
            "scenario.published",
            "-p",
            "scenario_id=checkout",
            "-p",
            "scenario_name=Checkout",
            "-p",
            "version=1",
            "-p",
            "environment=dev",
        ];
        // another workspace's event: MockForge's `workspace_id` keeps the pipeline out
        let (code, v, err) = emit(&p, &published);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["runs"], json!([]));
        let mut args = published.to_vec();
        args.extend(["--workspace", "550e8400-e29b-41d4-a716-446655440000"]);
        let (code, v, err) = emit(&p, &args);
        assert_eq!(code, 0, "{err}\n{v}");
        assert_eq!(v["runs"][0]["pipeline"], "scoped-notify");
        assert_eq!(
            messages(&server),
            vec!["Scenario Checkout published in 550e8400-e29b-41d4-a716-446655440000".to_string()]
        );
    }
}

// ---------------------------------------------------------------- 11. one bad file

backends! {
    fn an_invalid_file_is_reported_while_every_valid_pipeline_runs_then_exit_2(backend) {
        let server = ok_server();
        let p = Project::on(backend);
        install(
            &p,
            &["drift-notify.yaml", "manual-notify.yaml"],
            server.port,
        );
        p.write(
            "pipelines/broken.yaml",
            "name: broken\ndefinition:\n  name: broken\n  triggers: [{event: drift.threshold_exceeded}]\n  steps:\n    - {name: s, step_type: notfy}\n",
        );
        let (code, v, err) = emit(&p, DRIFT);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("pipelines/broken.yaml:6:"), "located: {err}");
        assert_eq!(v["runs"][0]["pipeline"], "drift-notify", "{v}");
        assert_eq!(v["runs"][0]["status"], "succeeded", "{v}");
        assert_eq!(server.requests().len(), 1);
        let (_, events, _) = p.json(&["event", "list"]);
        assert_eq!(events.as_array().unwrap().len(), 1, "the event is stored");
        // replay and `pipeline run` of a valid pipeline: the same
        let id = v["event_id"].as_str().unwrap();
        let (code, v, err) = p.json(&["event", "replay", id]);
        assert_eq!(code, 2, "{err}");
        assert_eq!(v["runs"][0]["status"], "succeeded");
        let (code, v, err) = p.json(&["pipeline", "run", "manual-notify", "--event", "custom.x"]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("pipelines/broken.yaml:6:"), "{err}");
        assert_eq!(v["runs"][0]["status"], "succeeded");
        assert_eq!(server.requests().len(), 3);
        // the broken pipeline itself cannot be run, and says why
        let out = p.run(&["pipeline", "run", "broken"]);
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("invalid files above"), "{}", out.stderr);
    }
}

// ---------------------------------------------------------------- 14. all errors at once

backends! {
    fn every_missing_payload_key_is_named_at_once(backend) {
        let p = Project::on(backend);
        let out = p.run(&[
            "event",
            "emit",
            "drift.threshold_exceeded",
            "-p",
            "service=users",
        ]);
        assert_eq!(out.code, 2);
        assert!(
            out.stderr.contains(
                "needs payload keys `endpoint`, `drift_percent`, `threshold_percent`, `drifting` and `total`"
            ),
            "{}",
            out.stderr
        );
    }
}

backends! {
    fn every_error_of_a_pipeline_file_is_reported_in_one_run_each_located(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/many.yaml",
            r#"name: many
descripton: typo at the top
definition_x: 1
triggers:
  - event: custom.a
    filter: {}
steps:
  - name: one
    tpye: run
    type: run
    retry: {tries: 2}
    config: {command: "echo {{event.type}"}
  - name: two
    type: run
    config: {comand: x}
"#,
        );
        let out = p.run(&["pipeline", "validate"]);
        assert_eq!(out.code, 2);
        let errors: Vec<&str> = out
            .stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect();
        for (place, says) in [
            (
                ":2:1:",
                "unknown field `descripton` (did you mean `description`?)",
            ),
            (":3:1:", "unknown field `definition_x`"),
            (":6:5:", "unknown field `filter` (did you mean `filters`?)"),
            (":9:5:", "unknown field `tpye` (did you mean `type`?)"),
            (":11:13:", "unknown field `tries`"),
            (":12:29:", "template syntax error: `{{` is not closed"),
            (
                ":15:22:",
                "unknown config key `comand` for type `run` (did you mean `command`?)",
            ),
            (":14:11:", "`command` is required"),
        ] {
            assert!(
                errors
                    .iter()
                    .any(|l| l.contains(&format!("pipelines/many.yaml{place}")) && l.contains(says)),
                "expected {place} {says} in:\n{}",
                out.stderr
            );
        }
        assert_eq!(errors.len(), 8, "{}", out.stderr);
        // no grammar rule names of the template parser reach the reader
        assert!(!out.stderr.contains("trailing_tilde"), "{}", out.stderr);
    }
}

// ---------------------------------------------------------------- 15. create_pr

/// A fake GitHub for `acme/api`: lists no open pull request, and answers the creation
/// with 500 until `accept` is set, then with PR #12.
fn fake_github(accept: Arc<AtomicBool>) -> Server {
    Server::start(move |r| {
        let pr = json!({"number": 12, "html_url": "https://github.example/acme/api/pull/12"});
        match (r.method.as_str(), r.path.split('?').next().unwrap_or("")) {
            ("GET", "/repos/acme/api/pulls") => (200, "[]".into()),
            ("POST", "/repos/acme/api/pulls") if accept.load(Ordering::SeqCst) => {
                (201, pr.to_string())
            }
            ("POST", "/repos/acme/api/pulls") => (500, "{\"message\":\"try later\"}".into()),
            _ => (404, "{\"message\":\"Not Found\"}".into()),
        }
    })
}

backends! {
    fn create_pr_retries_dead_letters_redelivers_and_keeps_files_out_of_the_checkout(backend) {
        let remote = tempfile::tempdir().unwrap();
        let bare = remote.path().join("origin.git");
        let bare_s = bare.to_str().unwrap();
        git(remote.path(), &["init", "--bare", "-b", "main", bare_s]);
        let accept = Arc::new(AtomicBool::new(false));
        let api = fake_github(accept.clone());

        let p = Project::on(backend);
        install(&p, &["drift-gitops-pr.yaml"], api.port);
        p.write(".gitignore", ".mockops/\n");
        git(p.root(), &["init", "-b", "main"]);
        git(p.root(), &["add", "."]);
        git(p.root(), &["commit", "-m", "initial"]);
        git(p.root(), &["remote", "add", "origin", bare_s]);
        git(p.root(), &["push", "origin", "main"]);

        let (code, v, err) = emit(&p, DRIFT);
        assert_eq!(code, 1, "{err}\n{v}");
        let step = &v["runs"][0]["steps"][0];
        assert_eq!(step["status"], "failed", "{step}");
        // tried as often as notify's default policy: three times
        assert_eq!(step["attempts"], json!(3), "{step}");
        let posts = |api: &Server| api.requests().iter().filter(|r| r.method == "POST").count();
        assert_eq!(posts(&api), 3);
        // the branch went out with MockForge's `files`, and the checkout is as it was
        let git_dir = format!("--git-dir={bare_s}");
        assert_eq!(
            git(
                remote.path(),
                &[
                    &git_dir,
                    "show",
                    "refs/heads/mockforge/drift-report:drift-report.json"
                ]
            ),
            r#"{"endpoint": "GET /users", "drifting": 3}"#
        );
        assert!(!p.path("drift-report.json").exists());
        assert_eq!(git(p.root(), &["status", "--porcelain"]), "");

        // the pull request it could not open is a dead letter, without the token
        let (_, letters, _) = p.json(&["event", "dead-letters"]);
        let letter = &letters[0];
        assert_eq!(letter["step"], "create_pr", "{letters}");
        assert_eq!(letter["attempts"], json!(3));
        let target = letter["target"].as_str().unwrap();
        assert!(target.contains("github pull request acme/api"), "{target}");
        assert!(!p.state_contains("ghp_corpus_not_a_real_token"));

        // once the API answers, redelivery opens it
        accept.store(true, Ordering::SeqCst);
        let id = letter["id"].as_str().unwrap();
        let (code, v, err) = p.json(&["event", "redeliver", id]);
        assert_eq!(code, 0, "{err}\n{v}");
        assert_eq!(v["delivered"], json!(true));
        assert_eq!(
            v["outputs"]["pr_url"],
            "https://github.example/acme/api/pull/12"
        );
        let opened = api
            .requests()
            .into_iter()
            .rfind(|r| r.method == "POST")
            .unwrap()
            .json();
        assert_eq!(opened["head"], "mockforge/drift-report");
        assert_eq!(opened["base"], "main");
        assert_eq!(opened["title"], "Drift Violation: GET /users");
        let (_, letters, _) = p.json(&["event", "dead-letters"]);
        assert_eq!(letters, json!([]), "delivered letters leave the list");
        let again = p.run(&["event", "redeliver", id]);
        assert_eq!(again.code, 2);
        assert!(
            again.stderr.contains("already redelivered"),
            "{}",
            again.stderr
        );
        assert_eq!(git(p.root(), &["status", "--porcelain"]), "");
    }
}

backends! {
    fn a_staged_json_pipeline_is_checked_by_the_pre_commit_hook(backend) {
        let p = Project::on(backend);
        git(p.root(), &["init", "-q", "-b", "main"]);
        git(p.root(), &["commit", "-q", "--allow-empty", "-m", "init"]);
        install(&p, &["api-create-request.json"], 9);
        git(p.root(), &["add", "pipelines/api-create-request.json"]);
        let out = p.run(&["hook", "run", "pre-commit"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        p.write(
            "pipelines/api-create-request.json",
            &p.read("pipelines/api-create-request.json")
                .replace("\"step_type\": \"notify\"", "\"step_type\": \"notfy\""),
        );
        git(p.root(), &["add", "pipelines/api-create-request.json"]);
        let out = p.run(&["hook", "run", "pre-commit"]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(
            out.stderr.contains("pipelines/api-create-request.json:")
                && out.stderr.contains("unknown step type `notfy`"),
            "{}",
            out.stderr
        );
    }
}

backends! {
    fn step_defaults_and_duplicate_names_are_located_and_said_once(backend) {
        let p = Project::on(backend);
        p.write(
            "pipelines/defaults.yaml",
            r#"name: defaults
definition:
  name: shared
  triggers: [{event: custom.a}]
  step_defaults:
    notifyy: {}
    regenerate_sdk:
      port: 3000
      outptu: sdks
  steps:
    - {name: one, step_type: regenerate_sdk, config: {spec_path: a.yaml, generator: openapi-typescript}}
    - {name: two, step_type: regenerate_sdk, config: {spec_path: b.yaml, generator: openapi-typescript}}
"#,
        );
        p.write("pipelines/a-first.yaml", "name: dup\nsteps: []\n");
        p.write(
            "pipelines/other.yaml",
            "triggers: []\nname: dup\nsteps: []\n",
        );
        let out = p.run(&["pipeline", "validate"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        let lines: Vec<&str> = out.stderr.lines().collect();
        let one = |place: &str, says: &str| {
            let found: Vec<&&str> = lines
                .iter()
                .filter(|l| l.contains(place) && l.contains(says))
                .collect();
            assert_eq!(found.len(), 1, "{place} {says} once in:\n{}", out.stderr);
        };
        one(
            "error: pipelines/defaults.yaml:6:5:",
            "unknown step type `notifyy` (did you mean `notify`?)",
        );
        one(
            "error: pipelines/defaults.yaml:9:15:",
            "unknown config key `outptu` (did you mean `output`?)",
        );
        one(
            "warning: pipelines/defaults.yaml:8:13:",
            "`port` is not used by mockops",
        );
        one(
            "error: pipelines/other.yaml:2:7:",
            "pipeline name `dup` is already used by pipelines/a-first.yaml",
        );
    }
}
