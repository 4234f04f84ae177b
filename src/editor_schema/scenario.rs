//! The federation scenario file (`federation scenario activate FILE`).

// The types describe the file for schemars; nothing reads their fields.
#![allow(dead_code)]

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// A named set of per-service overrides that a running gateway applies while the scenario
/// is active.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "mockops federation scenario")]
pub struct ScenarioFile {
    /// The scenario's name (shown by `federation scenario show`).
    pub name: Option<String>,
    /// Service name → what changes for it while the scenario is active.
    pub services: Option<BTreeMap<String, Override>>,
    /// MockForge's name for `services`.
    pub service_overrides: Option<BTreeMap<String, Override>>,
    /// MockForge's name for `name`.
    pub scenario_name: Option<String>,
    /// MockForge's scenario id: accepted and ignored.
    pub scenario_id: Option<Value>,
    /// MockForge's `ScenarioManifest` (its `name` and `service_overrides` are read; its
    /// other keys are accepted and ignored).
    pub manifest: Option<BTreeMap<String, Value>>,
    /// The keys of MockForge's `ScenarioManifest` that describe a scenario package.
    #[serde(flatten)]
    pub package: ManifestPackage,
}

/// The keys of MockForge's `ScenarioManifest` that describe the scenario package rather
/// than the gateway's behaviour: accepted at the top of a file (and in `manifest`) so a
/// manifest loads unchanged, and ignored.
#[derive(Deserialize, JsonSchema)]
pub struct ManifestPackage {
    /// MockForge's manifest format version; ignored.
    pub manifest_version: Option<Value>,
    /// The package's version; ignored.
    pub version: Option<Value>,
    /// The package's title; ignored.
    pub title: Option<Value>,
    /// The package's description; ignored.
    pub description: Option<Value>,
    /// The package's author; ignored.
    pub author: Option<Value>,
    /// The author's e-mail address; ignored.
    pub author_email: Option<Value>,
    /// The package's category; ignored.
    pub category: Option<Value>,
    /// The package's tags; ignored.
    pub tags: Option<Value>,
    /// The MockForge versions and protocols the package needs; ignored.
    pub compatibility: Option<Value>,
    /// The package's files; ignored.
    pub files: Option<Value>,
    /// The package's readme; ignored.
    pub readme: Option<Value>,
    /// An example of using the package; ignored.
    pub example_usage: Option<Value>,
    /// MockForge features the package needs; ignored.
    pub required_features: Option<Value>,
    /// MockForge plugins the package needs; ignored.
    pub plugin_dependencies: Option<Value>,
    /// Free-form metadata; ignored.
    pub metadata: Option<Value>,
    /// When the package was created; ignored.
    pub created_at: Option<Value>,
    /// When the package was last changed; ignored.
    pub updated_at: Option<Value>,
    /// MockForge state machines; ignored (mockops has none).
    pub state_machines: Option<Value>,
    /// MockForge state machine graphs; ignored.
    pub state_machine_graphs: Option<Value>,
    /// MockForge VBR entities; ignored.
    pub vbr_entities: Option<Value>,
    /// MockForge MockAI settings; ignored.
    pub mockai_config: Option<Value>,
}

/// What a scenario changes for one service.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The level the service answers at (it must have the URL that level needs).
    pub reality_level: Option<super::federation::RealityLevel>,
    /// Latency added to each answer: milliseconds, or `[min, max]`.
    pub latency_ms: Option<super::federation::Latency>,
    /// The share of requests (0 to 1) answered with `error_status`.
    pub error_rate: Option<f64>,
    /// MockForge's name for `error_rate`.
    pub failure_rate: Option<f64>,
    /// MockForge's chaos level (0 to 1).
    pub chaos_level: Option<f64>,
    /// A note for people; not used by the gateway.
    pub notes: Option<String>,
    /// MockForge's free-form metadata; not used by the gateway.
    pub metadata: Option<Value>,
    /// The status of an injected error.
    pub error_status: Option<u16>,
    /// Headers added to requests forwarded to the service.
    pub headers: Option<BTreeMap<String, String>>,
}
