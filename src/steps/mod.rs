//! Step types: one file per type behind the [`StepType`] trait.
//!
//! The executor (`pipeline::executor`) renders a step's config, then calls
//! [`StepType::run`] with a [`StepContext`]. Steps never print and never touch the
//! state file: they return outputs, logs, events to emit, values to remember and,
//! for deliveries that failed for good, a dead-letter draft; the executor stores them.

// `StepFailure` carries logs and outputs by value; boxing it would only move the
// allocation, so the large-error lint is allowed for the step API.
#![allow(clippy::result_large_err)]

pub mod auto_promote;
pub mod create_pr;
pub mod emit;
pub mod http;
pub mod notify;
pub mod process;
pub mod regenerate_sdk;
pub mod run;

use serde_json::{Map, Value};
use std::path::Path;
use std::time::{Duration, Instant};

/// What a step sees of the world besides its config.
pub struct StepContext<'a> {
    pub project_root: &'a Path,
    pub pipeline_name: &'a str,
    pub pipeline_file: &'a Path,
    pub step_name: &'a str,
    pub run_id: &'a str,
    /// When the step's timeout expires; a step that waits or starts processes must honour it.
    pub deadline: Option<Instant>,
    /// Values this step remembered on an earlier successful run (see [`StepSuccess::remember`]),
    /// keyed by pipeline + step + key.
    pub recall: &'a dyn Fn(&str) -> Option<String>,
    /// The state file, for steps that record what they did (`auto_promote`).
    pub store: Option<&'a crate::store::Store>,
    /// The project's promotion order.
    pub environments: &'a [String],
}

impl StepContext<'_> {
    /// Time left before the deadline (`None` when there is no timeout).
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|d| d.saturating_duration_since(Instant::now()))
    }
}

/// A line of a step's log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// `stdout`, `stderr` or `info`.
    pub stream: &'static str,
    pub text: String,
    /// The text was cut at the log cap.
    pub truncated: bool,
}

impl LogEntry {
    pub fn info(text: impl Into<String>) -> Self {
        LogEntry {
            stream: "info",
            text: text.into(),
            truncated: false,
        }
    }
}

/// An event a step asks to emit; the executor stores it (child of the current event)
/// and dispatches it after the current run ends.
#[derive(Debug, Clone, PartialEq)]
pub struct EmitRequest {
    pub event_type: String,
    pub payload: Map<String, Value>,
    /// The output key that receives the new event's id (`event_id` for `emit`).
    pub id_output: Option<&'static str>,
}

/// A step that succeeded.
#[derive(Debug, Clone, Default)]
pub struct StepSuccess {
    pub outputs: Map<String, Value>,
    pub logs: Vec<LogEntry>,
    pub emits: Vec<EmitRequest>,
    /// Key/value pairs stored when the whole step succeeds, offered back through
    /// [`StepContext::recall`] on later runs.
    pub remember: Vec<(String, String)>,
}

/// A delivery that failed for good, kept so that `event redeliver` can send it again.
/// Holds no secret: `target` is a description safe to show, `body` the message sent.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetterDraft {
    pub target: String,
    pub body: String,
}

/// A step that failed (or timed out).
#[derive(Debug, Clone, Default)]
pub struct StepFailure {
    pub message: String,
    pub timed_out: bool,
    /// Whether another attempt could help (network errors, 429, 5xx); when false the
    /// executor does not retry even if `retry.attempts` allows it.
    pub retryable: bool,
    /// A server's `Retry-After`, honoured before the next attempt.
    pub retry_after: Option<Duration>,
    pub logs: Vec<LogEntry>,
    pub outputs: Map<String, Value>,
    pub dead_letter: Option<DeadLetterDraft>,
}

impl StepFailure {
    /// A failure that another attempt could fix.
    pub fn retryable(message: impl Into<String>) -> Self {
        StepFailure {
            message: message.into(),
            retryable: true,
            ..Default::default()
        }
    }

    /// A failure another attempt would repeat (bad config, missing program).
    pub fn fatal(message: impl Into<String>) -> Self {
        StepFailure {
            message: message.into(),
            ..Default::default()
        }
    }
}

/// A step's retry defaults (the pipeline's `retry` overrides them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryDefaults {
    pub attempts: u32,
    pub backoff: Duration,
}

/// One kind of step.
pub trait StepType: Sync {
    /// The name used in `type:`.
    fn name(&self) -> &'static str;
    /// Every config key this type accepts, aliases (MockForge's names) included.
    fn config_keys(&self) -> &'static [&'static str];
    /// Keys MockForge's step of this type reads that mockops accepts without using them,
    /// each with what mockops does instead: loading warns and drops them from the config.
    fn ignored_keys(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    /// Default retry policy.
    fn retry_defaults(&self) -> RetryDefaults {
        RetryDefaults {
            attempts: 1,
            backoff: Duration::from_secs(1),
        }
    }
    /// Whether the step acts outside mockops (processes, network, files). The executor
    /// commits the run before such a step starts; effect-free steps are batched.
    fn has_side_effects(&self) -> bool {
        true
    }
    /// Checks a config before templates are rendered: required keys present and, for
    /// values that are not templates, of the right type. Returns the problems found.
    fn check_config(&self, config: &Map<String, Value>) -> Vec<String>;
    /// Runs the step with its rendered config.
    fn run(
        &self,
        ctx: &StepContext<'_>,
        config: &Map<String, Value>,
    ) -> Result<StepSuccess, StepFailure>;
    /// Sends a dead letter of this step again (`event redeliver`) with a freshly rendered
    /// `config`; `letter` is what the failed run stored.
    fn redeliver(
        &self,
        ctx: &StepContext<'_>,
        config: &Map<String, Value>,
        letter: &DeadLetterDraft,
    ) -> Result<StepSuccess, StepFailure> {
        let _ = (ctx, config, letter);
        Err(StepFailure::fatal(format!(
            "step type `{}` keeps no dead letters; nothing to redeliver",
            self.name()
        )))
    }
}

/// Every step type mockops knows.
pub fn registry() -> &'static [&'static dyn StepType] {
    &[
        &run::RunStep,
        &emit::EmitStep,
        &regenerate_sdk::RegenerateSdkStep,
        &create_pr::CreatePrStep,
        &notify::NotifyStep,
        &auto_promote::AutoPromoteStep,
    ]
}

/// The step type called `name`.
pub fn find(name: &str) -> Option<&'static dyn StepType> {
    registry().iter().copied().find(|s| s.name() == name)
}

/// Names of all step types, for "did you mean" hints.
pub fn names() -> Vec<&'static str> {
    registry().iter().map(|s| s.name()).collect()
}

/// Reads a string config value, or reports it as missing / of the wrong type.
pub fn required_str<'a>(config: &'a Map<String, Value>, key: &str) -> Result<&'a str, StepFailure> {
    match config.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(StepFailure::fatal(format!(
            "config `{key}` must be a string, got {}",
            json_kind(other)
        ))),
        None => Err(StepFailure::fatal(format!("config `{key}` is required"))),
    }
}

/// The JSON type name of a value, for messages.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

/// Whether a config value is (or contains) a template still to be rendered.
pub fn is_template(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("{{"),
        Value::Array(a) => a.iter().any(is_template),
        Value::Object(o) => o.values().any(is_template),
        _ => false,
    }
}
