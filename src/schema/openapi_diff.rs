//! The structural diff of two OpenAPI/Swagger documents: operations, parameters, request
//! bodies, responses, media types, security, deprecation and servers.

use super::openapi::{Node, OpenApiDoc, SpecVersion, METHODS};
use super::schema_diff::{Direction, SchemaDiffer, Site};
use super::{Change, Level};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[path = "openapi_diff_bodies.rs"]
mod bodies;
use bodies::{diff_body, diff_components, diff_responses};

/// A parameter of an operation, keyed by (location, name); path parameters by position.
struct Param<'a> {
    name: String,
    location: String,
    schema: Option<Node<'a>>,
    required: bool,
}

/// Media type → schema of a request body or response.
type Content<'a> = BTreeMap<String, Option<Node<'a>>>;

/// The parts of an operation the diff compares, normalized across Swagger 2 and OpenAPI 3.
struct OpView<'a> {
    path: String,
    node: Node<'a>,
    params: BTreeMap<(String, String), Param<'a>>,
    body: Option<(bool, Content<'a>)>,
    responses: BTreeMap<String, (Content<'a>, BTreeMap<String, Node<'a>>)>,
    security: Option<BTreeSet<String>>,
    deprecated: bool,
}

/// Compares two documents.
pub(crate) fn diff(old: &OpenApiDoc, new: &OpenApiDoc) -> Vec<Change> {
    let today = chrono::Utc::now().date_naive().to_string();
    diff_on(old, new, &today)
}

/// Compares two documents; `today` (YYYY-MM-DD) decides whether a sunset date has passed.
pub(crate) fn diff_on(old: &OpenApiDoc, new: &OpenApiDoc, today: &str) -> Vec<Change> {
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
            d.changes.push(Change::new(
                "endpoint-added",
                Level::Info,
                label,
                "endpoint added",
            ));
        }
    }
    diff_components(&mut d);
    diff_servers(&mut d);
    d.changes
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
    d.changes.push(change);
}

/// `/pets/{id}` and `/pets/{petId}` are the same endpoint.
fn normalized_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    out.push_str("{}");
                }
            }
            '}' => depth = (depth - 1i32).max(0),
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out.trim_end_matches('/').to_string()
}

fn operations(doc: &OpenApiDoc) -> BTreeMap<(String, String), OpView<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = doc.child(doc.root(), "paths") else {
        return out;
    };
    let Some(map) = paths.value.as_object() else {
        return out;
    };
    let global_security = doc.root().value.get("security").map(security_set);
    for (path, item) in map {
        let item = doc
            .resolve(Node {
                file: paths.file,
                value: item,
            })
            .0;
        let path_params = item.value.get("parameters").map(|v| Node {
            file: item.file,
            value: v,
        });
        for method in METHODS {
            let Some(op) = item.value.get(method) else {
                continue;
            };
            let op = doc
                .resolve(Node {
                    file: item.file,
                    value: op,
                })
                .0;
            let view = op_view(doc, path, op, path_params, global_security.clone());
            out.insert((method.to_uppercase(), normalized_path(path)), view);
        }
    }
    out
}

fn security_set(value: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for requirement in value.as_array().into_iter().flatten() {
        let Some(map) = requirement.as_object() else {
            continue;
        };
        let mut parts: Vec<String> = map
            .iter()
            .map(|(scheme, scopes)| {
                let mut scopes: Vec<&str> = scopes
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                scopes.sort_unstable();
                if scopes.is_empty() {
                    scheme.clone()
                } else {
                    format!("{scheme}({})", scopes.join(","))
                }
            })
            .collect();
        parts.sort();
        out.insert(if parts.is_empty() {
            "anonymous".to_string()
        } else {
            parts.join(" + ")
        });
    }
    out
}

fn op_view<'a>(
    doc: &'a OpenApiDoc,
    path: &str,
    op: Node<'a>,
    path_params: Option<Node<'a>>,
    global_security: Option<BTreeSet<String>>,
) -> OpView<'a> {
    let swagger = doc.version == SpecVersion::Swagger2;
    let template_params: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .collect();
    let mut params = BTreeMap::new();
    let mut body = None;
    let mut form: Option<Content<'a>> = None;
    let op_params = op.value.get("parameters").map(|v| Node {
        file: op.file,
        value: v,
    });
    for list in [path_params, op_params].into_iter().flatten() {
        for value in list.value.as_array().into_iter().flatten() {
            let node = doc
                .resolve(Node {
                    file: list.file,
                    value,
                })
                .0;
            let name = node
                .value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let location = node
                .value
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let required = node
                .value
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if swagger && location == "body" {
                let schema = doc.child(node, "schema");
                let content = consumes(doc, op).into_iter().map(|m| (m, schema)).collect();
                body = Some((required, content));
                continue;
            }
            let schema = if swagger {
                Some(node)
            } else {
                doc.child(node, "schema")
            };
            if swagger && location == "formData" {
                form.get_or_insert_with(BTreeMap::new);
            }
            let key_name = match template_params.iter().position(|p| *p == name) {
                Some(i) if location == "path" => format!("#{i}"),
                _ => name.clone(),
            };
            params.insert(
                (location.clone(), key_name),
                Param {
                    name,
                    location,
                    schema,
                    required,
                },
            );
        }
    }
    if !swagger {
        if let Some(rb) = doc.child(op, "requestBody") {
            let rb = doc.resolve(rb).0;
            let required = rb
                .value
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            body = Some((required, content_of(doc, rb)));
        }
    }
    let mut responses = BTreeMap::new();
    if let Some(resp) = doc.child(op, "responses") {
        for (status, value) in resp.value.as_object().into_iter().flatten() {
            if status.starts_with("x-") {
                continue;
            }
            let r = doc
                .resolve(Node {
                    file: resp.file,
                    value,
                })
                .0;
            let content = if swagger {
                match doc.child(r, "schema") {
                    Some(schema) => produces(doc, op)
                        .into_iter()
                        .map(|m| (m, Some(schema)))
                        .collect(),
                    None => BTreeMap::new(),
                }
            } else {
                content_of(doc, r)
            };
            let headers = match doc
                .child(r, "headers")
                .and_then(|h| h.value.as_object().map(|m| (h.file, m)))
            {
                Some((file, map)) => map
                    .iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), Node { file, value: v }))
                    .collect(),
                None => BTreeMap::new(),
            };
            responses.insert(status.to_ascii_uppercase(), (content, headers));
        }
    }
    let security = op
        .value
        .get("security")
        .map(security_set)
        .or(global_security);
    let deprecated = op
        .value
        .get("deprecated")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    OpView {
        path: path.to_string(),
        node: op,
        params,
        body,
        responses,
        security,
        deprecated,
    }
}

fn media_list(value: Option<&Value>) -> Option<Vec<String>> {
    let list: Vec<String> = value?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    if list.is_empty() {
        None
    } else {
        Some(list)
    }
}

fn consumes(doc: &OpenApiDoc, op: Node<'_>) -> Vec<String> {
    media_list(op.value.get("consumes"))
        .or_else(|| media_list(doc.root().value.get("consumes")))
        .unwrap_or_else(|| vec!["application/json".into()])
}

fn produces(doc: &OpenApiDoc, op: Node<'_>) -> Vec<String> {
    media_list(op.value.get("produces"))
        .or_else(|| media_list(doc.root().value.get("produces")))
        .unwrap_or_else(|| vec!["application/json".into()])
}

fn content_of<'a>(doc: &'a OpenApiDoc, node: Node<'a>) -> Content<'a> {
    let mut out = BTreeMap::new();
    if let Some(content) = doc.child(node, "content") {
        for (media, value) in content.value.as_object().into_iter().flatten() {
            out.insert(
                media.clone(),
                doc.child(
                    Node {
                        file: content.file,
                        value,
                    },
                    "schema",
                ),
            );
        }
    }
    out
}

fn diff_operation<'a>(d: &mut SchemaDiffer<'a>, old: &OpView<'a>, new: &OpView<'a>, label: &str) {
    let push =
        |d: &mut SchemaDiffer<'a>, id: &str, level: Level, element: &str, message: String| {
            let location = if element.is_empty() {
                label.to_string()
            } else {
                format!("{label} {element}")
            };
            d.changes.push(Change::new(id, level, location, message));
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
                    ),
                    None => d.push(
                        "request-param-removed",
                        Level::Warning,
                        &site,
                        &at,
                        format!("{} parameter `{}` removed", op.location, op.name),
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
            );
        } else {
            d.push(
                "request-param-added",
                Level::Info,
                &site,
                &at,
                format!("optional {} parameter `{}` added", np.location, np.name),
            );
        }
    }
}

/// Server URLs (Swagger 2: host + basePath) at document, path and operation level.
fn diff_servers(d: &mut SchemaDiffer<'_>) {
    fn urls(doc: &OpenApiDoc) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        let root = doc.root().value;
        if doc.version == SpecVersion::Swagger2 {
            let host = root.get("host").and_then(Value::as_str).unwrap_or("");
            let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
            if !host.is_empty() || !base.is_empty() {
                out.insert(("servers".to_string(), format!("{host}{base}")));
            }
            return out;
        }
        let mut add = |scope: String, servers: Option<&Value>| {
            for s in servers.and_then(Value::as_array).into_iter().flatten() {
                if let Some(url) = s.get("url").and_then(Value::as_str) {
                    out.insert((scope.clone(), url.to_string()));
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
    for (scope, url) in old.difference(&new) {
        d.changes.push(Change::new(
            "server-removed",
            Level::Warning,
            scope.clone(),
            format!("server `{url}` removed"),
        ));
    }
    for (scope, url) in new.difference(&old) {
        d.changes.push(Change::new(
            "server-added",
            Level::Info,
            scope.clone(),
            format!("server `{url}` added"),
        ));
    }
}

#[cfg(test)]
#[path = "openapi_diff_tests.rs"]
mod tests;
