//! Federation scenarios: named per-service overrides (level, latency, errors, chaos
//! intensity, headers) that a running gateway applies while the scenario is active.
//!
//! Three forms are read, every mistake of a file reported at once at its place:
//! - mockops's own: `{name, services: {auth: {reality_level, latency_ms, error_rate, ...}}}`;
//! - a MockForge scenario manifest: `{name, ..., service_overrides: {auth: {reality_level,
//!   chaos_level, failure_rate, latency_ms, notes}}}` (its other manifest keys are ignored);
//! - MockForge's activation body: `{scenario_name, manifest, service_overrides}`, where the
//!   body's overrides win over the manifest's, service by service, as MockForge merges them.

use super::model::{Federation, LatencyRange, Loc, RealityLevel};
use super::tree::{self, Findings, Node, Placed};
use super::validate::{Diagnostic, Severity};
use super::FederationError;
use crate::yamlfile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// What a scenario changes for one service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reality_level: Option<RealityLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<LatencyRange>,
    /// The fraction of requests answered `error_status` (MockForge's `failure_rate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_rate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_status: Option<u16>,
    /// MockForge's chaos intensity, 0 to 1: scales the service's own chaos (`error_rate`,
    /// `latency_ms` of its config) and applies it at any level; 0 turns it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chaos_level: Option<f64>,
    /// Extra headers added to requests forwarded to the service.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// A note for people (MockForge shows it beside the override); no effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A federation scenario. Serializes to JSON and back unchanged, so the state file may
/// keep it as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioFile {
    pub name: String,
    #[serde(default)]
    pub services: BTreeMap<String, ServiceOverride>,
}

pub(crate) const TOP_KEYS: &[&str] = &[
    "name",
    "services",
    "service_overrides",
    "scenario_name",
    "scenario_id",
    "manifest",
];

/// The keys of MockForge's `ScenarioManifest` that do not concern the gateway: accepted,
/// and ignored.
pub(crate) const MANIFEST_KEYS: &[&str] = &[
    "manifest_version",
    "version",
    "title",
    "description",
    "author",
    "author_email",
    "category",
    "tags",
    "compatibility",
    "files",
    "readme",
    "example_usage",
    "required_features",
    "plugin_dependencies",
    "metadata",
    "created_at",
    "updated_at",
    "state_machines",
    "state_machine_graphs",
    "vbr_entities",
    "mockai_config",
];

pub(crate) const OVERRIDE_KEYS: &[&str] = &[
    "reality_level",
    "latency_ms",
    "error_rate",
    "failure_rate",
    "error_status",
    "chaos_level",
    "headers",
    "notes",
    "metadata",
];

/// Reads a scenario file and checks it against `fed`: unknown keys and services, levels
/// the service has no URL for, out-of-range values and bad headers are refused, all at
/// once with their places. Returns the scenario and its warnings.
pub fn load_scenario(
    path: &Path,
    fed: &Federation,
) -> Result<(ScenarioFile, Vec<Diagnostic>), FederationError> {
    let root: Placed<Node> = yamlfile::load(path)?;
    check(path, &root, fed)
}

/// [`load_scenario`] on text already read.
pub fn parse_scenario(
    path: &Path,
    text: &str,
    fed: &Federation,
) -> Result<(ScenarioFile, Vec<Diagnostic>), FederationError> {
    let root: Placed<Node> = yamlfile::parse(path, text)?;
    check(path, &root, fed)
}

/// One service's override as written, with its place.
struct Written<'a> {
    name: &'a Placed<String>,
    body: &'a Placed<Node>,
}

fn check(
    path: &Path,
    root: &Placed<Node>,
    fed: &Federation,
) -> Result<(ScenarioFile, Vec<Diagnostic>), FederationError> {
    let mut f = Findings::new(path);
    let (name, written) = read_top(&mut f, root);
    let mut services = BTreeMap::new();
    for w in written.values() {
        if let Some(o) = read_override(&mut f, fed, w) {
            services.insert(w.name.value.clone(), o);
        }
    }
    let name = match name {
        Some((name, at)) if name.trim().is_empty() => {
            f.error(at, None, "a scenario needs a non-empty `name`");
            name
        }
        Some((name, _)) => name,
        None => {
            f.error(
                root.loc,
                None,
                "a scenario needs a `name` (MockForge's `scenario_name` is read too)",
            );
            String::new()
        }
    };
    if f.has_errors() {
        return Err(FederationError::Invalid(f.sorted()));
    }
    Ok((ScenarioFile { name, services }, f.sorted()))
}

/// The name and the overrides by service: the manifest's first, then the body's (which win).
fn read_top<'a>(
    f: &mut Findings,
    root: &'a Placed<Node>,
) -> (Option<(String, Loc)>, BTreeMap<String, Written<'a>>) {
    let mut written = BTreeMap::new();
    let Some(top) = tree::entries(f, root, "a scenario file", None) else {
        return (None, written);
    };
    let mut name = None;
    let mut scenario_name = None;
    let mut manifest_name = None;
    let mut overrides_key: Option<&Placed<String>> = None;
    if let Some((_, manifest)) = top.iter().find(|(k, _)| k.value == "manifest") {
        if let Some(entries) = tree::entries(f, manifest, "`manifest`", None) {
            for (key, value) in entries {
                match key.value.as_str() {
                    "name" => manifest_name = text_at(f, value, "`manifest.name`"),
                    "service_overrides" => collect(f, value, &mut written),
                    k if MANIFEST_KEYS.contains(&k) => {}
                    other => {
                        let known: Vec<&str> = MANIFEST_KEYS
                            .iter()
                            .copied()
                            .chain(["name", "service_overrides"])
                            .collect();
                        f.error(
                            key.loc,
                            None,
                            tree::unknown_key_message(other, &known, "in the `manifest`"),
                        );
                    }
                }
            }
        }
    }
    for (key, value) in top {
        match key.value.as_str() {
            "name" => name = text_at(f, value, "`name`"),
            "scenario_name" => scenario_name = text_at(f, value, "`scenario_name`"),
            "services" | "service_overrides" => {
                if let Some(first) = overrides_key {
                    f.error(
                        key.loc,
                        None,
                        format!(
                            "`{}` and `{}` (line {}) both list overrides: keep one",
                            key.value, first.value, first.loc.line
                        ),
                    );
                    continue;
                }
                overrides_key = Some(key);
                collect(f, value, &mut written);
            }
            "manifest" | "scenario_id" => {}
            k if MANIFEST_KEYS.contains(&k) => {}
            other => {
                let known: Vec<&str> = TOP_KEYS.iter().chain(MANIFEST_KEYS).copied().collect();
                f.error(
                    key.loc,
                    None,
                    tree::unknown_key_message(other, &known, "in a scenario"),
                );
            }
        }
    }
    // MockForge: the body's `scenario_name`, else the manifest's `name`.
    (scenario_name.or(name).or(manifest_name), written)
}

fn text_at(f: &mut Findings, value: &Placed<Node>, what: &str) -> Option<(String, Loc)> {
    tree::text(f, value, what, None).map(|t| (t, value.loc))
}

/// Adds the overrides of a `services:`/`service_overrides:` mapping (later ones win).
fn collect<'a>(
    f: &mut Findings,
    value: &'a Placed<Node>,
    written: &mut BTreeMap<String, Written<'a>>,
) {
    if value.value == Node::Null {
        return;
    }
    if let Some(entries) = tree::entries(f, value, "the overrides", None) {
        for (name, body) in entries {
            written.insert(name.value.clone(), Written { name, body });
        }
    }
}

/// A number from 0 to 1, or an error at its place.
fn unit(f: &mut Findings, value: &Placed<Node>, what: &str, owner: &str) -> Option<f64> {
    let v = value
        .value
        .to_json()
        .as_f64()
        .filter(|v| (0.0..=1.0).contains(v));
    if v.is_none() {
        f.error(
            value.loc,
            Some(owner),
            format!("{what} must be a number from 0 to 1"),
        );
    }
    v
}

fn read_override(f: &mut Findings, fed: &Federation, w: &Written) -> Option<ServiceOverride> {
    let name = w.name.value.as_str();
    let service = fed.service(name);
    if service.is_none() {
        let hint = yamlfile::nearest(name, fed.services.iter().map(|s| s.name.as_str()))
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        f.error(
            w.name.loc,
            Some(name),
            format!(
                "scenario names unknown service `{name}` of federation `{}`{hint}",
                fed.name
            ),
        );
    }
    let entries = match &w.body.value {
        Node::Null => &[][..],
        _ => tree::entries(f, w.body, &format!("the override of `{name}`"), Some(name))?,
    };
    let mut o = ServiceOverride::default();
    let mut rate: Option<(f64, &str, Loc)> = None;
    for (key, value) in entries {
        let at = value.loc;
        let what = format!("`{}` of `{name}`", key.value);
        match key.value.as_str() {
            "reality_level" => {
                let Some(text) = tree::text(f, value, &what, Some(name)) else {
                    continue;
                };
                match RealityLevel::parse(&text) {
                    Some(level) => {
                        if service.is_some_and(|s| !s.has_urls_for(level)) {
                            f.error(
                                at,
                                Some(name),
                                format!(
                                    "service `{name}` cannot be `{level}`: it has no `{}`",
                                    level.required_urls().join("` or `")
                                ),
                            );
                        }
                        o.reality_level = Some(level);
                    }
                    None => f.error(at, Some(name), RealityLevel::unknown(&text)),
                }
            }
            "latency_ms" => match read_latency(&value.value) {
                Ok(range) => o.latency_ms = Some(range),
                Err(e) => f.error(at, Some(name), format!("{what}: {e}")),
            },
            key_name @ ("error_rate" | "failure_rate") => {
                let Some(v) = unit(f, value, &what, name) else {
                    continue;
                };
                match rate {
                    Some((first, first_key, first_at)) if first != v => f.error(
                        at,
                        Some(name),
                        format!(
                            "{what} is {v} but `{first_key}` (line {}) is {first}: keep one",
                            first_at.line
                        ),
                    ),
                    Some(_) => {}
                    None => rate = Some((v, key_name, at)),
                }
            }
            "chaos_level" => o.chaos_level = unit(f, value, &what, name),
            "error_status" => match value.value.to_json().as_u64() {
                Some(s) if (100..=599).contains(&s) => o.error_status = Some(s as u16),
                _ => f.error(
                    at,
                    Some(name),
                    format!("{what} must be an HTTP status from 100 to 599"),
                ),
            },
            "headers" => o.headers = read_headers(f, value, name),
            "notes" => o.notes = tree::text(f, value, &what, Some(name)),
            "metadata" => {}
            other => f.error(
                key.loc,
                Some(name),
                tree::unknown_key_message(
                    other,
                    OVERRIDE_KEYS,
                    &format!("in the override of `{name}`"),
                ),
            ),
        }
    }
    o.error_rate = rate.map(|(v, _, _)| v);
    if let (Some(service), Some(level)) = (service, o.chaos_level) {
        let own = &service.config;
        let scaled = own.error_rate.is_some() || own.latency_ms.is_some();
        let explicit = o.error_rate.is_some() || o.latency_ms.is_some();
        if level > 0.0 && !scaled && !explicit {
            f.push(
                Severity::Warning,
                w.name.loc,
                Some(name),
                format!(
                    "`chaos_level` of `{name}` has no effect: the service's config has no \
                     `error_rate` or `latency_ms` for it to scale (give the override \
                     `failure_rate` or `latency_ms`)"
                ),
            );
        }
    }
    Some(o)
}

/// `250`, `[50, 400]` or `{min_ms, max_ms}`.
fn read_latency(node: &Node) -> Result<LatencyRange, String> {
    LatencyRange::deserialize(node.to_json()).map_err(|e| e.to_string())
}

fn read_headers(f: &mut Findings, value: &Placed<Node>, name: &str) -> BTreeMap<String, String> {
    let mut headers = BTreeMap::new();
    let Some(entries) = tree::entries(f, value, &format!("`headers` of `{name}`"), Some(name))
    else {
        return headers;
    };
    for (header, v) in entries {
        let h = header.value.as_str();
        if hyper::header::HeaderName::from_bytes(h.as_bytes()).is_err() {
            f.error(
                header.loc,
                Some(name),
                format!("header name `{h}` of `{name}` is not a valid HTTP header name"),
            );
        }
        let Some(text) = tree::text(f, v, &format!("header `{h}` of `{name}`"), Some(name)) else {
            continue;
        };
        if hyper::header::HeaderValue::from_str(&text).is_err() {
            f.error(
                v.loc,
                Some(name),
                format!("header `{h}` of `{name}` has a value that cannot be sent"),
            );
        }
        headers.insert(h.to_string(), text);
    }
    headers
}

/// The problems of a scenario against a federation (empty: it can be activated), for a
/// scenario already stored (the federation may have changed since).
pub fn validate_scenario(scenario: &ScenarioFile, fed: &Federation) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, o) in &scenario.services {
        let Some(service) = fed.service(name) else {
            problems.push(format!(
                "scenario names unknown service `{name}` of federation `{}`",
                fed.name
            ));
            continue;
        };
        if let Some(level) = o.reality_level.filter(|l| !service.has_urls_for(*l)) {
            problems.push(format!(
                "service `{name}` cannot be `{level}`: it has no `{}`",
                level.required_urls().join("` or `")
            ));
        }
    }
    problems
}

/// Each service's effective reality level: the scenario's override, else its own.
pub fn effective_levels(
    fed: &Federation,
    scenario: Option<&ScenarioFile>,
) -> BTreeMap<String, String> {
    fed.services
        .iter()
        .map(|s| {
            let level = scenario
                .and_then(|sc| sc.services.get(&s.name))
                .and_then(|o| o.reality_level)
                .unwrap_or(s.reality_level);
            (s.name.clone(), level.as_str().to_string())
        })
        .collect()
}

#[cfg(test)]
#[path = "scenario_tests.rs"]
mod tests;
