//! The operation index of a loaded document: paths × methods with their declared responses
//! (JSON schemas made self-contained) and the base paths of its servers.

use super::{Node, OpenApiDoc, SpecVersion, METHODS};
use serde_json::Value;

/// One operation of the document (paths × methods).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub method: String,
    pub path: String,
    pub operation_id: Option<String>,
    pub responses: Vec<ResponseDecl>,
}

/// One declared response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDecl {
    pub status: String,
    /// The JSON response schema as a self-contained JSON Schema (2020-12), when there is one.
    pub json_schema: Option<Value>,
}

/// One operation as the document writes it: its path, the path item and the operation,
/// both with `$ref`s resolved.
pub(crate) struct OperationNode<'a> {
    pub path: &'a str,
    pub item: Node<'a>,
    /// Lower case, as in the document (`get`, `post`, …).
    pub method: &'static str,
    pub op: Node<'a>,
}

impl OpenApiDoc {
    /// Every operation, paths × methods, in document order: the one walk that both the
    /// operation index and the diff's operation views are built from.
    pub(crate) fn operation_nodes(&self) -> Vec<OperationNode<'_>> {
        let mut out = Vec::new();
        let Some(paths) = self.child(self.root(), "paths") else {
            return out;
        };
        let Some(map) = paths.value.as_object() else {
            return out;
        };
        for (path, item) in map {
            let item = self
                .resolve(Node {
                    file: paths.file,
                    value: item,
                })
                .0;
            for method in METHODS {
                let Some(op) = item.value.get(method) else {
                    continue;
                };
                let op = self
                    .resolve(Node {
                        file: item.file,
                        value: op,
                    })
                    .0;
                out.push(OperationNode {
                    path,
                    item,
                    method,
                    op,
                });
            }
        }
        out
    }

    /// Every operation, paths × methods, in document order.
    pub fn operations(&self) -> Vec<Operation> {
        self.operation_nodes()
            .into_iter()
            .map(|node| Operation {
                method: node.method.to_uppercase(),
                path: node.path.to_string(),
                operation_id: node
                    .op
                    .value
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                responses: self.response_decls(node.op),
            })
            .collect()
    }

    fn response_decls(&self, op: Node<'_>) -> Vec<ResponseDecl> {
        let Some(responses) = self.child(op, "responses") else {
            return Vec::new();
        };
        let Some(map) = responses.value.as_object() else {
            return Vec::new();
        };
        map.iter()
            .filter(|(status, _)| !status.starts_with("x-"))
            .map(|(status, response)| {
                let response = self
                    .resolve(Node {
                        file: responses.file,
                        value: response,
                    })
                    .0;
                let schema = self.json_response_schema(op, response);
                ResponseDecl {
                    status: status.clone(),
                    json_schema: schema
                        .map(|s| crate::schema::openapi_json::self_contained(self, s)),
                }
            })
            .collect()
    }

    fn json_response_schema<'a>(&'a self, op: Node<'a>, response: Node<'a>) -> Option<Node<'a>> {
        if self.version == SpecVersion::Swagger2 {
            let produces = op
                .value
                .get("produces")
                .or_else(|| self.root().value.get("produces"));
            let json = match produces.and_then(Value::as_array) {
                Some(list) if !list.is_empty() => list
                    .iter()
                    .filter_map(Value::as_str)
                    .any(is_json_media_type),
                _ => true,
            };
            return if json {
                self.child(response, "schema")
            } else {
                None
            };
        }
        let content = self.child(response, "content")?;
        let (_, media) = content
            .value
            .as_object()?
            .iter()
            .find(|(name, _)| is_json_media_type(name))?;
        self.child(
            Node {
                file: content.file,
                value: media,
            },
            "schema",
        )
    }

    /// The path part of each server URL (Swagger 2: `basePath`), without "" and "/".
    pub fn server_base_paths(&self) -> Vec<String> {
        let root = self.root().value;
        let mut out: Vec<String> = Vec::new();
        let mut push = |p: String| {
            let trimmed = p.trim_end_matches('/').to_string();
            if !trimmed.is_empty() && !out.contains(&trimmed) {
                out.push(trimmed);
            }
        };
        if self.version == SpecVersion::Swagger2 {
            if let Some(base) = root.get("basePath").and_then(Value::as_str) {
                push(base.to_string());
            }
            return out;
        }
        for server in root
            .get("servers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(url) = server.get("url").and_then(Value::as_str) else {
                continue;
            };
            let url = substitute_variables(url, server.get("variables"));
            push(url_path(&url));
        }
        out
    }
}

/// `application/json`, `application/problem+json`, `application/json; charset=utf-8`, `*/*`.
fn is_json_media_type(name: &str) -> bool {
    let essence = name
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

fn substitute_variables(url: &str, variables: Option<&Value>) -> String {
    let mut url = url.to_string();
    if let Some(vars) = variables.and_then(Value::as_object) {
        for (name, var) in vars {
            let default = var.get("default").and_then(Value::as_str).unwrap_or("");
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    url
}

/// The path of an absolute, scheme-relative or relative URL.
fn url_path(url: &str) -> String {
    let without_query = url.split(['?', '#']).next().unwrap_or("");
    let after_authority = if let Some(idx) = without_query.find("://") {
        without_query
            .get(idx + 3..)
            .map(|rest| rest.find('/').map(|i| &rest[i..]).unwrap_or(""))
    } else if let Some(rest) = without_query.strip_prefix("//") {
        Some(rest.find('/').map(|i| &rest[i..]).unwrap_or(""))
    } else {
        Some(without_query)
    };
    let path = after_authority.unwrap_or("");
    if path.is_empty() || path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}
