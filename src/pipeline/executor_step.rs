//! One step of a run: its config rendered (secrets masked), its attempts with retries and a
//! deadline, its emitted events on success and its dead letter when it fails for good.

use super::{env_references, Engine};
use crate::events::queue::Queue;
use crate::events::Event;
use crate::pipeline::{template, Pipeline, Step};
use crate::secrets::Masker;
use crate::steps::{LogEntry, StepContext, StepFailure, StepSuccess};
use crate::store::{AttemptRecord, DeadLetter, LogRecord, StepRecord};
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::time::Instant;

impl Engine<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn run_step(
        &self,
        pipeline: &Pipeline,
        step: &Step,
        event: &Event,
        run_id: &str,
        ctx: &mut Value,
        masker: &mut Masker,
        queue: &mut Queue,
    ) -> StepResult {
        let started = self.now();
        let mut result = StepResult::new(step, started);
        // env.* references: only referenced variables enter the context, and their values are secrets.
        let env_names = env_references(&step.config);
        if let Some(env) = ctx.get_mut("env").and_then(Value::as_object_mut) {
            for name in &env_names {
                if let Ok(value) = std::env::var(name) {
                    masker.add(&value);
                    env.insert(name.clone(), json!(value));
                }
            }
        }
        let rendered = match template::render_value(&Value::Object(step.config.clone()), ctx) {
            Ok(Value::Object(m)) => m,
            Ok(_) => Map::new(),
            Err(e) => {
                let msg = format!("{e} (step `{}`, {})", step.name, pipeline.file);
                result.fail("failed", masker.mask(&msg), self.now());
                return result;
            }
        };
        masker.add_config_secrets(&rendered);
        result.record.config = Some(masker.mask_value(&Value::Object(rendered.clone())));
        let memory_prefix = format!("{}\u{1f}{}", pipeline.name, step.name);
        let recall = |key: &str| {
            self.store
                .recall(&pipeline.name, &step.name, key)
                .ok()
                .flatten()
        };
        let _ = memory_prefix;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let attempt_started = self.now();
            let deadline = step.timeout.map(|t| Instant::now() + t);
            let step_ctx = StepContext {
                project_root: &self.settings.project_root,
                pipeline_name: &pipeline.name,
                pipeline_file: Path::new(&pipeline.file),
                step_name: &step.name,
                run_id,
                deadline,
                recall: &recall,
                store: Some(self.store),
                environments: &self.settings.environments,
            };
            let outcome = step.kind.run(&step_ctx, &rendered);
            let finished = self.now();
            // a step that did not succeed while a signal was being handled was cut by it
            let cut = outcome.is_err() && crate::interrupt::signal().is_some();
            let (logs, status, error) = match &outcome {
                Ok(ok) => (&ok.logs, "succeeded", None),
                Err(f) if cut => (
                    &f.logs,
                    "interrupted",
                    Some(masker.mask(&interrupted_message(f))),
                ),
                Err(f) => (
                    &f.logs,
                    if f.timed_out { "timed_out" } else { "failed" },
                    Some(masker.mask(&f.message)),
                ),
            };
            result.add_logs(logs, attempt, masker);
            result.attempts.push(AttemptRecord {
                attempt,
                status: status.into(),
                started_at: attempt_started,
                finished_at: finished,
                error: error.clone(),
            });
            match outcome {
                Ok(success) => {
                    self.succeed(&mut result, success, event, queue, masker, finished);
                    break;
                }
                Err(failure) if cut => {
                    result.record.outputs = masker.mask_map(&failure.outputs);
                    result.fail("interrupted", error.unwrap_or_default(), finished);
                    break;
                }
                Err(failure) => {
                    let last = attempt >= step.retry.attempts || !failure.retryable;
                    if last {
                        self.fail_for_good(
                            &mut result,
                            &failure,
                            pipeline,
                            step,
                            event,
                            run_id,
                            masker,
                            finished,
                            attempt,
                        );
                        break;
                    }
                    let mut wait = step.retry.delay_before(attempt + 1);
                    if let Some(after) = failure.retry_after {
                        wait = wait.max(after);
                    }
                    if !crate::interrupt::sleep(wait) {
                        // cut while waiting to retry: the last attempt's failure stands
                        let message = interrupted_message(&failure);
                        result.record.outputs = masker.mask_map(&failure.outputs);
                        result.fail("interrupted", masker.mask(&message), self.now());
                        break;
                    }
                }
            }
        }
        result.record.attempts = attempt;
        result
    }

    fn succeed(
        &self,
        result: &mut StepResult,
        success: StepSuccess,
        event: &Event,
        queue: &mut Queue,
        masker: &Masker,
        finished: DateTime<Utc>,
    ) {
        let mut outputs = masker.mask_map(&success.outputs);
        for request in success.emits {
            if let Err(e) = queue.admit(&request.event_type, Some(event)) {
                result.guard_error = Some(e.to_string());
                result.record.outputs = outputs;
                result.fail("failed", e.to_string(), finished);
                return;
            }
            let child = event.child(
                &request.event_type,
                "pipeline",
                masker.mask_map(&request.payload),
                self.now(),
            );
            if let Some(key) = request.id_output {
                outputs.insert(key.into(), json!(child.id));
            }
            result.emitted.push(child);
        }
        result.remember = success.remember;
        result.record.outputs = outputs;
        result.record.status = "succeeded".into();
        result.record.finished_at = Some(finished);
    }

    #[allow(clippy::too_many_arguments)]
    fn fail_for_good(
        &self,
        result: &mut StepResult,
        failure: &StepFailure,
        pipeline: &Pipeline,
        step: &Step,
        event: &Event,
        run_id: &str,
        masker: &Masker,
        finished: DateTime<Utc>,
        attempts: u32,
    ) {
        result.record.outputs = masker.mask_map(&failure.outputs);
        let status = if failure.timed_out {
            "timed_out"
        } else {
            "failed"
        };
        result.fail(status, masker.mask(&failure.message), finished);
        if let Some(draft) = &failure.dead_letter {
            result.dead_letter = Some(DeadLetter {
                id: crate::events::new_id(),
                run_id: run_id.to_string(),
                event_id: event.id.clone(),
                pipeline: pipeline.name.clone(),
                pipeline_file: pipeline.file.clone(),
                step: step.name.clone(),
                target: masker.mask(&draft.target),
                body: masker.mask(&draft.body),
                attempts,
                last_error: masker.mask(&failure.message),
                created_at: finished,
                delivered_at: None,
            });
        }
    }
}

/// A cut step's error: the signal, then what the step said when it stopped.
fn interrupted_message(failure: &StepFailure) -> String {
    format!("{}: {}", crate::interrupt::describe(), failure.message)
}

pub(super) struct StepResult {
    pub(super) record: StepRecord,
    pub(super) attempts: Vec<AttemptRecord>,
    pub(super) logs: Vec<LogRecord>,
    pub(super) emitted: Vec<Event>,
    pub(super) remember: Vec<(String, String)>,
    pub(super) dead_letter: Option<DeadLetter>,
    pub(super) guard_error: Option<String>,
}

impl StepResult {
    fn new(step: &Step, started: DateTime<Utc>) -> Self {
        StepResult {
            record: StepRecord {
                name: step.name.clone(),
                step_type: step.kind.name().into(),
                status: "running".into(),
                attempts: 0,
                started_at: Some(started),
                finished_at: None,
                outputs: Map::new(),
                error: None,
                config: None,
            },
            attempts: Vec::new(),
            logs: Vec::new(),
            emitted: Vec::new(),
            remember: Vec::new(),
            dead_letter: None,
            guard_error: None,
        }
    }

    fn fail(&mut self, status: &str, message: String, finished: DateTime<Utc>) {
        self.record.status = status.into();
        self.record.error = Some(message);
        self.record.finished_at = Some(finished);
    }

    fn add_logs(&mut self, logs: &[LogEntry], attempt: u32, masker: &Masker) {
        for l in logs {
            let mut text = masker.mask(&l.text);
            if l.truncated {
                text.push_str("\n[mockops: output cut at 1 MiB]");
            }
            self.logs.push(LogRecord {
                step: self.record.name.clone(),
                attempt,
                stream: l.stream.into(),
                text,
                truncated: l.truncated,
            });
        }
    }
}
