//! Pull/merge requests through the providers' REST APIs: GitHub, GitLab and Gitea.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

use crate::steps::http::{self, HttpRequest};
use crate::steps::StepFailure;
use serde_json::{json, Value};
use std::time::Instant;

/// Where pull requests are opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    GitHub,
    GitLab,
    Gitea,
    /// Push only.
    None,
}

impl Provider {
    pub const NAMES: &'static [&'static str] = &["github", "gitlab", "gitea", "none"];

    pub fn parse(name: &str) -> Option<Provider> {
        match name.trim().to_ascii_lowercase().as_str() {
            "github" => Some(Provider::GitHub),
            "gitlab" => Some(Provider::GitLab),
            "gitea" | "forgejo" => Some(Provider::Gitea),
            "none" | "" => Some(Provider::None),
            _ => None,
        }
    }

    /// The public API, when there is one.
    pub fn default_api_url(self) -> Option<&'static str> {
        match self {
            Provider::GitHub => Some("https://api.github.com"),
            Provider::GitLab => Some("https://gitlab.com/api/v4"),
            Provider::Gitea => Some("https://gitea.com/api/v1"),
            Provider::None => None,
        }
    }

    /// Environment variable read when config has no `token`.
    pub fn token_env(self) -> Option<&'static str> {
        match self {
            Provider::GitHub => Some("GITHUB_TOKEN"),
            Provider::GitLab => Some("GITLAB_TOKEN"),
            Provider::Gitea => Some("GITEA_TOKEN"),
            Provider::None => None,
        }
    }

    /// The user name that goes with a token for https pushes.
    pub fn token_user(self) -> &'static str {
        match self {
            Provider::GitHub => "x-access-token",
            Provider::GitLab => "oauth2",
            _ => "mockops",
        }
    }
}

/// One API conversation's settings.
pub struct Api<'a> {
    pub provider: Provider,
    pub api_url: &'a str,
    pub owner: &'a str,
    pub name: &'a str,
    pub token: &'a str,
    pub deadline: Option<Instant>,
}

/// What is asked for.
pub struct PullRequestSpec<'a> {
    pub branch: &'a str,
    pub base: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub draft: bool,
    pub labels: &'a [String],
}

/// An open pull request.
#[derive(Debug, Clone, PartialEq)]
pub struct PullRequest {
    pub number: u64,
    pub url: String,
}

impl Api<'_> {
    /// Where pull requests go, safe to show and store: `github pull request acme/api
    /// (https://api.github.com)`.
    pub fn describe(&self) -> String {
        format!(
            "{} pull request {}/{} ({})",
            format!("{:?}", self.provider).to_lowercase(),
            self.owner,
            self.name,
            http::redact_url(self.api_url)
        )
    }

    fn repo_path(&self) -> String {
        match self.provider {
            Provider::GitLab => format!(
                "/projects/{}",
                encode(&format!("{}/{}", self.owner, self.name))
            ),
            _ => format!("/repos/{}/{}", encode(self.owner), encode(self.name)),
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, StepFailure> {
        let url = format!(
            "{}{}{path}",
            self.api_url.trim_end_matches('/'),
            self.repo_path()
        );
        let mut headers = vec![("accept".to_string(), "application/json".to_string())];
        match self.provider {
            Provider::GitHub => {
                headers = vec![
                    ("accept".into(), "application/vnd.github+json".into()),
                    ("x-github-api-version".into(), "2022-11-28".into()),
                    ("authorization".into(), format!("Bearer {}", self.token)),
                ];
            }
            Provider::GitLab => headers.push(("private-token".into(), self.token.to_string())),
            _ => headers.push(("authorization".into(), format!("token {}", self.token))),
        }
        let text = body.map(Value::to_string);
        if text.is_some() {
            headers.push(("content-type".into(), "application/json".into()));
        }
        let what = format!(
            "{:?} API {method} {}{path}",
            self.provider,
            self.repo_path()
        );
        let response = http::send(&HttpRequest {
            method,
            url: &url,
            headers,
            body: text.as_deref(),
            deadline: self.deadline,
        })?;
        if !response.is_success() {
            let mut failure = http::status_failure(&what, &response);
            if matches!(response.status, 401 | 403) {
                failure
                    .message
                    .push_str(" (check `token` and its permissions)");
            }
            return Err(failure);
        }
        if response.body.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&response.body)
            .map_err(|e| StepFailure::retryable(format!("{what} answered with invalid JSON: {e}")))
    }

    /// The open pull request whose head is `branch`, if any.
    pub fn find_open(&self, branch: &str) -> Result<Option<PullRequest>, StepFailure> {
        let list = match self.provider {
            Provider::GitHub => self.call(
                "GET",
                &format!(
                    "/pulls?head={}&state=open",
                    encode(&format!("{}:{branch}", self.owner))
                ),
                None,
            )?,
            Provider::GitLab => self.call(
                "GET",
                &format!(
                    "/merge_requests?source_branch={}&state=opened",
                    encode(branch)
                ),
                None,
            )?,
            Provider::Gitea => self.call("GET", "/pulls?state=open&limit=50", None)?,
            Provider::None => return Ok(None),
        };
        let items = list.as_array().cloned().unwrap_or_default();
        Ok(items
            .iter()
            .find(|pr| match self.provider {
                Provider::GitHub => true,
                Provider::GitLab => pr["source_branch"].as_str().is_none_or(|b| b == branch),
                _ => pr["head"]["ref"].as_str() == Some(branch),
            })
            .and_then(|pr| self.parse_pr(pr)))
    }

    /// Opens a pull request.
    pub fn open(&self, spec: &PullRequestSpec<'_>) -> Result<PullRequest, StepFailure> {
        let created = match self.provider {
            Provider::GitHub => self.call(
                "POST",
                "/pulls",
                Some(&json!({"title": spec.title, "head": spec.branch, "base": spec.base, "body": spec.body, "draft": spec.draft})),
            )?,
            Provider::GitLab => self.call(
                "POST",
                "/merge_requests",
                Some(&json!({
                    "source_branch": spec.branch, "target_branch": spec.base,
                    "title": draft_title(spec, "Draft: "), "description": spec.body,
                    "labels": spec.labels.join(","),
                })),
            )?,
            Provider::Gitea => self.call(
                "POST",
                "/pulls",
                Some(&json!({"title": draft_title(spec, "WIP: "), "head": spec.branch, "base": spec.base, "body": spec.body})),
            )?,
            Provider::None => return Err(StepFailure::fatal("provider `none` opens no pull request")),
        };
        let pr = self.parse_pr(&created).ok_or_else(|| {
            StepFailure::fatal(format!(
                "{:?} API: the created pull request has no number",
                self.provider
            ))
        })?;
        self.add_labels(&pr, spec.labels)?;
        Ok(pr)
    }

    /// Updates an existing pull request's title and body (and adds labels).
    pub fn update(&self, pr: &PullRequest, spec: &PullRequestSpec<'_>) -> Result<(), StepFailure> {
        match self.provider {
            Provider::GitHub => {
                self.call(
                    "PATCH",
                    &format!("/pulls/{}", pr.number),
                    Some(&json!({"title": spec.title, "body": spec.body})),
                )?;
            }
            Provider::GitLab => {
                self.call(
                    "PUT",
                    &format!("/merge_requests/{}", pr.number),
                    Some(&json!({"title": draft_title(spec, "Draft: "), "description": spec.body, "add_labels": spec.labels.join(",")})),
                )?;
            }
            Provider::Gitea => {
                self.call(
                    "PATCH",
                    &format!("/pulls/{}", pr.number),
                    Some(&json!({"title": draft_title(spec, "WIP: "), "body": spec.body})),
                )?;
            }
            Provider::None => {}
        }
        if self.provider != Provider::GitLab {
            self.add_labels(pr, spec.labels)?;
        }
        Ok(())
    }

    fn add_labels(&self, pr: &PullRequest, labels: &[String]) -> Result<(), StepFailure> {
        if labels.is_empty() || matches!(self.provider, Provider::GitLab | Provider::None) {
            return Ok(());
        }
        // GitHub and Gitea (1.20+) take label names on the issue behind the pull request.
        self.call(
            "POST",
            &format!("/issues/{}/labels", pr.number),
            Some(&json!({ "labels": labels })),
        )?;
        Ok(())
    }

    fn parse_pr(&self, pr: &Value) -> Option<PullRequest> {
        let (number, url) = match self.provider {
            Provider::GitLab => (pr["iid"].as_u64()?, pr["web_url"].as_str()?),
            _ => (pr["number"].as_u64()?, pr["html_url"].as_str()?),
        };
        Some(PullRequest {
            number,
            url: url.to_string(),
        })
    }
}

fn draft_title(spec: &PullRequestSpec<'_>, marker: &str) -> String {
    if spec.draft && !spec.title.starts_with(marker) {
        format!("{marker}{}", spec.title)
    } else {
        spec.title.to_string()
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_gitlab_project_ids() {
        assert_eq!(encode("group/sub project"), "group%2Fsub%20project");
        assert_eq!(encode("acme:mockops/sdk-v1.2"), "acme%3Amockops%2Fsdk-v1.2");
    }

    #[test]
    fn provider_names() {
        assert_eq!(Provider::parse("GitHub"), Some(Provider::GitHub));
        assert_eq!(Provider::parse("bitbucket"), None);
        assert_eq!(
            Provider::GitLab.default_api_url(),
            Some("https://gitlab.com/api/v4")
        );
    }
}
