//! The CI files a user copies — `action.yml`, `ci/mockops.gitlab-ci.yml` and every
//! workflow of `examples/ci/` — run here: each `run:`/`script:` line, in order, as the
//! runner would (bash -e -o pipefail), with `mockops` on PATH, in a clone of a real git
//! repository whose `origin` is a bare repository. `uses:` steps (checkout, SARIF upload,
//! test reporters) are the CI's own and are skipped.

mod ci;
mod common;

use common::git;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn yaml(rel: &str) -> Value {
    let text = std::fs::read_to_string(repo(rel)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A CI checkout: the example project pushed to a bare `origin` (branch `main`), a
/// `feature` branch with `change` applied to the spec, cloned and checked out at
/// `feature` with `origin/main` fetched (as `actions/checkout` with `fetch-depth: 0`).
struct Checkout {
    _dir: tempfile::TempDir,
    work: PathBuf,
}

fn checkout(change: impl Fn(&str) -> String) -> Checkout {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed");
    std::fs::create_dir_all(&seed).unwrap();
    for part in ["specs", "traffic", "pipelines"] {
        copy_dir(&repo(&format!("examples/ci/{part}")), &seed.join(part));
    }
    std::fs::copy(repo("examples/ci/mockops.yaml"), seed.join("mockops.yaml")).unwrap();
    std::fs::write(seed.join(".gitignore"), ".mockops/\n").unwrap();
    git(&seed, &["init", "-q", "-b", "main"]);
    git(&seed, &["add", "-A"]);
    git(&seed, &["commit", "-q", "-m", "pets"]);
    let origin = dir.path().join("origin.git");
    git(dir.path(), &["clone", "-q", "--bare", "seed", "origin.git"]);
    git(
        &seed,
        &["remote", "add", "origin", origin.to_str().unwrap()],
    );
    git(&seed, &["checkout", "-q", "-b", "feature"]);
    let spec = seed.join("specs/pets.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, change(&text)).unwrap();
    git(&seed, &["commit", "-q", "-am", "change the spec"]);
    git(&seed, &["push", "-q", "origin", "feature"]);
    git(dir.path(), &["clone", "-q", "origin.git", "work"]);
    let work = dir.path().join("work");
    git(&work, &["checkout", "-q", "feature"]);
    Checkout { _dir: dir, work }
}

/// Removes the POST endpoint: breaking.
fn breaking(text: &str) -> String {
    text.split("  /pets:\n").next().unwrap().to_string()
}

/// Adds an optional query parameter: compatible.
fn compatible(text: &str) -> String {
    text.replace(
        "        - { name: id, in: path, required: true, schema: { type: integer } }\n",
        "        - { name: id, in: path, required: true, schema: { type: integer } }\n        - { name: fields, in: query, schema: { type: string } }\n",
    )
}

/// Runs one shell step as the runner does; returns its exit code.
fn shell(work: &Path, script: &str, env: &[(&str, String)]) -> i32 {
    let bin = assert_cmd::cargo::cargo_bin("mockops");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = std::process::Command::new("bash");
    cmd.args([
        "--noprofile",
        "--norc",
        "-e",
        "-o",
        "pipefail",
        "-c",
        script,
    ])
    .current_dir(work)
    .env("PATH", path)
    .env_remove("MOCKOPS_PROJECT")
    .env_remove("MOCKOPS_STATE")
    .env_remove("GITHUB_ACTIONS")
    .env_remove("GITHUB_STEP_SUMMARY")
    .env("NO_COLOR", "1")
    .envs(common::GIT_ENV.iter().copied());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash");
    eprintln!(
        "$ {script}\n{}{}→ {:?}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        out.status.code()
    );
    out.status.code().unwrap_or(-1)
}

/// Runs the `run:` steps of a GitHub workflow's job as the runner would (a failed step
/// skips the later ones unless they say `if: always()`); returns (step name, exit code)
/// of the steps run.
fn run_github_job(workflow: &str, job: &str, work: &Path) -> Vec<(String, i32)> {
    let doc = yaml(workflow);
    let summary = work.join("step-summary.md");
    let env = [
        ("GITHUB_ACTIONS", "true".to_string()),
        ("GITHUB_STEP_SUMMARY", summary.display().to_string()),
    ];
    let mut failed = false;
    let mut results = Vec::new();
    for step in doc["jobs"][job]["steps"].as_array().expect("steps") {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        let always = step["if"].as_str().is_some_and(|c| c.contains("always()"));
        if failed && !always {
            continue;
        }
        let code = shell(work, script, &env);
        failed |= code != 0;
        let name = step["name"].as_str().unwrap_or(script).to_string();
        results.push((name, code));
    }
    results
}

#[test]
fn pull_request_gate_uploads_located_sarif_and_fails_on_breaking_changes() {
    let c = checkout(breaking);
    let steps = run_github_job("examples/ci/github/pull-request.yml", "schema", &c.work);
    assert_eq!(
        steps,
        [
            ("Schema changes as SARIF".to_string(), 0),
            ("Fail on breaking changes".to_string(), 1)
        ]
    );
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(c.work.join("mockops.sarif")).unwrap())
            .unwrap();
    ci::assert_valid_sarif(&log);
    let removed = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "endpoint-removed")
        .unwrap_or_else(|| panic!("{log}"))
        .clone();
    assert_eq!(removed["level"], "error");
    let physical = &removed["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "specs/pets.yaml");
    assert_eq!(
        physical["region"]["startLine"], 23,
        "the removed `post:` in origin/main"
    );
    // The step summary got the findings (GITHUB_STEP_SUMMARY).
    let summary = std::fs::read_to_string(c.work.join("step-summary.md")).unwrap();
    assert!(summary.contains("endpoint-removed"), "{summary}");
}

#[test]
fn pull_request_gate_passes_a_compatible_change() {
    let c = checkout(compatible);
    let steps = run_github_job("examples/ci/github/pull-request.yml", "schema", &c.work);
    assert!(steps.iter().all(|(_, code)| *code == 0), "{steps:?}");
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(c.work.join("mockops.sarif")).unwrap())
            .unwrap();
    ci::assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "request-param-added" && r["level"] == "note"),
        "{log}"
    );
}

#[test]
fn coverage_gate_writes_junit_and_passes() {
    let c = checkout(compatible);
    let steps = run_github_job("examples/ci/github/coverage.yml", "coverage", &c.work);
    assert!(
        steps.len() == 2 && steps.iter().all(|(_, code)| *code == 0),
        "{steps:?}"
    );
    let xml = std::fs::read_to_string(c.work.join("mockops-coverage.xml")).unwrap();
    assert!(
        xml.contains("<testcase name=\"coverage at least 50%\""),
        "{xml}"
    );
    assert!(!xml.contains("<failure"), "{xml}");
    ci::assert_valid_junit(&xml);
}

#[test]
fn nightly_drift_reports_the_exceeded_budget_as_a_failed_test_case() {
    let c = checkout(compatible);
    let steps = run_github_job("examples/ci/github/nightly-drift.yml", "drift", &c.work);
    assert!(
        steps.len() == 2 && steps.iter().all(|(_, code)| *code == 0),
        "{steps:?}"
    );
    let xml = std::fs::read_to_string(c.work.join("mockops-drift.xml")).unwrap();
    assert!(
        xml.contains("<failure message=\"drift budget exceeded"),
        "{xml}"
    );
    ci::assert_valid_junit(&xml);
}

/// Runs a GitLab job of `examples/ci/gitlab-ci.yml`: the template's `before_script`
/// (through `extends: .mockops`), then its `script`, stopping at the first failure.
/// Returns the exit code of each line run.
fn run_gitlab_job(job: &str, work: &Path) -> Vec<i32> {
    let jobs = yaml("examples/ci/gitlab-ci.yml");
    let template = yaml("ci/mockops.gitlab-ci.yml");
    assert_eq!(jobs["include"][0]["local"], "ci/mockops.gitlab-ci.yml");
    let job = &jobs[job];
    assert_eq!(job["extends"], ".mockops");
    let env = [
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main".to_string()),
        ("CI_PROJECT_DIR", work.display().to_string()),
        ("CARGO_HOME", work.join(".cargo").display().to_string()),
    ];
    let lines: Vec<&str> = template[".mockops"]["before_script"]
        .as_array()
        .unwrap()
        .iter()
        .chain(job["script"].as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    // GitLab runs before_script and script in one shell.
    let mut codes = Vec::new();
    let mut prefix = String::new();
    for line in lines {
        let code = shell(work, &format!("{prefix}{line}"), &env);
        codes.push(code);
        if code != 0 {
            break;
        }
        if line.starts_with("export ") {
            prefix.push_str(line);
            prefix.push('\n');
        }
    }
    codes
}

#[test]
fn gitlab_jobs_run_with_the_template() {
    let c = checkout(breaking);
    let codes = run_gitlab_job("mockops:schema-gate", &c.work);
    assert_eq!(
        codes,
        [0, 0, 0, 0, 1],
        "the gate fails on the breaking change"
    );
    let xml = std::fs::read_to_string(c.work.join("mockops-schema.xml")).unwrap();
    assert!(
        xml.contains("<failure message=\"1 breaking change(s)\""),
        "{xml}"
    );
    ci::assert_valid_junit(&xml);
    let codes = run_gitlab_job("mockops:coverage", &c.work);
    assert!(codes.iter().all(|c| *c == 0), "{codes:?}");
    ci::assert_valid_junit(&std::fs::read_to_string(c.work.join("mockops-coverage.xml")).unwrap());
    let codes = run_gitlab_job("mockops:nightly-drift", &c.work);
    assert!(codes.iter().all(|c| *c == 0), "{codes:?}");
    ci::assert_valid_junit(&std::fs::read_to_string(c.work.join("mockops-drift.xml")).unwrap());
}

#[test]
fn the_action_runs_the_command_writes_sarif_and_reports_the_exit_code() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let install = steps
        .iter()
        .find(|s| s["name"] == "Install mockops")
        .expect("install step");
    assert!(
        install["run"]
            .as_str()
            .unwrap()
            .contains("cargo install --locked --path"),
        "installs from this repository at the action's ref"
    );
    let run = steps.iter().find(|s| s["id"] == "run").expect("run step");
    let script = run["run"].as_str().unwrap();
    let c = checkout(breaking);
    let output = c.work.join("github-output");
    let env = |command: &str, sarif: &str| {
        vec![
            ("MOCKOPS_COMMAND", command.to_string()),
            ("MOCKOPS_SARIF", sarif.to_string()),
            ("GITHUB_OUTPUT", output.display().to_string()),
        ]
    };
    let code = shell(
        &c.work,
        script,
        &env("schema check --base origin/main --no-run", "gate.sarif"),
    );
    assert_eq!(code, 0);
    ci::assert_valid_sarif(
        &serde_json::from_str(&std::fs::read_to_string(c.work.join("gate.sarif")).unwrap())
            .unwrap(),
    );
    let code = shell(
        &c.work,
        script,
        &env(
            "schema check --base origin/main --no-run --fail-on breaking",
            "",
        ),
    );
    assert_eq!(code, 1);
    let outputs = std::fs::read_to_string(&output).unwrap();
    assert_eq!(outputs, "exit-code=0\nexit-code=1\n");
    // Every input the steps use is declared.
    let inputs = action["inputs"].as_object().unwrap();
    let text = std::fs::read_to_string(repo("action.yml")).unwrap();
    for used in text.split("inputs.").skip(1) {
        let name: String = used
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        assert!(inputs.contains_key(&name), "input `{name}` is not declared");
    }
}
