//! Step `run`: runs a command in the project root; outputs `exit_code` plus the
//! `key=value` lines the command writes to the file named by `$MOCKOPS_OUTPUT`.

use super::process::{run_command, CommandSpec, Program, LOG_CAP_BYTES};
use super::{json_kind, LogEntry, StepContext, StepFailure, StepSuccess, StepType};
use serde_json::{Map, Value};

pub struct RunStep;

const KEYS: &[&str] = &["command", "env", "cwd"];

impl StepType for RunStep {
    fn name(&self) -> &'static str {
        "run"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        KEYS
    }

    fn check_config(&self, config: &Map<String, Value>) -> Vec<String> {
        let mut problems = Vec::new();
        match config.get("command") {
            None => problems.push("config `command` is required".to_string()),
            Some(Value::String(_)) => {}
            Some(Value::Array(items)) if !items.is_empty() => {
                if items
                    .iter()
                    .any(|i| !matches!(i, Value::String(_) | Value::Number(_) | Value::Bool(_)))
                {
                    problems.push("config `command` list must hold strings".to_string());
                }
            }
            Some(other) => problems.push(format!(
                "config `command` must be a string or a non-empty list of strings, got {}",
                json_kind(other)
            )),
        }
        if let Some(env) = config.get("env") {
            if !matches!(env, Value::Object(_)) && !super::is_template(env) {
                problems.push(format!(
                    "config `env` must be a map, got {}",
                    json_kind(env)
                ));
            }
        }
        if let Some(cwd) = config.get("cwd") {
            if !matches!(cwd, Value::String(_)) {
                problems.push(format!(
                    "config `cwd` must be a string, got {}",
                    json_kind(cwd)
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
        let program = match config.get("command") {
            Some(Value::String(s)) => Program::Shell(s.clone()),
            Some(Value::Array(items)) => Program::Argv(items.iter().map(scalar_text).collect()),
            _ => {
                return Err(StepFailure::fatal(
                    "config `command` must be a string or a list",
                ))
            }
        };
        let cwd = match config.get("cwd") {
            Some(Value::String(dir)) => ctx.project_root.join(dir),
            _ => ctx.project_root.to_path_buf(),
        };
        let output_file = tempfile::NamedTempFile::new().map_err(|e| {
            StepFailure::fatal(format!("cannot create the $MOCKOPS_OUTPUT file: {e}"))
        })?;
        let mut env: Vec<(String, String)> = vec![
            (
                "MOCKOPS_OUTPUT".into(),
                output_file.path().display().to_string(),
            ),
            ("MOCKOPS_PIPELINE".into(), ctx.pipeline_name.to_string()),
            ("MOCKOPS_STEP".into(), ctx.step_name.to_string()),
            ("MOCKOPS_RUN_ID".into(), ctx.run_id.to_string()),
            (
                "MOCKOPS_PROJECT_ROOT".into(),
                ctx.project_root.display().to_string(),
            ),
        ];
        if let Some(Value::Object(vars)) = config.get("env") {
            env.extend(vars.iter().map(|(k, v)| (k.clone(), scalar_text(v))));
        }
        let spec = CommandSpec {
            program,
            cwd,
            env,
            deadline: ctx.deadline,
        };
        let result =
            run_command(&spec, LOG_CAP_BYTES).map_err(|e| StepFailure::fatal(e.to_string()))?;
        let mut logs = Vec::new();
        if !result.stdout.is_empty() {
            logs.push(LogEntry {
                stream: "stdout",
                text: result.stdout.clone(),
                truncated: result.stdout_truncated,
            });
        }
        if !result.stderr.is_empty() {
            logs.push(LogEntry {
                stream: "stderr",
                text: result.stderr.clone(),
                truncated: result.stderr_truncated,
            });
        }
        let mut outputs = read_outputs(output_file.path());
        outputs.insert(
            "exit_code".into(),
            result.exit_code.map(Value::from).unwrap_or(Value::Null),
        );
        if result.timed_out {
            return Err(StepFailure {
                message: "timed out; the command and its process group were killed".into(),
                timed_out: true,
                retryable: true,
                logs,
                outputs,
                ..Default::default()
            });
        }
        if let (Some(fate), false) = (&result.interrupted, result.exit_code == Some(0)) {
            return Err(StepFailure {
                message: fate.clone(),
                logs,
                outputs,
                ..Default::default()
            });
        }
        match result.exit_code {
            Some(0) => Ok(StepSuccess {
                outputs,
                logs,
                ..Default::default()
            }),
            code => Err(StepFailure {
                message: match code {
                    Some(c) => format!("command exited with status {c}"),
                    None => "command was killed by a signal".into(),
                },
                retryable: true,
                logs,
                outputs,
                ..Default::default()
            }),
        }
    }
}

/// A config scalar as command-line text (`3`, `true`, strings as they are).
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Parses `key=value` lines; values are JSON when they parse, else strings.
pub fn read_outputs(path: &std::path::Path) -> Map<String, Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    parse_output_lines(&text)
}

/// Parses `key=value` lines (blank lines and lines without `=` are ignored).
pub fn parse_output_lines(text: &str) -> Map<String, Value> {
    let mut outputs = Map::new();
    for line in text.lines() {
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim();
            if !key.is_empty() {
                outputs.insert(key.to_string(), crate::json_or_string(value));
            }
        }
    }
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn output_lines_are_typed() {
        let out = parse_output_lines("changed=true\ncount=3\nname=sdk v2\n\nnoise\nlist=[1,2]\n");
        assert_eq!(out["changed"], json!(true));
        assert_eq!(out["count"], json!(3));
        assert_eq!(out["name"], json!("sdk v2"));
        assert_eq!(out["list"], json!([1, 2]));
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn check_config_reports_missing_and_wrong_types() {
        let cfg: Map<String, Value> =
            serde_json::from_value(json!({"command": 5, "cwd": []})).unwrap();
        let problems = RunStep.check_config(&cfg);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(RunStep.check_config(&Map::new())[0].contains("required"));
    }
}
