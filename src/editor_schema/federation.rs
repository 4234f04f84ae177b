//! The federation file: mockops's form and MockForge's `FederationConfig` (`federation:`).

// The types describe the file for schemars; nothing reads their fields.
#![allow(dead_code)]

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

/// A federation: services, each a mock workspace at its own reality level, routed by base
/// path. MockForge's form (everything under `federation:`) loads too.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "mockops federation")]
pub struct FederationFile {
    /// The federation's name: unique in the project; `--federation NAME` picks it.
    pub name: Option<String>,
    /// What the federation is.
    pub description: Option<String>,
    /// The services; a request goes to the one with the longest matching `base_path`.
    pub services: Option<Vec<Service>>,
    /// MockForge's form: the federation's keys nested one level down (then the only key).
    pub federation: Option<Wrapped>,
    /// MockForge's API record id: accepted so an exported file loads unchanged; ignored.
    pub id: Option<Value>,
    /// MockForge's organisation: accepted and ignored (mockops has no organisations).
    pub org_id: Option<Value>,
    /// MockForge's API record time: accepted and ignored.
    pub created_at: Option<Value>,
    /// MockForge's API record time: accepted and ignored.
    pub updated_at: Option<Value>,
}

/// MockForge's `federation:` block.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Wrapped {
    /// The federation's name.
    pub name: Option<String>,
    /// What the federation is.
    pub description: Option<String>,
    /// The services.
    pub services: Option<Vec<Service>>,
}

/// How real a service's answers are: `real` (forwarded to `upstream_url`), `mock_v3` (the
/// mock at `mock_url`), `blended` (both, combined by `config.blend`) or `chaos_driven` (the
/// mock with injected errors and latency). Case does not matter, and MockForge's spellings
/// (`MockV3`, `mockv3`, `ChaosDriven`, `chaosdriven`) are accepted too.
#[derive(Deserialize)]
pub struct RealityLevel(pub String);

impl JsonSchema for RealityLevel {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RealityLevel".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // An editor offers the enum; the pattern admits any case and the alias spellings,
        // as the loader does.
        schemars::json_schema!({
            "description": "How real a service's answers are: `real`, `mock_v3`, `blended` or `chaos_driven` (any case; `mockv3` and `chaosdriven` too).",
            "anyOf": [
                { "enum": ["real", "mock_v3", "blended", "chaos_driven"] },
                {
                    "type": "string",
                    "pattern": "^\\s*([Rr][Ee][Aa][Ll]|[Mm][Oo][Cc][Kk]_?[Vv]3|[Bb][Ll][Ee][Nn][Dd][Ee][Dd]|[Cc][Hh][Aa][Oo][Ss]_?[Dd][Rr][Ii][Vv][Ee][Nn])\\s*$"
                }
            ]
        })
    }
}

/// One service of the federation.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The service's name, unique in the federation.
    pub name: String,
    /// The MockForge workspace that mocks the service.
    pub workspace_id: String,
    /// The path prefix the service answers (`/payments`, `/tenants/{tenant}/cart`); it
    /// matches the prefix and paths below it, never `/paymentsx`.
    pub base_path: String,
    /// How real the service's answers are.
    pub reality_level: RealityLevel,
    /// The mock's URL (needed by `mock_v3`, `blended`, `chaos_driven`).
    pub mock_url: Option<String>,
    /// The real service's URL (needed by `real` and `blended`).
    pub upstream_url: Option<String>,
    /// Behaviour settings; other keys are kept (MockForge keeps them) and warned about.
    pub config: Option<ServiceConfig>,
    /// Names of services of this federation that this one calls (for `federation graph`).
    pub dependencies: Option<Vec<String>>,
    /// MockForge's name for `config.ratio`: the share of requests (0 to 1) `blended` sends
    /// to the real service.
    pub blend_ratio: Option<f64>,
}

/// How `blended` combines real and mock answers.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BlendMode {
    /// The real answer, the mock's when the real service fails.
    RealOverMock,
    /// The mock's answer, the real one when the mock fails.
    MockOverReal,
    /// Real for `ratio` of the requests, mock for the rest.
    Ratio,
}

/// Latency in milliseconds: one number, or `[min, max]`.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Latency {
    /// Always this many milliseconds.
    Fixed(u64),
    /// A range, each request drawing from it.
    Range([u64; 2]),
}

/// The `config` keys mockops reads.
#[derive(Deserialize, JsonSchema)]
pub struct ServiceConfig {
    /// `blended`: how answers combine.
    pub blend: Option<BlendMode>,
    /// `blend: ratio`: the share of requests (0 to 1) sent to the real service.
    pub ratio: Option<f64>,
    /// MockForge's name for `ratio`.
    pub blend_ratio: Option<f64>,
    /// MockForge's place for the real service's URL (the service's `upstream_url` wins).
    pub upstream_url: Option<String>,
    /// MockForge's place for the mock's URL (the service's `mock_url` wins).
    pub mock_url: Option<String>,
    /// `chaos_driven`: the share of requests (0 to 1) answered with `error_status`.
    pub error_rate: Option<f64>,
    /// The status of an injected error (default 503).
    pub error_status: Option<u16>,
    /// Latency added to each answer (at most one hour).
    pub latency_ms: Option<Latency>,
    /// Seed of the chaos (default: from the service name, so runs reproduce).
    pub seed: Option<u64>,
    /// `false` forwards the whole path, base path included (default `true`).
    pub strip_prefix: Option<bool>,
    /// How long the gateway waits for the service (default 30000).
    pub timeout_ms: Option<u64>,
    /// Other keys are kept and warned about.
    #[serde(flatten)]
    pub other: std::collections::BTreeMap<String, Value>,
}
