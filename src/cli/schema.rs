//! `mockops schema diff|check`.

use super::context;
use super::event::report_outcome;
use super::output::{Format, Printer};
use super::{user_error, Exit, GlobalArgs};
use crate::events::Event;
use crate::pipeline::executor::{DispatchOutcome, Selection};
use crate::schema::{self, Level, Snapshot};
use anyhow::Result;
use clap::Subcommand;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Breaking,
    Any,
    None,
}

#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Structural changes between two versions of a spec (OpenAPI, Swagger or Protobuf)
    Diff {
        /// The earlier version: a spec file, or a folder of .proto files
        old: PathBuf,
        /// The later version, of the same kind
        new: PathBuf,
        /// Exit 1 when there are breaking changes (`breaking`) or any change (`any`)
        #[arg(long, value_enum, default_value_t = FailOn::None)]
        fail_on: FailOn,
        /// Protobuf import path (repeatable)
        #[arg(long = "import-path", value_name = "DIR")]
        import_paths: Vec<PathBuf>,
    },
    /// Compare specs with their last snapshot; emit schema.changed for changed ones
    Check {
        /// Specs to check (default: the `specs` of mockops.yaml)
        specs: Vec<PathBuf>,
        /// Compare the versions staged in git with HEAD
        #[arg(long)]
        staged: bool,
        /// Store the new snapshots but emit and dispatch nothing
        #[arg(long)]
        no_run: bool,
    },
}

pub fn run(g: &GlobalArgs, cmd: SchemaCommand, out: &mut Printer) -> Result<()> {
    match cmd {
        SchemaCommand::Diff {
            old,
            new,
            fail_on,
            import_paths,
        } => diff(&old, &new, fail_on, &import_paths, out),
        SchemaCommand::Check {
            specs,
            staged,
            no_run,
        } => {
            let project = context::project(g)?;
            check(&project, &specs, staged, no_run, None, out)
        }
    }
}

fn diff(
    old: &Path,
    new: &Path,
    fail_on: FailOn,
    import_paths: &[PathBuf],
    out: &Printer,
) -> Result<()> {
    for p in [old, new] {
        if !p.exists() {
            return Err(user_error(format!(
                "{}: no such file or folder",
                p.display()
            )));
        }
    }
    if let Some(missing) = import_paths.iter().find(|p| !p.is_dir()) {
        return Err(user_error(format!(
            "--import-path {}: no such folder",
            missing.display()
        )));
    }
    let report =
        schema::diff_paths(old, new, import_paths).map_err(|e| user_error(e.to_string()))?;
    match out.format {
        _ if super::ci::schema_diff(out, &report, new)? => {}
        Some(Format::Json) => out.print_json(&report)?,
        Some(Format::Markdown) => out.print(&schema::render_markdown(&report)),
        None | Some(Format::Text) | Some(Format::Table) => out.print(&schema::render_text(&report)),
        Some(other) => {
            return Err(user_error(format!(
                "--format {other}: schema diff prints text, json or markdown"
            )))
        }
    }
    let failed = match fail_on {
        FailOn::None => false,
        FailOn::Breaking => report.breaking_count > 0,
        FailOn::Any => !report.changes.is_empty(),
    };
    if failed {
        return Err(Exit(1).into());
    }
    Ok(())
}

/// A spec to check: its path relative to the root, and its import paths.
struct SpecToCheck {
    rel: String,
    abs: PathBuf,
    import_paths: Vec<PathBuf>,
}

/// What `schema check` found for one spec.
#[derive(Debug, serde::Serialize)]
pub struct SpecResult {
    pub spec_path: String,
    pub status: &'static str,
    pub breaking_count: usize,
    pub changes: usize,
    pub event_id: Option<String>,
    pub error: Option<String>,
}

/// Checks specs against their snapshots; `pipelines` are the definitions to dispatch to
/// (loaded from `pipelines/` when `None`).
pub fn check(
    project: &crate::project::Project,
    specs: &[PathBuf],
    staged: bool,
    no_run: bool,
    pipelines: Option<&[crate::pipeline::Pipeline]>,
    out: &Printer,
) -> Result<()> {
    let targets: Vec<SpecToCheck> = if specs.is_empty() {
        project
            .settings
            .specs
            .iter()
            .map(|s| SpecToCheck {
                rel: s.path.clone(),
                abs: project.root.join(&s.path),
                import_paths: s
                    .import_paths
                    .iter()
                    .map(|p| project.root.join(p))
                    .collect(),
            })
            .collect()
    } else {
        specs
            .iter()
            .map(|p| {
                let rel = project.relative(p);
                let configured = project.settings.specs.iter().find(|s| s.path == rel);
                SpecToCheck {
                    abs: project.root.join(&rel),
                    import_paths: configured
                        .map(|s| {
                            s.import_paths
                                .iter()
                                .map(|i| project.root.join(i))
                                .collect()
                        })
                        .unwrap_or_default(),
                    rel,
                }
            })
            .collect()
    };
    if targets.is_empty() {
        out.info("no specs to check: list them under `specs:` in mockops.yaml or name them");
        return Ok(());
    }
    let store = context::open_store(project, out)?;
    let loaded;
    let pipelines: &[crate::pipeline::Pipeline] = match pipelines {
        Some(p) => p,
        None if no_run => &[],
        None => {
            loaded = context::load_pipelines(project, out)?;
            &loaded
        }
    };
    let engine = context::engine(project, &store, pipelines);
    let mut results = Vec::new();
    let mut outcomes: Vec<DispatchOutcome> = Vec::new();
    // One commit for every event of this check (each run is durable when it returns).
    let mut batch = engine.batch();
    let mut load_errors = 0;
    for t in &targets {
        let snapshot = if staged {
            match crate::gitutil::staged_text(&project.root, &t.rel) {
                Ok(Some(text)) => schema::snapshot_text(&t.abs, &text, &t.import_paths),
                Ok(None) => continue, // not in the index: nothing staged to check
                Err(e) => {
                    load_errors += 1;
                    out.error(&format!("{}: {e}", t.rel));
                    results.push(failed_result(&t.rel, e.to_string()));
                    continue;
                }
            }
        } else {
            schema::snapshot_path(&t.abs, &t.import_paths)
        };
        let snapshot = match snapshot {
            Ok(s) => s,
            Err(e) => {
                load_errors += 1;
                out.error(&e.to_string());
                results.push(failed_result(&t.rel, e.to_string()));
                continue;
            }
        };
        let text = serde_json::to_string(&snapshot)?;
        let new_hash = hash(&text);
        let old = store.spec_snapshot(&t.rel)?;
        let now = chrono::Utc::now();
        let Some(old) = old else {
            store.put_spec_snapshot(&t.rel, &new_hash, &text, now)?;
            out.info(&format!("{}: first snapshot recorded", t.rel));
            results.push(result(&t.rel, "recorded", 0, 0, None));
            continue;
        };
        if old.hash == new_hash {
            results.push(result(&t.rel, "unchanged", 0, 0, None));
            continue;
        }
        let old_snapshot: Snapshot = serde_json::from_str(&old.snapshot)?;
        let changes = schema::diff_snapshots(&old_snapshot, &snapshot)
            .map_err(|e| user_error(e.to_string()))?;
        store.put_spec_snapshot(&t.rel, &new_hash, &text, now)?;
        if changes.is_empty() {
            results.push(result(&t.rel, "reformatted", 0, 0, None));
            continue;
        }
        let breaking = changes
            .iter()
            .filter(|c| c.level == Level::Breaking)
            .count();
        let summary = summary(&changes);
        out.info(&format!("{}: {summary}", t.rel));
        if no_run {
            results.push(result(&t.rel, "changed", breaking, changes.len(), None));
            continue;
        }
        let stem = Path::new(&t.rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let payload = json!({
            "spec_path": t.rel, "spec_name": stem, "schema_type": snapshot.schema_type().to_string(),
            "old_hash": old.hash, "new_hash": new_hash, "breaking_count": breaking,
            "changes": changes, "summary": summary,
        });
        let event = Event::new(
            "schema.changed",
            &project.workspace(),
            if staged { "hook" } else { "schema-check" },
            payload.as_object().cloned().unwrap_or_default(),
            now,
        );
        let outcome = batch.dispatch(event, Selection::Matching)?;
        results.push(result(
            &t.rel,
            "changed",
            breaking,
            changes.len(),
            Some(outcome.event_id.clone()),
        ));
        outcomes.push(outcome);
    }
    batch.commit()?;
    if out.json() {
        let runs: Vec<_> = outcomes.iter().flat_map(|o| o.runs.iter()).collect();
        out.print_json(&json!({"specs": results, "runs": runs}))?;
    } else {
        for o in &outcomes {
            let _ = report_outcome(
                o,
                &Printer {
                    format: None,
                    ..*out
                },
            );
        }
    }
    if outcomes.iter().any(|o| o.failed()) {
        return Err(Exit(1).into());
    }
    if load_errors > 0 {
        return Err(Exit(2).into());
    }
    Ok(())
}

fn failed_result(rel: &str, error: String) -> SpecResult {
    SpecResult {
        spec_path: rel.into(),
        status: "error",
        breaking_count: 0,
        changes: 0,
        event_id: None,
        error: Some(error),
    }
}

fn result(
    rel: &str,
    status: &'static str,
    breaking: usize,
    changes: usize,
    event_id: Option<String>,
) -> SpecResult {
    SpecResult {
        spec_path: rel.into(),
        status,
        breaking_count: breaking,
        changes,
        event_id,
        error: None,
    }
}

fn summary(changes: &[schema::Change]) -> String {
    let count = |l: Level| changes.iter().filter(|c| c.level == l).count();
    format!(
        "{} change(s): {} breaking, {} warning, {} info",
        changes.len(),
        count(Level::Breaking),
        count(Level::Warning),
        count(Level::Info)
    )
}

/// `sha256:` + hex of the text.
pub fn hash(text: &str) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(text.as_bytes())))
}
