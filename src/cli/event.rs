//! `mockops event emit|list|show|replay|dead-letters`.

use super::context::{self, build_payload};
use super::output::{Format, Printer};
use super::{user_error, Exit, GlobalArgs};
use crate::events::{self, Event};
use crate::pipeline::executor::{DispatchOutcome, Selection};
use crate::timefmt;
use anyhow::Result;
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum EventCommand {
    /// Emit an event and dispatch it to every matching pipeline
    Emit {
        /// Event type (built-in, or custom.<name>)
        #[arg(value_name = "TYPE")]
        event_type: String,
        /// Payload key=value (JSON when it parses; dotted keys nest)
        #[arg(short = 'p', value_name = "KEY=VALUE")]
        pairs: Vec<String>,
        /// Payload as a JSON object
        #[arg(long, conflicts_with = "payload_file")]
        payload: Option<String>,
        /// Payload from a JSON or YAML file
        #[arg(long, value_name = "F")]
        payload_file: Option<PathBuf>,
        /// Workspace id (default: the project's)
        #[arg(long)]
        workspace: Option<String>,
        /// Show which pipelines and steps would run; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// List events, newest first
    List {
        /// Only events of this type
        #[arg(long = "type", value_name = "T")]
        event_type: Option<String>,
        /// Only events newer than this: a duration (1h, 7d), an RFC 3339 date, or `all`
        #[arg(long)]
        since: Option<String>,
        /// At most this many events
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Show an event with the runs it caused and its child events
    Show {
        /// Event id, or a unique prefix of one
        id: String,
    },
    /// Dispatch a copy of an event as a new chain
    Replay {
        /// Event id, or a unique prefix of one
        id: String,
    },
    /// Deliveries that failed for good
    DeadLetters,
    /// Send a dead letter again (target and credentials rendered afresh)
    Redeliver {
        /// Dead letter id, or a unique prefix of one
        id: String,
    },
}

pub fn run(g: &GlobalArgs, cmd: EventCommand, out: &mut Printer) -> Result<()> {
    match cmd {
        EventCommand::Emit {
            event_type,
            pairs,
            payload,
            payload_file,
            workspace,
            dry_run,
        } => emit(
            g,
            &event_type,
            &pairs,
            payload.as_deref(),
            payload_file.as_deref(),
            workspace,
            dry_run,
            out,
        ),
        EventCommand::List {
            event_type,
            since,
            limit,
        } => list(g, event_type.as_deref(), since.as_deref(), limit, out),
        EventCommand::Show { id } => show(g, &id, out),
        EventCommand::Replay { id } => replay(g, &id, out),
        EventCommand::DeadLetters => dead_letters(g, out),
        EventCommand::Redeliver { id } => redeliver(g, &id, out),
    }
}

#[allow(clippy::too_many_arguments)]
fn emit(
    g: &GlobalArgs,
    event_type: &str,
    pairs: &[String],
    payload: Option<&str>,
    payload_file: Option<&std::path::Path>,
    workspace: Option<String>,
    dry_run: bool,
    out: &mut Printer,
) -> Result<()> {
    let project = context::project(g)?;
    let payload = build_payload(payload, payload_file, pairs)?;
    events::check_payload(event_type, &payload)?;
    if let Some(warning) = events::mockforge::unsupplied_warning(event_type, &payload) {
        out.warn(&warning);
    }
    if workspace.as_deref().is_some_and(|w| w.trim().is_empty()) {
        return Err(user_error("--workspace: a workspace id may not be empty"));
    }
    let workspace = workspace.unwrap_or_else(|| project.workspace());
    let pipelines = context::load_pipelines(&project, out)?;
    let event = Event::new(event_type, &workspace, "cli", payload, chrono::Utc::now());
    if dry_run {
        let store = crate::store::Store::open_in_memory()?;
        let engine = context::engine(&project, &store, &pipelines);
        let report = engine.dry_run(&event, None);
        return print_dry_run(&event, &report, out);
    }
    let store = context::open_store(&project, out)?;
    let engine = context::engine(&project, &store, &pipelines);
    let outcome = engine.dispatch(event, Selection::Matching)?;
    report_dispatch(&outcome, &store, out)
}

pub fn print_dry_run(
    event: &Event,
    report: &[crate::pipeline::dry_run::DryRunPipeline],
    out: &Printer,
) -> Result<()> {
    if out.json() {
        return out.print_json(&json!({"event": event, "pipelines": report}));
    }
    if out.format == Some(Format::Junit) {
        return Err(user_error(
            "--format junit: a dry run runs nothing to report; use text or json",
        ));
    }
    out.print(&format!(
        "event {} ({}) — dry run, nothing is changed",
        event.event_type, event.id
    ));
    if report.is_empty() {
        out.print("no pipelines in pipelines/");
    }
    for p in report {
        let verdict = if p.matched {
            "would run"
        } else {
            "would not run"
        };
        let why = p
            .reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        out.print(&format!("\n{} — {verdict}{why}", p.pipeline));
        if !p.matched {
            continue;
        }
        for s in &p.steps {
            let mark = if s.would_run { "run " } else { "skip" };
            out.print(&format!(
                "  [{mark}] {} ({}) {}",
                s.name, s.step_type, s.config
            ));
        }
    }
    Ok(())
}

/// Like [`report_outcome`], and with `--format junit` one JUnit suite per run (a test case
/// per step, the tail of a failed step's log in its failure).
pub fn report_dispatch(
    outcome: &DispatchOutcome,
    store: &crate::store::Store,
    out: &Printer,
) -> Result<()> {
    if out.format != Some(Format::Junit) {
        return report_outcome(outcome, out);
    }
    let logs = |run: &str| store.logs(run, None).unwrap_or_default();
    super::ci::print_junit(out, &super::ci::run_suites(&[outcome], &logs));
    for e in &outcome.errors {
        out.error(e);
    }
    if outcome.failed() {
        return Err(Exit(1).into());
    }
    Ok(())
}

/// Prints what a dispatch caused and fails with exit 1 when anything failed.
pub fn report_outcome(outcome: &DispatchOutcome, out: &Printer) -> Result<()> {
    if out.json() {
        out.print_json(outcome)?;
    } else {
        out.result(&format!("event {}", outcome.event_id));
        if outcome.runs.is_empty() {
            out.result("no pipeline matched");
        }
        for run in &outcome.runs {
            out.result(&format!(
                "  {} {} (run {})",
                run.pipeline,
                out.status(&run.status),
                run.id
            ));
            for s in run.steps.iter().flatten() {
                let err = s
                    .error
                    .as_deref()
                    .map(|e| format!(" — {e}"))
                    .unwrap_or_default();
                out.result(&format!(
                    "    {} {} ({}){err}",
                    s.name,
                    out.status(&s.status),
                    s.step_type
                ));
            }
            if let Some(e) = &run.error {
                if run.steps.as_ref().is_none_or(|s| s.is_empty()) {
                    out.result(&format!("    {e}"));
                }
            }
        }
    }
    for e in &outcome.errors {
        out.error(e);
    }
    if outcome.failed() {
        return Err(Exit(1).into());
    }
    Ok(())
}

fn list(
    g: &GlobalArgs,
    event_type: Option<&str>,
    since: Option<&str>,
    limit: u32,
    out: &Printer,
) -> Result<()> {
    let project = context::project(g)?;
    let since = match since {
        Some(s) => timefmt::parse_since(s, chrono::Utc::now())
            .map_err(|e| user_error(format!("--since {s:?}: {e}")))?,
        None => None,
    };
    let store = context::open_store_to_read(&project, out)?;
    let list = store.list_events(event_type, since, limit)?;
    if out.json() {
        return out.print_json(&list);
    }
    let rows = list
        .iter()
        .map(|e| {
            vec![
                e.id.clone(),
                e.event_type.clone(),
                timefmt::format(&e.timestamp),
                e.source.clone(),
                e.parent_id.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.table(&["id", "type", "timestamp", "source", "parent"], rows);
    Ok(())
}

fn show(g: &GlobalArgs, id: &str, out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let store = context::open_store_to_read(&project, out)?;
    let id = store.resolve_event_id(id)?;
    let event = store
        .event(&id)?
        .ok_or_else(|| user_error(format!("no event `{id}`")))?;
    let runs = store.runs_for_event(&id)?;
    let children = store.child_events(&id)?;
    if out.json() {
        let mut obj = serde_json::to_value(&event)?;
        obj["runs"] = serde_json::to_value(&runs)?;
        obj["children"] = serde_json::to_value(&children)?;
        return out.print_json(&obj);
    }
    out.print(&format!(
        "event {}\ntype: {}\nworkspace: {}\nsource: {}\ntimestamp: {}\nparent: {}\npayload: {}",
        event.id,
        event.event_type,
        event.workspace_id,
        event.source,
        timefmt::format(&event.timestamp),
        event.parent_id.as_deref().unwrap_or("-"),
        serde_json::to_string_pretty(&event.payload)?
    ));
    out.print("runs:");
    for r in &runs {
        out.print(&format!(
            "  {} {} {}",
            r.id,
            r.pipeline,
            out.status(&r.status)
        ));
    }
    out.print("children:");
    for c in &children {
        out.print(&format!("  {} {}", c.id, c.event_type));
    }
    Ok(())
}

fn replay(g: &GlobalArgs, id: &str, out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let store = context::open_store(&project, out)?;
    let id = store.resolve_event_id(id)?;
    let original = store
        .event(&id)?
        .ok_or_else(|| user_error(format!("no event `{id}`")))?;
    let pipelines = context::load_pipelines(&project, out)?;
    let mut copy = Event::new(
        &original.event_type,
        &original.workspace_id,
        &original.source,
        original.payload.clone(),
        chrono::Utc::now(),
    );
    copy.replay_of = Some(original.id.clone());
    let engine = context::engine(&project, &store, &pipelines);
    let outcome = engine.dispatch(copy, Selection::Matching)?;
    report_dispatch(&outcome, &store, out)
}

fn dead_letters(g: &GlobalArgs, out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let store = context::open_store_to_read(&project, out)?;
    let list = store.dead_letters()?;
    if out.json() {
        return out.print_json(&list);
    }
    let rows = list
        .iter()
        .map(|d| {
            vec![
                d.id.clone(),
                d.step.clone(),
                d.target.clone(),
                d.attempts.to_string(),
                d.last_error.clone(),
                timefmt::format(&d.created_at),
            ]
        })
        .collect();
    out.table(
        &["id", "step", "target", "attempts", "last error", "created"],
        rows,
    );
    Ok(())
}

fn redeliver(g: &GlobalArgs, id: &str, out: &Printer) -> Result<()> {
    let project = context::project(g)?;
    let store = context::open_store(&project, out)?;
    let letter = store.dead_letter(id)?;
    if letter.delivered_at.is_some() {
        return Err(user_error(format!(
            "dead letter {} was already redelivered",
            letter.id
        )));
    }
    let pipelines = context::load_pipelines(&project, out)?;
    let pipeline = pipelines
        .iter()
        .find(|p| p.name == letter.pipeline)
        .ok_or_else(|| {
            user_error(format!(
                "pipeline `{}` ({}) no longer exists",
                letter.pipeline, letter.pipeline_file
            ))
        })?;
    let step = pipeline
        .steps
        .iter()
        .find(|s| s.name == letter.step)
        .ok_or_else(|| {
            user_error(format!(
                "step `{}` is no longer in pipeline `{}`",
                letter.step, pipeline.name
            ))
        })?;
    let event = store
        .event(&letter.event_id)?
        .ok_or_else(|| user_error(format!("event {} is gone", letter.event_id)))?;
    let run = store
        .run(&letter.run_id)?
        .ok_or_else(|| user_error(format!("run {} is gone", letter.run_id)))?;
    let engine = context::engine(&project, &store, &pipelines);
    let config = engine
        .rerender_step_config(pipeline, step, &event, &run)
        .map_err(|e| user_error(format!("{e} (step `{}`, {})", step.name, pipeline.file)))?;
    match engine.redeliver(pipeline, step, &config, &letter) {
        Ok(done) => {
            store.write(|s| s.update_dead_letter(&letter.id, Some(chrono::Utc::now()), None))?;
            if out.json() {
                out.print_json(
                    &json!({"id": letter.id, "delivered": true, "outputs": done.outputs}),
                )?;
            } else {
                out.result(&format!("redelivered {} to {}", letter.id, letter.target));
            }
            Ok(())
        }
        Err(failure) => {
            let mut masker = crate::secrets::Masker::default();
            masker.add_config_secrets(&config);
            let msg = masker.mask(&failure.message);
            store.write(|s| s.update_dead_letter(&letter.id, None, Some(&msg)))?;
            if out.json() {
                out.print_json(&json!({"id": letter.id, "delivered": false, "error": msg}))?;
            }
            out.error(&format!("redelivery of {} failed: {msg}", letter.id));
            Err(Exit(1).into())
        }
    }
}
