//! The editor schemas under `schemas/` are what `mockops json-schema` prints (regenerate:
//! `for k in pipeline federation scenario config; do mockops json-schema $k > schemas/$k.schema.json; done`),
//! every example file of the repository validates against them, and `init` writes the
//! yaml-language-server modeline atop the files it creates.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const KINDS: [&str; 4] = ["pipeline", "federation", "scenario", "config"];

fn validator(kind: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo(&format!("schemas/{kind}.schema.json"))).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_valid(kind: &str, file: &Path) {
    let text = std::fs::read_to_string(file).unwrap();
    let value: Value = if file.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    };
    let v = validator(kind);
    let errors: Vec<String> = v
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{} does not validate against the {kind} schema:\n{}",
        file.display(),
        errors.join("\n")
    );
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.retain(|p| {
        p.extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
    });
    out.sort();
    out
}

#[test]
fn committed_schemas_are_current() {
    let p = common::Project::new();
    for kind in KINDS {
        let out = p.run(&["json-schema", kind]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let file = repo(&format!("schemas/{kind}.schema.json"));
        let committed = std::fs::read_to_string(&file).unwrap_or_default();
        assert!(
            committed == out.stdout,
            "{} is stale: regenerate with `mockops json-schema {kind} > schemas/{kind}.schema.json`",
            file.display()
        );
    }
}

#[test]
fn every_example_file_of_the_repository_validates() {
    let mut checked = 0;
    let projects = ["", "examples/ci/", "examples/tour/", "examples/demo/"];
    let under =
        |dir: &str| -> Vec<String> { projects.iter().map(|p| format!("{p}{dir}")).collect() };
    for (kind, dirs) in [
        ("pipeline", under("pipelines")),
        ("federation", under("federations")),
        ("scenario", vec!["examples/scenarios".to_string()]),
        // MockForge's own files load unchanged, so they validate too.
        (
            "pipeline",
            vec!["tests/data/mockforge/pipelines".to_string()],
        ),
        (
            "federation",
            vec!["tests/data/mockforge/federations".to_string()],
        ),
        (
            "scenario",
            vec!["tests/data/mockforge/scenarios".to_string()],
        ),
    ] {
        for dir in dirs {
            for file in files_in(&repo(&dir)) {
                assert_valid(kind, &file);
                checked += 1;
            }
        }
    }
    for project in projects {
        let settings = repo(&format!("{project}mockops.yaml"));
        if settings.exists() {
            assert_valid("config", &settings);
            checked += 1;
        }
    }
    assert!(checked >= 18, "only {checked} example files found");
}

#[test]
fn the_schemas_refuse_what_the_loaders_refuse() {
    let v = validator("pipeline");
    let bad: Value = serde_saphyr::from_str(
        "name: x\ntriggers:\n  - event: nonsense\nsteps:\n  - name: a\n    tpye: run\n",
    )
    .unwrap();
    let errors: Vec<String> = v.iter_errors(&bad).map(|e| e.to_string()).collect();
    assert!(errors.iter().any(|e| e.contains("tpye")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("nonsense")), "{errors:?}");
    let v = validator("federation");
    let bad: Value = serde_saphyr::from_str(
        "name: f\nservices:\n  - name: a\n    base_path: /a\n    workspace_id: w\n    reality_level: mock_v9\n",
    )
    .unwrap();
    assert!(!v.is_valid(&bad));
}

#[test]
fn init_writes_the_modeline_atop_the_files_it_creates_and_the_schemas_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("mockops"))
        .arg("init")
        .current_dir(dir.path())
        .env_remove("MOCKOPS_PROJECT")
        .env_remove("MOCKOPS_STATE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (rel, kind) in [
        ("mockops.yaml", "config"),
        ("pipelines/hello.yaml", "pipeline"),
        ("federations/example.yaml", "federation"),
    ] {
        let file = dir.path().join(rel);
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{rel}: {first}"));
        let schema = file.parent().unwrap().join(target);
        assert!(schema.is_file(), "{rel}: {} is missing", schema.display());
        assert!(target.ends_with(&format!("{kind}.schema.json")), "{target}");
        let committed =
            std::fs::read_to_string(repo(&format!("schemas/{kind}.schema.json"))).unwrap();
        assert_eq!(std::fs::read_to_string(&schema).unwrap(), committed);
        assert_valid(kind, &file);
    }
}
