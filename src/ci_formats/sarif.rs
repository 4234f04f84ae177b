//! SARIF 2.1.0: one run, one rule per check id with its help text, one result per finding
//! with its level and a physical location relative to the repository root (`%SRCROOT%`).

use super::{Finding, Report};
use serde_json::{json, Map, Value};

/// The `$schema` a SARIF log names.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `report`, written by mockops `version`.
pub fn render(report: &Report, version: &str) -> Value {
    let rules: Vec<Value> = report
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": pascal(&r.id),
                "shortDescription": {"text": r.short},
                "fullDescription": {"text": r.help},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": r.level.sarif()},
            })
        })
        .collect();
    let results: Vec<Value> = report.findings.iter().map(|f| result(report, f)).collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mockops",
                "version": version,
                "semanticVersion": version,
                "informationUri": "https://crates.io/crates/mockops",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn result(report: &Report, f: &Finding) -> Value {
    let mut out = Map::new();
    out.insert("ruleId".into(), json!(f.rule));
    if let Some(index) = report.rules.iter().position(|r| r.id == f.rule) {
        out.insert("ruleIndex".into(), json!(index));
    }
    out.insert("level".into(), json!(f.level.sarif()));
    out.insert("message".into(), json!({"text": f.message}));
    if let Some(location) = &f.location {
        let mut physical = Map::new();
        physical.insert(
            "artifactLocation".into(),
            json!({"uri": uri(&location.file), "uriBaseId": "%SRCROOT%"}),
        );
        let mut region = Map::new();
        // SARIF lines and columns start at 1; a file-level finding points at its start.
        region.insert("startLine".into(), json!(location.line.unwrap_or(1).max(1)));
        if let Some(column) = location.column {
            region.insert("startColumn".into(), json!(column.max(1)));
        }
        physical.insert("region".into(), Value::Object(region));
        out.insert(
            "locations".into(),
            json!([{"physicalLocation": Value::Object(physical)}]),
        );
    }
    Value::Object(out)
}

/// A relative URI reference for a `/`-separated path: characters outside RFC 3986's
/// unreserved set and `/` are percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// `endpoint-removed` → `EndpointRemoved` (SARIF's rule `name` is an identifier).
fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Level, Location, Rule};
    use super::*;

    #[test]
    fn one_run_rules_with_help_and_located_results() {
        let mut report = Report::default();
        report.rule(Rule {
            id: "endpoint-removed".into(),
            short: "Endpoint removed".into(),
            help: "An endpoint clients call is gone.".into(),
            level: Level::Error,
        });
        report.findings.push(Finding {
            rule: "endpoint-removed".into(),
            level: Level::Error,
            title: "Endpoint removed".into(),
            message: "GET /a: endpoint removed".into(),
            location: Some(Location {
                file: "specs/my api.yaml".into(),
                line: Some(3),
                column: Some(5),
            }),
        });
        let log = render(&report, "1.2.3");
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"][0]["name"], "EndpointRemoved");
        let result = &run["results"][0];
        assert_eq!(result["ruleIndex"], 0);
        assert_eq!(result["level"], "error");
        let physical = &result["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "specs/my%20api.yaml");
        assert_eq!(physical["region"]["startLine"], 3);
        assert_eq!(physical["region"]["startColumn"], 5);
    }
}
