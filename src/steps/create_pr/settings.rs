//! Reading `create_pr`'s config: the static checks before templates are rendered, the
//! rendered settings, and MockForge's `files`.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

use super::git::{self, FileChange};
use super::providers::{Api, Provider};
use crate::steps::{is_template, json_kind, StepContext, StepFailure};
use serde_json::{Map, Value};
use std::path::{Component, Path};

pub(super) const KEYS: &[&str] = &[
    "branch",
    "base",
    "base_branch",
    "paths",
    "message",
    "title",
    "body",
    "remote",
    "provider",
    "repo",
    "owner",
    "api_url",
    "token",
    "draft",
    "labels",
    "author",
    "files",
];

/// A rendered config, read and checked.
pub(super) struct Settings {
    pub(super) branch: String,
    pub(super) base: Option<String>,
    pub(super) paths: Vec<String>,
    pub(super) message: String,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) remote: String,
    pub(super) provider: Provider,
    pub(super) repo: Option<(String, String)>,
    pub(super) api_url: Option<String>,
    pub(super) token: Option<String>,
    pub(super) draft: bool,
    pub(super) labels: Vec<String>,
    pub(super) author: Option<(String, String)>,
}

impl Settings {
    /// The provider's API, when the step opens pull requests.
    pub(super) fn api<'s>(&'s self, ctx: &StepContext<'_>) -> Option<Api<'s>> {
        match (&self.repo, &self.token, &self.api_url) {
            (Some((owner, name)), Some(token), Some(api_url)) => Some(Api {
                provider: self.provider,
                api_url,
                owner,
                name,
                token,
                deadline: ctx.deadline,
            }),
            _ => None,
        }
    }

    pub(super) fn read(
        config: &Map<String, Value>,
        ctx: &StepContext<'_>,
    ) -> Result<Settings, StepFailure> {
        let text = |key: &str| -> Result<Option<String>, StepFailure> {
            match config.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
                Some(other) => Err(StepFailure::fatal(format!(
                    "config `{key}` must be a string, got {}",
                    json_kind(other)
                ))),
            }
        };
        let branch =
            text("branch")?.ok_or_else(|| StepFailure::fatal("config `branch` is required"))?;
        let provider_name = text("provider")?.unwrap_or_else(|| "github".to_string());
        let provider = Provider::parse(&provider_name).ok_or_else(|| {
            StepFailure::fatal(format!(
                "config `provider`: unknown provider `{provider_name}` (expected {})",
                Provider::NAMES.join(", ")
            ))
        })?;
        let repo = match (text("owner")?, text("repo")?) {
            (Some(owner), Some(name)) => Some((owner, name)),
            (None, Some(full)) => match full.split_once('/') {
                Some((owner, name)) if !owner.is_empty() && !name.is_empty() => {
                    Some((owner.to_string(), name.to_string()))
                }
                _ => {
                    return Err(StepFailure::fatal(format!(
                        "config `repo` must be `owner/name`, got `{full}`"
                    )))
                }
            },
            (Some(_), None) => {
                return Err(StepFailure::fatal(
                    "config `owner` needs `repo` (the repository name)",
                ))
            }
            (None, None) => None,
        };
        let token = match text("token")? {
            Some(t) => Some(t),
            None => provider
                .token_env()
                .and_then(|var| std::env::var(var).ok())
                .filter(|t| !t.is_empty()),
        };
        if provider != Provider::None {
            if repo.is_none() {
                return Err(StepFailure::fatal(format!(
                    "provider `{provider_name}` needs config `repo` (`owner/name`)"
                )));
            }
            if token.is_none() {
                return Err(StepFailure::fatal(format!(
                    "provider `{provider_name}` needs config `token` (or ${})",
                    provider.token_env().unwrap_or("TOKEN")
                )));
            }
        }
        let api_url = text("api_url")?.or_else(|| provider.default_api_url().map(str::to_string));
        let mut paths = string_list(config, "paths")?;
        if paths.is_empty() && !config.contains_key("files") {
            return Err(StepFailure::fatal(
                "config `paths` is required (globs of the files to commit)",
            ));
        }
        paths.retain(|p| !p.is_empty());
        let default_message = format!(
            "Update generated files ({} / {})",
            ctx.pipeline_name, ctx.step_name
        );
        let message = text("message")?.unwrap_or(default_message);
        let title = text("title")?
            .unwrap_or_else(|| message.lines().next().unwrap_or_default().to_string());
        let body = text("body")?.unwrap_or_else(|| {
            format!(
                "Opened by mockops: pipeline `{}`, step `{}`.",
                ctx.pipeline_name, ctx.step_name
            )
        });
        let draft = match config.get("draft") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
            Some(other) => {
                return Err(StepFailure::fatal(format!(
                    "config `draft` must be a boolean, got {}",
                    json_kind(other)
                )))
            }
        };
        let author = match config.get("author") {
            None | Some(Value::Null) => None,
            Some(Value::Object(a)) => match (
                a.get("name").and_then(Value::as_str),
                a.get("email").and_then(Value::as_str),
            ) {
                (Some(n), Some(e)) => Some((n.to_string(), e.to_string())),
                _ => {
                    return Err(StepFailure::fatal(
                        "config `author` needs `name` and `email`",
                    ))
                }
            },
            Some(other) => {
                return Err(StepFailure::fatal(format!(
                    "config `author` must be a map, got {}",
                    json_kind(other)
                )))
            }
        };
        Ok(Settings {
            branch,
            base: match text("base")? {
                Some(b) => Some(b),
                None => text("base_branch")?,
            },
            paths,
            message,
            title,
            body,
            remote: text("remote")?.unwrap_or_else(|| "origin".to_string()),
            provider,
            repo,
            api_url,
            token,
            draft,
            labels: string_list(config, "labels")?,
            author,
        })
    }
}

pub(super) fn string_list(
    config: &Map<String, Value>,
    key: &str,
) -> Result<Vec<String>, StepFailure> {
    match config.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(s
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str().map(str::to_string).ok_or_else(|| {
                    StepFailure::fatal(format!(
                        "config `{key}` must hold strings, got {}",
                        json_kind(i)
                    ))
                })
            })
            .collect(),
        Some(other) => Err(StepFailure::fatal(format!(
            "config `{key}` must be a list of strings, got {}",
            json_kind(other)
        ))),
    }
}

/// MockForge's `files: [{path, content, type}]` as changes to commit (`type: delete`
/// deletes the file); nothing is written to disk.
pub(super) fn file_changes(files: Option<&Value>) -> Result<Vec<FileChange>, StepFailure> {
    let items = match files {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(StepFailure::fatal(format!(
                "config `files` must be a list, got {}",
                json_kind(other)
            )))
        }
    };
    let mut changes = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let path = item["path"].as_str().ok_or_else(|| {
            StepFailure::fatal(format!("config `files[{n}].path` is required (a string)"))
        })?;
        let relative = Path::new(path);
        if path.is_empty()
            || relative
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(StepFailure::fatal(format!(
                "config `files[{n}].path` `{path}` must be a relative path inside the project"
            )));
        }
        let path = path.replace('\\', "/");
        if item["type"].as_str() == Some("delete") {
            changes.push(FileChange {
                path,
                content: None,
            });
            continue;
        }
        let content = match &item["content"] {
            Value::String(s) => s,
            Value::Null => {
                return Err(StepFailure::fatal(format!(
                    "config `files[{n}].content` is required"
                )))
            }
            other => {
                return Err(StepFailure::fatal(format!(
                    "config `files[{n}].content` must be text (UTF-8), got {}",
                    json_kind(other)
                )))
            }
        };
        if content.len() as u64 > git::MAX_FILE_BYTES {
            return Err(StepFailure::fatal(format!(
                "config `files[{n}]` ({path}) is {} bytes, over the limit of {}",
                content.len(),
                git::MAX_FILE_BYTES
            )));
        }
        changes.push(FileChange {
            path,
            content: Some(content.as_bytes().to_vec()),
        });
    }
    Ok(changes)
}

/// Static checks, before templates are rendered.
pub(super) fn check(config: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    let is_fixed = |key: &str| config.get(key).filter(|v| !is_template(v));
    if !config.contains_key("branch") {
        problems.push("config `branch` is required".to_string());
    }
    if !config.contains_key("paths") && !config.contains_key("files") {
        problems.push("config `paths` is required (globs of the files to commit)".to_string());
    }
    for key in [
        "branch",
        "base",
        "base_branch",
        "message",
        "title",
        "body",
        "remote",
        "provider",
        "repo",
        "owner",
        "api_url",
        "token",
    ] {
        if let Some(v) = is_fixed(key) {
            if !v.is_string() {
                problems.push(format!(
                    "config `{key}` must be a string, got {}",
                    json_kind(v)
                ));
            }
        }
    }
    let provider = match is_fixed("provider") {
        Some(Value::String(name)) => match Provider::parse(name) {
            Some(p) => Some(p),
            None => {
                problems.push(format!(
                    "config `provider`: unknown provider `{name}` (expected {})",
                    Provider::NAMES.join(", ")
                ));
                None
            }
        },
        Some(_) => None,
        None if config.contains_key("provider") => None,
        None => Some(Provider::GitHub),
    };
    if provider.is_some_and(|p| p != Provider::None) && !config.contains_key("repo") {
        problems.push("config `repo` is required for this provider (`owner/name`)".to_string());
    }
    if let Some(Value::String(full)) = is_fixed("repo") {
        if !config.contains_key("owner")
            && full
                .split_once('/')
                .is_none_or(|(o, n)| o.is_empty() || n.is_empty())
        {
            problems.push(format!("config `repo` must be `owner/name`, got `{full}`"));
        }
    }
    for key in ["paths", "labels"] {
        if let Some(v) = is_fixed(key) {
            if !matches!(v, Value::String(_))
                && !v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
            {
                problems.push(format!(
                    "config `{key}` must be a list of strings, got {}",
                    json_kind(v)
                ));
            }
        }
    }
    if let Some(v) = is_fixed("draft") {
        if !v.is_boolean() {
            problems.push(format!(
                "config `draft` must be a boolean, got {}",
                json_kind(v)
            ));
        }
    }
    if let Some(v) = is_fixed("author") {
        if !v.is_object()
            || !v.get("name").is_some_and(Value::is_string)
            || !v.get("email").is_some_and(Value::is_string)
        {
            problems.push("config `author` must be a map with `name` and `email`".to_string());
        }
    }
    if let Some(v) = is_fixed("files") {
        match v.as_array() {
            Some(items) => {
                for (n, item) in items.iter().enumerate() {
                    if !item.get("path").is_some_and(Value::is_string) {
                        problems.push(format!("config `files[{n}].path` is required (a string)"));
                    }
                }
            }
            None => problems.push(format!(
                "config `files` must be a list, got {}",
                json_kind(v)
            )),
        }
    }
    problems
}
