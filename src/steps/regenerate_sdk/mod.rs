//! Step `regenerate_sdk`: runs an SDK generator for a spec (presets for openapi-typescript,
//! openapi-generator, datamodel-codegen and oapi-codegen, or `generator: command`), reports
//! the files it created or changed under `output`, and skips the run when the spec's content
//! and the generator config are unchanged since the last success (`force: true` overrides).
//!
//! `changed` is true when the run created or changed at least one file under `output`
//! (a generator that rewrites identical files reports `changed: false`, `files: []`).
//! With MockForge's `languages`, the generator runs once per language, each into
//! `output/<language>` (into `output` itself when there is one language); MockForge's
//! short names `ts`, `js` and `rs` mean `typescript`, `javascript` and `rust`, as in
//! MockForge. Without `output`, the SDK goes to MockForge's default, `generated-sdks`.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

mod presets;
#[cfg(test)]
mod tests;
use super::process::{run_command, CommandSpec, LOG_CAP_BYTES};
use super::{is_template, json_kind, LogEntry, StepContext, StepFailure, StepSuccess, StepType};
use presets::{plan_runs, preset, text, PRESETS};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct RegenerateSdkStep;

const KEYS: &[&str] = &[
    "spec",
    "spec_path",
    "generator",
    "language",
    "languages",
    "output",
    "output_dir",
    "command",
    "package",
    "args",
    "force",
];

/// Where the SDK goes without `output`/`output_dir`: MockForge's default (`./generated-sdks`).
pub const DEFAULT_OUTPUT: &str = "generated-sdks";

/// Keys of MockForge's step (options of its mock-server code generator) that mockops
/// accepts and does not use, with what mockops does instead.
const IGNORED: &[(&str, &str)] = &[
    (
        "port",
        "MockForge writes it into the mock-server code it generates; mockops runs an SDK generator and serves mocks with `mockops federation serve --listen`",
    ),
    (
        "enable_cors",
        "MockForge writes it into the mock-server code it generates; mockops runs an SDK generator and generates no server",
    ),
    (
        "default_delay_ms",
        "MockForge writes it into the mock-server code it generates; mockops generates no server (for latency, give a federation scenario `latency_ms`)",
    ),
    (
        "mock_data_strategy",
        "MockForge's mock-server code generator uses it; the SDK generators mockops runs make no mock data",
    ),
];

/// Key under which the fingerprint of the last successful run is remembered.
const FINGERPRINT_KEY: &str = "fingerprint";

impl StepType for RegenerateSdkStep {
    fn name(&self) -> &'static str {
        "regenerate_sdk"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        KEYS
    }

    fn ignored_keys(&self) -> &'static [(&'static str, &'static str)] {
        IGNORED
    }

    fn check_config(&self, config: &Map<String, Value>) -> Vec<String> {
        let mut problems = Vec::new();
        let fixed = |key: &str| config.get(key).filter(|v| !is_template(v));
        if !config.contains_key("spec") && !config.contains_key("spec_path") {
            problems.push("config `spec` is required (the API spec file)".to_string());
        }
        for key in [
            "spec",
            "spec_path",
            "output",
            "output_dir",
            "language",
            "package",
            "generator",
        ] {
            if let Some(v) = fixed(key) {
                if !v.is_string() {
                    problems.push(format!(
                        "config `{key}` must be a string, got {}",
                        json_kind(v)
                    ));
                }
            }
        }
        match fixed("generator").and_then(Value::as_str) {
            Some("command") => match fixed("command") {
                None if !config.contains_key("command") => problems.push(
                    "generator `command` needs config `command` (a string or argv list)"
                        .to_string(),
                ),
                Some(v)
                    if !v.is_string()
                        && !v
                            .as_array()
                            .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string)) =>
                {
                    problems.push(format!(
                        "config `command` must be a string or a list of strings, got {}",
                        json_kind(v)
                    ))
                }
                _ => {}
            },
            Some(name) if preset(name).is_none() => problems.push(format!(
                "config `generator`: unknown generator `{name}` (expected command, {})",
                PRESETS.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
            )),
            Some("openapi-generator")
                if !config.contains_key("language") && !config.contains_key("languages") =>
            {
                problems.push(
                    "generator `openapi-generator` needs config `language` (e.g. typescript-fetch)"
                        .to_string(),
                )
            }
            _ => {}
        }
        if !config.contains_key("generator")
            && !config.contains_key("languages")
            && !config.contains_key("command")
        {
            problems.push("config `generator` is required".to_string());
        }
        for key in ["languages", "args"] {
            if let Some(v) = fixed(key) {
                if !v.as_array().is_some_and(|a| a.iter().all(Value::is_string)) && !v.is_string() {
                    problems.push(format!(
                        "config `{key}` must be a list of strings, got {}",
                        json_kind(v)
                    ));
                }
            }
        }
        if let Some(v) = fixed("force") {
            if !v.is_boolean() {
                problems.push(format!(
                    "config `force` must be a boolean, got {}",
                    json_kind(v)
                ));
            }
        }
        problems
    }

    fn run(
        &self,
        ctx: &StepContext<'_>,
        config: &Map<String, Value>,
    ) -> Result<StepSuccess, StepFailure> {
        let spec_rel = text(config, &["spec", "spec_path"])?
            .ok_or_else(|| StepFailure::fatal("config `spec` is required"))?;
        let output_rel =
            text(config, &["output", "output_dir"])?.unwrap_or_else(|| DEFAULT_OUTPUT.to_string());
        let spec_path = ctx.project_root.join(&spec_rel);
        let output_dir = ctx.project_root.join(&output_rel);
        let spec_bytes = std::fs::read(&spec_path).map_err(|e| {
            StepFailure::fatal(format!("cannot read spec {}: {e}", spec_path.display()))
        })?;
        let force = match config.get("force") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
            Some(other) => {
                return Err(StepFailure::fatal(format!(
                    "config `force` must be a boolean, got {}",
                    json_kind(other)
                )))
            }
        };
        let fingerprint = fingerprint(&spec_bytes, config);
        let mut outputs = Map::new();
        outputs.insert("output".into(), Value::from(output_rel.clone()));
        if !force
            && output_dir.is_dir()
            && (ctx.recall)(FINGERPRINT_KEY).as_deref() == Some(fingerprint.as_str())
        {
            outputs.insert("changed".into(), Value::Bool(false));
            outputs.insert("files".into(), Value::Array(Vec::new()));
            return Ok(StepSuccess {
                outputs,
                logs: vec![LogEntry::info(
                    "spec and generator config unchanged since the last success; nothing run",
                )],
                remember: vec![(FINGERPRINT_KEY.to_string(), fingerprint)],
                ..Default::default()
            });
        }
        let runs = plan_runs(ctx.project_root, config, &spec_path, &output_dir)?;
        let before = snapshot(&output_dir);
        let mut logs = Vec::new();
        for run in &runs {
            std::fs::create_dir_all(&run.output_dir).map_err(|e| {
                StepFailure::fatal(format!("cannot create {}: {e}", run.output_dir.display()))
            })?;
            let spec = CommandSpec {
                program: run.program.clone(),
                cwd: ctx.project_root.to_path_buf(),
                env: vec![
                    ("MOCKOPS_SPEC".into(), spec_path.display().to_string()),
                    (
                        "MOCKOPS_OUTPUT_DIR".into(),
                        run.output_dir.display().to_string(),
                    ),
                ],
                deadline: ctx.deadline,
            };
            let result = run_command(&spec, LOG_CAP_BYTES).map_err(|e| match e {
                super::process::SpawnError::NotFound { program } => StepFailure::fatal(format!(
                    "generator executable `{program}` was not found{}",
                    run.install_hint
                        .map(|h| format!("; install it: {h}"))
                        .unwrap_or_default()
                )),
                other => StepFailure::fatal(other.to_string()),
            })?;
            for (stream, text, truncated) in [
                ("stdout", &result.stdout, result.stdout_truncated),
                ("stderr", &result.stderr, result.stderr_truncated),
            ] {
                if !text.is_empty() {
                    logs.push(LogEntry {
                        stream,
                        text: text.clone(),
                        truncated,
                    });
                }
            }
            if result.timed_out {
                return Err(StepFailure {
                    message: format!(
                        "generator {} timed out; its process group was killed",
                        run.label
                    ),
                    timed_out: true,
                    retryable: true,
                    logs,
                    ..Default::default()
                });
            }
            if result.exit_code != Some(0) {
                let hint = match (result.exit_code, run.install_hint) {
                    (Some(127), Some(h)) => format!(" (command not found? install it: {h})"),
                    (Some(127), None) => " (command not found)".to_string(),
                    _ => String::new(),
                };
                return Err(StepFailure {
                    message: format!(
                        "generator {} failed with {}{hint}",
                        run.label,
                        result
                            .exit_code
                            .map_or("a signal".to_string(), |c| format!("exit status {c}"))
                    ),
                    logs,
                    ..Default::default()
                });
            }
        }
        let after = snapshot(&output_dir);
        let files: Vec<Value> = after
            .iter()
            .filter(|(path, hash)| before.get(*path) != Some(hash))
            .filter_map(|(path, _)| path.strip_prefix(ctx.project_root).ok())
            .map(|p| Value::from(p.to_string_lossy().replace('\\', "/")))
            .collect();
        outputs.insert("changed".into(), Value::Bool(!files.is_empty()));
        outputs.insert("files".into(), Value::Array(files));
        Ok(StepSuccess {
            outputs,
            logs,
            remember: vec![(FINGERPRINT_KEY.to_string(), fingerprint)],
            ..Default::default()
        })
    }
}

/// Hash of the spec's content and the generator config (`force` excluded).
fn fingerprint(spec: &[u8], config: &Map<String, Value>) -> String {
    let mut relevant = config.clone();
    relevant.remove("force");
    let sorted: BTreeMap<&String, &Value> = relevant.iter().collect();
    let mut hasher = Sha256::new();
    hasher.update(spec);
    hasher.update([0u8]);
    hasher.update(
        serde_json::to_string(&sorted)
            .unwrap_or_default()
            .as_bytes(),
    );
    hex::encode(hasher.finalize())
}

/// Content hash of every file under `dir` (empty when it does not exist).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, [u8; 32]> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => pending.push(path),
                Ok(_) => {
                    if let Ok(bytes) = std::fs::read(&path) {
                        files.insert(path, Sha256::digest(&bytes).into());
                    }
                }
                Err(_) => {}
            }
        }
    }
    files
}
