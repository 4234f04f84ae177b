//! The team view of `coverage report` through the real binary, on both backends:
//! exchanges ingested under fake CI environments (GitHub Actions, GitLab, mockops' own
//! overrides, none) carry their CI run, whose branch and jobs are recorded; `--by
//! ci_run|branch|persona` and the endpoints × day heatmap are checked cell by cell in
//! JSON, and in the table, Markdown and HTML.

mod common;
mod coverage_support;
use chrono::{DateTime, Duration, Utc};
use common::{Backend, Project};
use coverage_support::run_clean;
use serde_json::{json, Value};

const SPEC: &str = "openapi: 3.0.3
info: {title: shop, version: '1'}
paths:
  /items:
    get:
      responses: {'200': {description: ok}}
    post:
      responses: {'201': {description: created}}
  /items/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
";

fn project(backend: Backend) -> Project {
    let p = Project::on(backend);
    p.write("specs/shop.yaml", SPEC);
    p.write(
        "mockops.yaml",
        "specs:\n  - path: specs/shop.yaml\n    service: shop\n",
    );
    p
}

/// Midnight UTC `days_ago` days before today.
fn day(now: DateTime<Utc>, days_ago: i64) -> DateTime<Utc> {
    (now - Duration::days(days_ago))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

/// Ingests `(days ago, minutes after midnight, method, path)` lines under `env`.
fn ingest(
    p: &Project,
    now: DateTime<Utc>,
    name: &str,
    lines: &[(i64, i64, &str, &str)],
    flags: &[&str],
    env: &[(&str, &str)],
) {
    let text: String = lines
        .iter()
        .map(|(ago, minutes, method, path)| {
            let at = day(now, *ago) + Duration::minutes(*minutes);
            let status = if *method == "POST" { 201 } else { 200 };
            format!(
                "{}\n",
                json!({"timestamp": at.to_rfc3339(), "method": method, "path": path,
                       "status": status, "service": "shop"})
            )
        })
        .collect();
    p.write(name, &text);
    let mut args = vec!["coverage", "ingest", name];
    args.extend_from_slice(flags);
    let out = run_clean(p, &args, env);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

const GITHUB_TEST: &[(&str, &str)] = &[
    ("CI", "true"),
    ("GITHUB_ACTIONS", "true"),
    ("GITHUB_RUN_ID", "101"),
    ("GITHUB_RUN_ATTEMPT", "1"),
    ("GITHUB_REF_NAME", "main"),
    ("GITHUB_HEAD_REF", ""),
    ("GITHUB_JOB", "test"),
    ("GITHUB_WORKFLOW", "CI"),
];

/// The team's traffic: two GitHub jobs of one run, a GitLab pipeline, a run named by
/// mockops' own variables, and a developer's ingest outside CI. Times are whole minutes
/// after midnight, never after now.
fn team_project(backend: Backend) -> (Project, DateTime<Utc>) {
    let p = project(backend);
    let now = Utc::now();
    ingest(
        &p,
        now,
        "gh-test.jsonl",
        &[
            (2, 600, "GET", "/items"),
            (2, 601, "GET", "/items"),
            (1, 600, "GET", "/items/1"),
        ],
        &["--persona", "alice"],
        GITHUB_TEST,
    );
    let mut lint = GITHUB_TEST.to_vec();
    lint.retain(|(k, _)| *k != "GITHUB_JOB");
    lint.push(("GITHUB_JOB", "lint"));
    ingest(
        &p,
        now,
        "gh-lint.jsonl",
        &[(0, 0, "GET", "/items/4")],
        &["--persona", "alice"],
        &lint,
    );
    ingest(
        &p,
        now,
        "gitlab.jsonl",
        &[
            (0, 0, "POST", "/items"),
            (1, 60, "GET", "/items"),
            (1, 61, "GET", "/undeclared"),
        ],
        &["--persona", "bob"],
        &[
            ("CI", "true"),
            ("GITLAB_CI", "true"),
            ("CI_PIPELINE_ID", "202"),
            ("CI_COMMIT_REF_NAME", "feature/x"),
            ("CI_JOB_NAME", "e2e"),
        ],
    );
    ingest(
        &p,
        now,
        "local.jsonl",
        &[(3, 0, "GET", "/items/2")],
        &[],
        &[],
    );
    ingest(
        &p,
        now,
        "override.jsonl",
        &[(1, 0, "GET", "/items/3")],
        &[],
        &[
            ("CI", "true"),
            ("MOCKOPS_CI_RUN", "local-7"),
            ("MOCKOPS_BRANCH", "spike"),
            ("MOCKOPS_CI_JOB", "laptop"),
        ],
    );
    (p, now)
}

/// `coverage report --format json`, over `--since 7d` unless `extra` says otherwise.
fn report(p: &Project, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json", "coverage", "report"];
    if !extra.contains(&"--since") {
        args.extend(["--since", "7d"]);
    }
    args.extend_from_slice(extra);
    let out = run_clean(p, &args, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()
}

/// `(group, covered, hits, exchanges)` of each `--by` row, in order.
fn groups(r: &Value) -> Vec<(Value, u64, u64, u64)> {
    r["groups"]["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("no groups in {r:#}"))
        .iter()
        .map(|g| {
            assert_eq!(g["operations"], 3, "{g}");
            (
                g["group"].clone(),
                g["covered"].as_u64().unwrap(),
                g["hits"].as_u64().unwrap(),
                g["exchanges"].as_u64().unwrap(),
            )
        })
        .collect()
}

backends! {
    fn by_ci_run_branch_and_persona_count_each_group_exactly(backend) {
        let (p, _) = team_project(backend);
        assert_eq!(p.count("SELECT count(*) FROM ci_runs"), 4, "101 twice, 202, local-7");

        let r = report(&p, &["--by", "ci_run"]);
        assert_eq!(r["groups"]["by"], "ci_run");
        assert_eq!(
            groups(&r),
            [
                (json!("101"), 2, 4, 4),
                (json!("202"), 2, 2, 3),
                (json!("local-7"), 1, 1, 1),
                (Value::Null, 1, 1, 1),
            ]
        );
        let rows = r["groups"]["rows"].as_array().unwrap();
        let context: Vec<(Value, Value)> = rows
            .iter()
            .map(|g| (g["branch"].clone(), g["jobs"].clone()))
            .collect();
        assert_eq!(
            context,
            [
                (json!("main"), json!(["lint", "test"])),
                (json!("feature/x"), json!(["e2e"])),
                (json!("spike"), json!(["laptop"])),
                (Value::Null, json!([])),
            ]
        );
        assert_eq!(rows[0]["coverage_percent"], 66.67);
        assert_eq!(rows[2]["coverage_percent"], 33.33);
        let total: u64 = groups(&r).iter().map(|g| g.3).sum();
        assert_eq!(total, r["summary"]["exchanges"].as_u64().unwrap());
        assert_eq!(total, 9);

        let r = report(&p, &["--by", "branch"]);
        assert_eq!(r["groups"]["by"], "branch");
        assert_eq!(
            groups(&r),
            [
                (json!("feature/x"), 2, 2, 3),
                (json!("main"), 2, 4, 4),
                (json!("spike"), 1, 1, 1),
                (Value::Null, 1, 1, 1),
            ]
        );
        assert!(r["groups"]["rows"][0].get("jobs").is_none(), "jobs only --by ci_run");

        let r = report(&p, &["--by", "persona"]);
        assert_eq!(
            groups(&r),
            [
                (json!("alice"), 2, 4, 4),
                (json!("bob"), 2, 2, 3),
                (Value::Null, 1, 2, 2),
            ]
        );

        // Without --by there is no `groups` key; the heatmap is always there.
        let plain = report(&p, &[]);
        assert!(plain.get("groups").is_none(), "{plain:#}");
        assert!(plain.get("heatmap").is_some());
    }
}

backends! {
    fn the_heatmap_counts_hits_per_operation_per_day(backend) {
        let (p, now) = team_project(backend);
        let r = report(&p, &[]);
        let days: Vec<String> = r["heatmap"]["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_string())
            .collect();
        // `--since 7d`: the day seven days ago through today.
        assert_eq!(days.len(), 8, "{days:?}");
        let column = |ago: i64| {
            let start = day(now, ago).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            days.iter().position(|d| *d == start).unwrap_or_else(|| panic!("{start} not in {days:?}"))
        };
        let expect = |cells: &[(i64, u64)]| {
            let mut row = vec![0u64; days.len()];
            for (ago, hits) in cells {
                row[column(*ago)] += hits;
            }
            row
        };
        let rows: Vec<(String, Vec<u64>, u64)> = r["heatmap"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                assert_eq!(row["service"], "shop");
                (
                    format!("{} {}", row["method"].as_str().unwrap(), row["path"].as_str().unwrap()),
                    serde_json::from_value(row["days"].clone()).unwrap(),
                    row["hits"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("GET /items".to_string(), expect(&[(2, 2), (1, 1)]), 3),
                ("POST /items".to_string(), expect(&[(0, 1)]), 1),
                ("GET /items/{id}".to_string(), expect(&[(3, 1), (1, 2), (0, 1)]), 4),
            ]
        );

        // A narrower window narrows the grid and its numbers.
        let narrow = report(&p, &["--since", "36h"]);
        let narrow_days = narrow["heatmap"]["days"].as_array().unwrap().len();
        assert!((2..=3).contains(&narrow_days), "{narrow:#}");
        let items = &narrow["heatmap"]["rows"][0];
        assert_eq!(items["path"], "/items");
        assert_eq!(items["days"].as_array().unwrap().len(), narrow_days);
    }
}

backends! {
    fn every_format_shows_the_heatmap_and_the_groups(backend) {
        let (p, now) = team_project(backend);
        let text = |format: &str| {
            let out = run_clean(
                &p,
                &["coverage", "report", "--since", "7d", "--by", "branch", "--format", format],
                &[],
            );
            assert_eq!(out.code, 0, "{}", out.stderr);
            out.stdout
        };
        let md = |ago: i64| day(now, ago).format("%m-%d").to_string();

        let table = text("table");
        assert!(table.contains("Endpoints per day"), "{table}");
        assert!(table.contains("Coverage by branch"), "{table}");
        let main = table.lines().find(|l| l.contains(" main ")).unwrap_or_else(|| panic!("{table}"));
        for cell in ["2 / 3", "66.7%", " 4 "] {
            assert!(main.contains(cell), "{cell} in {main}");
        }
        // GET /items: 2 hits two days ago, 1 yesterday, on a scale of 2: ·· … █▄·
        let items = table
            .lines()
            .find(|l| l.contains("GET /items ") || l.contains("GET /items│"))
            .unwrap_or_else(|| panic!("{table}"));
        assert!(items.contains("·····█▄·"), "{items}");

        let markdown = text("markdown");
        let header = format!("| Service | Endpoint | Hits | {} |", (0..=7).rev().map(md).collect::<Vec<_>>().join(" | "));
        assert!(markdown.contains(&header), "{header} in {markdown}");
        assert!(
            markdown.contains("| shop | `GET /items/{id}` | 4 | · | · | · | · | 1 | · | 2 | 1 |"),
            "{markdown}"
        );
        assert!(markdown.contains("### Coverage by branch"), "{markdown}");
        assert!(markdown.contains("| feature/x | 2 / 3 | 66.7% | 2 | 3 |"), "{markdown}");
        assert!(markdown.contains("| (none) | 1 / 3 | 33.3% | 1 | 1 |"), "{markdown}");

        let html = text("html");
        assert!(html.contains("<h2>Endpoints per day</h2>"), "{html}");
        let yesterday = day(now, 1).format("%Y-%m-%d").to_string();
        assert!(html.contains(&format!("title=\"{yesterday}: 2 hits\"")), "{html}");
        assert!(html.contains("<h2>Coverage by branch</h2>"), "{html}");
        assert!(html.contains("<td>spike</td><td>1 / 3</td><td>33.3%</td><td>1</td><td>1</td>"), "{html}");
    }
}

backends! {
    fn a_ci_run_named_by_the_flag_gets_the_environments_branch(backend) {
        let p = project(backend);
        let now = Utc::now();
        // A pull request on GitHub: its own branch, not the merge ref.
        ingest(
            &p,
            now,
            "pr.jsonl",
            &[(0, 0, "GET", "/items")],
            &["--ci-run", "nightly-3"],
            &[
                ("GITHUB_RUN_ID", "555"),
                ("GITHUB_REF_NAME", "12/merge"),
                ("GITHUB_HEAD_REF", "feature/pr"),
                ("GITHUB_JOB", "contract"),
            ],
        );
        let r = report(&p, &["--by", "ci_run"]);
        let row = &r["groups"]["rows"][0];
        assert_eq!(
            (&row["group"], &row["branch"], &row["jobs"]),
            (&json!("nightly-3"), &json!("feature/pr"), &json!(["contract"]))
        );
        assert_eq!(r["groups"]["rows"].as_array().unwrap().len(), 1);
    }
}

/// An upstream on 127.0.0.1 answering every request `200 {}` (one per connection).
fn upstream() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { break };
            use std::io::{BufRead, Write};
            let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
            );
        }
    });
    port
}

backends! {
    fn the_gateway_records_the_ci_run_it_serves_in(backend) {
        let p = project(backend);
        let upstream = upstream();
        p.write(
            "federations/team.yaml",
            &format!(
                "services:\n  - name: shop\n    base_path: /shop\n    workspace_id: shop-ws\n    \
                 reality_level: mock_v3\n    mock_url: http://127.0.0.1:{upstream}\n"
            ),
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut c = p.process();
        for v in mockops::coverage::ingest::ci_env::variables() {
            c.env_remove(v);
        }
        let mut child = c
            .envs([
                ("GITHUB_RUN_ID", "303"),
                ("GITHUB_REF_NAME", "gw-branch"),
                ("GITHUB_JOB", "gateway"),
            ])
            .args(["federation", "serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let started = std::time::Instant::now();
        let mut said = Vec::new();
        loop {
            match rx.recv_timeout(std::time::Duration::from_secs(30)) {
                Ok(line) if line.contains("listening on") => break,
                Ok(line) if started.elapsed().as_secs() < 30 => said.push(line),
                other => {
                    let _ = child.kill();
                    panic!("gateway did not start: {other:?}\n{}", said.join("\n"));
                }
            }
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .build()
            .into();
        let url = format!("http://127.0.0.1:{port}/shop/items");
        for _ in 0..2 {
            assert_eq!(agent.get(&url).call().unwrap().status(), 200);
        }
        let own = agent
            .get(&format!("{url}/9"))
            .header("x-mockops-ci-run", "named-by-header")
            .call()
            .unwrap();
        assert_eq!(own.status(), 200);
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
        }
        let status = child.wait().unwrap();
        assert!(status.success(), "{status:?}");

        let r = report(&p, &["--by", "ci_run"]);
        let rows: Vec<(Value, Value, Value, u64)> = r["groups"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| (g["group"].clone(), g["branch"].clone(), g["jobs"].clone(), g["hits"].as_u64().unwrap()))
            .collect();
        assert_eq!(
            rows,
            [
                (json!("303"), json!("gw-branch"), json!(["gateway"]), 2),
                (json!("named-by-header"), Value::Null, json!([]), 1),
            ]
        );
    }
}
