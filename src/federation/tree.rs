//! A federation or scenario document as a tree of values with their places, so that every
//! mistake in a file can be found in one pass and reported at once, each where it is.
//!
//! serde's derived structs stop at the first unknown key or mistyped value; this tree lets
//! [`super::model`] and [`super::scenario`] check the whole document themselves.

use super::model::Loc;
use super::validate::{Diagnostic, Severity};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::fmt;
use std::path::{Path, PathBuf};

/// One value of the document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(String),
    Seq(Vec<Placed<Node>>),
    /// Keys in file order, each with its own place.
    Map(Vec<(Placed<String>, Placed<Node>)>),
}

impl Node {
    /// What the value is, for messages ("a list", "a mapping", …).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Node::Null => "nothing",
            Node::Bool(_) => "true/false",
            Node::Number(_) => "a number",
            Node::Str(_) => "a string",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }

    /// The value as JSON (places dropped).
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::Str(s) => Value::String(s.clone()),
            Node::Seq(items) => Value::Array(items.iter().map(|i| i.value.to_json()).collect()),
            Node::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.value.clone(), v.value.to_json()))
                    .collect(),
            ),
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

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        serde_json::Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom(format!("non-finite number `{v}`")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Placed<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        // A key is any single value (`1:`, `true:` and `~:` are keys too), kept as its text.
        while let Some(key) = map.next_key::<Placed<Node>>()? {
            let text = match key.value {
                Node::Str(s) => s,
                Node::Number(n) => n.to_string(),
                Node::Bool(b) => b.to_string(),
                Node::Null => "null".to_string(),
                other => {
                    return Err(de::Error::custom(format!(
                        "a key must be a single value, found {}",
                        other.kind()
                    )))
                }
            };
            let value = map.next_value::<Placed<Node>>()?;
            entries.push((
                Placed {
                    value: text,
                    loc: key.loc,
                },
                value,
            ));
        }
        Ok(Node::Map(entries))
    }
}

/// A value and its place: what serde-saphyr's `Spanned` gives, kept small (a whole
/// document of them is built and moved around).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed<T> {
    pub value: T,
    pub loc: Loc,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Placed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        Ok(Placed {
            loc: Loc::of(&spanned),
            value: spanned.value,
        })
    }
}

/// The findings of one file, gathered while its tree is read.
pub(crate) struct Findings {
    pub file: PathBuf,
    pub out: Vec<Diagnostic>,
}

impl Findings {
    pub(crate) fn new(file: &Path) -> Findings {
        Findings {
            file: file.to_path_buf(),
            out: Vec::new(),
        }
    }

    pub(crate) fn push(
        &mut self,
        severity: Severity,
        at: Loc,
        service: Option<&str>,
        message: impl Into<String>,
    ) {
        let known = at.line > 0;
        self.out.push(Diagnostic {
            severity,
            file: self.file.clone(),
            line: known.then_some(at.line),
            column: known.then_some(at.column),
            service: service.map(str::to_string),
            message: message.into(),
        });
    }

    pub(crate) fn error(&mut self, at: Loc, service: Option<&str>, message: impl Into<String>) {
        self.push(Severity::Error, at, service, message);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.out.iter().any(Diagnostic::is_error)
    }

    /// Everything found, in file order.
    pub(crate) fn sorted(mut self) -> Vec<Diagnostic> {
        self.out.sort_by_key(|d| (d.line, d.column));
        self.out
    }
}

/// The entries of a mapping, or an error naming what it is instead.
pub(crate) fn entries<'a>(
    f: &mut Findings,
    node: &'a Placed<Node>,
    what: &str,
    service: Option<&str>,
) -> Option<&'a [(Placed<String>, Placed<Node>)]> {
    match &node.value {
        Node::Map(entries) => Some(entries),
        other => {
            f.error(
                node.loc,
                service,
                format!("{what} must be a mapping, found {}", other.kind()),
            );
            None
        }
    }
}

/// A string value (a number is taken as its text), or an error.
pub(crate) fn text(
    f: &mut Findings,
    node: &Placed<Node>,
    what: &str,
    service: Option<&str>,
) -> Option<String> {
    match &node.value {
        Node::Str(s) => Some(s.clone()),
        Node::Number(n) => Some(n.to_string()),
        other => {
            f.error(
                node.loc,
                service,
                format!("{what} must be a string, found {}", other.kind()),
            );
            None
        }
    }
}

/// A key that is not one of `known`: the message says which was meant, when one is close.
pub(crate) fn unknown_key_message(key: &str, known: &[&str], place: &str) -> String {
    let hint = crate::yamlfile::nearest(key, known.iter().copied())
        .map(|n| format!(" (did you mean `{n}`?)"))
        .unwrap_or_default();
    format!("unknown key `{key}` {place}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Placed<Node> {
        crate::yamlfile::parse(Path::new("t.yaml"), text).unwrap()
    }

    #[test]
    fn keys_and_values_keep_their_places() {
        let t = tree("a: 1\nb:\n  - x\n  - {c: true}\n");
        let Node::Map(entries) = &t.value else {
            panic!("{t:?}")
        };
        assert_eq!(entries[1].0.value, "b");
        assert_eq!(entries[1].0.loc, Loc { line: 2, column: 1 });
        let Node::Seq(items) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(items[1].loc, Loc { line: 4, column: 5 });
        assert_eq!(
            t.value.to_json(),
            serde_json::json!({"a": 1, "b": ["x", {"c": true}]})
        );
    }

    #[test]
    fn json_documents_read_the_same() {
        let t = tree("{\n\t\"a\": [1, 2.5],\n\t\"b\": null\n}\n");
        assert_eq!(
            t.value.to_json(),
            serde_json::json!({"a": [1, 2.5], "b": null})
        );
    }

    #[test]
    fn any_single_value_is_a_key() {
        let t = tree("1: a\ntrue: b\n~: c\n1.5: d\n");
        assert_eq!(
            t.value.to_json(),
            serde_json::json!({"1": "a", "true": "b", "null": "c", "1.5": "d"})
        );
        let err =
            crate::yamlfile::parse::<Placed<Node>>(Path::new("t.yaml"), "[a]: x\n").unwrap_err();
        assert!(
            err.message.contains("a key must be a single value"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_keys_are_still_refused() {
        let err = crate::yamlfile::parse::<Placed<Node>>(Path::new("t.yaml"), "a: 1\na: 2\n")
            .unwrap_err();
        assert!(err.message.contains("appears twice"), "{err}");
    }
}
