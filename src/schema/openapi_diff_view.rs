//! The operation view the OpenAPI diff compares: every operation's parameters, request body,
//! responses, security and deprecation, normalized across Swagger 2 and OpenAPI 3.

use crate::schema::openapi::{Node, OpenApiDoc, SpecVersion};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A parameter of an operation, keyed by (location, name); path parameters by position.
pub(super) struct Param<'a> {
    /// The parameter's (resolved) node.
    pub(super) node: Node<'a>,
    pub(super) name: String,
    pub(super) location: String,
    pub(super) schema: Option<Node<'a>>,
    pub(super) required: bool,
}

/// Media type → schema of a request body or response.
pub(super) type Content<'a> = BTreeMap<String, Option<Node<'a>>>;

/// The parts of an operation the diff compares, normalized across Swagger 2 and OpenAPI 3.
pub(super) struct OpView<'a> {
    pub(super) path: String,
    pub(super) node: Node<'a>,
    pub(super) params: BTreeMap<(String, String), Param<'a>>,
    pub(super) body: Option<(bool, Content<'a>)>,
    /// The request body's node (Swagger 2: the `in: body` parameter).
    pub(super) body_node: Option<Node<'a>>,
    pub(super) responses: BTreeMap<String, (Content<'a>, BTreeMap<String, Node<'a>>)>,
    /// Each response's node, by status as in `responses`.
    pub(super) response_nodes: BTreeMap<String, Node<'a>>,
    pub(super) security: Option<BTreeSet<String>>,
    pub(super) deprecated: bool,
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

pub(super) fn operations(doc: &OpenApiDoc) -> BTreeMap<(String, String), OpView<'_>> {
    let global_security = doc.root().value.get("security").map(security_set);
    let mut out = BTreeMap::new();
    for node in doc.operation_nodes() {
        let path_params = node.item.value.get("parameters").map(|v| Node {
            file: node.item.file,
            value: v,
        });
        let view = op_view(
            doc,
            node.path,
            node.op,
            path_params,
            global_security.clone(),
        );
        out.insert(
            (node.method.to_uppercase(), normalized_path(node.path)),
            view,
        );
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
    let mut body_node = None;
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
                body_node = Some(node);
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
                    node,
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
            body_node = Some(rb);
        }
    }
    let mut responses = BTreeMap::new();
    let mut response_nodes = BTreeMap::new();
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
            response_nodes.insert(status.to_ascii_uppercase(), r);
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
        body_node,
        responses,
        response_nodes,
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
