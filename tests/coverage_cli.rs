//! Coverage and drift through the real binary: `coverage ingest` (HAR, JSON Lines, bad
//! entries, duplicates, CI runs), `coverage report` (JSON keys, Markdown, HTML, windows,
//! heatmap, gates) and `drift check` (budgets, events, pipelines).

mod common;
use common::{Backend, Project};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const OPTIC_HAR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/realworld/har/optic-books-capture.har"
);
const OPTIC_SPEC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/realworld/har/optic-books-capture.openapi.yml"
);
const BOM_HAR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/realworld/har/mitmproxy-with-bom.har"
);

/// CI variables a developer's or CI's environment may set; removed so that runs are
/// deterministic (the ingest reads them for `ci_run`).
const CI_VARS: &[&str] = &[
    "GITHUB_RUN_ID",
    "CI_PIPELINE_ID",
    "BUILDKITE_BUILD_ID",
    "CIRCLE_WORKFLOW_ID",
    "CIRCLE_BUILD_NUM",
    "BUILD_BUILDID",
    "BUILD_TAG",
    "BUILD_ID",
];

/// Runs mockops with the CI variables removed and `env` set.
fn run_clean(p: &Project, args: &[&str], env: &[(&str, &str)]) -> common::Output {
    let mut c = p.cmd();
    for v in CI_VARS {
        c.env_remove(v);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args);
    let out = c.output().expect("run mockops");
    common::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `--format json` + `run_clean`, parsed.
fn json_clean(p: &Project, args: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = run_clean(p, &all, env);
    let v = out.json();
    (out.code, v, out.stderr)
}

fn optic_project(backend: Backend) -> Project {
    let p = Project::on(backend);
    p.write(
        "specs/books.yml",
        &std::fs::read_to_string(OPTIC_SPEC).unwrap(),
    );
    p.write(
        "mockops.yaml",
        "specs:\n  - path: specs/books.yml\n    service: books\n",
    );
    p
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn midnight(at: chrono::DateTime<chrono::Utc>) -> String {
    at.date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn endpoint<'a>(report: &'a Value, method: &str, path: &str) -> &'a Value {
    report["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["method"] == method && e["path"] == path)
        .unwrap_or_else(|| panic!("no endpoint {method} {path} in {}", report["endpoints"]))
}

backends! {
    fn ingest_har_twice_counts_duplicates_and_the_bom_har_ingests(backend) {
        let p = optic_project(backend);
        let (code, v, err) = json_clean(&p, &["coverage", "ingest", OPTIC_HAR], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            keys(&v),
            set(&["files", "read", "ingested", "duplicates", "rejected"])
        );
        assert_eq!(v["files"], json!(1));
        assert_eq!(v["read"], json!(10), "{v}");
        assert_eq!(v["ingested"], json!(10), "{v}");
        assert_eq!(v["duplicates"], json!(0));
        assert_eq!(v["rejected"], json!([]));

        // the same file again adds nothing
        let (code, v, err) = json_clean(&p, &["coverage", "ingest", OPTIC_HAR], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["read"], json!(10));
        assert_eq!(v["ingested"], json!(0));
        assert_eq!(v["duplicates"], json!(10));
        let (_, report, _) = json_clean(&p, &["coverage", "report", "--since", "all"], &[]);
        assert_eq!(report["summary"]["exchanges"], json!(10));

        // a BOM-prefixed HAR (mitmproxy) ingests
        let (code, v, err) = json_clean(&p, &["coverage", "ingest", BOM_HAR], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["ingested"], json!(1), "{v}");
        assert_eq!(v["rejected"], json!([]));
    }
}

backends! {
    fn ingest_jsonl_keeps_good_lines_and_rejects_bad_ones_with_line_numbers(backend) {
        let p = Project::on(backend);
        p.write(
            "traffic.jsonl",
            concat!(
                "{\"method\":\"GET\",\"path\":\"/a\",\"status\":200}\n",
                "this is not json\n",
                "\n",
                "{\"method\":\"GET\",\"path\":\"/b\"}\n",
                "{\"method\":\"post\",\"path\":\"/c?x=1\",\"status\":201,\"other\":\"ignored\"}\n",
                "[1,2]\n",
            ),
        );
        let (code, v, err) = json_clean(&p, &["coverage", "ingest", "traffic.jsonl"], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["files"], json!(1));
        assert_eq!(v["read"], json!(5), "blank lines are not read: {v}");
        assert_eq!(v["ingested"], json!(2));
        let rejected = v["rejected"].as_array().unwrap();
        let lines: Vec<u64> = rejected
            .iter()
            .map(|r| r["entry"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, vec![2, 4, 6], "{v}");
        for r in rejected {
            assert_eq!(keys(r), set(&["file", "entry", "reason"]));
            assert!(r["file"].as_str().unwrap().ends_with("traffic.jsonl"));
            assert!(!r["reason"].as_str().unwrap().is_empty());
        }
        assert!(
            rejected[1]["reason"].as_str().unwrap().contains("status"),
            "{}",
            rejected[1]
        );
        // the warnings name file and line on stderr
        assert!(err.contains("traffic.jsonl"), "{err}");

        // the kept exchanges are in the report, query split off, method upper-cased
        let (_, report, _) = json_clean(&p, &["coverage", "report", "--since", "all"], &[]);
        assert_eq!(report["summary"]["exchanges"], json!(2));
        let undeclared: BTreeSet<(String, String)> = report["undeclared"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                (
                    u["method"].as_str().unwrap().to_string(),
                    u["path"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            undeclared,
            [("GET", "/a"), ("POST", "/c")]
                .iter()
                .map(|(m, p)| (m.to_string(), p.to_string()))
                .collect()
        );
    }
}

backends! {
    fn ingest_of_nothing_valid_or_a_missing_file_is_exit_2(backend) {
        let p = Project::on(backend);
        p.write("garbage.jsonl", "this is not json\n{{{\n");
        let out = run_clean(&p, &["coverage", "ingest", "garbage.jsonl"], &[]);
        assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("garbage.jsonl"), "{}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);

        p.write("broken.har", "not json at all");
        let out = run_clean(&p, &["coverage", "ingest", "broken.har"], &[]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("broken.har"), "{}", out.stderr);

        let out = run_clean(&p, &["coverage", "ingest", "nowhere.har"], &[]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("nowhere.har"), "{}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);

        let (_, report, _) = json_clean(&p, &["coverage", "report", "--since", "all"], &[]);
        assert_eq!(report["summary"]["exchanges"], json!(0));
    }
}

backends! {
    fn scenario_persona_and_ci_run_come_from_flags_and_the_ci_environment(backend) {
        let p = Project::on(backend);
        p.write(
            "one.jsonl",
            "{\"method\":\"GET\",\"path\":\"/one\",\"status\":200}\n{\"method\":\"GET\",\"path\":\"/one/b\",\"status\":200}\n",
        );
        p.write(
            "two.jsonl",
            "{\"method\":\"GET\",\"path\":\"/two\",\"status\":200}\n",
        );
        p.write(
            "three.jsonl",
            "{\"method\":\"GET\",\"path\":\"/three\",\"status\":200}\n",
        );
        p.write(
            "four.jsonl",
            "{\"method\":\"GET\",\"path\":\"/four\",\"status\":200,\"persona\":\"carol\",\"ci_run\":\"own-run\",\"scenario\":\"own\"}\n",
        );
        let out = run_clean(
            &p,
            &[
                "coverage",
                "ingest",
                "one.jsonl",
                "--scenario",
                "smoke",
                "--persona",
                "alice",
                "--ci-run",
                "run-1",
            ],
            &[],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        // the CI run from GitHub Actions' variable
        let out = run_clean(
            &p,
            &["coverage", "ingest", "two.jsonl", "--persona", "alice"],
            &[("GITHUB_RUN_ID", "gh-4242")],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        // the flag wins over the environment
        let out = run_clean(
            &p,
            &[
                "coverage",
                "ingest",
                "three.jsonl",
                "--persona",
                "bob",
                "--ci-run",
                "run-1",
            ],
            &[("GITHUB_RUN_ID", "gh-4242")],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        // the entry's own fields win over the flags
        let out = run_clean(
            &p,
            &[
                "coverage",
                "ingest",
                "four.jsonl",
                "--persona",
                "bob",
                "--scenario",
                "smoke",
            ],
            &[("GITHUB_RUN_ID", "gh-4242")],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);

        let (code, report, err) = json_clean(&p, &["coverage", "report", "--since", "all"], &[]);
        assert_eq!(code, 0, "{err}");
        let personas = report["personas"].as_array().unwrap();
        let by_name = |n: &str| {
            personas
                .iter()
                .find(|x| x["persona"] == n)
                .unwrap_or_else(|| panic!("no persona {n}: {personas:?}"))
                .clone()
        };
        assert_eq!(personas.len(), 3, "{personas:?}");
        let alice = by_name("alice");
        assert_eq!(alice["hits"], json!(3));
        assert_eq!(alice["ci_runs"], json!(2), "run-1 and gh-4242: {alice}");
        assert!(alice["last_seen"].as_str().unwrap().ends_with('Z'));
        let bob = by_name("bob");
        assert_eq!(bob["hits"], json!(1));
        assert_eq!(bob["ci_runs"], json!(1));
        let carol = by_name("carol");
        assert_eq!(carol["hits"], json!(1));
        assert_eq!(carol["ci_runs"], json!(1));
        for x in personas {
            assert_eq!(keys(x), set(&["persona", "ci_runs", "hits", "last_seen"]));
        }
        let scenarios: Vec<(String, u64)> = report["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["scenario"].as_str().unwrap().to_string(),
                    s["hits"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            scenarios,
            vec![("own".to_string(), 1), ("smoke".to_string(), 2)]
        );
    }
}

backends! {
    fn report_over_the_optic_capture_has_the_exact_shape(backend) {
        let p = optic_project(backend);
        let out = run_clean(&p, &["coverage", "ingest", OPTIC_HAR], &[]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let (code, r, err) = json_clean(&p, &["coverage", "report", "--since", "all"], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            keys(&r),
            set(&[
                "endpoints",
                "undeclared",
                "services_without_spec",
                "gateway_answers",
                "summary",
                "scenarios",
                "personas",
                "staleness",
                "drift"
            ])
        );
        assert_eq!(
            keys(&r["summary"]),
            set(&[
                "operations",
                "covered",
                "full",
                "coverage_percent",
                "exchanges"
            ])
        );
        // the spec has two operations: GET /books (200) and POST /form (no responses)
        assert_eq!(r["summary"]["operations"], json!(2), "{}", r["endpoints"]);
        assert_eq!(r["summary"]["exchanges"], json!(10));
        assert_eq!(r["summary"]["covered"], json!(2));
        assert_eq!(r["summary"]["coverage_percent"].as_f64(), Some(100.0));
        for e in r["endpoints"].as_array().unwrap() {
            assert_eq!(
                keys(e),
                set(&[
                    "service",
                    "method",
                    "path",
                    "operation_id",
                    "hits",
                    "statuses_declared",
                    "statuses_seen",
                    "status"
                ])
            );
            assert_eq!(e["service"], json!("books"));
            assert!(
                ["full", "partial", "none"].contains(&e["status"].as_str().unwrap()),
                "{e}"
            );
        }
        let books = endpoint(&r, "GET", "/books");
        assert_eq!(books["hits"], json!(1));
        assert_eq!(books["statuses_declared"], json!(["200"]));
        assert_eq!(books["statuses_seen"], json!([200]));
        assert_eq!(books["status"], json!("full"));
        let form = endpoint(&r, "POST", "/form");
        assert_eq!(form["hits"], json!(1));
        assert_eq!(form["statuses_declared"], json!([]));
        assert_eq!(form["statuses_seen"], json!([200]));
        // no declared status: every declared status was seen
        assert_eq!(form["status"], json!("full"));
        assert_eq!(r["summary"]["full"], json!(2));

        // the other eight exchanges (GET /books/{id}, /authors…) match no operation
        let undeclared = r["undeclared"].as_array().unwrap();
        let total: u64 = undeclared.iter().map(|u| u["hits"].as_u64().unwrap()).sum();
        assert_eq!(total, 8, "{undeclared:?}");
        for u in undeclared {
            assert_eq!(
                keys(u),
                set(&["service", "method", "path", "hits", "candidates"])
            );
        }
        let authors = undeclared
            .iter()
            .find(|u| u["method"] == "POST" && u["path"] == "/authors")
            .expect("POST /authors undeclared");
        assert_eq!(authors["hits"], json!(2));
        // no federation: no staleness rows; no budgets: drift rows have no budget
        assert_eq!(r["staleness"], json!([]));
        for d in r["drift"].as_array().unwrap() {
            assert_eq!(
                keys(d),
                set(&[
                    "service",
                    "endpoint",
                    "total",
                    "drifting",
                    "drift_percent",
                    "budget_percent",
                    "exceeded",
                    "verdict"
                ])
            );
            assert_eq!(d["exceeded"], json!(false));
            assert_eq!(d["verdict"], Value::Null, "no budget, no verdict");
        }

        // markdown
        let md = run_clean(
            &p,
            &[
                "coverage", "report", "--since", "all", "--format", "markdown",
            ],
            &[],
        );
        assert_eq!(md.code, 0, "{}", md.stderr);
        assert!(md.stdout.contains("/books"), "{}", md.stdout);
        assert!(md.stdout.contains("| "), "{}", md.stdout);
        assert!(md.stdout.contains('#'), "{}", md.stdout);
        assert!(md.stdout.contains("100"), "{}", md.stdout);

        // html, written to a file, self-contained, even when traffic carries markup
        p.write(
            "evil.jsonl",
            "{\"method\":\"GET\",\"path\":\"/x<script src=\\\"http://evil.example/x.js\\\"></script>\",\"status\":200,\"scenario\":\"<link rel=stylesheet href=http://evil.example/s.css>\"}\n",
        );
        let out = run_clean(&p, &["coverage", "ingest", "evil.jsonl"], &[]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let html = run_clean(
            &p,
            &[
                "coverage",
                "report",
                "--since",
                "all",
                "--format",
                "html",
                "-o",
                "report.html",
            ],
            &[],
        );
        assert_eq!(html.code, 0, "{}", html.stderr);
        assert_eq!(html.stdout, "", "the report goes to the file");
        let page = p.read("report.html");
        assert!(page.to_lowercase().contains("<html"), "{page}");
        assert!(page.contains("/books"));
        assert!(
            page.contains("evil.example"),
            "the undeclared path is listed, escaped"
        );
        let lower = page.to_lowercase();
        for bad in ["<script", "<link", "@import", "url(http", "src=\"http"] {
            assert!(!lower.contains(bad), "HTML loads {bad}");
        }

        // a gate no report could meet, or one that could never fail, is bad input
        for bad in ["101", "NaN", "-5", "inf", "half"] {
            let gate = format!("--fail-under={bad}");
            let out = run_clean(&p, &["coverage", "report", "--since", "all", &gate], &[]);
            assert_eq!(out.code, 2, "--fail-under {bad}: {}", out.stderr);
            assert!(
                out.stderr.contains("expected a percentage from 0 to 100"),
                "{}",
                out.stderr
            );
        }
        let out = run_clean(
            &p,
            &[
                "coverage",
                "report",
                "--since",
                "all",
                "--fail-under",
                "100",
            ],
            &[],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
}

backends! {
    fn an_empty_state_gives_an_honest_empty_report(backend) {
        let p = optic_project(backend);
        let (code, r, err) = json_clean(&p, &["coverage", "report", "--since", "all"], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            r["summary"],
            json!({"operations": 2, "covered": 0, "full": 0, "coverage_percent": 0.0, "exchanges": 0})
        );
        // a gate that is not met: the report is printed, then exit 1
        let out = run_clean(
            &p,
            &[
                "--format",
                "json",
                "coverage",
                "report",
                "--since",
                "all",
                "--fail-under",
                "0.5",
            ],
            &[],
        );
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(
            out.json()["summary"]["coverage_percent"].as_f64(),
            Some(0.0)
        );
        assert!(out.stderr.contains("is under 0.5%"), "{}", out.stderr);
        let gate_at_zero = ["coverage", "report", "--since", "all", "--fail-under", "0"];
        assert_eq!(run_clean(&p, &gate_at_zero, &[]).code, 0);
        for e in r["endpoints"].as_array().unwrap() {
            assert_eq!(e["status"], json!("none"));
            assert_eq!(e["hits"], json!(0));
            assert_eq!(e["statuses_seen"], json!([]));
        }
        assert_eq!(r["undeclared"], json!([]));
        assert_eq!(r["scenarios"], json!([]));
        assert_eq!(r["personas"], json!([]));
        assert_eq!(r["drift"], json!([]));
        // the other formats too
        for format in ["table", "markdown", "html"] {
            let out = run_clean(
                &p,
                &["coverage", "report", "--since", "all", "--format", format],
                &[],
            );
            assert_eq!(out.code, 0, "{format}: {}", out.stderr);
            assert!(!out.stdout.is_empty(), "{format}");
        }
        // and without any project settings at all
        let bare = Project::on(backend);
        let (code, r, err) = json_clean(&bare, &["coverage", "report"], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(r["summary"]["operations"], json!(0));
        assert_eq!(r["summary"]["exchanges"], json!(0));
        assert_eq!(r["endpoints"], json!([]));
    }
}

backends! {
    fn since_windows_the_report_and_the_heatmap_has_daily_buckets_with_empty_days(backend) {
        let p = Project::on(backend);
        let now = chrono::Utc::now();
        let day = chrono::Duration::days(1);
        let old = now - day * 30;
        let three = now - day * 3;
        let one = now - day;
        let recent = now - chrono::Duration::minutes(5);
        let lines = [
            json!({"timestamp": rfc3339(old), "method": "GET", "path": "/old", "status": 200, "scenario": "checkout", "persona": "old-timer"}),
            json!({"timestamp": three.timestamp_millis(), "method": "GET", "path": "/x", "status": 200, "scenario": "checkout"}),
            json!({"timestamp": rfc3339(one), "method": "GET", "path": "/x", "status": 200, "scenario": "checkout"}),
            json!({"timestamp": rfc3339(one + chrono::Duration::seconds(1)), "method": "GET", "path": "/y", "status": 200, "scenario": "checkout"}),
            json!({"timestamp": rfc3339(recent), "method": "GET", "path": "/x", "status": 200, "scenario": "browse"}),
        ];
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        p.write("t.jsonl", &text);
        let (code, v, err) = json_clean(&p, &["coverage", "ingest", "t.jsonl"], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["ingested"], json!(5));

        let (code, r, err) = json_clean(&p, &["coverage", "report", "--since", "7d"], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(r["summary"]["exchanges"], json!(4), "the old one is out");
        assert_eq!(r["personas"], json!([]), "old-timer is out of the window");
        assert!(
            !r["undeclared"]
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u["path"] == "/old"),
            "{}",
            r["undeclared"]
        );
        let scenarios = r["scenarios"].as_array().unwrap();
        assert_eq!(scenarios.len(), 2);
        for s in scenarios {
            assert_eq!(keys(s), set(&["scenario", "hits", "buckets"]));
            let buckets = s["buckets"].as_array().unwrap();
            // from the day the window starts through today: 8 days, consecutive, at 00:00 UTC
            assert_eq!(buckets.len(), 8, "{s}");
            let starts: Vec<chrono::DateTime<chrono::Utc>> = buckets
                .iter()
                .map(|b| {
                    assert_eq!(keys(b), set(&["start", "hits"]));
                    chrono::DateTime::parse_from_rfc3339(b["start"].as_str().unwrap())
                        .unwrap()
                        .with_timezone(&chrono::Utc)
                })
                .collect();
            for w in starts.windows(2) {
                assert_eq!(w[1] - w[0], day);
            }
            for s in &starts {
                assert_eq!(s.timestamp() % 86_400, 0, "{s} is not midnight UTC");
            }
            let sum: u64 = buckets.iter().map(|b| b["hits"].as_u64().unwrap()).sum();
            assert_eq!(s["hits"].as_u64().unwrap(), sum);
            assert!(
                buckets.iter().any(|b| b["hits"] == json!(0)),
                "empty days are included"
            );
        }
        let hits_on = |name: &str, at: chrono::DateTime<chrono::Utc>| -> u64 {
            let s = scenarios.iter().find(|s| s["scenario"] == name).unwrap();
            s["buckets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b["start"] == midnight(at).as_str())
                .unwrap_or_else(|| panic!("no bucket for {} in {s}", midnight(at)))["hits"]
                .as_u64()
                .unwrap()
        };
        let checkout = scenarios
            .iter()
            .find(|s| s["scenario"] == "checkout")
            .unwrap();
        assert_eq!(checkout["hits"], json!(3));
        assert_eq!(hits_on("checkout", three), 1);
        // `one` and `one + 1s` are on the same UTC day unless `one` is the last second of a day
        if midnight(one) == midnight(one + chrono::Duration::seconds(1)) {
            assert_eq!(hits_on("checkout", one), 2);
        }
        assert_eq!(hits_on("browse", recent), 1);

        // all of time includes the old exchange; the heatmap then starts on its day
        let (_, r, _) = json_clean(&p, &["coverage", "report", "--since", "all"], &[]);
        assert_eq!(r["summary"]["exchanges"], json!(5));
        let checkout = r["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["scenario"] == "checkout")
            .unwrap();
        assert_eq!(checkout["hits"], json!(4));
        assert_eq!(checkout["buckets"][0]["start"], json!(midnight(old)));
        assert_eq!(checkout["buckets"][0]["hits"], json!(1));
        assert_eq!(r["personas"][0]["persona"], json!("old-timer"));

        // an RFC 3339 date works; garbage is exit 2
        let since = (now - day * 2).format("%Y-%m-%d").to_string();
        let (code, r, err) = json_clean(&p, &["coverage", "report", "--since", &since], &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(r["summary"]["exchanges"], json!(3));
        let out = run_clean(&p, &["coverage", "report", "--since", "garbage"], &[]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("garbage"), "{}", out.stderr);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
        let out = run_clean(&p, &["drift", "check", "--since", "garbage"], &[]);
        assert_eq!(out.code, 2, "{}", out.stderr);
    }
}

const PETS_SPEC: &str = r#"openapi: 3.0.3
info: { title: pets, version: "1" }
paths:
  /pets/{id}:
    get:
      operationId: getPet
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id: { type: integer }
                  name: { type: string }
        "404":
          description: no such pet
  /pets:
    post:
      operationId: addPet
      responses:
        "201":
          description: created
"#;

const DRIFT_PIPELINE: &str = r#"name: on-drift
triggers:
  - event: drift.threshold_exceeded
    filters:
      service: pets
steps:
  - name: mark
    type: run
    config:
      command: "echo {{event.payload.service}} {{shell_quote event.payload.endpoint}} {{event.payload.drifting}}/{{event.payload.total}} > drift-seen.txt"
"#;

fn pets_project(backend: Backend, lines: &[Value]) -> Project {
    let p = Project::on(backend);
    p.write("specs/pets.yml", PETS_SPEC);
    p.write(
        "mockops.yaml",
        "specs:\n  - path: specs/pets.yml\n    service: pets\ndrift:\n  budgets:\n    - match: { service: pets }\n      max_drift_percent: 10\n      min_samples: 3\n",
    );
    p.write("pipelines/on-drift.yaml", DRIFT_PIPELINE);
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    p.write("traffic.jsonl", &text);
    let out = run_clean(&p, &["coverage", "ingest", "traffic.jsonl"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    p
}

fn pet_traffic() -> Vec<Value> {
    vec![
        // conforms
        json!({"method": "GET", "path": "/pets/1", "status": 200, "service": "pets", "response_body": {"id": 1, "name": "rex"}}),
        // body breaks the schema (id is a string, name missing)
        json!({"method": "GET", "path": "/pets/2", "status": 200, "service": "pets", "response_body": {"id": "two"}}),
        // undeclared status
        json!({"method": "GET", "path": "/pets/3", "status": 500, "service": "pets"}),
        // conforms; a body given as text
        json!({"method": "GET", "path": "/pets/4", "status": 200, "service": "pets", "response_body": "{\"id\":4,\"name\":\"tom\"}"}),
    ]
}

backends! {
    fn drift_is_measured_against_the_spec_and_an_exceeded_budget_runs_a_pipeline(backend) {
        let p = pets_project(backend, &pet_traffic());
        let (code, r, err) = json_clean(&p, &["coverage", "report"], &[]);
        assert_eq!(code, 0, "{err}");
        let get = endpoint(&r, "GET", "/pets/{id}");
        assert_eq!(get["hits"], json!(4));
        assert_eq!(get["operation_id"], json!("getPet"));
        assert_eq!(get["statuses_declared"], json!(["200", "404"]));
        assert_eq!(get["statuses_seen"], json!([200, 500]));
        assert_eq!(get["status"], json!("partial"));
        let post = endpoint(&r, "POST", "/pets");
        assert_eq!(post["status"], json!("none"));
        assert_eq!(r["summary"]["coverage_percent"].as_f64(), Some(50.0));
        let drift = r["drift"].as_array().unwrap();
        let service_row = drift
            .iter()
            .find(|d| d["endpoint"] == "*")
            .expect("service row");
        assert_eq!(service_row["service"], json!("pets"));
        assert_eq!(service_row["total"], json!(4));
        assert_eq!(service_row["drifting"], json!(2));
        assert_eq!(service_row["drift_percent"].as_f64(), Some(50.0));
        assert_eq!(service_row["budget_percent"].as_f64(), Some(10.0));
        assert_eq!(service_row["exceeded"], json!(true));
        let endpoint_row = drift
            .iter()
            .find(|d| d["endpoint"] == "GET /pets/{id}")
            .expect("endpoint row");
        assert_eq!(endpoint_row["total"], json!(4));
        assert_eq!(endpoint_row["drifting"], json!(2));

        // --no-run: the verdict without the event
        let (code, rows, err) = json_clean(&p, &["drift", "check", "--no-run"], &[]);
        assert_eq!(code, 0, "{err}");
        let row = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["endpoint"] == "*")
            .unwrap()
            .clone();
        assert_eq!(row["exceeded"], json!(true));
        assert_eq!(row["event_id"], json!(null));
        let (_, events, _) = json_clean(
            &p,
            &["event", "list", "--type", "drift.threshold_exceeded"],
            &[],
        );
        assert_eq!(events, json!([]), "--no-run emits nothing");
        assert!(!p.path("drift-seen.txt").exists());

        // drift check: the event and the pipeline it triggers
        let (code, rows, err) = json_clean(&p, &["drift", "check"], &[]);
        assert_eq!(code, 0, "{err}");
        let rows = rows.as_array().unwrap();
        let row = rows.iter().find(|d| d["endpoint"] == "*").unwrap();
        assert_eq!(
            keys(row),
            set(&[
                "service",
                "endpoint",
                "total",
                "drifting",
                "drift_percent",
                "budget_percent",
                "exceeded",
                "verdict",
                "event_id"
            ])
        );
        assert_eq!(row["verdict"], json!("exceeded"));
        assert_eq!(row["service"], json!("pets"));
        assert_eq!(row["exceeded"], json!(true));
        let event_id = row["event_id"].as_str().expect("event_id").to_string();
        let (_, events, _) = json_clean(
            &p,
            &["event", "list", "--type", "drift.threshold_exceeded"],
            &[],
        );
        let events = events.as_array().unwrap();
        assert_eq!(events.len(), 1, "one budget, one event: {events:?}");
        assert_eq!(events[0]["id"], json!(event_id));
        let payload = &events[0]["payload"];
        assert_eq!(payload["service"], json!("pets"));
        assert_eq!(payload["endpoint"], json!("*"));
        assert_eq!(payload["drifting"], json!(2));
        assert_eq!(payload["total"], json!(4));
        assert_eq!(payload["drift_percent"].as_f64(), Some(50.0));
        assert_eq!(payload["threshold_percent"].as_f64(), Some(10.0));
        assert_eq!(p.read("drift-seen.txt").trim(), "pets * 2/4");
        let (_, shown, _) = json_clean(&p, &["event", "show", &event_id], &[]);
        assert_eq!(shown["runs"].as_array().unwrap().len(), 1, "{shown}");
        assert_eq!(shown["runs"][0]["pipeline"], json!("on-drift"));
        assert_eq!(shown["runs"][0]["status"], json!("succeeded"));
    }
}

backends! {
    fn coverage_report_check_drift_emits_the_event_too(backend) {
        let p = pets_project(backend, &pet_traffic());
        let out = run_clean(&p, &["coverage", "report", "--check-drift"], &[]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let (_, events, _) = json_clean(
            &p,
            &["event", "list", "--type", "drift.threshold_exceeded"],
            &[],
        );
        assert_eq!(events.as_array().unwrap().len(), 1, "{events}");
        assert_eq!(p.read("drift-seen.txt").trim(), "pets * 2/4");
    }
}

backends! {
    fn below_min_samples_there_is_no_verdict(backend) {
        let two: Vec<Value> = pet_traffic().into_iter().skip(1).take(2).collect();
        let p = pets_project(backend, &two);
        let (code, rows, err) = json_clean(&p, &["drift", "check"], &[]);
        assert_eq!(code, 0, "{err}");
        let row = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["endpoint"] == "*")
            .unwrap()
            .clone();
        assert_eq!(row["total"], json!(2));
        assert_eq!(row["drifting"], json!(2));
        assert_eq!(row["drift_percent"].as_f64(), Some(100.0));
        assert_eq!(row["exceeded"], json!(false));
        assert_eq!(row["event_id"], json!(null));
        let (_, events, _) = json_clean(
            &p,
            &["event", "list", "--type", "drift.threshold_exceeded"],
            &[],
        );
        assert_eq!(events, json!([]));
        assert!(!p.path("drift-seen.txt").exists());
    }
}

backends! {
    fn a_failing_drift_pipeline_makes_drift_check_exit_1(backend) {
        let p = pets_project(backend, &pet_traffic());
        p.write(
            "pipelines/on-drift.yaml",
            "name: on-drift\ntriggers:\n  - event: drift.threshold_exceeded\nsteps:\n  - name: boom\n    type: run\n    config: { command: \"exit 3\" }\n",
        );
        let out = run_clean(&p, &["drift", "check"], &[]);
        assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    }
}

backends! {
    fn har_headers_name_scenario_persona_and_ci_run_and_bad_entries_are_numbered(backend) {
        let p = Project::on(backend);
        let har = json!({"log": {"version": "1.2", "entries": [
            {"startedDateTime": "2026-01-05T10:00:00Z",
             "request": {"method": "GET", "url": "http://api.local/v1/items?page=2", "headers": [
                {"name": "X-Mockops-Scenario", "value": "from-header"},
                {"name": "x-mockops-persona", "value": "hana"},
                {"name": "x-mockops-ci-run", "value": "hdr-run"}]},
             "response": {"status": 200}},
            {"request": {"url": "http://api.local/v1/no-method"}, "response": {"status": 200}},
            {"startedDateTime": "2026-01-05T10:00:01Z",
             "request": {"method": "POST", "url": "http://api.local/v1/items"},
             "response": {"status": 201}},
            {"response": {"status": 200}}
        ]}});
        p.write("capture.har", &har.to_string());
        let (code, v, err) = json_clean(
            &p,
            &[
                "coverage",
                "ingest",
                "capture.har",
                "--scenario",
                "from-flag",
                "--persona",
                "flag-persona",
            ],
            &[("CI_PIPELINE_ID", "gl-77")],
        );
        assert_eq!(code, 0, "{err}");
        assert_eq!(v["read"], json!(4));
        assert_eq!(v["ingested"], json!(2));
        let entries: Vec<u64> = v["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["entry"].as_u64().unwrap())
            .collect();
        assert_eq!(entries, vec![2, 4], "{v}");
        let (_, r, _) = json_clean(&p, &["coverage", "report", "--since", "all"], &[]);
        let personas: Vec<(String, u64, u64)> = r["personas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["persona"].as_str().unwrap().to_string(),
                    x["hits"].as_u64().unwrap(),
                    x["ci_runs"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            personas,
            vec![("flag-persona".into(), 1, 1), ("hana".into(), 1, 1)]
        );
        let scenarios: Vec<&str> = r["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["scenario"].as_str().unwrap())
            .collect();
        assert_eq!(scenarios, vec!["from-flag", "from-header"]);
        assert_eq!(r["personas"][0]["last_seen"], json!("2026-01-05T10:00:01Z"));
        let paths: BTreeSet<&str> = r["undeclared"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["path"].as_str().unwrap())
            .collect();
        assert_eq!(paths, ["/v1/items"].into_iter().collect(), "query removed");
    }
}

backends! {
    fn the_report_can_be_limited_to_one_service(backend) {
        let p = optic_project(backend);
        p.write("specs/pets.yml", PETS_SPEC);
        p.write(
            "mockops.yaml",
            "specs:\n  - path: specs/books.yml\n    service: books\n  - path: specs/pets.yml\n    service: pets\n",
        );
        let text: String = pet_traffic().iter().map(|l| format!("{l}\n")).collect();
        p.write("pets.jsonl", &text);
        for f in ["pets.jsonl", OPTIC_HAR] {
            let out = run_clean(&p, &["coverage", "ingest", f], &[]);
            assert_eq!(out.code, 0, "{}", out.stderr);
        }
        let (_, all, _) = json_clean(&p, &["coverage", "report", "--since", "all"], &[]);
        assert_eq!(all["summary"]["operations"], json!(4));
        assert_eq!(all["summary"]["exchanges"], json!(14));
        let (code, pets, err) = json_clean(
            &p,
            &["coverage", "report", "--since", "all", "--service", "pets"],
            &[],
        );
        assert_eq!(code, 0, "{err}");
        assert_eq!(pets["summary"]["operations"], json!(2));
        assert_eq!(pets["summary"]["exchanges"], json!(4));
        assert!(pets["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["service"] == "pets"));
        assert!(pets["drift"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["service"] == "pets"));
    }
}

backends! {
    fn an_endpoint_glob_budget_gives_one_verdict_per_matching_endpoint(backend) {
        let p = Project::on(backend);
        p.write("specs/pets.yml", PETS_SPEC);
        p.write(
            "mockops.yaml",
            "specs:\n  - path: specs/pets.yml\n    service: pets\ndrift:\n  budgets:\n    - match: { endpoint: \"GET /pets/*\" }\n      max_drift_percent: 10\n      min_samples: 3\n",
        );
        p.write("pipelines/on-drift.yaml", DRIFT_PIPELINE);
        // no `service` in the lines: the exchanges are matched against every spec
        p.write(
            "t.jsonl",
            concat!(
                "{\"method\":\"GET\",\"path\":\"/pets/1\",\"status\":200,\"response_body\":{\"id\":1,\"name\":\"a\"}}\n",
                "{\"method\":\"GET\",\"path\":\"/pets/2\",\"status\":500}\n",
                "{\"method\":\"GET\",\"path\":\"/pets/3\",\"status\":404}\n",
                "{\"method\":\"POST\",\"path\":\"/pets\",\"status\":201}\n",
            ),
        );
        let out = run_clean(&p, &["coverage", "ingest", "t.jsonl"], &[]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let (code, rows, err) = json_clean(&p, &["drift", "check"], &[]);
        assert_eq!(code, 0, "{err}");
        let rows = rows.as_array().unwrap();
        assert_eq!(
            rows.len(),
            1,
            "only GET /pets/{{id}} has a budget: {rows:?}"
        );
        assert_eq!(rows[0]["service"], json!("pets"));
        assert_eq!(rows[0]["endpoint"], json!("GET /pets/{id}"));
        assert_eq!(rows[0]["total"], json!(3));
        assert_eq!(rows[0]["drifting"], json!(1));
        assert_eq!(rows[0]["drift_percent"].as_f64(), Some(33.33));
        assert_eq!(rows[0]["exceeded"], json!(true));
        assert!(rows[0]["event_id"].is_string());
        let (_, events, _) = json_clean(
            &p,
            &["event", "list", "--type", "drift.threshold_exceeded"],
            &[],
        );
        assert_eq!(events[0]["payload"]["endpoint"], json!("GET /pets/{id}"));
        assert_eq!(p.read("drift-seen.txt").trim(), "pets GET /pets/{id} 1/3");
    }
}
