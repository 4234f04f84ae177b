//! Pipelines: the YAML model, loading and validation, filters, templates and the executor.

pub mod dry_run;
pub mod executor;
pub mod filter;
pub mod model;
pub mod template;
pub mod validate;

pub use validate::{load_dir, load_file, Diagnostic, Loaded, Severity};

use crate::steps::StepType;
use filter::Filter;
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::time::Duration;

/// A checked pipeline, ready to run.
#[derive(Clone)]
pub struct Pipeline {
    pub name: String,
    /// As shown to users (relative to the project root).
    pub file: String,
    /// On disk.
    pub path: PathBuf,
    pub description: Option<String>,
    pub enabled: bool,
    pub triggers: Vec<Trigger>,
    pub steps: Vec<Step>,
}

/// An event type and the filters its events must pass.
#[derive(Clone, Debug)]
pub struct Trigger {
    pub event_type: String,
    pub filters: Vec<Filter>,
}

/// When a step runs, given how the run has gone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunIf {
    Success,
    Failure,
    Always,
}

/// Retry policy: `attempts` counts every try, the first included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub backoff: Duration,
    pub factor: f64,
    pub max_backoff: Option<Duration>,
}

impl RetryPolicy {
    /// The wait before try number `next_attempt` (2 for the first retry).
    pub fn delay_before(&self, next_attempt: u32) -> Duration {
        let exp = next_attempt.saturating_sub(2).min(30) as i32;
        let secs = self.backoff.as_secs_f64() * self.factor.powi(exp);
        let d = Duration::from_secs_f64(secs.clamp(0.0, 86_400.0));
        match self.max_backoff {
            Some(max) => d.min(max),
            None => d,
        }
    }
}

/// A checked step.
#[derive(Clone)]
pub struct Step {
    pub name: String,
    pub kind: &'static dyn StepType,
    /// Config with `step_defaults` merged under it; strings are templates.
    pub config: Map<String, Value>,
    pub timeout: Option<Duration>,
    pub retry: RetryPolicy,
    pub continue_on_error: bool,
    pub run_if: RunIf,
    pub when: Vec<Filter>,
}

impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Step")
            .field("name", &self.name)
            .field("type", &self.kind.name())
            .finish()
    }
}

impl Pipeline {
    /// The first trigger whose type is `event_type` and whose filters pass `view`;
    /// otherwise the reason none matched (the first failing filter of the first trigger of that type).
    pub fn matches(&self, event_type: &str, view: &Value) -> Result<usize, String> {
        let mut reason = None;
        for (i, t) in self.triggers.iter().enumerate() {
            if t.event_type != event_type {
                continue;
            }
            match filter::check_all(&t.filters, view) {
                Ok(()) => return Ok(i),
                Err(why) => {
                    reason.get_or_insert(format!("trigger {}: {why}", i + 1));
                }
            }
        }
        Err(reason.unwrap_or_else(|| {
            let types: Vec<&str> = self
                .triggers
                .iter()
                .map(|t| t.event_type.as_str())
                .collect();
            format!(
                "no trigger for `{event_type}` (triggers: {})",
                types.join(", ")
            )
        }))
    }
}
