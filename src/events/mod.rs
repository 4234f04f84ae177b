//! Events: the model, time-ordered ids, payload rules, and the dispatch queue.

pub mod mockforge;
pub mod queue;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

/// An event: `{id, type, workspace_id, source, timestamp, parent_id, payload}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub workspace_id: String,
    pub source: String,
    #[serde(serialize_with = "crate::timefmt::serialize")]
    pub timestamp: DateTime<Utc>,
    pub parent_id: Option<String>,
    pub replay_of: Option<String>,
    pub payload: Map<String, Value>,
    /// Distance from the root of its chain (the root has depth 0). Not part of the JSON shape.
    #[serde(skip)]
    pub depth: u32,
}

impl Event {
    /// A new root event with a fresh time-ordered id (UUIDv7). The payload gains the
    /// MockForge or mockops spelling of keys that have both ([`mockforge::complete`]).
    pub fn new(
        event_type: &str,
        workspace_id: &str,
        source: &str,
        mut payload: Map<String, Value>,
        now: DateTime<Utc>,
    ) -> Event {
        mockforge::complete(event_type, &mut payload);
        Event {
            id: new_id(),
            event_type: event_type.to_string(),
            workspace_id: workspace_id.to_string(),
            source: source.to_string(),
            timestamp: now,
            parent_id: None,
            replay_of: None,
            payload,
            depth: 0,
        }
    }

    /// A child of `self`, one level deeper in the chain.
    pub fn child(
        &self,
        event_type: &str,
        source: &str,
        payload: Map<String, Value>,
        now: DateTime<Utc>,
    ) -> Event {
        Event {
            parent_id: Some(self.id.clone()),
            depth: self.depth + 1,
            ..Event::new(event_type, &self.workspace_id, source, payload, now)
        }
    }

    /// The view trigger filters see: `workspace_id`, `source`, the payload keys at the top
    /// level (MockForge-style) and under `payload`, plus `type`/`id`.
    pub fn filter_view(&self) -> Value {
        let mut view = self.payload.clone();
        view.insert("payload".into(), Value::Object(self.payload.clone()));
        view.insert(
            "workspace_id".into(),
            Value::String(self.workspace_id.clone()),
        );
        view.insert("source".into(), Value::String(self.source.clone()));
        view.insert("type".into(), Value::String(self.event_type.clone()));
        view.insert("id".into(), Value::String(self.id.clone()));
        Value::Object(view)
    }
}

/// A fresh time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The seven built-in event types and their required payload keys (docs/events.md).
pub const BUILTIN_TYPES: &[(&str, &[&str])] = &[
    (
        "schema.changed",
        &[
            "spec_path",
            "spec_name",
            "schema_type",
            "old_hash",
            "new_hash",
            "breaking_count",
            "changes",
            "summary",
        ],
    ),
    (
        "scenario.published",
        &["scenario_id", "scenario_name", "version", "environment"],
    ),
    (
        "persona.published",
        &["persona_id", "persona_name", "version", "environment"],
    ),
    (
        "drift.threshold_exceeded",
        &[
            "service",
            "endpoint",
            "drift_percent",
            "threshold_percent",
            "drifting",
            "total",
        ],
    ),
    (
        "promotion.completed",
        &[
            "promotion_id",
            "entity_type",
            "entity_id",
            "from_environment",
            "to_environment",
            "version",
        ],
    ),
    ("workspace.created", &["workspace_id", "root"]),
    ("config.changed", &["path", "old_hash", "new_hash"]),
];

/// A bad event type or payload.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EventError {
    #[error("unknown event type `{given}`{hint}; built-in types are {known}, others must start with `custom.`")]
    UnknownType {
        given: String,
        hint: String,
        known: String,
    },
    /// Every required key the payload lacks, in the order of the type's list.
    #[error("event `{event_type}` needs payload {}", key_list(.keys))]
    MissingKeys {
        event_type: String,
        keys: Vec<String>,
    },
    #[error("custom event type `{0}` needs a name after `custom.`")]
    EmptyCustom(String),
    #[error("custom event type `{0:?}`: a name may not hold spaces or control characters")]
    BadCustom(String),
}

/// The required payload keys of a type, `None` for `custom.*` types.
pub fn required_keys(event_type: &str) -> Option<&'static [&'static str]> {
    BUILTIN_TYPES
        .iter()
        .find(|(t, _)| *t == event_type)
        .map(|(_, k)| *k)
}

/// Checks that `event_type` is a built-in type or `custom.<name>`.
pub fn check_type(event_type: &str) -> Result<(), EventError> {
    if required_keys(event_type).is_some() {
        return Ok(());
    }
    if let Some(rest) = event_type.strip_prefix("custom.") {
        if rest.is_empty() {
            return Err(EventError::EmptyCustom(event_type.into()));
        }
        if rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EventError::BadCustom(event_type.into()));
        }
        return Ok(());
    }
    let names: Vec<&str> = BUILTIN_TYPES.iter().map(|(t, _)| *t).collect();
    let hint = crate::yamlfile::nearest(event_type, names.iter().copied())
        .map(|n| format!(" (did you mean `{n}`?)"))
        .unwrap_or_default();
    Err(EventError::UnknownType {
        given: event_type.into(),
        hint,
        known: names.join(", "),
    })
}

/// Checks the type and that every required payload key is present (MockForge's form of
/// a payload passes: see [`mockforge`]).
pub fn check_payload(event_type: &str, payload: &Map<String, Value>) -> Result<(), EventError> {
    check_type(event_type)?;
    if mockforge::accepts(event_type, payload) {
        return Ok(());
    }
    if let Some(keys) = required_keys(event_type) {
        let missing: Vec<String> = keys
            .iter()
            .filter(|k| !payload.contains_key(**k))
            .map(|k| (*k).to_string())
            .collect();
        if !missing.is_empty() {
            return Err(EventError::MissingKeys {
                event_type: event_type.into(),
                keys: missing,
            });
        }
    }
    Ok(())
}

/// `key `a``, `keys `a` and `b``, `keys `a`, `b` and `c``.
fn key_list(keys: &[String]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.as_slice() {
        [one] => format!("key {one}"),
        [init @ .., last] => format!("keys {} and {last}", init.join(", ")),
        [] => "keys".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_time_ordered() {
        let a = new_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = new_id();
        assert!(a < b);
    }

    #[test]
    fn payload_rules() {
        let p: Map<String, Value> = serde_json::from_value(json!({"workspace_id": "w"})).unwrap();
        let err = check_payload("workspace.created", &p).unwrap_err();
        assert_eq!(
            err.to_string(),
            "event `workspace.created` needs payload key `root`"
        );
        let err = check_payload("schema.changed", &Map::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "event `schema.changed` needs payload keys `spec_path`, `spec_name`, `schema_type`, \
             `old_hash`, `new_hash`, `breaking_count`, `changes` and `summary`",
            "every missing key at once"
        );
        assert!(check_payload("custom.anything", &Map::new()).is_ok());
        assert!(check_type("custom.").is_err());
        assert!(check_type("custom.order.paid-v2").is_ok());
        assert!(check_type("custom.zahlung.bestätigt").is_ok());
        for bad in ["custom.ü ä", "custom.a\tb", "custom.a\nb"] {
            assert_eq!(check_type(bad), Err(EventError::BadCustom(bad.into())));
        }
        let err = check_type("schema.chnaged").unwrap_err().to_string();
        assert!(err.contains("did you mean `schema.changed`"), "{err}");
    }

    #[test]
    fn child_links_parent_and_depth() {
        let root = Event::new("custom.a", "w", "cli", Map::new(), Utc::now());
        let kid = root.child("custom.b", "pipeline", Map::new(), Utc::now());
        assert_eq!(kid.parent_id.as_deref(), Some(root.id.as_str()));
        assert_eq!(kid.depth, 1);
        assert_eq!(kid.workspace_id, "w");
    }
}
