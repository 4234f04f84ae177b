//! The pipeline file format (§2) as read from YAML: a superset of MockForge's.
//!
//! These are the raw documents, with locations; `pipeline::load` turns them into
//! checked [`super::Pipeline`]s.

use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// A pipeline file. MockForge's form nests everything but `name` under `definition:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineDoc {
    pub name: Option<Spanned<String>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
    pub triggers: Option<Vec<TriggerDoc>>,
    pub step_defaults: Option<BTreeMap<String, BTreeMap<String, Spanned<Value>>>>,
    pub steps: Option<Vec<StepDoc>>,
    pub definition: Option<DefinitionDoc>,
}

/// MockForge's `definition:` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionDoc {
    pub description: Option<String>,
    pub enabled: Option<bool>,
    pub triggers: Option<Vec<TriggerDoc>>,
    pub step_defaults: Option<BTreeMap<String, BTreeMap<String, Spanned<Value>>>>,
    pub steps: Option<Vec<StepDoc>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerDoc {
    #[serde(alias = "event_type")]
    pub event: Spanned<String>,
    #[serde(default)]
    pub filters: BTreeMap<String, Spanned<Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDoc {
    #[serde(alias = "id")]
    pub name: Option<Spanned<String>>,
    #[serde(rename = "type", alias = "step_type")]
    pub step_type: Spanned<String>,
    #[serde(alias = "with")]
    pub config: Option<BTreeMap<String, Spanned<Value>>>,
    pub timeout: Option<Spanned<Value>>,
    pub retry: Option<RetryDoc>,
    pub continue_on_error: Option<bool>,
    #[serde(rename = "if")]
    pub condition: Option<Spanned<String>>,
    pub when: Option<BTreeMap<String, Spanned<Value>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryDoc {
    pub attempts: Option<Spanned<u32>>,
    pub backoff: Option<Spanned<Value>>,
    pub factor: Option<Spanned<f64>>,
    pub max_backoff: Option<Spanned<Value>>,
}
