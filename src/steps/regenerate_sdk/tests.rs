//! Tests of `regenerate_sdk` with real commands in a temp project.

use super::presets::plan_runs;
use super::*;
use crate::steps::process::Program;
use serde_json::json;
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

struct Project {
    dir: tempfile::TempDir,
    memory: RefCell<HashMap<String, String>>,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("specs")).unwrap();
        std::fs::write(dir.path().join("specs/api.yaml"), "openapi: 3.0.0\n").unwrap();
        Project {
            dir,
            memory: RefCell::new(HashMap::new()),
        }
    }

    fn run(&self, config: Value, timeout: Duration) -> Result<StepSuccess, StepFailure> {
        let memory = self.memory.borrow().clone();
        let recall = move |key: &str| memory.get(key).cloned();
        let ctx = StepContext {
            project_root: self.dir.path(),
            pipeline_name: "p",
            pipeline_file: Path::new("pipelines/p.yaml"),
            step_name: "sdk",
            run_id: "r",
            deadline: Some(Instant::now() + timeout),
            recall: &recall,
            store: None,
            environments: &[],
        };
        let config: Map<String, Value> = serde_json::from_value(config).unwrap();
        let result = RegenerateSdkStep.run(&ctx, &config);
        if let Ok(ok) = &result {
            self.memory.borrow_mut().extend(ok.remember.iter().cloned());
        }
        result
    }

    fn counter(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("count")).unwrap_or_default()
    }
}

const SCRIPT: &str = "echo x >> count; mkdir -p \"$MOCKOPS_OUTPUT_DIR/models\"; \
    cp \"$MOCKOPS_SPEC\" \"$MOCKOPS_OUTPUT_DIR/models/spec.yaml\"; echo 'export {}' > \"$MOCKOPS_OUTPUT_DIR/index.ts\"";

fn command_config(force: bool) -> Value {
    json!({"spec": "specs/api.yaml", "generator": "command", "command": SCRIPT, "output": "sdks/ts", "force": force})
}

#[test]
fn runs_then_skips_until_forced_or_the_spec_changes() {
    let project = Project::new();
    let first = project
        .run(command_config(false), Duration::from_secs(20))
        .unwrap();
    assert_eq!(first.outputs["changed"], json!(true));
    assert_eq!(
        first.outputs["files"],
        json!(["sdks/ts/index.ts", "sdks/ts/models/spec.yaml"])
    );
    assert_eq!(first.outputs["output"], json!("sdks/ts"));
    assert_eq!(project.counter().lines().count(), 1);

    let second = project
        .run(command_config(false), Duration::from_secs(20))
        .unwrap();
    assert_eq!(second.outputs["changed"], json!(false));
    assert_eq!(second.outputs["files"], json!([]));
    assert_eq!(
        project.counter().lines().count(),
        1,
        "the generator must not run"
    );

    let forced = project
        .run(command_config(true), Duration::from_secs(20))
        .unwrap();
    assert_eq!(project.counter().lines().count(), 2);
    assert_eq!(
        forced.outputs["changed"],
        json!(false),
        "same output rewritten"
    );

    std::fs::write(
        project.dir.path().join("specs/api.yaml"),
        "openapi: 3.1.0\n",
    )
    .unwrap();
    let changed = project
        .run(command_config(false), Duration::from_secs(20))
        .unwrap();
    assert_eq!(project.counter().lines().count(), 3);
    assert_eq!(
        changed.outputs["files"],
        json!(["sdks/ts/models/spec.yaml"])
    );
}

#[test]
fn mockforge_names_and_argv_commands() {
    let project = Project::new();
    let config = json!({"spec_path": "specs/api.yaml", "output_dir": "gen", "generator": "command",
        "command": ["sh", "-c", "echo hi > \"$MOCKOPS_OUTPUT_DIR/a.txt\""]});
    let out = project.run(config, Duration::from_secs(20)).unwrap();
    assert_eq!(out.outputs["files"], json!(["gen/a.txt"]));
}

#[test]
fn missing_generators_name_the_install_command() {
    let project = Project::new();
    let config =
        json!({"spec": "specs/api.yaml", "generator": "openapi-typescript", "output": "sdk"});
    let err = project.run(config, Duration::from_secs(20)).unwrap_err();
    assert!(
        err.message.contains("npm i -D openapi-typescript"),
        "{}",
        err.message
    );
    assert!(!err.retryable);
    let config = json!({"spec": "specs/api.yaml", "generator": "command", "command": ["no-such-generator-xyz"], "output": "sdk"});
    let err = project.run(config, Duration::from_secs(20)).unwrap_err();
    assert!(
        err.message.contains("no-such-generator-xyz"),
        "{}",
        err.message
    );
}

#[test]
fn presets_build_the_real_command_lines() {
    let project = Project::new();
    let bin = project.dir.path().join("node_modules/.bin");
    std::fs::create_dir_all(&bin).unwrap();
    for name in ["openapi-generator-cli", "openapi-typescript"] {
        std::fs::write(bin.join(name), "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(
            bin.join(name),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .unwrap();
    }
    let root = project.dir.path();
    let spec = root.join("specs/api.yaml");
    let config: Map<String, Value> = serde_json::from_value(
        json!({"generator": "openapi-generator", "languages": ["go", "python"]}),
    )
    .unwrap();
    let runs = plan_runs(root, &config, &spec, &root.join("sdks")).unwrap();
    let argv: Vec<Vec<String>> = runs
        .iter()
        .map(|r| match &r.program {
            Program::Argv(a) => a
                .iter()
                .map(|s| s.replace(&root.display().to_string(), "R"))
                .collect(),
            Program::Shell(_) => vec![],
        })
        .collect();
    assert_eq!(
        argv[0],
        [
            "R/node_modules/.bin/openapi-generator-cli",
            "generate",
            "-i",
            "R/specs/api.yaml",
            "-g",
            "go",
            "-o",
            "R/sdks/go"
        ]
    );
    assert_eq!(argv[1][5], "python");
    let config: Map<String, Value> =
        serde_json::from_value(json!({"generator": "openapi-typescript"})).unwrap();
    let runs = plan_runs(root, &config, &spec, &root.join("sdk")).unwrap();
    let Program::Argv(a) = &runs[0].program else {
        panic!()
    };
    assert_eq!(
        a[1..],
        [
            spec.display().to_string(),
            "-o".into(),
            root.join("sdk/schema.d.ts").display().to_string()
        ]
    );
}

#[test]
fn generator_timeout_is_reported() {
    let project = Project::new();
    let config = json!({"spec": "specs/api.yaml", "generator": "command", "command": "sleep 20", "output": "o"});
    let started = Instant::now();
    let err = project.run(config, Duration::from_millis(300)).unwrap_err();
    assert!(err.timed_out && err.retryable);
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn check_config_reports_problems() {
    let cfg = |v: Value| -> Map<String, Value> { serde_json::from_value(v).unwrap() };
    let problems = RegenerateSdkStep.check_config(&cfg(
        json!({"generator": "swagger-codegen", "force": "yes"}),
    ));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("unknown generator `swagger-codegen`")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("`spec` is required")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`force` must be a boolean")),
        "{problems:?}"
    );
    let problems = RegenerateSdkStep.check_config(&cfg(
        json!({"spec": "{{spec_path}}", "output": "o", "generator": "command"}),
    ));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("needs config `command`"));
}
