//! Turning an OpenAPI schema into a self-contained JSON Schema (2020-12): referenced schemas
//! are copied under `$defs`, and OpenAPI 3.0 / Swagger 2 specifics are translated.

use super::openapi::{Node, OpenApiDoc, RefKey};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Keywords whose value is a map of name → schema.
const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is one schema.
const SCHEMA_SINGLE: [&str; 9] = [
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
];
/// Keywords whose value is a list of schemas.
const SCHEMA_LISTS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];
/// OpenAPI annotations that are not JSON Schema and are dropped.
const DROPPED: [&str; 7] = [
    "discriminator",
    "xml",
    "example",
    "externalDocs",
    "x-nullable",
    "nullable",
    "examples",
];

struct Converter<'a> {
    doc: &'a OpenApiDoc,
    names: HashMap<RefKey<'a>, String>,
    defs: Map<String, Value>,
    pending: Vec<(RefKey<'a>, Node<'a>)>,
}

/// The schema at `node` as a JSON Schema that validates on its own.
pub(crate) fn self_contained(doc: &OpenApiDoc, node: Node<'_>) -> Value {
    let mut conv = Converter {
        doc,
        names: HashMap::new(),
        defs: Map::new(),
        pending: Vec::new(),
    };
    let mut root = conv.convert(node, 0);
    while let Some((key, target)) = conv.pending.pop() {
        let name = conv.names.get(&key).cloned().unwrap_or_default();
        let converted = conv.convert(target, 0);
        conv.defs.insert(name, converted);
    }
    if !conv.defs.is_empty() {
        if let Value::Object(map) = &mut root {
            map.insert(
                "$defs".into(),
                Value::Object(std::mem::take(&mut conv.defs)),
            );
        } else {
            // A boolean root schema cannot carry `$defs`; wrap it.
            let mut map = Map::new();
            map.insert("allOf".into(), Value::Array(vec![root]));
            map.insert(
                "$defs".into(),
                Value::Object(std::mem::take(&mut conv.defs)),
            );
            root = Value::Object(map);
        }
    }
    root
}

impl<'a> Converter<'a> {
    fn def_name(&mut self, key: RefKey<'a>, target: Node<'a>) -> String {
        if let Some(name) = self.names.get(&key) {
            return name.clone();
        }
        let last = key.1.rsplit('/').next().unwrap_or("schema");
        let base: String = last
            .replace("~1", "_")
            .replace("~0", "_")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let base = if base.is_empty() {
            "schema".to_string()
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.names.values().any(|v| *v == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.names.insert(key, name.clone());
        self.pending.push((key, target));
        name
    }

    fn convert(&mut self, node: Node<'a>, depth: usize) -> Value {
        let Some(map) = node.value.as_object() else {
            return node.value.clone();
        };
        if depth > 64 {
            return Value::Bool(true);
        }
        if let Some(Value::String(reference)) = map.get("$ref") {
            return match self.doc.lookup(node.file, reference) {
                Some((key, value)) => {
                    let name = self.def_name(key, Node { file: key.0, value });
                    let mut out = Map::new();
                    out.insert("$ref".into(), Value::String(format!("#/$defs/{name}")));
                    Value::Object(out)
                }
                None => Value::Bool(true),
            };
        }
        let child = |value: &'a Value| Node {
            file: node.file,
            value,
        };
        let mut out = Map::new();
        for (key, value) in map {
            if DROPPED.contains(&key.as_str()) {
                continue;
            }
            let converted = if SCHEMA_MAPS.contains(&key.as_str()) {
                match value.as_object() {
                    Some(entries) => Value::Object(
                        entries
                            .iter()
                            .map(|(k, v)| (k.clone(), self.convert(child(v), depth + 1)))
                            .collect(),
                    ),
                    None => value.clone(),
                }
            } else if SCHEMA_SINGLE.contains(&key.as_str()) {
                self.convert(child(value), depth + 1)
            } else if SCHEMA_LISTS.contains(&key.as_str()) || key == "items" {
                match value.as_array() {
                    Some(list) => Value::Array(
                        list.iter()
                            .map(|v| self.convert(child(v), depth + 1))
                            .collect(),
                    ),
                    None => self.convert(child(value), depth + 1),
                }
            } else {
                value.clone()
            };
            out.insert(key.clone(), converted);
        }
        // `items: [..]` (draft 4 tuples) is `prefixItems` in 2020-12.
        if matches!(out.get("items"), Some(Value::Array(_))) {
            if let Some(list) = out.remove("items") {
                out.insert("prefixItems".into(), list);
            }
        }
        translate_exclusive(&mut out, "exclusiveMaximum", "maximum");
        translate_exclusive(&mut out, "exclusiveMinimum", "minimum");
        let nullable = map
            .get("nullable")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            || map
                .get("x-nullable")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        if nullable {
            if !out.contains_key("type") {
                let null_schema =
                    Value::Object(Map::from_iter([("type".to_string(), Value::from("null"))]));
                let any_of = Value::Array(vec![null_schema, Value::Object(out)]);
                return Value::Object(Map::from_iter([("anyOf".to_string(), any_of)]));
            }
            add_null(&mut out);
        }
        Value::Object(out)
    }
}

/// OpenAPI 3.0's boolean `exclusiveMaximum` becomes the numeric form.
fn translate_exclusive(out: &mut Map<String, Value>, exclusive: &str, bound: &str) {
    if let Some(Value::Bool(flag)) = out.get(exclusive).cloned() {
        out.remove(exclusive);
        if flag {
            if let Some(value) = out.remove(bound) {
                out.insert(exclusive.into(), value);
            }
        }
    }
}

fn add_null(out: &mut Map<String, Value>) {
    match out.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            if t != "null" {
                out.insert(
                    "type".into(),
                    Value::Array(vec![Value::String(t), Value::String("null".into())]),
                );
            }
        }
        Some(Value::Array(types)) if !types.iter().any(|t| t == "null") => {
            types.push(Value::String("null".into()));
        }
        _ => {}
    }
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
}
