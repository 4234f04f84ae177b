//! MockForge's payloads of the seven built-in event types, mapped to mockops's.
//!
//! MockForge builds four of them in code (`schema.changed`: `schema_type`, `changes` as a
//! map; `scenario.published`: `scenario_id`, `scenario_name`, optional `version`;
//! `drift.threshold_exceeded`: `endpoint`, `drift_count`, `threshold`;
//! `promotion.completed`: `promotion_id`, `entity_type`, `from_environment`,
//! `to_environment`) and documents the other three (`workspace.created`: `workspace_id`,
//! `workspace_name`; `persona.published`: `persona_id`, `persona_name`; `config.changed`:
//! `config_path`, `changes`). A payload holding a type's MockForge keys is accepted even
//! when it lacks mockops keys MockForge never sends; [`unsupplied`] names those.
//!
//! Every stored event carries both spellings where one maps to the other ([`complete`]):
//! `drift_count` ⇄ `drifting`, `threshold` ← `threshold_percent`, `config_path` ⇄
//! `path`, `spec_name` ← `spec_path`'s file stem. A key already present is never replaced.

use serde_json::{Map, Value};

/// The keys that make a payload MockForge's, per type (all must be present).
const FORMS: &[(&str, &[&str])] = &[
    ("schema.changed", &["schema_type", "changes"]),
    ("scenario.published", &["scenario_id", "scenario_name"]),
    ("persona.published", &["persona_id", "persona_name"]),
    (
        "drift.threshold_exceeded",
        &["endpoint", "drift_count", "threshold"],
    ),
    (
        "promotion.completed",
        &[
            "promotion_id",
            "entity_type",
            "from_environment",
            "to_environment",
        ],
    ),
    ("workspace.created", &["workspace_id", "workspace_name"]),
    ("config.changed", &["config_path"]),
];

/// Keys MockForge's payload of a type may hold besides mockops's (for template checks).
const EXTRA_KEYS: &[(&str, &[&str])] = &[
    (
        "drift.threshold_exceeded",
        &["drift_count", "threshold", "drift_data"],
    ),
    ("workspace.created", &["workspace_name"]),
    ("config.changed", &["config_path", "changes"]),
];

/// The MockForge-only keys of a type's payload (`drift_count`, `threshold`, …).
pub fn extra_keys(event_type: &str) -> &'static [&'static str] {
    EXTRA_KEYS
        .iter()
        .find(|(t, _)| *t == event_type)
        .map_or(&[], |(_, k)| *k)
}

/// Whether `payload` is MockForge's form of `event_type`: it holds every key MockForge
/// sends for that type (for `schema.changed`, `changes` as a map, where mockops's is a
/// list).
pub fn is_mockforge_form(event_type: &str, payload: &Map<String, Value>) -> bool {
    let Some((_, keys)) = FORMS.iter().find(|(t, _)| *t == event_type) else {
        return false;
    };
    if !keys.iter().all(|k| payload.contains_key(*k)) {
        return false;
    }
    event_type != "schema.changed" || payload.get("changes").is_some_and(Value::is_object)
}

/// Adds the keys one spelling gives the other; keeps every key that is there.
pub fn complete(event_type: &str, payload: &mut Map<String, Value>) {
    let mut copy = |from: &str, to: &str| {
        if !payload.contains_key(to) {
            if let Some(v) = payload.get(from).cloned() {
                payload.insert(to.to_string(), v);
            }
        }
    };
    match event_type {
        "drift.threshold_exceeded" => {
            copy("drift_count", "drifting");
            copy("drifting", "drift_count");
            // mockops's threshold is a percentage; MockForge's `threshold` is the value that
            // was exceeded, so ours fills theirs, never the other way (a count is no percent).
            copy("threshold_percent", "threshold");
        }
        "config.changed" => {
            copy("config_path", "path");
            copy("path", "config_path");
        }
        "schema.changed" if !payload.contains_key("spec_name") => {
            let stem = payload
                .get("spec_path")
                .and_then(Value::as_str)
                .and_then(|p| std::path::Path::new(p).file_stem())
                .map(|s| s.to_string_lossy().into_owned());
            if let Some(stem) = stem {
                payload.insert("spec_name".into(), Value::String(stem));
            }
        }
        _ => {}
    }
}

/// Whether a payload passes once completed: it is MockForge's form, or the keys derived
/// from MockForge's spellings supply every key mockops requires.
pub fn accepts(event_type: &str, payload: &Map<String, Value>) -> bool {
    let Some(required) = super::required_keys(event_type) else {
        return false;
    };
    let mut completed = payload.clone();
    complete(event_type, &mut completed);
    is_mockforge_form(event_type, &completed) || required.iter().all(|k| completed.contains_key(*k))
}

/// For a payload in MockForge's form, the mockops keys it still lacks once completed
/// (MockForge never sends them): templates that use them fail. Empty otherwise.
pub fn unsupplied(event_type: &str, payload: &Map<String, Value>) -> Vec<&'static str> {
    let mut completed = payload.clone();
    complete(event_type, &mut completed);
    if !is_mockforge_form(event_type, &completed) {
        return Vec::new();
    }
    super::required_keys(event_type)
        .unwrap_or(&[])
        .iter()
        .copied()
        .filter(|k| !completed.contains_key(*k))
        .collect()
}

/// A warning for an accepted MockForge payload that lacks mockops keys, `None` when
/// nothing is missing.
pub fn unsupplied_warning(event_type: &str, payload: &Map<String, Value>) -> Option<String> {
    let missing = unsupplied(event_type, payload);
    if missing.is_empty() {
        return None;
    }
    let keys = missing
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(format!(
        "event `{event_type}`: MockForge's payload has no {keys}; the event is stored without \
         them, and a template or filter that uses them fails or does not match (add them to \
         the payload, e.g. `-p {}=…`)",
        missing[0]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn drift_keys_are_mapped_both_ways() {
        let mut mf = map(json!({"endpoint": "/api/users", "drift_count": 15, "threshold": 10}));
        assert!(accepts("drift.threshold_exceeded", &mf));
        assert_eq!(
            unsupplied("drift.threshold_exceeded", &mf),
            ["service", "drift_percent", "threshold_percent", "total"]
        );
        complete("drift.threshold_exceeded", &mut mf);
        assert_eq!(mf["drifting"], json!(15));
        assert_eq!(mf["threshold"], json!(10));
        assert!(!mf.contains_key("threshold_percent"));

        let mut ours = map(
            json!({"service": "pets", "endpoint": "*", "drift_percent": 50.0,
            "threshold_percent": 10.0, "drifting": 2, "total": 4}),
        );
        complete("drift.threshold_exceeded", &mut ours);
        assert_eq!(ours["drift_count"], json!(2));
        assert_eq!(ours["threshold"], json!(10.0));
        assert!(unsupplied("drift.threshold_exceeded", &ours).is_empty());
    }

    #[test]
    fn a_mockops_payload_missing_a_key_is_not_mistaken_for_mockforge() {
        // mockops's changes are a list: not MockForge's form, so still refused.
        let p = map(json!({"schema_type": "openapi", "changes": [], "spec_path": "a.yaml"}));
        assert!(!accepts("schema.changed", &p));
        let p = map(json!({"workspace_id": "w"}));
        assert!(!accepts("workspace.created", &p));
        assert!(!accepts("custom.x", &Map::new()));
        let mf = map(
            json!({"schema_type": "openapi", "changes": {"added": ["/a"]}, "spec_path": "specs/pets.yaml"}),
        );
        assert!(accepts("schema.changed", &mf));
        let mut done = mf.clone();
        complete("schema.changed", &mut done);
        assert_eq!(done["spec_name"], json!("pets"));
        assert_eq!(
            unsupplied("schema.changed", &mf),
            ["old_hash", "new_hash", "breaking_count", "summary"]
        );
    }

    #[test]
    fn config_path_and_path_are_one_key() {
        let mut p = map(json!({"config_path": "mockops.yaml", "old_hash": "a", "new_hash": "b"}));
        assert!(accepts("config.changed", &p));
        assert!(unsupplied("config.changed", &p).is_empty());
        complete("config.changed", &mut p);
        assert_eq!(p["path"], json!("mockops.yaml"));
        let warning = unsupplied_warning(
            "config.changed",
            &map(json!({"config_path": "x", "changes": {}})),
        )
        .unwrap();
        assert!(warning.contains("no `old_hash`, `new_hash`"), "{warning}");
    }
}
