//! The executor: dispatches events through the synchronous FIFO queue, runs every
//! matching pipeline in name order, and persists every event, run, step attempt,
//! rendered config (secrets masked), output, log and error as it goes (docs/pipelines.md).

use super::commit::{Op, Pending, StepWrite};
use super::{filter, template, Pipeline, RunIf, Step};
use crate::events::queue::{Queue, QueueError};
use crate::events::Event;
use crate::secrets::Masker;
use crate::store::{RunRecord, StepRecord, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

#[path = "executor_step.rs"]
mod step;
use step::StepResult;

/// What the engine needs besides pipelines and the store.
pub struct EngineSettings {
    pub project_root: PathBuf,
    pub workspace: String,
    pub max_event_depth: u32,
    pub max_events_per_dispatch: u32,
    /// The promotion order of environments.
    pub environments: Vec<String>,
    /// The clock (injectable for tests).
    pub now: fn() -> DateTime<Utc>,
}

/// Runs pipelines for events.
pub struct Engine<'a> {
    pub store: &'a Store,
    pub pipelines: &'a [Pipeline],
    pub settings: EngineSettings,
}

/// Everything one dispatch caused.
#[derive(Debug, Default, Serialize)]
pub struct DispatchOutcome {
    pub event_id: String,
    pub runs: Vec<RunRecord>,
    /// Guard errors (depth, count, loops), in order.
    #[serde(skip)]
    pub errors: Vec<String>,
}

impl DispatchOutcome {
    /// Whether any run failed or a guard stopped a chain.
    pub fn failed(&self) -> bool {
        !self.errors.is_empty() || self.runs.iter().any(|r| r.status != "succeeded")
    }
}

/// Errors that stop a dispatch (state file problems).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Queue(#[from] QueueError),
    /// A signal (Ctrl-C, SIGTERM) stopped the dispatch; what ran is stored, a cut run as
    /// `interrupted`.
    #[error("{message}")]
    Interrupted { signal: i32, message: String },
}

impl EngineError {
    fn interrupted(signal: i32, cut: Option<&RunRecord>, event: &Event) -> EngineError {
        let what = match cut {
            Some(run) => format!(
                "run {} of pipeline `{}` is stored as interrupted",
                run.id, run.pipeline
            ),
            None => format!(
                "no further pipeline was run for event {} ({}; `event replay` runs them)",
                event.id, event.event_type
            ),
        };
        EngineError::Interrupted {
            signal,
            message: format!("{}: {what}", crate::interrupt::describe()),
        }
    }
}

/// How a pipeline is chosen for the root event.
#[derive(Clone, Copy)]
pub enum Selection<'p> {
    /// Every enabled pipeline whose trigger matches.
    Matching,
    /// This pipeline, whether or not its filters match (`pipeline run NAME`).
    Forced(&'p Pipeline),
}

impl Engine<'_> {
    fn now(&self) -> DateTime<Utc> {
        (self.settings.now)()
    }

    /// Stores `root` and dispatches it and everything it causes; everything is durable
    /// when this returns.
    pub fn dispatch(
        &self,
        root: Event,
        selection: Selection<'_>,
    ) -> Result<DispatchOutcome, EngineError> {
        // A batch of one (`Engine::batch`), spelt out so that the executor does not
        // depend on the batch above it: stored even when the dispatch fails part way.
        let _signals = crate::interrupt::scope();
        let mut pending = Pending::default();
        let outcome = self.dispatch_into(root, selection, &mut pending);
        let flushed = pending.flush(self.store);
        let outcome = outcome?;
        flushed?;
        Ok(outcome)
    }

    pub(super) fn dispatch_into(
        &self,
        root: Event,
        selection: Selection<'_>,
        pending: &mut Pending,
    ) -> Result<DispatchOutcome, EngineError> {
        let mut queue = Queue::new(
            self.settings.max_event_depth,
            self.settings.max_events_per_dispatch,
        );
        queue.admit(&root.event_type, None)?;
        // Writes are buffered and committed together at commit points: before any step
        // with effects outside mockops starts, at the end of a run that had one, and at
        // the end of the batch. Effect-free runs (`emit`) share one transaction.
        pending.0.push(Op::Event(root.clone()));
        let mut outcome = DispatchOutcome {
            event_id: root.id.clone(),
            ..Default::default()
        };
        let root_id = root.id.clone();
        queue.push(root);
        let mut memo = super::MatchMemo::default();
        while let Some(event) = queue.pop() {
            let chosen: Vec<&Pipeline> = match selection {
                Selection::Forced(p) if event.id == root_id => vec![p],
                _ => {
                    let view = event.filter_view();
                    super::matching(self.pipelines, &event.event_type, &view, &mut memo)
                }
            };
            for pipeline in chosen {
                if let Some(signal) = crate::interrupt::signal() {
                    return Err(EngineError::interrupted(signal, None, &event));
                }
                if let Some(chain) = queue.loop_chain(&event, &pipeline.name) {
                    let message = format!("refused as a loop: {chain}");
                    let run = self.refused_run(pipeline, &event, &message, pending);
                    outcome.errors.push(message);
                    outcome.runs.push(run);
                    continue;
                }
                queue.mark_ran(&event.id, &pipeline.name);
                let (run, emitted, errors) = self.execute(pipeline, &event, &mut queue, pending)?;
                if let (Some(signal), "interrupted") =
                    (crate::interrupt::signal(), run.status.as_str())
                {
                    // the events the run emitted are stored; their pipelines do not run
                    return Err(EngineError::interrupted(signal, Some(&run), &event));
                }
                outcome.runs.push(run);
                outcome.errors.extend(errors);
                for child in emitted {
                    queue.push(child);
                }
            }
        }
        Ok(outcome)
    }

    fn refused_run(
        &self,
        pipeline: &Pipeline,
        event: &Event,
        message: &str,
        pending: &mut Pending,
    ) -> RunRecord {
        let now = self.now();
        let run = RunRecord {
            id: crate::events::new_id(),
            pipeline: pipeline.name.clone(),
            pipeline_file: pipeline.file.clone(),
            event_id: event.id.clone(),
            status: "failed".into(),
            started_at: now,
            finished_at: Some(now),
            error: Some(message.to_string()),
            steps: Some(Vec::new()),
        };
        pending.0.push(Op::BeginRun(run.clone()));
        run
    }

    /// The template context of a run (docs/pipelines.md, Templates).
    pub fn base_context(&self, pipeline: &Pipeline, event: &Event, run_id: &str) -> Value {
        let mut event_obj = event.payload.clone();
        event_obj.insert("id".into(), json!(event.id));
        event_obj.insert("type".into(), json!(event.event_type));
        event_obj.insert("workspace_id".into(), json!(event.workspace_id));
        event_obj.insert("source".into(), json!(event.source));
        event_obj.insert(
            "timestamp".into(),
            json!(crate::timefmt::format(&event.timestamp)),
        );
        event_obj.insert("parent_id".into(), json!(event.parent_id));
        event_obj.insert("payload".into(), Value::Object(event.payload.clone()));
        // MockForge's names: `event_type` (flat, and in its user guide under `event.`) and
        // `org_id`, empty as MockForge renders it for an event of no organisation.
        event_obj.insert("event_type".into(), json!(event.event_type));
        event_obj.entry("org_id").or_insert_with(|| json!(""));
        let mut ctx = event.payload.clone();
        ctx.insert("event_type".into(), json!(event.event_type));
        ctx.entry("org_id").or_insert_with(|| json!(""));
        ctx.insert("workspace_id".into(), json!(event.workspace_id));
        ctx.insert("workspace_name".into(), json!(self.settings.workspace));
        ctx.insert(
            "timestamp".into(),
            json!(crate::timefmt::format(&event.timestamp)),
        );
        ctx.insert("event".into(), Value::Object(event_obj));
        ctx.insert(
            "pipeline".into(),
            json!({"name": pipeline.name, "file": pipeline.file}),
        );
        ctx.insert("run".into(), json!({"id": run_id, "status": "running"}));
        ctx.insert("steps".into(), json!({}));
        ctx.insert("env".into(), json!({}));
        ctx.insert(
            "project".into(),
            json!({"root": self.settings.project_root.display().to_string(), "workspace": self.settings.workspace}),
        );
        Value::Object(ctx)
    }

    fn execute(
        &self,
        pipeline: &Pipeline,
        event: &Event,
        queue: &mut Queue,
        pending: &mut Pending,
    ) -> Result<(RunRecord, Vec<Event>, Vec<String>), EngineError> {
        let mut run = RunRecord {
            id: crate::events::new_id(),
            pipeline: pipeline.name.clone(),
            pipeline_file: pipeline.file.clone(),
            event_id: event.id.clone(),
            status: "running".into(),
            started_at: self.now(),
            finished_at: None,
            error: None,
            steps: None,
        };
        pending.0.push(Op::BeginRun(run.clone()));
        let mut ctx = self.base_context(pipeline, event, &run.id);
        let mut masker = Masker::default();
        let mut run_failed = false;
        let mut first_error: Option<String> = None;
        let mut records = Vec::new();
        let mut emitted_all = Vec::new();
        let mut guard_errors = Vec::new();
        let mut had_effects = false;
        // (step, whether it was cut) where a signal stopped the run
        let mut stopped_at: Option<(&str, bool)> = None;
        for (idx, step) in pipeline.steps.iter().enumerate() {
            if stopped_at.is_none() && crate::interrupt::signal().is_some() {
                stopped_at = Some((&step.name, false));
            }
            let admitted = stopped_at.is_none()
                && match step.run_if {
                    RunIf::Success => !run_failed,
                    RunIf::Failure => run_failed,
                    RunIf::Always => true,
                };
            let when_ok = admitted && filter::check_all(&step.when, &ctx).is_ok();
            if !when_ok {
                let mut record = skipped(step);
                if stopped_at.is_some() {
                    record.error = Some("not run: the run was interrupted".into());
                }
                set_step_ctx(&mut ctx, &step.name, "skipped", &Map::new());
                pending.0.push(Op::Step(Box::new(StepWrite {
                    run_id: run.id.clone(),
                    idx,
                    record: record.clone(),
                    attempts: Vec::new(),
                    logs: Vec::new(),
                    memory: Vec::new(),
                    dead_letter: None,
                })));
                records.push(record);
                continue;
            }
            if step.kind.has_side_effects() {
                // the run (and the event) are durable before anything leaves mockops
                pending.flush(self.store)?;
                had_effects = true;
            }
            let result =
                self.run_step(pipeline, step, event, &run.id, &mut ctx, &mut masker, queue);
            let StepResult {
                record,
                attempts,
                logs,
                emitted,
                remember,
                dead_letter,
                guard_error,
            } = result;
            if let Some(e) = guard_error {
                guard_errors.push(e);
            }
            set_step_ctx(&mut ctx, &step.name, &record.status, &record.outputs);
            if record.status == "interrupted" {
                stopped_at = Some((&step.name, true));
            }
            let failed = record.status == "failed" || record.status == "timed_out";
            if failed && !step.continue_on_error {
                if !run_failed {
                    first_error = Some(format!(
                        "step `{}` {}: {}",
                        step.name,
                        record.status.replace('_', " "),
                        record.error.clone().unwrap_or_default()
                    ));
                }
                run_failed = true;
                if let Some(obj) = ctx.get_mut("run").and_then(Value::as_object_mut) {
                    obj.insert("status".into(), json!("failed"));
                }
            }
            pending.0.extend(emitted.iter().cloned().map(Op::Event));
            let memory = if record.status == "succeeded" {
                remember
                    .into_iter()
                    .map(|(k, v)| (pipeline.name.clone(), step.name.clone(), k, v))
                    .collect()
            } else {
                Vec::new()
            };
            pending.0.push(Op::Step(Box::new(StepWrite {
                run_id: run.id.clone(),
                idx,
                record: record.clone(),
                attempts,
                logs,
                memory,
                dead_letter,
            })));
            emitted_all.extend(emitted);
            records.push(record);
        }
        run.status = if run_failed { "failed" } else { "succeeded" }.into();
        run.error = first_error.map(|e| masker.mask(&e));
        if let Some((step, cut)) = stopped_at {
            run.status = "interrupted".into();
            run.error = Some(format!(
                "{} {} step `{step}`",
                crate::interrupt::describe(),
                if cut { "during" } else { "before" }
            ));
        }
        run.finished_at = Some(self.now());
        pending.0.push(Op::Finish {
            run_id: run.id.clone(),
            status: run.status.clone(),
            error: run.error.clone(),
            at: run.finished_at.unwrap_or_default(),
        });
        if had_effects || stopped_at.is_some() {
            // what was done outside mockops is on record as soon as the run ends, and a
            // run cut by a signal before mockops exits
            pending.flush(self.store)?;
        }
        run.steps = Some(records);
        Ok((run, emitted_all, guard_errors))
    }
}

fn skipped(step: &Step) -> StepRecord {
    StepRecord {
        name: step.name.clone(),
        step_type: step.kind.name().into(),
        status: "skipped".into(),
        attempts: 0,
        started_at: None,
        finished_at: None,
        outputs: Map::new(),
        error: None,
        config: None,
    }
}

pub(super) fn set_step_ctx(
    ctx: &mut Value,
    name: &str,
    status: &str,
    outputs: &Map<String, Value>,
) {
    if let Some(steps) = ctx.get_mut("steps").and_then(Value::as_object_mut) {
        steps.insert(
            name.to_string(),
            json!({"status": status, "outputs": outputs}),
        );
    }
}

/// Names of environment variables a config's templates reference (`env.NAME`).
pub fn env_references(config: &Map<String, Value>) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack: Vec<&Value> = config.values().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) if s.contains("env") && s.contains("{{") => {
                if let Ok(scan) = template::scan(s) {
                    for p in scan.paths {
                        let segs = template::split_path(&p.path);
                        if segs.first().map(String::as_str) == Some("env") {
                            if let Some(name) = segs.get(1) {
                                if !names.contains(name) {
                                    names.push(name.clone());
                                }
                            }
                        }
                    }
                }
            }
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    names
}
