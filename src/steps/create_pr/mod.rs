//! Step `create_pr`: commits the files matching `paths` onto `branch` (from `base`) in the
//! project's git repository without touching the checkout, pushes it, then opens or updates
//! the pull/merge request through the provider's REST API (GitHub, GitLab, Gitea; `none`
//! only pushes). Running it again with the same content commits and opens nothing.
//!
//! `operation` is `created` when a new pull request was opened (with `provider: none`: when
//! the branch was created), `updated` when a new commit went to a branch whose pull request
//! already exists, `none` when there was nothing to commit. When the content is unchanged
//! but no pull request is open for the branch (say, the API call of an earlier attempt
//! failed after the push), one is opened and the operation is `created`.
//!
//! A failed provider API call is retried like a `notify` delivery (three tries by default);
//! when it fails for good, the pull request it was opening becomes a dead letter that
//! `event redeliver` sends again (the branch is already pushed then). MockForge's
//! `files: [{path, content}]` go into the commit only, never into the checkout.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

mod files;
pub mod git;
#[cfg(test)]
mod http_remote_tests;
pub mod providers;
mod settings;
#[cfg(test)]
mod tests;

use super::{
    DeadLetterDraft, LogEntry, RetryDefaults, StepContext, StepFailure, StepSuccess, StepType,
};
use providers::{Api, PullRequestSpec};
use serde_json::{Map, Value};
use settings::{check, file_changes, Settings, KEYS};

pub struct CreatePrStep;

impl StepType for CreatePrStep {
    fn name(&self) -> &'static str {
        "create_pr"
    }

    fn config_keys(&self) -> &'static [&'static str] {
        KEYS
    }

    /// A pull request is a delivery: the same policy as `notify`'s.
    fn retry_defaults(&self) -> RetryDefaults {
        super::notify::NotifyStep.retry_defaults()
    }

    fn check_config(&self, config: &Map<String, Value>) -> Vec<String> {
        check(config)
    }

    fn run(
        &self,
        ctx: &StepContext<'_>,
        config: &Map<String, Value>,
    ) -> Result<StepSuccess, StepFailure> {
        let settings = Settings::read(config, ctx)?;
        let mut logs = Vec::new();
        let changes = file_changes(config.get("files"))?;
        if !changes.is_empty() {
            logs.push(LogEntry::info(format!(
                "{} file(s) of `files` go into the commit",
                changes.len()
            )));
        }
        let outcome = git::commit_and_push(&git::GitPlan {
            project_root: ctx.project_root,
            branch: &settings.branch,
            base: settings.base.as_deref(),
            remote: &settings.remote,
            paths: &settings.paths,
            files: &changes,
            message: &settings.message,
            author: settings
                .author
                .as_ref()
                .map(|(n, e)| (n.as_str(), e.as_str())),
            token: settings
                .token
                .as_deref()
                .map(|t| (settings.provider.token_user(), t)),
            deadline: ctx.deadline,
        })?;
        logs.push(LogEntry::info(if outcome.pushed {
            format!(
                "pushed {} to {} ({})",
                outcome.commit, settings.remote, settings.branch
            )
        } else {
            format!("nothing to commit on {}", settings.branch)
        }));
        let mut operation = match (outcome.pushed, outcome.branch_created) {
            (false, _) => "none",
            (true, true) => "created",
            (true, false) => "updated",
        };
        let mut pr = None;
        if let Some(api) = settings.api(ctx) {
            let request = PrRequest {
                branch: settings.branch.clone(),
                base: outcome.base.clone(),
                title: settings.title.clone(),
                body: settings.body.clone(),
                draft: settings.draft,
                labels: settings.labels.clone(),
            };
            let spec = request.spec();
            let dead_letter = |failure: StepFailure| request.dead_letter(&api, failure);
            match api.find_open(&settings.branch).map_err(dead_letter)? {
                Some(existing) => {
                    if outcome.pushed {
                        api.update(&existing, &spec).map_err(dead_letter)?;
                        operation = "updated";
                    } else {
                        operation = "none";
                    }
                    pr = Some(existing);
                }
                None if outcome.differs_from_base => {
                    pr = Some(api.open(&spec).map_err(dead_letter)?);
                    operation = "created";
                }
                None => operation = "none",
            }
        }
        let mut outputs = Map::new();
        outputs.insert("branch".into(), Value::from(settings.branch.clone()));
        outputs.insert("commit".into(), Value::from(outcome.commit));
        outputs.insert("operation".into(), Value::from(operation));
        outputs.insert(
            "pr_url".into(),
            pr.as_ref()
                .map_or(Value::Null, |p| Value::from(p.url.clone())),
        );
        outputs.insert(
            "pr_number".into(),
            pr.as_ref().map_or(Value::Null, |p| Value::from(p.number)),
        );
        Ok(StepSuccess {
            outputs,
            logs,
            ..Default::default()
        })
    }

    /// Opens (or updates) the pull request a failed run could not, for its already
    /// pushed branch, with today's `token` and `api_url`.
    fn redeliver(
        &self,
        ctx: &StepContext<'_>,
        config: &Map<String, Value>,
        letter: &DeadLetterDraft,
    ) -> Result<StepSuccess, StepFailure> {
        let request: PrRequest = serde_json::from_str(&letter.body).map_err(|e| {
            StepFailure::fatal(format!(
                "the dead letter does not hold a pull request ({e})"
            ))
        })?;
        let settings = Settings::read(config, ctx)?;
        let api = settings.api(ctx).ok_or_else(|| {
            StepFailure::fatal("the step now opens no pull request (`provider: none`)")
        })?;
        let spec = request.spec();
        let (pr, operation) = match api.find_open(&request.branch)? {
            Some(existing) => {
                api.update(&existing, &spec)?;
                (existing, "updated")
            }
            None => (api.open(&spec)?, "created"),
        };
        let mut outputs = Map::new();
        outputs.insert("branch".into(), Value::from(request.branch.clone()));
        outputs.insert("operation".into(), Value::from(operation));
        outputs.insert("pr_url".into(), Value::from(pr.url.clone()));
        outputs.insert("pr_number".into(), Value::from(pr.number));
        Ok(StepSuccess {
            outputs,
            logs: vec![LogEntry::info(format!("{operation} {}", pr.url))],
            ..Default::default()
        })
    }
}

/// The pull request a run asks for: what a dead letter keeps (no secret in it).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct PrRequest {
    branch: String,
    base: String,
    title: String,
    body: String,
    draft: bool,
    labels: Vec<String>,
}

impl PrRequest {
    fn spec(&self) -> PullRequestSpec<'_> {
        PullRequestSpec {
            branch: &self.branch,
            base: &self.base,
            title: &self.title,
            body: &self.body,
            draft: self.draft,
            labels: &self.labels,
        }
    }

    /// `failure` with this request as its dead letter.
    fn dead_letter(&self, api: &Api<'_>, mut failure: StepFailure) -> StepFailure {
        failure.dead_letter = Some(DeadLetterDraft {
            target: api.describe(),
            body: serde_json::to_string(self).unwrap_or_default(),
        });
        failure
    }
}
