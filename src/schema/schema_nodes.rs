//! Reading one schema node for the differ: its types and nullability, its properties and
//! required names with allOf merged, its oneOf/anyOf branches and its flags.

use crate::schema::openapi::{Node, OpenApiDoc};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A schema with its allOf members merged.
#[derive(Default)]
pub(super) struct Flat<'a> {
    pub(super) properties: BTreeMap<&'a str, Node<'a>>,
    pub(super) required: BTreeSet<&'a str>,
    pub(super) has_object_shape: bool,
}

pub(super) fn is_flag(doc: &OpenApiDoc, node: Node<'_>, flag: &str) -> bool {
    doc.resolve(node)
        .0
        .value
        .get(flag)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Branches of a oneOf/anyOf, labelled by the referenced schema's name or by position.
pub(super) fn branches<'a>(node: Node<'a>, keyword: &str) -> Vec<(String, Node<'a>)> {
    let Some(list) = node.value.get(keyword).and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .map(|(i, value)| {
            let label = match value.get("$ref").and_then(Value::as_str) {
                Some(r) => r.rsplit('/').next().unwrap_or(r).to_string(),
                None => i.to_string(),
            };
            (
                label,
                Node {
                    file: node.file,
                    value,
                },
            )
        })
        .collect()
}

pub(super) fn str_of<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

pub(super) fn join(types: &BTreeSet<String>) -> String {
    types.iter().cloned().collect::<Vec<_>>().join("|")
}

/// The non-null types of a schema (following allOf when it has none) and whether null is allowed.
pub(super) fn types_of(doc: &OpenApiDoc, node: Node<'_>) -> (BTreeSet<String>, bool) {
    let mut types = BTreeSet::new();
    let mut nullable = node
        .value
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        || node
            .value
            .get("x-nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false);
    match node.value.get("type") {
        Some(Value::String(t)) => {
            types.insert(t.clone());
        }
        Some(Value::Array(list)) => {
            types.extend(list.iter().filter_map(Value::as_str).map(str::to_string))
        }
        _ => {
            for member in node
                .value
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .take(16)
            {
                let member = doc
                    .resolve(Node {
                        file: node.file,
                        value: member,
                    })
                    .0;
                if let Some(Value::String(t)) = member.value.get("type") {
                    types.insert(t.clone());
                    break;
                }
            }
        }
    }
    if types.remove("null") {
        nullable = true;
    }
    (types, nullable)
}

/// Merges the properties and required lists of a schema and its allOf members.
pub(super) fn flatten<'a>(doc: &'a OpenApiDoc, node: Node<'a>) -> Flat<'a> {
    let mut flat = Flat::default();
    let mut work = vec![(node, 0usize)];
    let mut seen = 0;
    while let Some((current, depth)) = work.pop() {
        seen += 1;
        if seen > 64 || depth > 8 {
            break;
        }
        let current = doc.resolve(current).0;
        if let Some(props) = current.value.get("properties").and_then(Value::as_object) {
            flat.has_object_shape = true;
            for (name, value) in props {
                flat.properties.insert(
                    name.as_str(),
                    Node {
                        file: current.file,
                        value,
                    },
                );
            }
        }
        if let Some(required) = current.value.get("required").and_then(Value::as_array) {
            flat.has_object_shape = true;
            flat.required
                .extend(required.iter().filter_map(Value::as_str));
        }
        for member in current
            .value
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            work.push((
                Node {
                    file: current.file,
                    value: member,
                },
                depth + 1,
            ));
        }
    }
    flat
}
