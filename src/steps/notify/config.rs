//! Reading a `notify` config (mockops' names and MockForge's) into deliveries.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

use super::super::{is_template, json_kind, StepFailure};
use crate::steps::http::redact_url;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Channel kinds.
const KINDS: &[&str] = &["slack", "webhook", "email"];

/// Keys of MockForge's `smtp` map (and `ca_file`).
const SMTP_KEYS: &[&str] = &["host", "port", "username", "password", "from", "ca_file"];

/// MockForge falls back to a made-up sender; mockops asks for a real one.
const NEEDS_FROM: &str = "channel email needs `from` (or `smtp.from`): the sender address; MockForge's made-up `mockforge@example.com` would be refused by most relays";

/// MockForge's default `smtp.port` (submission, STARTTLS).
const DEFAULT_SMTP_PORT: u64 = 587;

/// Where a message goes; holds secrets (URLs, passwords), so never show it with `{:?}`;
/// [`Target::describe`] is the safe form.
#[derive(Clone)]
pub enum Target {
    Slack {
        url: String,
    },
    Webhook {
        url: String,
        method: String,
        headers: Vec<(String, String)>,
        secret: Option<String>,
    },
    Email(EmailTarget),
}

/// An SMTP delivery.
#[derive(Clone)]
pub struct EmailTarget {
    /// `smtp://host:port` or `smtps://host:port`, possibly with `user:pass@`.
    pub smtp_url: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// A PEM file of extra CA certificates the server's certificate may chain to.
    pub ca_file: Option<PathBuf>,
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
}

impl Target {
    /// A description safe to show and store: no URL path, query, token or password.
    pub fn describe(&self) -> String {
        match self {
            Target::Slack { url } => format!("slack webhook {}", redact_url(url)),
            Target::Webhook { url, method, .. } => format!("webhook {method} {}", redact_url(url)),
            Target::Email(e) => format!("email {} to {}", redact_url(&e.smtp_url), e.to.join(", ")),
        }
    }
}

/// One message to one target; `body` is exactly what is sent (the JSON body for HTTP,
/// the text for email).
#[derive(Clone)]
pub struct Delivery {
    pub target: Target,
    pub body: String,
}

/// What a config is planned against besides itself: the fields MockForge adds to every
/// webhook body, and where relative paths start.
pub struct PlanContext<'a> {
    /// The run's id: `pipeline_execution_id` in a webhook body.
    pub run_id: &'a str,
    /// `step_name` in a webhook body.
    pub step_name: &'a str,
    /// `timestamp` in a webhook body (RFC 3339).
    pub timestamp: String,
    /// Relative `ca_file` paths are resolved against it (the project root).
    pub root: &'a Path,
}

impl<'a> PlanContext<'a> {
    /// The context of one run's step. `timestamp` is when the run started (read from its
    /// time-ordered id), so every attempt and a redelivery carry the same body.
    pub fn for_run(run_id: &'a str, step_name: &'a str, root: &'a Path) -> Self {
        let started = uuid::Uuid::parse_str(run_id)
            .ok()
            .and_then(|id| id.get_timestamp())
            .and_then(|ts| {
                let (secs, nanos) = ts.to_unix();
                chrono::DateTime::from_timestamp(i64::try_from(secs).ok()?, nanos)
            })
            .unwrap_or_else(chrono::Utc::now);
        PlanContext {
            run_id,
            step_name,
            timestamp: crate::timefmt::format(&started),
            root,
        }
    }
}

/// Static checks, before templates are rendered.
pub fn check(config: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    let kinds = match kinds(config) {
        Ok(k) => k,
        Err(e) => return vec![e],
    };
    for key in [
        "message",
        "text",
        "subject",
        "from",
        "url",
        "webhook_url",
        "slack_webhook_url",
        "smtp_url",
        "ca_file",
        "method",
        "secret",
        "username",
        "password",
    ] {
        if let Some(v) = config.get(key) {
            if !matches!(v, Value::String(_)) && !is_template(v) {
                problems.push(format!(
                    "config `{key}` must be a string, got {}",
                    json_kind(v)
                ));
            }
        }
    }
    // A literal URL is checked now rather than when the step runs; its text is a secret,
    // so the message names the key only.
    let literal_urls = ["url", "webhook_url", "slack_webhook_url", "smtp_url"]
        .into_iter()
        .filter_map(|key| config.get(key).map(|v| (key, v)))
        .chain(match config.get("webhook_urls") {
            Some(Value::Array(items)) => items.iter().map(|v| ("webhook_urls", v)).collect(),
            Some(v @ Value::String(_)) => vec![("webhook_urls", v)],
            _ => Vec::new(),
        });
    for (key, value) in literal_urls {
        let Value::String(text) = value else { continue };
        if is_template(value) {
            continue;
        }
        let schemes: &[&str] = if key == "smtp_url" {
            &["smtp://", "smtps://"]
        } else {
            &["http://", "https://"]
        };
        let host = schemes.iter().find_map(|s| text.trim().strip_prefix(s));
        let has_host = host.is_some_and(|rest| {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = authority.rsplit('@').next().unwrap_or("");
            !host.is_empty() && !host.contains(char::is_whitespace)
        });
        if !has_host {
            problems.push(format!(
                "config `{key}` is not a URL with a host starting with {}",
                schemes.join(" or ")
            ));
        }
    }
    for key in ["webhook_urls", "channels", "to"] {
        if let Some(v) = config.get(key) {
            if !matches!(v, Value::Array(_) | Value::String(_)) {
                problems.push(format!(
                    "config `{key}` must be a string or a list of strings, got {}",
                    json_kind(v)
                ));
            }
        }
    }
    for key in ["smtp", "headers"] {
        if let Some(v) = config.get(key) {
            if !matches!(v, Value::Object(_)) && !is_template(v) {
                problems.push(format!(
                    "config `{key}` must be a map, got {}",
                    json_kind(v)
                ));
            }
        }
    }
    if let Some(Value::Object(smtp)) = config.get("smtp") {
        for key in smtp.keys() {
            if !SMTP_KEYS.contains(&key.as_str()) {
                problems.push(format!(
                    "config `smtp.{key}` is not a known key ({})",
                    SMTP_KEYS.join(", ")
                ));
            }
        }
    }
    if let Some(payload) = config.get("payload") {
        if !is_template(payload) {
            if let Err(problem) = payload_map(payload) {
                problems.push(problem);
            }
        }
    }
    let has = |k: &str| config.contains_key(k);
    let has_message = has("message") || has("text");
    for kind in kinds {
        match kind {
            "slack" => {
                if !has("webhook_url") && !has("slack_webhook_url") {
                    problems
                        .push("channel slack needs `webhook_url` (or `slack_webhook_url`)".into());
                }
                if !has_message && !has("blocks") {
                    problems.push("channel slack needs `message` (or `blocks`)".into());
                }
            }
            "webhook" => {
                if !has("url") && !has("webhook_url") && !has("webhook_urls") {
                    problems.push("channel webhook needs `url` (or `webhook_urls`)".into());
                }
                if !has_message && !has("payload") {
                    problems.push("channel webhook needs `message` (or `payload`)".into());
                }
            }
            _ => {
                if !has("smtp_url") && !has("smtp") {
                    problems
                        .push("channel email needs `smtp_url` (or `smtp: {host, port}`)".into());
                }
                if !has("to") {
                    problems.push("channel email needs `to`".into());
                }
                let smtp_from =
                    matches!(config.get("smtp"), Some(Value::Object(s)) if s.contains_key("from"));
                if !has("from") && !smtp_from {
                    problems.push(NEEDS_FROM.into());
                }
                if !has_message {
                    problems.push("channel email needs `message`".into());
                }
            }
        }
    }
    problems
}

/// The channel kinds a config sends to: `channel`/`type`, or the kinds named in `channels`,
/// or the kind implied by the URL keys present.
fn kinds(config: &Map<String, Value>) -> Result<Vec<&'static str>, String> {
    let mut found = Vec::new();
    for key in ["channel", "type"] {
        if let Some(v) = config.get(key) {
            match v {
                Value::String(_) if is_template(v) => {}
                Value::String(s) => found.push(kind_named(s).ok_or_else(|| unknown_kind(key, s))?),
                other => {
                    return Err(format!(
                        "config `{key}` must be a string, got {}",
                        json_kind(other)
                    ))
                }
            }
        }
    }
    for name in channel_names(config) {
        if let Some(kind) = kind_named(&name) {
            found.push(kind);
        }
    }
    if found.is_empty() {
        let has = |k: &str| config.contains_key(k);
        if has("smtp_url") || has("smtp") {
            found.push("email");
        } else if has("url") || has("webhook_urls") {
            found.push("webhook");
        } else if has("webhook_url") || has("slack_webhook_url") {
            found.push("slack");
        } else {
            return Err("config `channel` is required (slack, webhook or email)".into());
        }
    }
    found.dedup();
    Ok(found)
}

fn kind_named(name: &str) -> Option<&'static str> {
    KINDS
        .iter()
        .copied()
        .find(|k| k.eq_ignore_ascii_case(name.trim()))
}

fn unknown_kind(key: &str, name: &str) -> String {
    format!("config `{key}`: unknown channel `{name}` (expected slack, webhook or email)")
}

/// Entries of MockForge's `channels` list.
fn channel_names(config: &Map<String, Value>) -> Vec<String> {
    string_list(config.get("channels"))
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

fn text<'a>(config: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, StepFailure> {
    match config.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(StepFailure::fatal(format!(
            "config `{key}` must be a string, got {}",
            json_kind(other)
        ))),
    }
}

fn required<'a>(
    config: &'a Map<String, Value>,
    keys: &[&str],
    what: &str,
) -> Result<&'a str, StepFailure> {
    for key in keys {
        if let Some(v) = text(config, key)? {
            return Ok(v);
        }
    }
    Err(StepFailure::fatal(format!(
        "{what} needs `{}`",
        keys.join("` or `")
    )))
}

/// Builds the deliveries of a rendered config.
pub fn plan(
    config: &Map<String, Value>,
    ctx: &PlanContext<'_>,
) -> Result<Vec<Delivery>, StepFailure> {
    let kinds = kinds(config).map_err(StepFailure::fatal)?;
    let message = match text(config, "message")? {
        Some(m) => Some(m),
        None => text(config, "text")?,
    };
    let mut deliveries = Vec::new();
    for kind in kinds {
        match kind {
            "slack" => deliveries.extend(slack(config, message)?),
            "webhook" => deliveries.extend(webhooks(config, message, ctx)?),
            _ => deliveries.push(email(config, message, ctx)?),
        }
    }
    Ok(deliveries)
}

/// A webhook `payload`: a map, or a string holding a JSON object (a rendered template).
fn payload_map(payload: &Value) -> Result<Option<Map<String, Value>>, String> {
    let problem = |got: &str| {
        format!(
            "config `payload` must be a map (its keys are added to the webhook body), got {got}"
        )
    };
    match payload {
        Value::Null => Ok(None),
        Value::Object(map) => Ok(Some(map.clone())),
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(map)) => Ok(Some(map)),
            Ok(other) => Err(problem(&format!("a string holding {}", json_kind(&other)))),
            Err(_) => Err(problem("a string that is not a JSON object")),
        },
        other => Err(problem(json_kind(other))),
    }
}

fn slack(config: &Map<String, Value>, message: Option<&str>) -> Result<Vec<Delivery>, StepFailure> {
    let url = required(
        config,
        &["webhook_url", "slack_webhook_url"],
        "channel slack",
    )?
    .to_string();
    let mut body = Map::new();
    if let Some(m) = message {
        body.insert("text".into(), Value::String(m.to_string()));
    }
    match config.get("blocks") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => {
            body.insert("blocks".into(), crate::json_or_string(s));
        }
        Some(blocks) => {
            body.insert("blocks".into(), blocks.clone());
        }
    }
    if body.is_empty() {
        return Err(StepFailure::fatal(
            "channel slack needs `message` (or `blocks`)",
        ));
    }
    // Slack channel names in `channels` (entries that are not channel kinds): one message each.
    let names: Vec<String> = channel_names(config)
        .into_iter()
        .filter(|n| kind_named(n).is_none())
        .collect();
    if names.is_empty() {
        return Ok(vec![Delivery {
            target: Target::Slack { url },
            body: Value::Object(body).to_string(),
        }]);
    }
    Ok(names
        .into_iter()
        .map(|name| {
            let mut per_channel = body.clone();
            per_channel.insert("channel".into(), Value::String(name));
            Delivery {
                target: Target::Slack { url: url.clone() },
                body: Value::Object(per_channel).to_string(),
            }
        })
        .collect())
}

fn webhooks(
    config: &Map<String, Value>,
    message: Option<&str>,
    ctx: &PlanContext<'_>,
) -> Result<Vec<Delivery>, StepFailure> {
    let mut urls = Vec::new();
    for key in ["url", "webhook_url"] {
        if let Some(u) = text(config, key)? {
            urls.push(u.to_string());
        }
    }
    urls.extend(string_list(config.get("webhook_urls")));
    urls.dedup();
    if urls.is_empty() {
        return Err(StepFailure::fatal(
            "channel webhook needs `url` (or `webhook_urls`)",
        ));
    }
    let method = text(config, "method")?
        .unwrap_or("POST")
        .to_ascii_uppercase();
    if !["POST", "PUT", "PATCH", "GET", "DELETE"].contains(&method.as_str()) {
        return Err(StepFailure::fatal(format!(
            "config `method`: unsupported HTTP method `{method}`"
        )));
    }
    let body = webhook_body(config, message, ctx)?;
    let headers = match config.get("headers") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                )
            })
            .collect(),
        Some(other) => {
            return Err(StepFailure::fatal(format!(
                "config `headers` must be a map, got {}",
                json_kind(other)
            )))
        }
    };
    let secret = text(config, "secret")?
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Ok(urls
        .into_iter()
        .map(|url| Delivery {
            target: Target::Webhook {
                url,
                method: method.clone(),
                headers: headers.clone(),
                secret: secret.clone(),
            },
            body: body.clone(),
        })
        .collect())
}

/// MockForge's webhook body: `message`, `pipeline_execution_id`, `step_name` and
/// `timestamp`, then the keys of `payload` (which win over those four).
fn webhook_body(
    config: &Map<String, Value>,
    message: Option<&str>,
    ctx: &PlanContext<'_>,
) -> Result<String, StepFailure> {
    let payload = match config.get("payload") {
        None => None,
        Some(p) => payload_map(p).map_err(StepFailure::fatal)?,
    };
    if message.is_none() && payload.is_none() {
        return Err(StepFailure::fatal(
            "channel webhook needs `message` (or `payload`)",
        ));
    }
    let mut body = Map::new();
    if let Some(m) = message {
        body.insert("message".into(), Value::String(m.to_string()));
    }
    body.insert("pipeline_execution_id".into(), Value::from(ctx.run_id));
    body.insert("step_name".into(), Value::from(ctx.step_name));
    body.insert("timestamp".into(), Value::from(ctx.timestamp.as_str()));
    body.extend(payload.unwrap_or_default());
    Ok(Value::Object(body).to_string())
}

fn email(
    config: &Map<String, Value>,
    message: Option<&str>,
    ctx: &PlanContext<'_>,
) -> Result<Delivery, StepFailure> {
    let empty = Map::new();
    let smtp = match config.get("smtp") {
        Some(Value::Object(map)) => map,
        Some(other) if !other.is_null() => {
            return Err(StepFailure::fatal(format!(
                "config `smtp` must be a map, got {}",
                json_kind(other)
            )))
        }
        _ => &empty,
    };
    let smtp_url = match text(config, "smtp_url")? {
        Some(url) => url.to_string(),
        None => {
            let host = text(smtp, "host")?.ok_or_else(|| {
                StepFailure::fatal("channel email needs `smtp_url` (or `smtp: {host, port}`)")
            })?;
            let port = match smtp.get("port") {
                None | Some(Value::Null) => DEFAULT_SMTP_PORT,
                Some(v) => v
                    .as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                    .filter(|p| (1..=65535).contains(p))
                    .ok_or_else(|| {
                        StepFailure::fatal(format!("config `smtp.port` is not a port number: {v}"))
                    })?,
            };
            // Credentials upgrade `opportunistic` to `required` when the mail is sent.
            match port {
                465 => format!("smtps://{host}:{port}"),
                587 => format!("smtp://{host}:{port}?tls=required"),
                _ => format!("smtp://{host}:{port}?tls=opportunistic"),
            }
        }
    };
    if !(smtp_url.starts_with("smtp://") || smtp_url.starts_with("smtps://")) {
        return Err(StepFailure::fatal(format!(
            "config `smtp_url` must start with smtp:// or smtps://, got {}",
            redact_url(&smtp_url)
        )));
    }
    let from = match text(config, "from")? {
        Some(f) => f,
        None => text(smtp, "from")?.ok_or_else(|| StepFailure::fatal(NEEDS_FROM))?,
    };
    let to = string_list(config.get("to"));
    if to.is_empty() {
        return Err(StepFailure::fatal(
            "channel email needs `to` (an address or a list)",
        ));
    }
    let body = message.ok_or_else(|| StepFailure::fatal("channel email needs `message`"))?;
    let username = text(config, "username")?.or(text(smtp, "username")?);
    let password = text(config, "password")?.or(text(smtp, "password")?);
    if username.is_some() != password.is_some() {
        return Err(StepFailure::fatal(
            "channel email needs both `username` and `password` (or neither)",
        ));
    }
    let ca_file = text(config, "ca_file")?
        .or(text(smtp, "ca_file")?)
        .map(|f| ctx.root.join(f));
    Ok(Delivery {
        target: Target::Email(EmailTarget {
            smtp_url,
            username: username.map(str::to_string),
            password: password.map(str::to_string),
            ca_file,
            from: from.to_string(),
            to,
            subject: text(config, "subject")?
                .unwrap_or("mockops notification")
                .to_string(),
        }),
        body: body.to_string(),
    })
}
