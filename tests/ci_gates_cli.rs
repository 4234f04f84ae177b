//! CI formats of the gates: `schema check` (SARIF, JUnit, `--fail-on`), `federation
//! validate` and `hook run` (SARIF), `drift check` and `coverage report --fail-under`
//! (JUnit). SARIF is checked against the official schema, JUnit against the XSD.

mod ci;
mod common;

use common::{git, Project};

/// The example project's spec (`examples/ci/specs/pets.yaml`).
fn pets_spec() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/specs/pets.yaml"),
    )
    .unwrap()
}

/// A git repository with the pets spec committed, then its POST endpoint removed and the
/// `name` property made optional in the working tree.
fn repo_with_a_breaking_change() -> Project {
    let p = Project::new();
    p.write("specs/pets.yml", &pets_spec());
    p.write("mockops.yaml", "specs: [specs/pets.yml]\n");
    git(p.root(), &["init", "-q", "-b", "main"]);
    git(p.root(), &["add", "-A"]);
    git(p.root(), &["commit", "-q", "-m", "pets v1"]);
    let changed = pets_spec()
        .replace("required: [id, name]", "required: [id]")
        .split("  /pets:\n")
        .next()
        .unwrap()
        .to_string();
    p.write("specs/pets.yml", &changed);
    p
}

#[test]
fn schema_check_base_sarif_is_valid_and_fail_on_breaking_gates() {
    let p = repo_with_a_breaking_change();
    let out = p.run(&[
        "schema", "check", "--base", "main", "--no-run", "--format", "sarif",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let log = out.json();
    ci::assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let removed = results
        .iter()
        .find(|r| r["ruleId"] == "endpoint-removed")
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(removed["level"], "error");
    let physical = &removed["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "specs/pets.yml");
    // In the old version (the base), the removed `post:` is on line 23.
    assert_eq!(physical["region"]["startLine"], 23);
    let optional = results
        .iter()
        .find(|r| r["ruleId"] == "response-property-became-optional")
        .unwrap_or_else(|| panic!("{log}"));
    assert_eq!(
        optional["locations"][0]["physicalLocation"]["region"]["startLine"], 19,
        "the `name` property in the new file"
    );
    let out = p.run(&[
        "schema",
        "check",
        "--base",
        "main",
        "--no-run",
        "--fail-on",
        "breaking",
    ]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let out = p.run(&[
        "schema", "check", "--base", "main", "--no-run", "--format", "github",
    ]);
    assert!(
        out.stdout.contains(
            "::error file=specs/pets.yml,line=23,col=5,title=breaking change%3A endpoint-removed::"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn schema_check_junit_fails_the_spec_with_breaking_changes() {
    let p = repo_with_a_breaking_change();
    let out = p.run(&[
        "schema", "check", "--base", "main", "--no-run", "--format", "junit",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let xml = &out.stdout;
    assert!(xml.contains("<testsuite name=\"schema check\""), "{xml}");
    assert!(
        xml.contains("<testcase name=\"specs/pets.yml\" classname=\"schema-check\""),
        "{xml}"
    );
    assert!(
        xml.contains("failure message=\"2 breaking change(s)\""),
        "{xml}"
    );
    ci::assert_valid_junit(xml);
}

#[test]
fn federation_validate_sarif_is_valid() {
    let p = Project::new();
    p.write(
        "federations/bad.yaml",
        "name: bad\nservices:\n  - name: a\n    base_path: /a\n    workspace_id: w\n    reality_level: mock_v9\n    mock_url: http://127.0.0.1:1\n",
    );
    let out = p.run(&["federation", "validate", "--format", "sarif"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let log = out.json();
    ci::assert_valid_sarif(&log);
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "federation-invalid", "{log}");
    let physical = &result["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "federations/bad.yaml");
    assert_eq!(physical["region"]["startLine"], 6, "{log}");
}

#[test]
fn hook_run_sarif_holds_the_staged_pipelines_findings() {
    let p = Project::new();
    git(p.root(), &["init", "-q"]);
    p.write(
        "pipelines/bad.yaml",
        "name: bad\ntriggers:\n  - event: schema.changed\nsteps:\n  - name: a\n    tpye: run\n",
    );
    git(p.root(), &["add", "pipelines/bad.yaml"]);
    let out = p.run(&["hook", "run", "pre-commit", "--format", "sarif"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let log = out.json();
    ci::assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{log}");
    for r in results {
        assert_eq!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "pipelines/bad.yaml",
            "{log}"
        );
    }
    // Nothing staged: an empty log, still valid.
    git(p.root(), &["rm", "-q", "--cached", "pipelines/bad.yaml"]);
    let out = p.run(&["hook", "run", "pre-commit", "--format", "sarif"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    ci::assert_valid_sarif(&out.json());
}

fn pets_traffic_project() -> Project {
    let p = Project::new();
    p.write("specs/pets.yml", &pets_spec());
    p.write(
        "mockops.yaml",
        "specs:\n  - path: specs/pets.yml\n    service: pets\ndrift:\n  budgets:\n    - match: { service: pets }\n      max_drift_percent: 10\n      min_samples: 3\n",
    );
    let lines = [
        r#"{"method": "GET", "path": "/pets/1", "status": 200, "service": "pets", "response_body": {"id": 1, "name": "rex"}}"#,
        r#"{"method": "GET", "path": "/pets/2", "status": 200, "service": "pets", "response_body": {"id": "two"}}"#,
        r#"{"method": "GET", "path": "/pets/3", "status": 500, "service": "pets"}"#,
        r#"{"method": "GET", "path": "/pets/4", "status": 200, "service": "pets", "response_body": {"id": 4, "name": "tom"}}"#,
    ];
    p.write("traffic.jsonl", &(lines.join("\n") + "\n"));
    let out = p.run_with(
        &["coverage", "ingest", "traffic.jsonl"],
        &[("GITHUB_RUN_ID", "")],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    p
}

#[test]
fn drift_check_junit_fails_the_exceeded_budget() {
    let p = pets_traffic_project();
    let out = p.run(&["drift", "check", "--no-run", "--format", "junit"]);
    let xml = &out.stdout;
    assert!(
        xml.contains("<testsuite name=\"drift\""),
        "{xml}{}",
        out.stderr
    );
    assert!(
        xml.contains("<failure message=\"drift budget exceeded"),
        "{xml}"
    );
    ci::assert_valid_junit(xml);
}

#[test]
fn coverage_gate_junit_fails_under_the_percentage_and_needs_one() {
    let p = pets_traffic_project();
    let out = p.run(&[
        "coverage",
        "report",
        "--since",
        "all",
        "--fail-under",
        "90",
        "--format",
        "junit",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let xml = &out.stdout;
    assert!(
        xml.contains("<testcase name=\"coverage at least 90%\""),
        "{xml}"
    );
    assert!(
        xml.contains("<failure message=\"coverage 50.0% is under 90%\""),
        "{xml}"
    );
    ci::assert_valid_junit(xml);
    let out = p.run(&[
        "coverage",
        "report",
        "--since",
        "all",
        "--fail-under",
        "40",
        "--format",
        "junit",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("<failure"), "{}", out.stdout);
    ci::assert_valid_junit(&out.stdout);
    let out = p.run(&["coverage", "report", "--format", "junit"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--fail-under"), "{}", out.stderr);
}
