//! The federation model (services, reality levels, typed config) and how it is read from YAML.

use crate::yamlfile;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::fmt;
use std::path::PathBuf;

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
    /// Where a value read with its span was.
    pub(crate) fn of<T>(span: &Spanned<T>) -> Loc {
        Loc {
            line: span.referenced.line(),
            column: span.referenced.column(),
        }
    }
}

/// How `serve` treats a service's traffic (docs/federation.md). Written in its canonical spelling
/// (`mock_v3`); read as MockForge reads it (any case, `mockv3`, `chaosdriven`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

    /// Reads a level as MockForge's `ServiceRealityLevel::from_str` does: whatever the case,
    /// with its aliases `mockv3` and `chaosdriven` (surrounding blanks are ignored too).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "real" => Some(Self::Real),
            "mock_v3" | "mockv3" => Some(Self::MockV3),
            "blended" => Some(Self::Blended),
            "chaos_driven" | "chaosdriven" => Some(Self::ChaosDriven),
            _ => None,
        }
    }

    /// Why `text` is not a level, with the nearest level when one is close.
    pub fn unknown(text: &str) -> String {
        let names = Self::ALL.map(Self::as_str);
        let hint = yamlfile::nearest(&text.trim().to_lowercase(), names)
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        format!(
            "unknown reality level `{text}`, expected one of {}{hint}",
            names.join(", ")
        )
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

impl<'de> Deserialize<'de> for RealityLevel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        RealityLevel::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(RealityLevel::unknown(&text)))
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

impl LatencyRange {
    /// The range with both ends multiplied by `factor` (0 to 1), rounded to whole ms.
    pub fn scaled(self, factor: f64) -> LatencyRange {
        let scale = |ms: u64| (ms as f64 * factor.clamp(0.0, 1.0)).round() as u64;
        LatencyRange {
            min_ms: scale(self.min_ms),
            max_ms: scale(self.max_ms),
        }
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

/// The config keys mockops reads: its own, and MockForge's documented `upstream_url` (the
/// real service) and `blend_ratio` (= `ratio`); `mock_url` is read there too.
pub const KNOWN_CONFIG_KEYS: &[&str] = &[
    "blend",
    "ratio",
    "blend_ratio",
    "error_rate",
    "error_status",
    "latency_ms",
    "seed",
    "strip_prefix",
    "timeout_ms",
    "upstream_url",
    "mock_url",
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

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
