//! The structural diff of two OpenAPI/Swagger documents: operations, parameters, request
//! bodies, responses, media types, security, deprecation and servers.

use super::openapi::{Node, OpenApiDoc, SpecVersion, METHODS};
use super::schema_diff::{Anchor, Direction, SchemaDiffer, Site, MAX_DEPTH};
use super::{Change, Level, SchemaError};
use serde_json::Value;
use std::collections::BTreeMap;

#[path = "openapi_diff_bodies.rs"]
mod bodies;
use bodies::{diff_body, diff_components, diff_responses};

#[path = "openapi_diff_view.rs"]
mod view;
use view::{operations, Content, OpView, Param};

/// Compares two documents.
pub(crate) fn diff(old: &OpenApiDoc, new: &OpenApiDoc) -> Result<Vec<Change>, SchemaError> {
    let today = chrono::Utc::now().date_naive().to_string();
    diff_on(old, new, &today)
}

/// Compares two documents; `today` (YYYY-MM-DD) decides whether a sunset date has passed.
/// Schemas nested deeper than [`MAX_DEPTH`] are an error naming where.
pub(crate) fn diff_on(
    old: &OpenApiDoc,
    new: &OpenApiDoc,
    today: &str,
) -> Result<Vec<Change>, SchemaError> {
    let mut d = SchemaDiffer::new(old, new);
    let old_ops = operations(old);
    let new_ops = operations(new);
    for (key, old_op) in &old_ops {
        let label = format!("{} {}", key.0, old_op.path);
        match new_ops.get(key) {
            None => endpoint_removed(&mut d, old_op, &label, today),
            Some(new_op) => diff_operation(
                &mut d,
                old_op,
                new_op,
                &format!("{} {}", key.0, new_op.path),
            ),
        }
    }
    for (key, new_op) in &new_ops {
        if !old_ops.contains_key(key) {
            let label = format!("{} {}", key.0, new_op.path);
            d.record(
                Change::new("endpoint-added", Level::Info, label, "endpoint added"),
                Anchor::new(new_op.node),
            );
        }
    }
    diff_components(&mut d);
    diff_servers(&mut d);
    match d.too_deep.take() {
        Some(location) => Err(SchemaError::TooDeep {
            file: new
                .files
                .first()
                .map(|f| f.path.clone())
                .unwrap_or_default(),
            location,
            limit: MAX_DEPTH,
        }),
        None => Ok(d.into_placed_changes()),
    }
}

fn endpoint_removed(d: &mut SchemaDiffer<'_>, op: &OpView<'_>, label: &str, today: &str) {
    let sunset = ["x-sunset", "x-sunset-date"]
        .iter()
        .find_map(|k| op.node.value.get(*k))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    let change = match (op.deprecated, sunset) {
        (true, Some(date)) if date.as_str() > today => Change::new(
            "endpoint-removed-before-sunset",
            Level::Breaking,
            label,
            format!("deprecated endpoint removed before its sunset date {date}"),
        ),
        (true, _) => Change::new(
            "endpoint-removed-after-deprecation",
            Level::Info,
            label,
            "deprecated endpoint removed",
        ),
        (false, _) => Change::new(
            "endpoint-removed",
            Level::Breaking,
            label,
            "endpoint removed",
        ),
    };
    d.record(change, Anchor::old(op.node));
}

fn diff_operation<'a>(d: &mut SchemaDiffer<'a>, old: &OpView<'a>, new: &OpView<'a>, label: &str) {
    let push =
        |d: &mut SchemaDiffer<'a>, id: &str, level: Level, element: &str, message: String| {
            let location = if element.is_empty() {
                label.to_string()
            } else {
                format!("{label} {element}")
            };
            // The operation, or its element named by the key (`security`, `operationId`).
            let key = if element.is_empty() && id == "operation-id-changed" {
                "operationId"
            } else {
                element
            };
            let node = match new.node.value.get(key) {
                Some(value) if !key.is_empty() => Node {
                    file: new.node.file,
                    value,
                },
                _ => new.node,
            };
            d.record(Change::new(id, level, location, message), Anchor::new(node));
        };
    if old.deprecated != new.deprecated {
        let (id, msg) = if new.deprecated {
            ("endpoint-deprecated", "endpoint deprecated")
        } else {
            ("endpoint-reactivated", "endpoint no longer deprecated")
        };
        push(d, id, Level::Info, "", msg.into());
    }
    let old_id = old.node.value.get("operationId").and_then(Value::as_str);
    let new_id = new.node.value.get("operationId").and_then(Value::as_str);
    if old_id.is_some() && old_id != new_id {
        let msg = format!(
            "operationId changed from `{}` to `{}`",
            old_id.unwrap_or(""),
            new_id.unwrap_or("none")
        );
        push(d, "operation-id-changed", Level::Warning, "", msg);
    }
    diff_params(d, old, new, label);
    diff_body(d, old, new, label);
    diff_responses(d, old, new, label);
    if old.security != new.security {
        let (os, ns) = (
            old.security.clone().unwrap_or_default(),
            new.security.clone().unwrap_or_default(),
        );
        for removed in os.difference(&ns) {
            let level = if ns.is_empty() {
                Level::Info
            } else {
                Level::Breaking
            };
            push(
                d,
                "endpoint-security-removed",
                level,
                "security",
                format!("security requirement `{removed}` removed"),
            );
        }
        for added in ns.difference(&os) {
            push(
                d,
                "endpoint-security-added",
                Level::Info,
                "security",
                format!("security requirement `{added}` added"),
            );
        }
    }
}

fn param_label(p: &Param<'_>) -> String {
    format!("request.{}.{}", p.location, p.name)
}

fn diff_params<'a>(d: &mut SchemaDiffer<'a>, old: &OpView<'a>, new: &OpView<'a>, label: &str) {
    let site = Site {
        direction: Direction::Request,
        root_prefix: "request-param",
        nested_prefix: "request-param-property",
        operation: label,
    };
    for (key, op) in &old.params {
        let at = param_label(op);
        match new.params.get(key) {
            Some(np) => {
                if op.name != np.name {
                    d.push(
                        "request-path-param-renamed",
                        Level::Info,
                        &site,
                        &at,
                        format!("path parameter `{}` renamed to `{}`", op.name, np.name),
                        Anchor::new(np.node),
                    );
                }
                if op.required != np.required {
                    let (id, level) = if np.required {
                        ("request-param-became-required", Level::Breaking)
                    } else {
                        ("request-param-became-optional", Level::Info)
                    };
                    d.push(
                        id,
                        level,
                        &site,
                        &at,
                        format!(
                            "parameter `{}` {}",
                            op.name,
                            if np.required {
                                "became required"
                            } else {
                                "became optional"
                            }
                        ),
                        Anchor::new(np.node),
                    );
                }
                if let (Some(os), Some(ns)) = (op.schema, np.schema) {
                    d.diff_schema(os, ns, &site, &at, false);
                }
            }
            None => {
                let moved = new.params.values().find(|p| {
                    p.name == op.name
                        && !old
                            .params
                            .contains_key(&(p.location.clone(), p.name.clone()))
                });
                match moved {
                    Some(np) => d.push(
                        "request-param-moved",
                        Level::Breaking,
                        &site,
                        &at,
                        format!(
                            "parameter `{}` moved from {} to {}",
                            op.name, op.location, np.location
                        ),
                        Anchor::new(np.node),
                    ),
                    None => d.push(
                        "request-param-removed",
                        Level::Warning,
                        &site,
                        &at,
                        format!("{} parameter `{}` removed", op.location, op.name),
                        Anchor::old(op.node),
                    ),
                }
            }
        }
    }
    for (key, np) in &new.params {
        if old.params.contains_key(key)
            || old.params.values().any(|p| {
                p.name == np.name
                    && !new
                        .params
                        .contains_key(&(p.location.clone(), p.name.clone()))
            })
        {
            continue;
        }
        let at = param_label(np);
        if np.required {
            d.push(
                "request-required-param-added",
                Level::Breaking,
                &site,
                &at,
                format!("required {} parameter `{}` added", np.location, np.name),
                Anchor::new(np.node),
            );
        } else {
            d.push(
                "request-param-added",
                Level::Info,
                &site,
                &at,
                format!("optional {} parameter `{}` added", np.location, np.name),
                Anchor::new(np.node),
            );
        }
    }
}

/// Server URLs (Swagger 2: host + basePath) at document, path and operation level.
fn diff_servers(d: &mut SchemaDiffer<'_>) {
    /// (scope, URL) → the server's node.
    fn urls<'d>(doc: &'d OpenApiDoc) -> BTreeMap<(String, String), Node<'d>> {
        let mut out = BTreeMap::new();
        let root = doc.root().value;
        fn node(value: &Value) -> Node<'_> {
            Node { file: 0, value }
        }
        if doc.version == SpecVersion::Swagger2 {
            let host = root.get("host").and_then(Value::as_str).unwrap_or("");
            let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
            if !host.is_empty() || !base.is_empty() {
                let at = root.get("host").or(root.get("basePath")).unwrap_or(root);
                out.insert(("servers".to_string(), format!("{host}{base}")), node(at));
            }
            return out;
        }
        let mut add = |scope: String, servers: Option<&'d Value>| {
            for s in servers.and_then(Value::as_array).into_iter().flatten() {
                if let Some(url) = s.get("url").and_then(Value::as_str) {
                    out.insert((scope.clone(), url.to_string()), node(s));
                }
            }
        };
        add("servers".into(), root.get("servers"));
        for (path, item) in root
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            add(format!("{path} servers"), item.get("servers"));
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    add(
                        format!("{} {path} servers", method.to_uppercase()),
                        op.get("servers"),
                    );
                }
            }
        }
        out
    }
    let (old, new) = (urls(d.old), urls(d.new));
    for ((scope, url), node) in old.iter().filter(|(k, _)| !new.contains_key(*k)) {
        d.record(
            Change::new(
                "server-removed",
                Level::Warning,
                scope.clone(),
                format!("server `{url}` removed"),
            ),
            Anchor::old(*node),
        );
    }
    for ((scope, url), node) in new.iter().filter(|(k, _)| !old.contains_key(*k)) {
        d.record(
            Change::new(
                "server-added",
                Level::Info,
                scope.clone(),
                format!("server `{url}` added"),
            ),
            Anchor::new(*node),
        );
    }
}

#[cfg(test)]
#[path = "openapi_diff_tests.rs"]
mod tests;
