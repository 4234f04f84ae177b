//! What most commands start with: the project, the state file, the pipelines.

use super::output::Printer;
use super::{user_error, GlobalArgs};
use crate::pipeline::executor::{Engine, EngineSettings};
use crate::pipeline::{self, Pipeline, Severity};
use crate::project::Project;
use crate::store::{Store, StoreError};
use anyhow::{Context, Result};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

pub fn project(g: &GlobalArgs) -> Result<Project> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    Ok(Project::discover(
        g.project.as_deref(),
        g.state.as_deref(),
        &cwd,
    )?)
}

/// Opens the state file for writing, marking runs that a dead process left `running`.
pub fn open_store(project: &Project, out: &Printer) -> Result<Store> {
    out.debug(&format!("state {}", project.state));
    if !project.state.exists() && !project.looks_like_a_project() {
        // Outside any project the state file lands in the current folder: say where, once
        // (from then on `.mockops/` marks the folder as a project).
        out.info(&format!(
            "no mockops project here or above (no mockops.yaml, pipelines/ or .mockops/): creating {} (`mockops init` sets up a project)",
            project.state
        ));
    }
    restore_editor_schemas(project, out);
    let store = Store::open_at(&project.state)?;
    let marked = store.mark_interrupted_runs(chrono::Utc::now())?;
    if marked > 0 {
        out.warn(&format!(
            "marked {marked} run(s) interrupted: the process running them stopped"
        ));
    }
    Ok(store)
}

/// A fresh clone has the modelines `init` wrote atop its files but not the schemas they
/// name (`.mockops/` is ignored by git): any command that opens the state of an `init`ed
/// project (one with `mockops.yaml`) writes them back when the folder is missing. Best
/// effort: an editor aid never fails a command.
fn restore_editor_schemas(project: &Project, out: &Printer) {
    let dir = project.root.join(super::json_schema::SCHEMA_DIR);
    if dir.exists() || !project.root.join("mockops.yaml").is_file() {
        return;
    }
    if let Err(e) = super::json_schema::write_schemas(&project.root) {
        out.debug(&format!(
            "editor schemas not written to {}: {e:#}",
            dir.display()
        ));
    }
}

/// The state file for a command that only reads it (lists, shows): as [`open_store`]
/// when the file can be written; in a project this user cannot write to, the file as it
/// is, read-only (an empty state when there is none yet).
pub fn open_store_to_read(project: &Project, out: &Printer) -> Result<Store> {
    match open_store(project, out) {
        Ok(store) => Ok(store),
        Err(e)
            if e.downcast_ref::<StoreError>()
                .is_some_and(StoreError::is_read_only) =>
        {
            out.debug(&format!("{e:#}; reading the state file read-only"));
            match Store::open_read_only_at(&project.state)? {
                Some(store) => Ok(store),
                None => Ok(Store::open_in_memory()?),
            }
        }
        Err(e) => Err(e),
    }
}

/// The files to check: each named file, and the definition files (YAML, JSON) of each
/// named folder.
pub fn files_and_folders(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(pipeline::validate::definition_files(path));
        } else {
            require_file(path)?;
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// `path` must be a file a command can read: says what it is instead (exit 2).
pub fn require_file(path: &Path) -> Result<()> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(meta) if meta.is_dir() => Err(user_error(format!("{shown}: is a folder, not a file"))),
        Ok(_) => Err(user_error(format!("{shown}: is not a regular file"))),
        Err(_) => Err(user_error(format!("{shown}: no such file"))),
    }
}

/// Loads `pipelines/` and prints every finding. An invalid file does not stop the
/// command: its valid pipelines are returned, and the command exits 2 when it ends
/// (whatever it stored and ran stays), so that a hook still blocks.
pub fn load_pipelines(project: &Project, out: &Printer) -> Result<Vec<Pipeline>> {
    let loaded = pipeline::load_dir(&project.pipelines_dir(), &project.root);
    let mut errors = 0;
    for d in &loaded.diagnostics {
        match d.severity {
            Severity::Warning => out.warn(&d.error.to_string()),
            Severity::Error => {
                errors += 1;
                out.error(&d.error.to_string());
            }
        }
    }
    if errors > 0 {
        out.error(&format!(
            "{errors} error(s) in pipeline definitions: the pipelines of those files did not load; the others did (fix them, see `mockops pipeline validate`; `mockops event replay ID` runs an event again)"
        ));
        out.defer_bad_input();
    }
    Ok(loaded.pipelines)
}

pub fn engine<'a>(project: &Project, store: &'a Store, pipelines: &'a [Pipeline]) -> Engine<'a> {
    Engine {
        store,
        pipelines,
        settings: EngineSettings {
            project_root: project.root.clone(),
            workspace: project.workspace(),
            max_event_depth: project.settings.limits.max_event_depth,
            max_events_per_dispatch: project.settings.limits.max_events_per_dispatch,
            environments: project.environments(),
            now: chrono::Utc::now,
        },
    }
}

/// Builds a payload from `--payload JSON`, `--payload-file F` and `-p key=value` pairs
/// (values parsed as JSON when they parse; dotted keys nest).
pub fn build_payload(
    payload: Option<&str>,
    payload_file: Option<&std::path::Path>,
    pairs: &[String],
) -> Result<Map<String, Value>> {
    let mut map = Map::new();
    if let Some(text) = payload {
        map = parse_object(text, "--payload")?;
    }
    if let Some(file) = payload_file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| user_error(format!("{}: cannot read: {e}", file.display())))?;
        let parsed: Value = if text.trim_start().starts_with('{') {
            serde_json::from_str(&text).map_err(|e| {
                user_error(format!(
                    "{}:{}:{}: invalid JSON: {e}",
                    file.display(),
                    e.line(),
                    e.column()
                ))
            })?
        } else {
            crate::yamlfile::parse(file, &text)?
        };
        match parsed {
            Value::Object(m) => map.extend(m),
            _ => {
                return Err(user_error(format!(
                    "{}: the payload must be an object",
                    file.display()
                )))
            }
        }
    }
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(user_error(format!("-p {pair}: expected key=value")));
        };
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(user_error(format!("-p {pair}: invalid key `{key}`")));
        }
        insert_dotted(&mut map, key, crate::json_or_string(value))?;
    }
    Ok(map)
}

fn parse_object(text: &str, what: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(user_error(format!(
            "{what}: the payload must be a JSON object"
        ))),
        Err(e) => Err(user_error(format!(
            "{what}: invalid JSON at 1:{}: {e}",
            e.column()
        ))),
    }
}

fn insert_dotted(map: &mut Map<String, Value>, key: &str, value: Value) -> Result<()> {
    let mut parts = key.split('.').peekable();
    let mut cur = map;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            // Symmetric with the error below: keys set inside `part` are not dropped silently.
            if cur.get(part).is_some_and(Value::is_object) && !value.is_object() {
                return Err(user_error(format!(
                    "-p {key}: `{key}` already holds keys; it would lose them to a non-object value"
                )));
            }
            cur.insert(part.to_string(), value);
            return Ok(());
        }
        let entry = cur
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            return Err(user_error(format!(
                "-p {key}: `{part}` is already set to a non-object value"
            )));
        }
        cur = entry.as_object_mut().expect("checked object");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pairs_are_typed_and_dotted_keys_nest() {
        let m = build_payload(
            Some(r#"{"a": 1}"#),
            None,
            &["b=2".into(), "c.d=true".into(), "c.e=x y".into()],
        )
        .unwrap();
        assert_eq!(
            Value::Object(m),
            json!({"a": 1, "b": 2, "c": {"d": true, "e": "x y"}})
        );
        assert!(build_payload(None, None, &["novalue".into()]).is_err());
        // Neither order drops a value silently.
        for pairs in [["a=1", "a.b=2"], ["a.b=1", "a=2"]] {
            let pairs: Vec<String> = pairs.iter().map(|p| p.to_string()).collect();
            assert!(build_payload(None, None, &pairs).is_err(), "{pairs:?}");
        }
        let m = build_payload(None, None, &["a=1".into(), "a=2".into()]).unwrap();
        assert_eq!(
            Value::Object(m),
            json!({"a": 2}),
            "the last of equal keys wins"
        );
        assert!(build_payload(Some("[1]"), None, &[]).is_err());
    }
}
