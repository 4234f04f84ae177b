//! `mockops pipeline list|validate|run|history|show|logs`.

use super::context::{self, build_payload};
use super::event::{print_dry_run, report_dispatch};
use super::output::{Format, Printer};
use super::{user_error, Exit, GlobalArgs};
use crate::events::{self, Event};
use crate::pipeline::executor::Selection;
use crate::pipeline::{self, Severity};
use crate::timefmt;
use anyhow::Result;
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum PipelineCommand {
    /// Pipelines with their triggers, steps and last run
    List,
    /// Check pipeline files (all of pipelines/ when none is named)
    Validate {
        /// Pipeline files or folders (default: every file in pipelines/)
        files: Vec<PathBuf>,
    },
    /// Run one pipeline on an event, even if its filters do not match
    Run {
        /// Pipeline name
        name: String,
        /// Event type (default: the type of its first trigger)
        #[arg(long = "event", value_name = "TYPE")]
        event_type: Option<String>,
        /// Payload key=value (JSON when it parses; dotted keys nest)
        #[arg(short = 'p', value_name = "KEY=VALUE")]
        pairs: Vec<String>,
        /// Payload as a JSON object
        #[arg(long)]
        payload: Option<String>,
        /// Show the steps that would run and their rendered config; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Past runs, newest first
    History {
        /// Only runs of this pipeline
        name: Option<String>,
        /// Only runs with this status: running, succeeded, failed, interrupted
        #[arg(long)]
        status: Option<String>,
        /// At most this many runs
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// A run with its steps, attempts, durations, outputs and errors
    Show {
        /// Run id, or a unique prefix of one
        #[arg(value_name = "RUN_ID")]
        run_id: String,
    },
    /// The logs of a run
    Logs {
        /// Run id, or a unique prefix of one
        #[arg(value_name = "RUN_ID")]
        run_id: String,
        /// Only the logs of this step
        #[arg(long)]
        step: Option<String>,
    },
}

pub fn run(g: &GlobalArgs, cmd: PipelineCommand, out: &mut Printer) -> Result<()> {
    match cmd {
        PipelineCommand::List => list(g, out),
        PipelineCommand::Validate { files } => validate(g, &files, out),
        PipelineCommand::Run {
            name,
            event_type,
            pairs,
            payload,
            dry_run,
        } => run_one(
            g,
            &name,
            event_type,
            &pairs,
            payload.as_deref(),
            dry_run,
            out,
        ),
        PipelineCommand::History {
            name,
            status,
            limit,
        } => history(g, name.as_deref(), status.as_deref(), limit, out),
        PipelineCommand::Show { run_id } => show(g, &run_id, out),
        PipelineCommand::Logs { run_id, step } => logs(g, &run_id, step.as_deref(), out),
    }
}

fn list(g: &GlobalArgs, out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let pipelines = context::load_pipelines(&project, out)?;
    let store = crate::store::Store::open_read_only_at(&project.state)?;
    let mut items = Vec::new();
    for p in &pipelines {
        let last = match &store {
            Some(s) => s.list_runs(Some(&p.name), None, 1)?.into_iter().next(),
            None => None,
        };
        items.push(json!({
            "name": p.name,
            "file": p.file,
            "enabled": p.enabled,
            "triggers": p.triggers.iter().map(|t| t.event_type.clone()).collect::<Vec<_>>(),
            "steps": p.steps.len(),
            "last_run": last.map(|r| json!({"id": r.id, "status": r.status, "started_at": timefmt::format(&r.started_at)})),
        }));
    }
    if out.json() {
        return out.print_json(&items);
    }
    let rows = items
        .iter()
        .map(|i| {
            let last = match &i["last_run"] {
                serde_json::Value::Null => "-".to_string(),
                r => format!(
                    "{} {}",
                    out.status(r["status"].as_str().unwrap_or("")),
                    r["started_at"].as_str().unwrap_or("")
                ),
            };
            let triggers: Vec<&str> = i["triggers"]
                .as_array()
                .map(|t| t.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            vec![
                i["name"].as_str().unwrap_or("").to_string(),
                if triggers.is_empty() {
                    "(by hand only)".to_string()
                } else {
                    triggers.join(", ")
                },
                i["steps"].to_string(),
                if i["enabled"] == json!(true) {
                    "yes"
                } else {
                    "no"
                }
                .to_string(),
                last,
            ]
        })
        .collect();
    out.table(&["name", "triggers", "steps", "enabled", "last run"], rows);
    Ok(())
}

fn validate(g: &GlobalArgs, files: &[PathBuf], out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let loaded = if files.is_empty() {
        pipeline::load_dir(&project.pipelines_dir(), &project.root)
    } else {
        pipeline::validate::load_files(&context::files_and_folders(files)?, &project.root)
    };
    let errors = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = loaded.diagnostics.len() - errors;
    if super::ci::pipeline_diagnostics(out, &loaded.diagnostics) {
        // SARIF or workflow commands printed instead of the listing.
    } else if out.json() {
        let diags: Vec<_> = loaded
            .diagnostics
            .iter()
            .map(|d| {
                json!({"severity": d.severity, "file": d.error.file.display().to_string(), "line": d.error.line,
                       "column": d.error.column, "message": d.error.message})
            })
            .collect();
        out.print_json(&json!({"valid": errors == 0, "pipelines": loaded.pipelines.iter().map(|p| &p.name).collect::<Vec<_>>(), "diagnostics": diags}))?;
    } else {
        for d in &loaded.diagnostics {
            match d.severity {
                Severity::Error => out.error(&d.error.to_string()),
                Severity::Warning => out.warn(&d.error.to_string()),
            }
        }
        if errors == 0 {
            out.result(&format!(
                "{} pipeline(s) valid, {warnings} warning(s)",
                loaded.pipelines.len()
            ));
        }
    }
    if errors > 0 {
        if out.format.is_none() || matches!(out.format, Some(Format::Table | Format::Text)) {
            out.result(&format!("{errors} error(s), {warnings} warning(s)"));
        }
        return Err(Exit(2).into());
    }
    Ok(())
}

fn run_one(
    g: &GlobalArgs,
    name: &str,
    event_type: Option<String>,
    pairs: &[String],
    payload: Option<&str>,
    dry_run: bool,
    out: &Printer,
) -> Result<()> {
    let project = context::project(g)?;
    let pipelines = context::load_pipelines(&project, out)?;
    let Some(pipeline) = pipelines.iter().find(|p| p.name == name) else {
        let names: Vec<&str> = pipelines.iter().map(|p| p.name.as_str()).collect();
        let hint = crate::yamlfile::nearest(name, names.iter().copied())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        let invalid = if out.bad_input_deferred() {
            " (the invalid files above may define it)"
        } else {
            ""
        };
        return Err(user_error(format!(
            "no valid pipeline named `{name}`{hint}{invalid}; pipelines: {}",
            names.join(", ")
        )));
    };
    let event_type = event_type
        .or_else(|| pipeline.triggers.first().map(|t| t.event_type.clone()))
        .ok_or_else(|| {
            user_error(format!(
                "pipeline `{name}` has no triggers; name the event to run it on: --event TYPE (a built-in type, or custom.<name>)"
            ))
        })?;
    let payload = build_payload(payload, None, pairs)?;
    events::check_payload(&event_type, &payload)?;
    if let Some(warning) = events::mockforge::unsupplied_warning(&event_type, &payload) {
        out.warn(&warning);
    }
    let event = Event::new(
        &event_type,
        &project.workspace(),
        "cli",
        payload,
        chrono::Utc::now(),
    );
    if let Err(why) = pipeline.matches(&event_type, &event.filter_view()) {
        out.warn(&format!(
            "running `{name}` although its filters do not match: {why}"
        ));
    }
    if dry_run {
        let store = crate::store::Store::open_in_memory()?;
        let engine = context::engine(&project, &store, &pipelines);
        let report = engine.dry_run(&event, Some(pipeline));
        return print_dry_run(&event, &report, out);
    }
    let store = context::open_store(&project, out)?;
    let engine = context::engine(&project, &store, &pipelines);
    let outcome = engine.dispatch(event, Selection::Forced(pipeline))?;
    report_dispatch(&outcome, &store, out)
}

fn history(
    g: &GlobalArgs,
    name: Option<&str>,
    status: Option<&str>,
    limit: u32,
    out: &Printer,
) -> Result<()> {
    if let Some(s) = status {
        if !["running", "succeeded", "failed", "interrupted"].contains(&s) {
            return Err(user_error(format!(
                "--status {s}: use running, succeeded, failed or interrupted"
            )));
        }
    }
    let project = context::project(g)?;
    let store = context::open_store_to_read(&project, out)?;
    let runs = store.list_runs(name, status, limit)?;
    if out.json() {
        return out.print_json(&runs);
    }
    let rows = runs
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.pipeline.clone(),
                out.status(&r.status),
                timefmt::format(&r.started_at),
                duration_text(r.started_at, r.finished_at),
                r.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.table(
        &["run", "pipeline", "status", "started", "duration", "error"],
        rows,
    );
    Ok(())
}

fn duration_text(
    start: chrono::DateTime<chrono::Utc>,
    end: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    match end {
        Some(e) => format!("{:.3}s", (e - start).num_milliseconds() as f64 / 1000.0),
        None => "-".into(),
    }
}

fn show(g: &GlobalArgs, run_id: &str, out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let store = context::open_store_to_read(&project, out)?;
    let id = store.resolve_run_id(run_id)?;
    let run = store
        .run(&id)?
        .ok_or_else(|| user_error(format!("no run `{run_id}`")))?;
    if out.json() {
        return out.print_json(&run);
    }
    out.print(&format!(
        "run {}\npipeline: {} ({})\nevent: {}\nstatus: {}\nstarted: {}\nduration: {}",
        run.id,
        run.pipeline,
        run.pipeline_file,
        run.event_id,
        out.status(&run.status),
        timefmt::format(&run.started_at),
        duration_text(run.started_at, run.finished_at)
    ));
    if let Some(e) = &run.error {
        out.print(&format!("error: {e}"));
    }
    let mut rows = Vec::new();
    for s in run.steps.iter().flatten() {
        let attempts = store.attempts(&run.id, &s.name)?;
        let tries = attempts
            .iter()
            .map(|a| {
                format!(
                    "#{} {} {}",
                    a.attempt,
                    a.status,
                    duration_text(a.started_at, Some(a.finished_at))
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        rows.push(vec![
            s.name.clone(),
            s.step_type.clone(),
            out.status(&s.status),
            if tries.is_empty() { "-".into() } else { tries },
            serde_json::to_string(&s.outputs)?,
            s.error.clone().unwrap_or_default(),
        ]);
    }
    out.table(
        &["step", "type", "status", "attempts", "outputs", "error"],
        rows,
    );
    Ok(())
}

fn logs(g: &GlobalArgs, run_id: &str, step: Option<&str>, out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let store = context::open_store_to_read(&project, out)?;
    let id = store.resolve_run_id(run_id)?;
    if let Some(step) = step {
        let steps: Vec<String> = store
            .run(&id)?
            .and_then(|run| run.steps)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.name)
            .collect();
        if !steps.iter().any(|s| s == step) {
            return Err(user_error(format!(
                "run {id} has no step `{step}` (its steps: {})",
                steps.join(", ")
            )));
        }
    }
    let logs = store.logs(&id, step)?;
    if out.json() {
        return out.print_json(&logs);
    }
    for l in &logs {
        out.print(&format!(
            "── {} (attempt {}, {}) ──",
            l.step, l.attempt, l.stream
        ));
        out.print(&l.text);
    }
    if logs.is_empty() {
        out.result("no logs");
    }
    Ok(())
}
