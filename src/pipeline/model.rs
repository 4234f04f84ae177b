//! The pipeline file format (docs/pipelines.md) as read from YAML: a superset of MockForge's.
//!
//! These are the raw documents, with locations; `pipeline::load` turns them into
//! checked [`super::Pipeline`]s. The typed documents ignore keys they do not know: a file
//! is first read as a [`Node`] tree, in which every unknown key of every level is found
//! at once (see [`unknown_keys`]), so that one run reports them all.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::fmt;

/// The keys of a pipeline file's top level.
pub const TOP_KEYS: &[&str] = &[
    "name",
    "description",
    "enabled",
    "triggers",
    "step_defaults",
    "steps",
    "definition",
    "workspace_id",
    "org_id",
];
/// The keys of MockForge's `definition:` block (its `PipelineDefinition`).
pub const DEFINITION_KEYS: &[&str] = &[
    "name",
    "description",
    "enabled",
    "triggers",
    "step_defaults",
    "steps",
];
/// The keys of a trigger (`event_type` is an alias of `event`).
pub const TRIGGER_KEYS: &[&str] = &["event", "event_type", "filters"];
/// The keys of a step, aliases included.
pub const STEP_KEYS: &[&str] = &[
    "name",
    "id",
    "type",
    "step_type",
    "config",
    "with",
    "timeout",
    "retry",
    "continue_on_error",
    "if",
    "when",
];
/// The keys of a step's `retry`.
pub const RETRY_KEYS: &[&str] = &["attempts", "backoff", "factor", "max_backoff"];

/// A pipeline file. MockForge's form nests everything but `name` under `definition:`.
#[derive(Debug, Deserialize)]
pub struct PipelineDoc {
    pub name: Option<Spanned<String>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
    pub triggers: Option<Spanned<Vec<TriggerDoc>>>,
    pub step_defaults: Option<BTreeMap<String, BTreeMap<String, Spanned<Value>>>>,
    pub steps: Option<Spanned<Vec<StepDoc>>>,
    pub definition: Option<DefinitionDoc>,
    /// MockForge's API scope (its `CreatePipelineRequest`): only events of this workspace.
    pub workspace_id: Option<Spanned<String>>,
    /// MockForge's organisation scope; mockops has no organisations.
    pub org_id: Option<Spanned<Value>>,
}

/// MockForge's `definition:` block (its `PipelineDefinition`, which holds the name too).
#[derive(Debug, Deserialize)]
pub struct DefinitionDoc {
    pub name: Option<Spanned<String>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
    pub triggers: Option<Spanned<Vec<TriggerDoc>>>,
    pub step_defaults: Option<BTreeMap<String, BTreeMap<String, Spanned<Value>>>>,
    pub steps: Option<Spanned<Vec<StepDoc>>>,
}

#[derive(Debug, Deserialize)]
pub struct TriggerDoc {
    #[serde(alias = "event_type")]
    pub event: Spanned<String>,
    #[serde(default)]
    pub filters: BTreeMap<String, Spanned<Value>>,
}

#[derive(Debug, Deserialize)]
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
pub struct RetryDoc {
    pub attempts: Option<Spanned<u32>>,
    pub backoff: Option<Spanned<Value>>,
    pub factor: Option<Spanned<f64>>,
    pub max_backoff: Option<Spanned<Value>>,
}

/// Any YAML value, with the place of every key and value.
#[derive(Debug)]
pub enum Node {
    Scalar,
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
}

/// A key not in its mapping's list of known keys, with that list.
#[derive(Debug)]
pub struct UnknownKey<'a> {
    pub key: &'a Spanned<String>,
    pub known: &'static [&'static str],
}

/// Every unknown key of a pipeline file, in file order: top level, `definition`,
/// triggers, steps and their `retry`.
pub fn unknown_keys(doc: &Spanned<Node>) -> Vec<UnknownKey<'_>> {
    let mut found = Vec::new();
    let Node::Map(top) = &doc.value else {
        return found;
    };
    check_map(top, TOP_KEYS, &mut found);
    for (key, value) in top {
        match key.value.as_str() {
            "definition" => {
                if let Node::Map(def) = &value.value {
                    check_map(def, DEFINITION_KEYS, &mut found);
                    for (key, value) in def {
                        check_lists(&key.value, value, &mut found);
                    }
                }
            }
            other => check_lists(other, value, &mut found),
        }
    }
    found.sort_by_key(|u| (u.key.referenced.line(), u.key.referenced.column()));
    found
}

fn check_lists<'a>(key: &str, value: &'a Spanned<Node>, found: &mut Vec<UnknownKey<'a>>) {
    let Node::Seq(items) = &value.value else {
        return;
    };
    for item in items {
        let Node::Map(entries) = &item.value else {
            continue;
        };
        match key {
            "triggers" => check_map(entries, TRIGGER_KEYS, found),
            "steps" => {
                check_map(entries, STEP_KEYS, found);
                for (k, v) in entries {
                    if let (Node::Map(retry), "retry") = (&v.value, k.value.as_str()) {
                        check_map(retry, RETRY_KEYS, found);
                    }
                }
            }
            _ => {}
        }
    }
}

fn check_map<'a>(
    entries: &'a [(Spanned<String>, Spanned<Node>)],
    known: &'static [&'static str],
    found: &mut Vec<UnknownKey<'a>>,
) {
    for (key, _) in entries {
        if !known.contains(&key.value.as_str()) {
            found.push(UnknownKey { key, known });
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

/// `fn visit_x(self, _: T) -> Result<Node, E> { Ok(Node::Scalar) }` for each scalar type.
macro_rules! scalars {
    ($($name:ident: $ty:ty),* $(,)?) => {
        $(fn $name<E: de::Error>(self, _: $ty) -> Result<Node, E> {
            Ok(Node::Scalar)
        })*
    };
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    scalars!(
        visit_bool: bool,
        visit_i64: i64,
        visit_i128: i128,
        visit_u64: u64,
        visit_u128: u128,
        visit_f64: f64,
        visit_str: &str,
        visit_bytes: &[u8],
    );
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            let key = Spanned {
                value: key.value.0,
                referenced: key.referenced,
                defined: key.defined,
            };
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// A mapping key as text, whatever scalar it is (`1:` and `true:` are keys too).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText("null".to_string()))
            }
        }
        deserializer.deserialize_any(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Spanned<Node> {
        serde_saphyr::from_str(text).unwrap()
    }

    /// The typed documents ignore unknown keys, so every listed key must really be read.
    #[test]
    fn every_listed_key_is_read_by_the_typed_documents() {
        let text = "name: n\ndescription: d\nenabled: true\ntriggers: [{event: custom.a, filters: {x: 1}}]\nstep_defaults: {run: {}}\nsteps:\n  - {name: s, type: run, config: {}, timeout: 1, retry: {attempts: 1, backoff: 1, factor: 2, max_backoff: 3}, continue_on_error: true, if: always(), when: {}}\nworkspace_id: w\norg_id: o\n";
        assert!(unknown_keys(&tree(text)).is_empty());
        let doc: PipelineDoc = serde_saphyr::from_str(text).unwrap();
        assert!(doc.name.is_some() && doc.description.is_some() && doc.enabled.is_some());
        assert!(doc.step_defaults.is_some() && doc.workspace_id.is_some() && doc.org_id.is_some());
        let trigger = &doc.triggers.unwrap().value[0];
        assert_eq!(trigger.filters.len(), 1);
        let step = &doc.steps.unwrap().value[0];
        assert!(step.name.is_some() && step.config.is_some() && step.timeout.is_some());
        assert!(
            step.continue_on_error.is_some() && step.condition.is_some() && step.when.is_some()
        );
        let retry = step.retry.as_ref().unwrap();
        assert!(retry.attempts.is_some() && retry.backoff.is_some());
        assert!(retry.factor.is_some() && retry.max_backoff.is_some());

        let text = "definition:\n  name: n\n  description: d\n  enabled: true\n  triggers: [{event_type: custom.a}]\n  step_defaults: {}\n  steps: [{id: s, step_type: run, with: {}}]\n";
        assert!(unknown_keys(&tree(text)).is_empty());
        let doc: PipelineDoc = serde_saphyr::from_str(text).unwrap();
        let def = doc.definition.unwrap();
        assert!(def.name.is_some() && def.description.is_some() && def.enabled.is_some());
        assert!(def.step_defaults.is_some());
        assert_eq!(def.triggers.unwrap().value[0].event.value, "custom.a");
        let step = &def.steps.unwrap().value[0];
        assert!(step.name.is_some() && step.config.is_some());
    }

    #[test]
    fn unknown_keys_of_every_level_in_file_order() {
        let text = "a: 1\ntriggers: [{event: custom.a, b: 2}]\nsteps:\n  - {type: run, c: 3, retry: {d: 4}}\ndefinition: {e: 5, steps: [{f: 6}]}\n";
        let doc = tree(text);
        let found: Vec<(&str, u64)> = unknown_keys(&doc)
            .iter()
            .map(|u| (u.key.value.as_str(), u.key.referenced.line()))
            .collect();
        assert_eq!(
            found,
            [("a", 1), ("b", 2), ("c", 4), ("d", 4), ("e", 5), ("f", 5)]
        );
    }
}
