//! Step `notify`: sends a message to Slack incoming webhooks, generic webhooks (signed per
//! Standard Webhooks when `secret` is set) or by email over SMTP/SMTPS.
//!
//! A config becomes a list of [`Delivery`]s (one per webhook URL, Slack channel or email);
//! each is sent once per attempt (the executor retries). A delivery that fails is returned
//! as a dead-letter draft whose target hides every secret; [`redeliver_to`] re-sends its
//! body with a freshly rendered config.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

mod config;
mod email;
mod send;
#[cfg(test)]
mod tests;

pub use config::{plan, Delivery, PlanContext, Target};
pub use send::{sign, verify, SignatureError};

use super::{DeadLetterDraft, RetryDefaults, StepContext, StepFailure, StepSuccess, StepType};
use serde_json::{Map, Value};
use std::path::Path;
use std::time::{Duration, Instant};

pub struct NotifyStep;

const KEYS: &[&str] = &[
    "channel",
    "type",
    "message",
    "text",
    "blocks",
    "webhook_url",
    "slack_webhook_url",
    "channels",
    "webhook_urls",
    "url",
    "method",
    "headers",
    "payload",
    "secret",
    "smtp_url",
    "smtp",
    "ca_file",
    "username",
    "password",
    "from",
    "to",
    "subject",
];

impl StepType for NotifyStep {
    fn name(&self) -> &'static str {
        "notify"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        KEYS
    }

    fn retry_defaults(&self) -> RetryDefaults {
        RetryDefaults {
            attempts: 3,
            backoff: Duration::from_secs(1),
        }
    }

    fn check_config(&self, config: &Map<String, Value>) -> Vec<String> {
        config::check(config)
    }

    fn run(
        &self,
        ctx: &StepContext<'_>,
        config: &Map<String, Value>,
    ) -> Result<StepSuccess, StepFailure> {
        let plan_ctx = PlanContext::for_run(ctx.run_id, ctx.step_name, ctx.project_root);
        let deliveries = plan(config, &plan_ctx)?;
        let id_seed = format!("{}/{}", ctx.run_id, ctx.step_name);
        deliver_all(&deliveries, &id_seed, ctx.deadline)
    }

    fn redeliver(
        &self,
        ctx: &StepContext<'_>,
        config: &Map<String, Value>,
        letter: &DeadLetterDraft,
    ) -> Result<StepSuccess, StepFailure> {
        redeliver_to(
            config,
            &letter.target,
            &letter.body,
            ctx.deadline,
            ctx.project_root,
        )
    }
}

/// Re-sends a stored dead-letter `body` to the target described by `target` (as stored in
/// the dead letter), using a freshly rendered `config` for URLs and credentials. When no
/// planned delivery has that description (the config changed), the single planned target
/// is used; with several, it is an error. `root` is the project root (for `ca_file`).
pub fn redeliver_to(
    config: &Map<String, Value>,
    target: &str,
    body: &str,
    deadline: Option<Instant>,
    root: &Path,
) -> Result<StepSuccess, StepFailure> {
    let deliveries = plan(config, &PlanContext::for_run("", "", root))?;
    let chosen = match deliveries.iter().find(|d| d.target.describe() == target) {
        Some(d) => d,
        None => match deliveries.as_slice() {
            [only] => only,
            _ => {
                return Err(StepFailure::fatal(format!(
                    "the step now has {} targets and none is `{target}`; cannot tell where to redeliver",
                    deliveries.len()
                )))
            }
        },
    };
    let resend = Delivery {
        target: chosen.target.clone(),
        body: body.to_string(),
    };
    deliver_all(&[resend], &format!("redeliver/{body}"), deadline)
}

/// Re-sends a stored body to every target of a freshly rendered config (the usual case is
/// one target; prefer [`redeliver_to`] when the dead letter's target is known).
pub fn redeliver(
    config: &Map<String, Value>,
    body: &str,
    deadline: Option<Instant>,
    root: &Path,
) -> Result<StepSuccess, StepFailure> {
    let deliveries: Vec<Delivery> = plan(config, &PlanContext::for_run("", "", root))?
        .into_iter()
        .map(|d| Delivery {
            target: d.target,
            body: body.to_string(),
        })
        .collect();
    deliver_all(&deliveries, &format!("redeliver/{body}"), deadline)
}

/// Sends every delivery once; all are tried even when one fails. The first failure
/// becomes the dead letter; the step is retryable only when every failure is.
fn deliver_all(
    deliveries: &[Delivery],
    id_seed: &str,
    deadline: Option<Instant>,
) -> Result<StepSuccess, StepFailure> {
    let mut delivered = 0u64;
    let mut last_status: Option<u16> = None;
    let mut failures: Vec<(String, StepFailure, &Delivery)> = Vec::new();
    let mut logs = Vec::new();
    for (index, delivery) in deliveries.iter().enumerate() {
        let message_id = send::message_id(id_seed, index);
        match send::deliver(delivery, &message_id, deadline) {
            Ok(status) => {
                delivered += 1;
                last_status = Some(status);
                logs.push(super::LogEntry::info(format!(
                    "delivered to {} ({status})",
                    delivery.target.describe()
                )));
            }
            Err(failure) => failures.push((delivery.target.describe(), failure, delivery)),
        }
    }
    let mut outputs = Map::new();
    outputs.insert("delivered".into(), Value::from(delivered));
    outputs.insert(
        "status_code".into(),
        last_status.map(Value::from).unwrap_or(Value::Null),
    );
    let Some((first_target, first, first_delivery)) = failures.first() else {
        return Ok(StepSuccess {
            outputs,
            logs,
            ..Default::default()
        });
    };
    let message = failures
        .iter()
        .map(|(_, f, _)| f.message.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let retry_after = failures.iter().filter_map(|(_, f, _)| f.retry_after).max();
    if let Some(code) = first.outputs.get("status_code") {
        outputs.insert("status_code".into(), code.clone());
    }
    Err(StepFailure {
        message: if delivered > 0 {
            format!("{message} ({delivered} of {} delivered)", deliveries.len())
        } else {
            message
        },
        timed_out: failures.iter().any(|(_, f, _)| f.timed_out),
        retryable: failures.iter().all(|(_, f, _)| f.retryable),
        retry_after,
        logs,
        outputs,
        dead_letter: Some(DeadLetterDraft {
            target: first_target.clone(),
            body: first_delivery.body.clone(),
        }),
    })
}
