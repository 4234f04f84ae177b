//! Reading a federation file whole: its tree is checked in one pass, every mistake is
//! reported at once at its place, and what can be read becomes a [`Federation`].
//!
//! MockForge's forms are read as MockForge reads them: the `federation:` wrapper, levels in
//! any case with their aliases, and the documented `config.upstream_url` (the real service)
//! and `blend_ratio`. Where MockForge silently ignores a key it does not know, mockops
//! refuses it (a typo would otherwise go unnoticed) and says how to fix it.

use super::model::{BlendMode, Dependency, Federation, LatencyRange, Loc, RealityLevel};
use super::model::{Service, ServiceConfig, UnknownConfigKey};
use super::tree::{self, Findings, Node, Placed};
use super::validate::{validate_except, Unusable};
use super::FederationError;
use crate::yamlfile;
use std::path::Path;

pub(crate) const TOP_KEYS: &[&str] = &["name", "description", "services", "federation"];
pub(crate) const WRAPPED_KEYS: &[&str] = &["name", "description", "services"];
/// What MockForge's API adds around a federation (its create body's `org_id`, the stored
/// record's `id` and times): accepted so such a JSON file loads unchanged, and ignored.
pub(crate) const API_KEYS: &[&str] = &["id", "org_id", "created_at", "updated_at"];
pub(crate) const SERVICE_KEYS: &[&str] = &[
    "name",
    "workspace_id",
    "base_path",
    "reality_level",
    "mock_url",
    "upstream_url",
    "config",
    "dependencies",
    "blend_ratio",
];

type Entries = [(Placed<String>, Placed<Node>)];

/// Reads a federation file (YAML, or JSON: MockForge's API takes JSON definitions). Every
/// mistake of the file is reported at once, each at its place: structural ones (unknown
/// keys, unknown reality levels, mistyped config values) and, alongside them, what
/// [`super::validate`] finds in the rest.
pub fn load_file(path: &Path) -> Result<Federation, FederationError> {
    let root: Placed<Node> = yamlfile::load(path)?;
    check(path, &root)
}

/// Parses federation text as if read from `path`, checked as [`load_file`] checks a file.
pub fn parse_str(path: &Path, text: &str) -> Result<Federation, FederationError> {
    let root: Placed<Node> = yamlfile::parse(path, text)?;
    check(path, &root)
}

fn check(path: &Path, root: &Placed<Node>) -> Result<Federation, FederationError> {
    let mut f = Findings::new(path);
    let mut unusable = Unusable::default();
    let fed = read_federation(&mut f, path, root, &mut unusable);
    if !f.has_errors() {
        return Ok(fed);
    }
    // What is wrong with the rest is reported in the same run.
    f.out.extend(validate_except(&fed, false, &unusable));
    Err(FederationError::Invalid(f.sorted()))
}

fn read_federation(
    f: &mut Findings,
    path: &Path,
    root: &Placed<Node>,
    unusable: &mut Unusable,
) -> Federation {
    let mut fed = Federation {
        name: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        description: None,
        file: path.to_path_buf(),
        services: Vec::new(),
    };
    let Some(top) = tree::entries(f, root, "a federation file", None) else {
        return fed;
    };
    let (body, known, place) = match top.iter().find(|(k, _)| k.value == "federation") {
        Some((_, inner)) => {
            for (key, _) in top.iter().filter(|(k, _)| k.value != "federation") {
                f.error(
                    key.loc,
                    None,
                    format!(
                        "`federation:` must be the only top-level key: move `{}` under it",
                        key.value
                    ),
                );
            }
            let Some(body) = tree::entries(f, inner, "`federation:`", None) else {
                return fed;
            };
            (body, WRAPPED_KEYS, "under `federation:`")
        }
        None => (top, TOP_KEYS, "at the top of a federation file"),
    };
    for (key, value) in body {
        match key.value.as_str() {
            "name" => {
                if let Some(name) = tree::text(f, value, "`name`", None) {
                    fed.name = name;
                }
            }
            "description" => fed.description = tree::text(f, value, "`description`", None),
            "services" => match &value.value {
                Node::Seq(items) => {
                    for item in items {
                        let index = fed.services.len();
                        if let Some(s) = read_service(f, item, index, unusable) {
                            fed.services.push(s);
                        }
                    }
                }
                Node::Null => {}
                other => f.error(
                    value.loc,
                    None,
                    format!(
                        "`services` must be a list of services, found {}",
                        other.kind()
                    ),
                ),
            },
            k if API_KEYS.contains(&k) => {}
            other => f.error(
                key.loc,
                None,
                tree::unknown_key_message(other, known, place),
            ),
        }
    }
    fed
}

/// One service; `None` when it has no usable name (its other mistakes are still reported).
/// `index` is the place it takes among the services kept.
fn read_service(
    f: &mut Findings,
    item: &Placed<Node>,
    index: usize,
    unusable: &mut Unusable,
) -> Option<Service> {
    let entries = tree::entries(f, item, "a service", None)?;
    let at = item.loc;
    let name_entry = entries.iter().find(|(k, _)| k.value == "name");
    let name = name_entry.and_then(|(_, v)| tree::text(f, v, "a service's `name`", None));
    let who = match &name {
        Some(n) => format!("service `{n}`"),
        None => format!("the service at line {}", at.line),
    };
    let owner = name.as_deref();
    let mut s = Service {
        name: name.clone().unwrap_or_default(),
        workspace_id: String::new(),
        base_path: String::new(),
        reality_level: RealityLevel::MockV3,
        mock_url: None,
        upstream_url: None,
        config: ServiceConfig::default(),
        dependencies: Vec::new(),
        loc: at,
        name_loc: name_entry.map(|(_, v)| v.loc).unwrap_or(at),
        base_path_loc: at,
        mock_url_loc: Loc::default(),
        upstream_url_loc: Loc::default(),
    };
    let (mut workspace_id, mut base_path, mut level) = (None, None, None);
    let (mut mock, mut upstream) = (None, None);
    let (mut config, mut blend_ratio) = (None, None);
    // Keys an unknown key is a likely typo of: their absence is not reported again.
    let mut meant: Vec<&str> = Vec::new();
    for (key, value) in entries {
        let what = format!("`{}` of {who}", key.value);
        match key.value.as_str() {
            "name" => {}
            "workspace_id" => workspace_id = tree::text(f, value, &what, owner),
            "base_path" => {
                base_path = tree::text(f, value, &what, owner);
                s.base_path_loc = value.loc;
            }
            "reality_level" => {
                level = tree::text(f, value, &what, owner).and_then(|text| {
                    let level = RealityLevel::parse(&text);
                    if level.is_none() {
                        f.error(value.loc, owner, RealityLevel::unknown(&text));
                    }
                    level
                })
            }
            "mock_url" => mock = tree::text(f, value, &what, owner).map(|u| (u, value.loc)),
            "upstream_url" => upstream = tree::text(f, value, &what, owner).map(|u| (u, value.loc)),
            "config" => config = Some(value),
            "blend_ratio" => blend_ratio = Some(value),
            "dependencies" => s.dependencies = read_dependencies(f, value, &what, owner),
            other => {
                meant.extend(yamlfile::nearest(other, SERVICE_KEYS.iter().copied()));
                let mut message =
                    tree::unknown_key_message(other, SERVICE_KEYS, &format!("in {who}"));
                if !message.ends_with("?)") {
                    message.push_str(
                        ": MockForge ignores keys it does not know, mockops refuses them so that \
                         a typo is not silently lost; settings of your own go under `config:`",
                    );
                }
                f.error(key.loc, owner, message);
            }
        }
    }
    let missing = |key: &str| !entries.iter().any(|(k, _)| k.value == key) && !meant.contains(&key);
    if name_entry.is_none() && missing("name") {
        f.error(at, None, "a service needs a `name`");
    }
    let one_of = format!(
        " (one of {})",
        RealityLevel::ALL.map(RealityLevel::as_str).join(", ")
    );
    for (key, found, unreadable, more) in [
        (
            "workspace_id",
            workspace_id.is_some(),
            &mut unusable.workspace_ids,
            "",
        ),
        (
            "base_path",
            base_path.is_some(),
            &mut unusable.base_paths,
            "",
        ),
        (
            "reality_level",
            level.is_some(),
            &mut unusable.levels,
            one_of.as_str(),
        ),
    ] {
        if found {
            continue;
        }
        if name.is_some() {
            unreadable.insert(index);
        }
        if missing(key) {
            f.error(at, owner, format!("{who} has no `{key}`{more}"));
        }
    }
    s.workspace_id = workspace_id.unwrap_or_default();
    s.base_path = base_path.unwrap_or_default();
    s.reality_level = level.unwrap_or(RealityLevel::MockV3);
    let urls = read_config(f, config, blend_ratio, &who, owner, &mut s.config);
    for (key, own, in_config) in [
        ("mock_url", mock, urls.mock),
        ("upstream_url", upstream, urls.upstream),
    ] {
        if let Some((url, url_loc)) = one_url(f, key, own, in_config, &who, owner) {
            if key == "mock_url" {
                (s.mock_url, s.mock_url_loc) = (Some(url), url_loc);
            } else {
                (s.upstream_url, s.upstream_url_loc) = (Some(url), url_loc);
            }
        }
    }
    name.map(|_| s)
}

fn read_dependencies(
    f: &mut Findings,
    value: &Placed<Node>,
    what: &str,
    owner: Option<&str>,
) -> Vec<Dependency> {
    match &value.value {
        Node::Seq(items) => items
            .iter()
            .filter_map(|item| {
                tree::text(f, item, "a dependency", owner).map(|name| Dependency {
                    name,
                    loc: item.loc,
                })
            })
            .collect(),
        Node::Null => Vec::new(),
        other => {
            f.error(
                value.loc,
                owner,
                format!(
                    "{what} must be a list of service names, found {}",
                    other.kind()
                ),
            );
            Vec::new()
        }
    }
}

/// The URLs a service's `config` names (MockForge documents `config.upstream_url`).
#[derive(Default)]
struct ConfigUrls {
    mock: Option<(String, Loc)>,
    upstream: Option<(String, Loc)>,
}

/// A URL given both on the service and in its config must be the same one.
fn one_url(
    f: &mut Findings,
    key: &str,
    own: Option<(String, Loc)>,
    in_config: Option<(String, Loc)>,
    who: &str,
    owner: Option<&str>,
) -> Option<(String, Loc)> {
    match (own, in_config) {
        (Some(own), Some(other)) if own.0 != other.0 => {
            f.error(
                other.1,
                owner,
                format!(
                    "`config.{key}` of {who} is `{}` but its `{key}` (line {}) is `{}`: keep one",
                    other.0, own.1.line, own.0
                ),
            );
            Some(own)
        }
        (Some(own), _) => Some(own),
        (None, other) => other,
    }
}

/// A ratio given as `ratio`, MockForge's `blend_ratio` (in `config` or on the service), or
/// several of them: they must agree.
struct Ratio {
    value: f64,
    key: String,
    at: Loc,
}

fn read_config(
    f: &mut Findings,
    node: Option<&Placed<Node>>,
    service_blend_ratio: Option<&Placed<Node>>,
    who: &str,
    owner: Option<&str>,
    config: &mut ServiceConfig,
) -> ConfigUrls {
    let mut urls = ConfigUrls::default();
    let mut ratio: Option<Ratio> = None;
    let mut blend_at = None;
    let entries: &Entries = match node.map(|n| (n, &n.value)) {
        Some((_, Node::Map(entries))) => entries,
        Some((n, other)) if *other != Node::Null => {
            f.error(
                n.loc,
                owner,
                format!(
                    "`config` of {who} must be a mapping, found {}",
                    other.kind()
                ),
            );
            &[]
        }
        _ => &[],
    };
    // MockForge's documents also put `blend_ratio` on the service itself.
    let on_service = service_blend_ratio.map(|v| ("blend_ratio".to_string(), v, false));
    for (key, value, in_config) in entries
        .iter()
        .map(|(k, v)| (k.value.clone(), v, true))
        .chain(on_service)
    {
        let json = value.value.to_json();
        let at = value.loc;
        let mut bad = |what: &str| {
            let gap = if what.starts_with(':') { "" } else { " " };
            f.error(at, owner, format!("config `{key}`{gap}{what}"))
        };
        match key.as_str() {
            "blend" => {
                blend_at = Some(at);
                config.blend = match json.as_str() {
                    Some("real_over_mock") => Some(BlendMode::RealOverMock),
                    Some("mock_over_real") => Some(BlendMode::MockOverReal),
                    Some("ratio") => Some(BlendMode::Ratio),
                    _ => {
                        bad("must be real_over_mock, mock_over_real or ratio");
                        None
                    }
                }
            }
            "ratio" | "blend_ratio" | "error_rate" => {
                let Some(v) = json.as_f64().filter(|v| (0.0..=1.0).contains(v)) else {
                    bad("must be a number from 0 to 1");
                    continue;
                };
                if key == "error_rate" {
                    config.error_rate = Some(v);
                    continue;
                }
                match &ratio {
                    Some(first) if first.value != v => bad(&format!(
                        "is {v} but `{}` (line {}) is {}: keep one",
                        first.key, first.at.line, first.value
                    )),
                    Some(_) => {}
                    None => {
                        ratio = Some(Ratio {
                            value: v,
                            key: key.clone(),
                            at,
                        })
                    }
                }
            }
            "error_status" => match json.as_u64().filter(|v| (100..=599).contains(v)) {
                Some(v) => config.error_status = Some(v as u16),
                None => bad("must be an HTTP status from 100 to 599"),
            },
            "latency_ms" => match LatencyRange::from_json(&json) {
                Ok(range) => config.latency_ms = Some(range),
                Err(e) => bad(&format!(": {e}")),
            },
            "seed" => match json.as_u64() {
                Some(v) => config.seed = Some(v),
                None => bad("must be a non-negative integer"),
            },
            "strip_prefix" => match json.as_bool() {
                Some(v) => config.strip_prefix = v,
                None => bad("must be true or false"),
            },
            "timeout_ms" => match json.as_u64().filter(|v| *v > 0) {
                Some(v) => config.timeout_ms = Some(v),
                None => bad("must be a positive integer"),
            },
            "upstream_url" | "mock_url" => match json.as_str() {
                Some(url) => {
                    let found = Some((url.to_string(), at));
                    if key == "mock_url" {
                        urls.mock = found;
                    } else {
                        urls.upstream = found;
                    }
                }
                None => bad("must be a URL (a string)"),
            },
            _ => config.unknown_keys.push(UnknownConfigKey {
                key: key.clone(),
                loc: at,
            }),
        }
        if in_config {
            config.raw.insert(key, json);
        }
    }
    config.ratio = ratio.map(|r| r.value);
    if config.blend == Some(BlendMode::Ratio) && config.ratio.is_none() {
        f.error(
            blend_at.unwrap_or_default(),
            owner,
            "config `blend: ratio` needs `ratio` (0 to 1)",
        );
    }
    if config.blend.is_none() && config.ratio.is_some() {
        config.blend = Some(BlendMode::Ratio);
    }
    urls
}
