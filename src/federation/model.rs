//! The federation model (services, reality levels, typed config) and how it is read from YAML.

use super::FederationError;
use crate::yamlfile::{self, YamlError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a file (1-based); `line == 0` means "unknown".
/// A place in a federation file; stored as `[line, column]` (see [`super::cache`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(u64, u64)", into = "(u64, u64)")]
pub struct Loc {
    pub line: u64,
    pub column: u64,
}

impl From<(u64, u64)> for Loc {
    fn from((line, column): (u64, u64)) -> Loc {
        Loc { line, column }
    }
}

impl From<Loc> for (u64, u64) {
    fn from(loc: Loc) -> (u64, u64) {
        (loc.line, loc.column)
    }
}

impl Loc {
    fn of<T>(span: &Spanned<T>) -> Loc {
        Loc {
            line: span.referenced.line(),
            column: span.referenced.column(),
        }
    }
}

/// How `serve` treats a service's traffic (§4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RealityLevel {
    Real,
    MockV3,
    Blended,
    ChaosDriven,
}

impl RealityLevel {
    pub const ALL: [RealityLevel; 4] = [Self::Real, Self::MockV3, Self::Blended, Self::ChaosDriven];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Real => "real",
            Self::MockV3 => "mock_v3",
            Self::Blended => "blended",
            Self::ChaosDriven => "chaos_driven",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == text)
    }

    /// Whether this level forwards to the real service (`upstream_url`) rather than `mock_url`.
    pub fn targets_real(self) -> bool {
        matches!(self, Self::Real | Self::Blended)
    }

    /// The URL keys this level needs.
    pub fn required_urls(self) -> &'static [&'static str] {
        match self {
            Self::Real => &["upstream_url"],
            Self::MockV3 | Self::ChaosDriven => &["mock_url"],
            Self::Blended => &["upstream_url", "mock_url"],
        }
    }
}

impl fmt::Display for RealityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a `blended` service combines real and mock answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlendMode {
    RealOverMock,
    MockOverReal,
    Ratio,
}

/// A latency in milliseconds, fixed (`min == max`) or uniform in `[min, max]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LatencyRange {
    pub min_ms: u64,
    pub max_ms: u64,
}

impl LatencyRange {
    /// The longest latency injected: one hour (a longer one would hold every request for
    /// as good as ever).
    pub const MAX_MS: u64 = 3_600_000;

    /// Reads `250` or `[50, 400]`.
    pub fn from_json(value: &Value) -> Result<LatencyRange, String> {
        let ms = |v: &Value| match v.as_u64() {
            Some(ms) if ms <= Self::MAX_MS => Ok(ms),
            Some(ms) => Err(format!(
                "latency {ms} ms is above the limit of {} ms (one hour)",
                Self::MAX_MS
            )),
            None => Err("latency must be whole non-negative milliseconds".to_string()),
        };
        match value {
            Value::Number(_) => ms(value).map(|v| LatencyRange {
                min_ms: v,
                max_ms: v,
            }),
            Value::Array(items) if items.len() == 2 => {
                let (min_ms, max_ms) = (ms(&items[0])?, ms(&items[1])?);
                if min_ms > max_ms {
                    return Err(format!(
                        "latency range [{min_ms}, {max_ms}] has min above max"
                    ));
                }
                Ok(LatencyRange { min_ms, max_ms })
            }
            _ => Err("`latency_ms` must be a number or [min, max]".to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for LatencyRange {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let value = match value {
            Value::Object(map) if map.contains_key("min_ms") => Value::Array(vec![
                map.get("min_ms").cloned().unwrap_or(Value::Null),
                map.get("max_ms").cloned().unwrap_or(Value::Null),
            ]),
            other => other,
        };
        LatencyRange::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// A config key mockops does not use: kept, and reported as a warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnknownConfigKey {
    pub key: String,
    pub loc: Loc,
}

/// A service's free-form `config`, with the keys mockops uses type-checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blend: Option<BlendMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<LatencyRange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// `false` forwards the whole path; default `true`.
    pub strip_prefix: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// Every key as written, known or not (MockForge keeps them all).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub raw: serde_json::Map<String, Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_keys: Vec<UnknownConfigKey>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            blend: None,
            ratio: None,
            error_rate: None,
            error_status: None,
            latency_ms: None,
            seed: None,
            strip_prefix: true,
            timeout_ms: None,
            raw: serde_json::Map::new(),
            unknown_keys: Vec::new(),
        }
    }
}

/// The config keys mockops reads.
pub const KNOWN_CONFIG_KEYS: [&str; 8] = [
    "blend",
    "ratio",
    "error_rate",
    "error_status",
    "latency_ms",
    "seed",
    "strip_prefix",
    "timeout_ms",
];

/// A dependency as written, with its place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dependency {
    pub name: String,
    pub loc: Loc,
}

/// One service of a federation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub name: String,
    pub workspace_id: String,
    pub base_path: String,
    pub reality_level: RealityLevel,
    pub mock_url: Option<String>,
    pub upstream_url: Option<String>,
    pub config: ServiceConfig,
    pub dependencies: Vec<Dependency>,
    /// Places of the entry and of the values that validation talks about.
    pub loc: Loc,
    pub name_loc: Loc,
    pub base_path_loc: Loc,
    pub mock_url_loc: Loc,
    pub upstream_url_loc: Loc,
}

impl Service {
    /// The URL a level forwards to: `upstream_url` for `real`/`blended`, else `mock_url`.
    pub fn target_base(&self, level: RealityLevel) -> Option<&str> {
        if level.targets_real() {
            self.upstream_url.as_deref()
        } else {
            self.mock_url.as_deref()
        }
    }

    /// Whether the service has every URL `level` needs.
    pub fn has_urls_for(&self, level: RealityLevel) -> bool {
        level.required_urls().iter().all(|key| match *key {
            "upstream_url" => self.upstream_url.is_some(),
            _ => self.mock_url.is_some(),
        })
    }
}

/// A loaded federation file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Federation {
    pub name: String,
    pub description: Option<String>,
    pub file: PathBuf,
    pub services: Vec<Service>,
}

impl Federation {
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTop {
    name: Option<String>,
    description: Option<String>,
    services: Option<Vec<Spanned<RawService>>>,
    federation: Option<Spanned<RawFederation>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFederation {
    name: Option<String>,
    description: Option<String>,
    #[serde(default)]
    services: Vec<Spanned<RawService>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    name: Spanned<String>,
    workspace_id: Spanned<String>,
    base_path: Spanned<String>,
    reality_level: Spanned<String>,
    mock_url: Option<Spanned<String>>,
    upstream_url: Option<Spanned<String>>,
    #[serde(default)]
    config: Option<BTreeMap<String, Spanned<Value>>>,
    #[serde(default)]
    dependencies: Vec<Spanned<String>>,
}

/// Reads a federation file. Structural problems (unknown keys, unknown reality levels,
/// mistyped config values) are errors here; semantic ones come from [`super::validate`].
pub fn load_file(path: &Path) -> Result<Federation, FederationError> {
    let raw: RawTop = yamlfile::load(path)?;
    from_raw(path, raw)
}

/// Parses federation YAML text as if read from `path`.
pub fn parse_str(path: &Path, text: &str) -> Result<Federation, FederationError> {
    let raw: RawTop = yamlfile::parse(path, text)?;
    from_raw(path, raw)
}

fn from_raw(path: &Path, top: RawTop) -> Result<Federation, FederationError> {
    let (name, description, services) = match top.federation {
        Some(wrapped) => {
            if top.name.is_some() || top.description.is_some() || top.services.is_some() {
                return Err(YamlError::spanned(
                    path,
                    &wrapped,
                    "`federation:` must be the only top-level key",
                )
                .into());
            }
            let inner = wrapped.value;
            (inner.name, inner.description, inner.services)
        }
        None => (top.name, top.description, top.services.unwrap_or_default()),
    };
    let name = name.unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let services = services
        .into_iter()
        .map(|s| service_from_raw(path, s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Federation {
        name,
        description,
        file: path.to_path_buf(),
        services,
    })
}

fn service_from_raw(path: &Path, raw: Spanned<RawService>) -> Result<Service, YamlError> {
    let loc = Loc::of(&raw);
    let raw = raw.value;
    let reality_level = RealityLevel::parse(raw.reality_level.value.trim()).ok_or_else(|| {
        let names = RealityLevel::ALL.map(RealityLevel::as_str);
        let hint = yamlfile::nearest(&raw.reality_level.value, names)
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        YamlError::spanned(
            path,
            &raw.reality_level,
            format!(
                "unknown reality level `{}`, expected one of {}{hint}",
                raw.reality_level.value,
                names.join(", ")
            ),
        )
    })?;
    let url_loc = |u: &Option<Spanned<String>>| u.as_ref().map(Loc::of).unwrap_or_default();
    Ok(Service {
        mock_url_loc: url_loc(&raw.mock_url),
        upstream_url_loc: url_loc(&raw.upstream_url),
        name_loc: Loc::of(&raw.name),
        base_path_loc: Loc::of(&raw.base_path),
        name: raw.name.value,
        workspace_id: raw.workspace_id.value,
        base_path: raw.base_path.value,
        reality_level,
        mock_url: raw.mock_url.map(|u| u.value),
        upstream_url: raw.upstream_url.map(|u| u.value),
        config: config_from_raw(path, raw.config.unwrap_or_default())?,
        dependencies: raw
            .dependencies
            .into_iter()
            .map(|d| Dependency {
                loc: Loc::of(&d),
                name: d.value,
            })
            .collect(),
        loc,
    })
}

fn config_from_raw(
    path: &Path,
    raw: BTreeMap<String, Spanned<Value>>,
) -> Result<ServiceConfig, YamlError> {
    let mut config = ServiceConfig::default();
    for (key, spanned) in raw {
        let value = &spanned.value;
        let bad = |what: &str| YamlError::spanned(path, &spanned, format!("config `{key}` {what}"));
        match key.as_str() {
            "blend" => {
                config.blend = Some(match value.as_str() {
                    Some("real_over_mock") => BlendMode::RealOverMock,
                    Some("mock_over_real") => BlendMode::MockOverReal,
                    Some("ratio") => BlendMode::Ratio,
                    _ => return Err(bad("must be real_over_mock, mock_over_real or ratio")),
                })
            }
            "ratio" | "error_rate" => {
                let v = value.as_f64().filter(|v| (0.0..=1.0).contains(v));
                let v = v.ok_or_else(|| bad("must be a number from 0 to 1"))?;
                if key == "ratio" {
                    config.ratio = Some(v);
                } else {
                    config.error_rate = Some(v);
                }
            }
            "error_status" => {
                let v = value.as_u64().filter(|v| (100..=599).contains(v));
                config.error_status =
                    Some(v.ok_or_else(|| bad("must be an HTTP status from 100 to 599"))? as u16);
            }
            "latency_ms" => {
                config.latency_ms =
                    Some(LatencyRange::from_json(value).map_err(|e| bad(&format!(": {e}")))?)
            }
            "seed" => {
                config.seed = Some(
                    value
                        .as_u64()
                        .ok_or_else(|| bad("must be a non-negative integer"))?,
                )
            }
            "strip_prefix" => {
                config.strip_prefix = value
                    .as_bool()
                    .ok_or_else(|| bad("must be true or false"))?
            }
            "timeout_ms" => {
                config.timeout_ms = Some(
                    value
                        .as_u64()
                        .filter(|v| *v > 0)
                        .ok_or_else(|| bad("must be a positive integer"))?,
                )
            }
            _ => config.unknown_keys.push(UnknownConfigKey {
                key: key.clone(),
                loc: Loc::of(&spanned),
            }),
        }
        config.raw.insert(key, spanned.value);
    }
    if config.blend == Some(BlendMode::Ratio) && config.ratio.is_none() {
        return Err(YamlError::whole(
            path,
            "config `blend: ratio` needs `ratio` (0 to 1)",
        ));
    }
    if config.blend.is_none() && config.ratio.is_some() {
        config.blend = Some(BlendMode::Ratio);
    }
    Ok(config)
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
