//! The pipeline file: mockops's form and MockForge's (`definition:`).

// The types describe the file for schemars; nothing reads their fields.
#![allow(dead_code)]

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A pipeline: the events that trigger it and the steps it runs, in order. MockForge's
/// form (everything but `name` under `definition:`) loads too.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "mockops pipeline")]
pub struct PipelineFile {
    /// The pipeline's name: unique in the project; `pipeline run NAME` runs it.
    pub name: Option<String>,
    /// What the pipeline is for (shown by `pipeline list --format json`).
    pub description: Option<String>,
    /// `false` keeps the pipeline loaded but never runs it on events (default `true`).
    pub enabled: Option<bool>,
    /// The events that run the pipeline; any one matching is enough.
    pub triggers: Option<Vec<Trigger>>,
    /// Config every step of a type starts from, by step type (`notify: {channels: [...]}`);
    /// a step's own `config` wins key by key.
    pub step_defaults: Option<BTreeMap<String, BTreeMap<String, Value>>>,
    /// The steps, run one after another; a failed step stops the run unless it has
    /// `continue_on_error`.
    pub steps: Option<Vec<Step>>,
    /// MockForge's `PipelineDefinition`: the pipeline's keys nested one level down.
    pub definition: Option<Definition>,
    /// MockForge's API scope: only events of this workspace trigger the pipeline.
    pub workspace_id: Option<String>,
    /// MockForge's organisation scope; mockops has no organisations and warns.
    pub org_id: Option<Value>,
}

/// MockForge's `definition:` block (its `PipelineDefinition`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// The pipeline's name (the top-level `name` wins when both are given).
    pub name: Option<String>,
    /// What the pipeline is for.
    pub description: Option<String>,
    /// `false` keeps the pipeline loaded but never runs it on events.
    pub enabled: Option<bool>,
    /// The events that run the pipeline.
    pub triggers: Option<Vec<Trigger>>,
    /// Config every step of a type starts from, by step type.
    pub step_defaults: Option<BTreeMap<String, BTreeMap<String, Value>>>,
    /// The steps, run one after another.
    pub steps: Option<Vec<Step>>,
}

/// An event type and the conditions its payload must meet.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// The event type: `schema.changed`, `scenario.published`, `persona.published`,
    /// `drift.threshold_exceeded`, `promotion.completed`, `workspace.created`,
    /// `config.changed`, or `custom.<name>`.
    #[schemars(regex(
        pattern = r"^(schema\.changed|scenario\.published|persona\.published|drift\.threshold_exceeded|promotion\.completed|workspace\.created|config\.changed|custom\..+)$"
    ))]
    pub event: Option<String>,
    /// MockForge's name for `event`.
    pub event_type: Option<String>,
    /// Payload key → condition; all must hold. A value compares for equality, a list means
    /// "any of", a mapping holds operators (`eq`, `ne`, `in`, `not_in`, `gt`, `gte`, `lt`,
    /// `lte`, `glob`, `regex`, `exists`, `contains`). Dotted keys reach into the payload.
    pub filters: Option<BTreeMap<String, Value>>,
}

/// The kinds of step.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepType {
    /// Runs a shell command (`config.command`); `$MOCKOPS_OUTPUT` collects outputs.
    Run,
    /// Emits an event (`config.event`, `config.payload`), dispatched after the run.
    Emit,
    /// Runs an SDK generator for a spec, skipped when spec and config are unchanged.
    RegenerateSdk,
    /// Commits files to a branch and opens or updates a pull request.
    CreatePr,
    /// Sends Slack messages, signed webhooks or email.
    Notify,
    /// Promotes a scenario, persona or config to the next environment.
    AutoPromote,
}

/// A step's timeout: seconds (MockForge), or a duration such as `30s`, `2m`.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Timeout {
    /// Seconds.
    Seconds(f64),
    /// A duration: `500ms`, `30s`, `2m`, `1h`.
    Text(String),
}

/// One step.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step's name: unique in the pipeline; later steps read its outputs as
    /// `{{steps.NAME.outputs.KEY}}`.
    pub name: Option<String>,
    /// MockForge's name for `name`.
    pub id: Option<String>,
    /// What the step does.
    #[serde(rename = "type")]
    pub step_type: Option<StepType>,
    /// MockForge's name for `type`.
    #[serde(rename = "step_type")]
    pub step_type_alias: Option<StepType>,
    /// The step's settings (they depend on `type`); strings are Handlebars templates over
    /// `event`, `steps`, `env` and `pipeline`.
    pub config: Option<BTreeMap<String, Value>>,
    /// GitHub Actions' name for `config`.
    pub with: Option<BTreeMap<String, Value>>,
    /// How long one attempt may take before it is stopped.
    pub timeout: Option<Timeout>,
    /// Retries of a failed attempt.
    pub retry: Option<Retry>,
    /// `true`: the run goes on when this step fails (the run still fails).
    pub continue_on_error: Option<bool>,
    /// When the step runs: `success()` (the default: no earlier step failed), `failure()`
    /// (an earlier step failed) or `always()`.
    #[serde(rename = "if")]
    pub condition: Option<String>,
    /// Run the step only when these payload conditions hold (as trigger `filters`).
    pub when: Option<BTreeMap<String, Value>>,
}

/// How a failed attempt is retried.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// How many attempts in all (1 = no retry).
    pub attempts: Option<u32>,
    /// The wait before the first retry (`1s`, `500ms`, or seconds).
    pub backoff: Option<Timeout>,
    /// What each later wait is multiplied by.
    pub factor: Option<f64>,
    /// The longest wait between attempts.
    pub max_backoff: Option<Timeout>,
}
