//! `--format sarif|junit|github`, GitHub annotations and the step summary: every SARIF
//! log is checked against the official SARIF 2.1.0 schema, every JUnit report against the
//! JUnit XSD, and one SARIF log is read by a real consumer (sarif-tools).

mod ci;
mod common;

use common::Project;

fn copy_pair(p: &Project, pair: &str) -> (String, String) {
    for name in ["base.yaml", "revision.yaml"] {
        let text =
            std::fs::read_to_string(ci::data(&format!("realworld/oasdiff/{pair}/{name}"))).unwrap();
        p.write(&format!("specs/{name}"), &text);
    }
    ("specs/base.yaml".into(), "specs/revision.yaml".into())
}

#[test]
fn schema_diff_json_places_every_change_in_the_new_file_or_the_old_for_removals() {
    let p = Project::new();
    let (old, new) = copy_pair(&p, "02-success-status-and-params-removed");
    let (code, v, stderr) = p.json(&["schema", "diff", &old, &new]);
    assert_eq!(code, 0, "{stderr}");
    let changes = v["changes"].as_array().unwrap();
    assert!(changes.len() > 10);
    for c in changes {
        let file = c["file"].as_str().unwrap_or_else(|| panic!("no file: {c}"));
        let line = c["line"].as_u64().unwrap_or_else(|| panic!("no line: {c}"));
        assert!(c["column"].as_u64().is_some(), "{c}");
        // Elements gone from the new file are placed in the old one.
        let removal = [
            "endpoint-removed",
            "request-param-removed",
            "response-success-status-removed",
            "response-non-success-status-removed",
            "server-removed",
        ]
        .contains(&c["id"].as_str().unwrap());
        let text = p.read(file);
        let at = text.lines().nth(line as usize - 1).unwrap_or_default();
        if removal {
            assert_eq!(file, old, "{c}");
        } else if !c["id"].as_str().unwrap().contains("removed") {
            assert_eq!(file, new, "{c}");
        }
        assert!(!at.trim().is_empty(), "{c} points at an empty line");
    }
    // The removed 200 response of the badges endpoint is placed on its `'200':` key in base.
    let removed = changes
        .iter()
        .find(|c| {
            c["id"] == "response-success-status-removed"
                && c["location"].as_str().unwrap().ends_with("response.200")
        })
        .expect("200 removed");
    let line = p
        .read(&old)
        .lines()
        .nth(removed["line"].as_u64().unwrap() as usize - 1)
        .unwrap()
        .to_string();
    assert!(line.contains("200"), "{line}");
    let added = changes
        .iter()
        .find(|c| c["id"] == "request-param-added")
        .expect("param added");
    let line = p
        .read(&new)
        .lines()
        .nth(added["line"].as_u64().unwrap() as usize - 1)
        .unwrap()
        .to_string();
    assert!(line.contains("- ") || line.contains("name"), "{line}");
}

#[test]
fn schema_diff_text_and_markdown_show_where() {
    let p = Project::new();
    let (old, new) = copy_pair(&p, "01-path-removed");
    let out = p.run(&["schema", "diff", &old, &new]);
    assert!(out.stdout.contains("(specs/base.yaml:"), "{}", out.stdout);
    let out = p.run(&["schema", "diff", &old, &new, "--format", "markdown"]);
    assert!(out.stdout.contains("| where |"), "{}", out.stdout);
    assert!(out.stdout.contains("`specs/base.yaml:"), "{}", out.stdout);
}

#[test]
fn protobuf_changes_are_placed_from_protox_source_info() {
    let p = Project::new();
    let dir = ci::data("realworld/protobuf/breaking_field_same_name");
    let (code, v, stderr) = p.json(&[
        "schema",
        "diff",
        dir.join("previous").to_str().unwrap(),
        dir.join("current").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let changes = v["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    for c in changes {
        let file = c["file"].as_str().unwrap_or_else(|| panic!("no file: {c}"));
        assert!(file.ends_with(".proto"), "{c}");
        let line = c["line"].as_u64().unwrap() as usize;
        let text = std::fs::read_to_string(file).unwrap();
        let at = text.lines().nth(line - 1).unwrap_or_default().to_string();
        // A renamed field is placed on its line in the new file.
        if c["id"] == "field-name-changed" {
            assert!(file.contains("current"), "{c}");
            assert!(at.contains("four"), "{c}: {at}");
        }
    }
}

#[test]
fn schema_diff_sarif_is_valid_with_one_rule_per_id_and_relative_locations() {
    let p = Project::new();
    common::git(p.root(), &["init", "-q"]);
    let (old, new) = copy_pair(&p, "02-success-status-and-params-removed");
    let out = p.run(&["schema", "diff", &old, &new, "--format", "sarif"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let log = out.json();
    ci::assert_valid_sarif(&log);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "one rule per id");
    assert!(rules
        .iter()
        .all(|r| !r["help"]["text"].as_str().unwrap().is_empty()));
    let results = run["results"].as_array().unwrap();
    let level_of = |id: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == id)
            .map(|r| r["level"].as_str().unwrap().to_string())
    };
    assert_eq!(
        level_of("response-success-status-removed").as_deref(),
        Some("error")
    );
    assert_eq!(
        level_of("request-param-removed").as_deref(),
        Some("warning")
    );
    assert_eq!(level_of("request-param-added").as_deref(), Some("note"));
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri == old || uri == new,
            "relative to the repository root: {uri}"
        );
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                > 1
        );
    }
}

#[test]
fn a_real_sarif_consumer_reads_the_log() {
    let have = std::process::Command::new("sarif")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            !ci::tools_required(),
            "`sarif` (pip install sarif-tools) is missing and MOCKOPS_TEST_REQUIRE_CI_TOOLS=1"
        );
        eprintln!("skipped: sarif-tools is not installed");
        return;
    }
    let p = Project::new();
    let (old, new) = copy_pair(&p, "02-success-status-and-params-removed");
    let out = p.run(&["schema", "diff", &old, &new, "--format", "sarif"]);
    p.write("diff.sarif", &out.stdout);
    let summary = std::process::Command::new("sarif")
        .args(["summary", "diff.sarif"])
        .current_dir(p.root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&summary.stdout);
    assert!(
        summary.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&summary.stderr)
    );
    // sarif-tools counts results by level: 4 errors, 7 warnings, 15 notes (the diff's
    // 4 breaking, 7 warning, 15 info changes).
    let breaking = out.json()["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "error")
        .count();
    assert_eq!(breaking, 4);
    assert!(text.contains("error: 4"), "{text}");
    assert!(text.contains("warning: 7"), "{text}");
}

#[test]
fn schema_diff_github_commands_and_step_summary() {
    let p = Project::new();
    let (old, new) = copy_pair(&p, "01-path-removed");
    let summary = p.path("summary.md");
    let out = p.run_with(
        &["schema", "diff", &old, &new, "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(
        line.starts_with("::error file=specs/base.yaml,line="),
        "{line}"
    );
    assert!(line.contains(",col="), "{line}");
    assert!(
        line.contains(",title=breaking change%3A endpoint-removed::"),
        "{line}"
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("### Schema changes"), "{md}");
}

#[test]
fn under_github_actions_text_output_gets_annotations_on_stderr() {
    let p = Project::new();
    p.write(
        "pipelines/bad.yaml",
        "name: bad\ntriggers:\n  - event: schema.changed\nsteps:\n  - name: a\n    tpye: run\n",
    );
    let summary = p.path("summary.md");
    let out = p.run_with(
        &["pipeline", "validate"],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("::error file=pipelines/bad.yaml,line=6,col=5,title=Pipeline invalid::"),
        "{}",
        out.stderr
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("pipelines/bad.yaml:6:5"), "{md}");
    // Outside GitHub Actions: no workflow commands.
    let out = p.run(&["pipeline", "validate"]);
    assert!(!out.stderr.contains("::error"), "{}", out.stderr);
}

#[test]
fn pipeline_validate_sarif_is_valid() {
    let p = Project::new();
    p.write(
        "pipelines/bad.yaml",
        "name: bad\ntriggers:\n  - event: schema.changed\nsteps:\n  - name: a\n    tpye: run\n",
    );
    p.write("pipelines/good.yaml", "name: good\ntriggers:\n  - event: schema.changed\nsteps:\n  - name: a\n    type: run\n    config: {command: 'true'}\n");
    let out = p.run(&["pipeline", "validate", "--format", "sarif"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let log = out.json();
    ci::assert_valid_sarif(&log);
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "pipeline-invalid");
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(6), Some(5))
    );
}

#[test]
fn pipeline_run_junit_has_a_case_per_step_and_the_failed_steps_log() {
    let p = Project::new();
    p.write(
        "pipelines/deploy.yaml",
        "name: deploy\ntriggers:\n  - event: custom.deploy\nsteps:\n  - name: build\n    type: run\n    config: {command: 'echo built'}\n  - name: push\n    type: run\n    config:\n      command: |\n        echo 'pushing <to> \"prod\" & more'; echo oops >&2; exit 3\n  - name: after\n    type: run\n    config: {command: 'true'}\n",
    );
    let out = p.run(&["pipeline", "run", "deploy", "--format", "junit"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let xml = out.stdout;
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<testsuite name=\"deploy\""), "{xml}");
    assert!(xml.contains("tests=\"3\" failures=\"1\""), "{xml}");
    assert!(xml.contains("<testcase name=\"build\""), "{xml}");
    assert!(xml.contains("<failure message="), "{xml}");
    assert!(
        xml.contains("pushing &lt;to&gt; \"prod\" &amp; more"),
        "{xml}"
    );
    assert!(xml.contains("<skipped"), "{xml}");
    ci::assert_valid_junit(&xml);
    // The same through event emit and replay.
    let out = p.run(&["event", "emit", "custom.deploy", "--format", "junit"]);
    assert_eq!(out.code, 1);
    ci::assert_valid_junit(&out.stdout);
}

#[test]
fn format_values_are_per_command_in_help_and_parsing() {
    let p = Project::new();
    let out = p.run(&["schema", "diff", "--help"]);
    assert!(out.stdout.contains("sarif"), "{}", out.stdout);
    let out = p.run(&["event", "list", "--help"]);
    assert!(!out.stdout.contains("sarif"), "{}", out.stdout);
    assert!(out.stdout.contains("table, text, json"), "{}", out.stdout);
    let out = p.run(&["event", "list", "--format", "sarif"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("possible values: table, text, json"),
        "{}",
        out.stderr
    );
    let out = p.run(&["--format", "junit", "pipeline", "list"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("this command prints table, text, json"),
        "{}",
        out.stderr
    );
}
