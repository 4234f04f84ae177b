//! The pipeline file format (§2) as read from YAML: a superset of MockForge's.
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

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Node, E> {
        Ok(Node::Scalar)
    }
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
