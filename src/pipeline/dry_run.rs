//! Dry runs ("why did / didn't my pipeline fire"), and re-rendering a stored step's
//! config and sending its dead letter again for `event redeliver`.

use super::executor::{env_references, set_step_ctx, Engine};
use super::{template, Pipeline, RunIf, Step};
use crate::events::Event;
use crate::secrets::Masker;
use crate::steps::{DeadLetterDraft, StepContext, StepFailure, StepSuccess};
use crate::store::{DeadLetter, RunRecord};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// One pipeline's answer to "would it run?" (`--dry-run`).
#[derive(Debug, Serialize)]
pub struct DryRunPipeline {
    pub pipeline: String,
    pub matched: bool,
    pub reason: Option<String>,
    pub steps: Vec<DryRunStep>,
}

#[derive(Debug, Serialize)]
pub struct DryRunStep {
    pub name: String,
    #[serde(rename = "type")]
    pub step_type: String,
    pub would_run: bool,
    pub config: Value,
}

impl Engine<'_> {
    /// Which pipelines and steps would run for `event`, with rendered configs; changes nothing.
    pub fn dry_run(&self, event: &Event, forced: Option<&Pipeline>) -> Vec<DryRunPipeline> {
        let view = event.filter_view();
        let list: Vec<&Pipeline> = match forced {
            Some(p) => vec![p],
            None => self.pipelines.iter().collect(),
        };
        list.into_iter()
            .map(|p| {
                let verdict = if !p.enabled {
                    Err("pipeline is disabled (enabled: false)".to_string())
                } else {
                    p.matches(&event.event_type, &view).map(|_| ())
                };
                let (matched, reason) = match (&verdict, forced.is_some()) {
                    (Ok(()), _) => (true, None),
                    (Err(why), true) => (true, Some(format!("run explicitly; its filters do not match: {why}"))),
                    (Err(why), false) => (false, Some(why.clone())),
                };
                let mut ctx = self.base_context(p, event, "dry-run");
                let mut masker = Masker::default();
                let steps = p
                    .steps
                    .iter()
                    .map(|s| {
                        if let Some(env) = ctx.get_mut("env").and_then(Value::as_object_mut) {
                            for name in env_references(&s.config) {
                                if let Ok(v) = std::env::var(&name) {
                                    masker.add(&v);
                                    env.insert(name, json!(v));
                                }
                            }
                        }
                        let config = match template::render_value(&Value::Object(s.config.clone()), &ctx) {
                            Ok(Value::Object(m)) => {
                                masker.add_config_secrets(&m);
                                masker.mask_value(&Value::Object(m))
                            }
                            Ok(other) => other,
                            Err(e) => json!({"error": format!("cannot render yet: {e}"), "template": masker.mask_value(&Value::Object(s.config.clone()))}),
                        };
                        set_step_ctx(&mut ctx, &s.name, "succeeded", &Map::new());
                        DryRunStep {
                            name: s.name.clone(),
                            step_type: s.kind.name().into(),
                            would_run: matched && s.run_if != RunIf::Failure,
                            config,
                        }
                    })
                    .collect();
                DryRunPipeline {
                    pipeline: p.name.clone(),
                    matched,
                    reason,
                    steps,
                }
            })
            .collect()
    }
}

impl Engine<'_> {
    /// Renders a step's config again, as it was rendered in `run` (earlier steps' outputs
    /// from the stored run), with today's environment: for `event redeliver`.
    pub fn rerender_step_config(
        &self,
        pipeline: &Pipeline,
        step: &Step,
        event: &Event,
        run: &RunRecord,
    ) -> Result<Map<String, Value>, template::TemplateError> {
        let mut ctx = self.base_context(pipeline, event, &run.id);
        for s in run.steps.iter().flatten() {
            set_step_ctx(&mut ctx, &s.name, &s.status, &s.outputs);
        }
        if let Some(env) = ctx.get_mut("env").and_then(Value::as_object_mut) {
            for name in env_references(&step.config) {
                if let Ok(value) = std::env::var(&name) {
                    env.insert(name, json!(value));
                }
            }
        }
        match template::render_value(&Value::Object(step.config.clone()), &ctx)? {
            Value::Object(m) => Ok(m),
            _ => Ok(Map::new()),
        }
    }
}

impl Engine<'_> {
    /// Sends `letter` again through its step type, with `config` rendered afresh (see
    /// [`Engine::rerender_step_config`]) and the step's timeout (30 s without one).
    // `StepFailure` is the step framework's error type, returned by value (see `steps`).
    #[allow(clippy::result_large_err)]
    pub fn redeliver(
        &self,
        pipeline: &Pipeline,
        step: &Step,
        config: &Map<String, Value>,
        letter: &DeadLetter,
    ) -> Result<StepSuccess, StepFailure> {
        let recall = |_: &str| None;
        let timeout = step.timeout.unwrap_or(std::time::Duration::from_secs(30));
        let ctx = StepContext {
            project_root: &self.settings.project_root,
            pipeline_name: &pipeline.name,
            pipeline_file: std::path::Path::new(&pipeline.file),
            step_name: &step.name,
            run_id: &letter.run_id,
            deadline: Some(std::time::Instant::now() + timeout),
            recall: &recall,
            store: Some(self.store),
            environments: &self.settings.environments,
        };
        let draft = DeadLetterDraft {
            target: letter.target.clone(),
            body: letter.body.clone(),
        };
        step.kind.redeliver(&ctx, config, &draft)
    }
}
