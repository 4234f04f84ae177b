//! The federation scenario file (`federation scenario activate FILE`).

// The types describe the file for schemars; nothing reads their fields.
#![allow(dead_code)]

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A named set of per-service overrides that a running gateway applies while the scenario
/// is active.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "mockops federation scenario")]
pub struct ScenarioFile {
    /// The scenario's name (shown by `federation scenario show`).
    pub name: String,
    /// Service name → what changes for it while the scenario is active.
    #[serde(default)]
    pub services: BTreeMap<String, Override>,
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
    /// The status of an injected error.
    pub error_status: Option<u16>,
    /// Headers added to requests forwarded to the service.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}
