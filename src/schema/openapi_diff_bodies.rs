//! The request-body, response and component parts of the OpenAPI diff.

use super::*;

fn diff_content<'a>(
    d: &mut SchemaDiffer<'a>,
    old: &Content<'a>,
    new: &Content<'a>,
    site: &Site<'_>,
    (at, what): (&str, &str),
    (old_at, new_at): (Anchor, Anchor),
) {
    let direction = site.direction;
    for (media, old_schema) in old {
        match new.get(media) {
            None => {
                let (id, level) = match direction {
                    Direction::Request => ("request-body-media-type-removed", Level::Breaking),
                    Direction::Response => ("response-media-type-removed", Level::Breaking),
                };
                d.push(
                    id,
                    level,
                    site,
                    &format!("{at}.{media}"),
                    format!("{what} media type `{media}` removed"),
                    old_at,
                );
            }
            Some(new_schema) => {
                if let (Some(os), Some(ns)) = (old_schema, new_schema) {
                    let location = if old.len() == 1 && new.len() == 1 {
                        at.to_string()
                    } else {
                        format!("{at}[{media}]")
                    };
                    d.diff_schema(*os, *ns, site, &location, false);
                }
            }
        }
    }
    for media in new.keys().filter(|m| !old.contains_key(*m)) {
        let id = if direction == Direction::Request {
            "request-body-media-type-added"
        } else {
            "response-media-type-added"
        };
        d.push(
            id,
            Level::Info,
            site,
            &format!("{at}.{media}"),
            format!("{what} media type `{media}` added"),
            new_at,
        );
    }
}

/// The node of a part of an operation, or the operation's when it has none.
fn or_op<'a>(op: &OpView<'a>, node: Option<&Node<'a>>) -> Node<'a> {
    node.copied().unwrap_or(op.node)
}

pub(super) fn diff_body<'a>(
    d: &mut SchemaDiffer<'a>,
    old: &OpView<'a>,
    new: &OpView<'a>,
    label: &str,
) {
    let site = Site {
        direction: Direction::Request,
        root_prefix: "request-body",
        nested_prefix: "request-property",
        operation: label,
    };
    let old_at = Anchor::old(or_op(old, old.body_node.as_ref()));
    let new_at = Anchor::new(or_op(new, new.body_node.as_ref()));
    match (&old.body, &new.body) {
        (Some((or, oc)), Some((nr, nc))) => {
            if or != nr {
                let (id, level) = if *nr {
                    ("request-body-became-required", Level::Breaking)
                } else {
                    ("request-body-became-optional", Level::Info)
                };
                d.push(
                    id,
                    level,
                    &site,
                    "request.body",
                    "request body requirement changed".into(),
                    new_at,
                );
            }
            diff_content(
                d,
                oc,
                nc,
                &site,
                ("request.body", "request body"),
                (old_at, new_at),
            );
        }
        (None, Some((required, _))) => {
            let (id, level) = if *required {
                ("request-body-added-required", Level::Breaking)
            } else {
                ("request-body-added", Level::Info)
            };
            d.push(
                id,
                level,
                &site,
                "request.body",
                "request body added".into(),
                new_at,
            );
        }
        (Some(_), None) => d.push(
            "request-body-removed",
            Level::Warning,
            &site,
            "request.body",
            "request body removed".into(),
            old_at,
        ),
        (None, None) => {}
    }
}

pub(super) fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

pub(super) fn diff_responses<'a>(
    d: &mut SchemaDiffer<'a>,
    old: &OpView<'a>,
    new: &OpView<'a>,
    label: &str,
) {
    for (status, (old_content, old_headers)) in &old.responses {
        let at = format!("response.{status}");
        let site = Site {
            direction: Direction::Response,
            root_prefix: "response-body",
            nested_prefix: "response-property",
            operation: label,
        };
        let old_at = Anchor::old(or_op(old, old.response_nodes.get(status)));
        let Some((new_content, new_headers)) = new.responses.get(status) else {
            let (id, level) = if is_success(status) {
                ("response-success-status-removed", Level::Breaking)
            } else {
                ("response-non-success-status-removed", Level::Warning)
            };
            d.push(
                id,
                level,
                &site,
                &at,
                format!("response status {status} removed"),
                old_at,
            );
            continue;
        };
        let new_at = Anchor::new(or_op(new, new.response_nodes.get(status)));
        diff_content(
            d,
            old_content,
            new_content,
            &site,
            (&format!("{at}.body"), "response"),
            (old_at, new_at),
        );
        let header_site = Site {
            root_prefix: "response-header",
            nested_prefix: "response-header-property",
            ..site
        };
        for (name, old_header) in old_headers {
            let h_at = format!("{at}.header.{name}");
            match new_headers.get(name) {
                None => {
                    let required = d
                        .old
                        .resolve(*old_header)
                        .0
                        .value
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    let level = if required {
                        Level::Breaking
                    } else {
                        Level::Warning
                    };
                    d.push(
                        "response-header-removed",
                        level,
                        &site,
                        &h_at,
                        format!("response header `{name}` removed"),
                        Anchor::old(*old_header),
                    );
                }
                Some(new_header) => {
                    let schema = |doc: &'a OpenApiDoc, h: Node<'a>| {
                        if doc.version == SpecVersion::Swagger2 {
                            Some(doc.resolve(h).0)
                        } else {
                            doc.child(h, "schema")
                        }
                    };
                    if let (Some(os), Some(ns)) =
                        (schema(d.old, *old_header), schema(d.new, *new_header))
                    {
                        d.diff_schema(os, ns, &header_site, &h_at, false);
                    }
                }
            }
        }
        for (name, header) in new_headers
            .iter()
            .filter(|(n, _)| !old_headers.contains_key(*n))
        {
            d.push(
                "response-header-added",
                Level::Info,
                &site,
                &format!("{at}.header.{name}"),
                format!("response header `{name}` added"),
                Anchor::new(*header),
            );
        }
    }
    for status in new
        .responses
        .keys()
        .filter(|s| !old.responses.contains_key(*s))
    {
        let site = Site {
            direction: Direction::Response,
            root_prefix: "response",
            nested_prefix: "response",
            operation: label,
        };
        let id = if is_success(status) {
            "response-success-status-added"
        } else {
            "response-non-success-status-added"
        };
        d.push(
            id,
            Level::Info,
            &site,
            &format!("response.{status}"),
            format!("response status {status} added"),
            Anchor::new(or_op(new, new.response_nodes.get(status))),
        );
    }
}

/// Component schemas added or removed (changes inside them are reported where they are used).
pub(super) fn diff_components(d: &mut SchemaDiffer<'_>) {
    fn schemas(doc: &OpenApiDoc) -> BTreeMap<String, &Value> {
        let root = doc.root().value;
        let map = root
            .pointer("/components/schemas")
            .or_else(|| root.get("definitions"));
        map.and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v)).collect())
            .unwrap_or_default()
    }
    let (old, new) = (schemas(d.old), schemas(d.new));
    for (name, value) in old.iter().filter(|(k, _)| !new.contains_key(*k)) {
        d.record(
            Change::new(
                "component-schema-removed",
                Level::Info,
                format!("components.schemas.{name}"),
                format!("schema `{name}` removed"),
            ),
            Anchor::old(Node { file: 0, value }),
        );
    }
    for (name, value) in new.iter().filter(|(k, _)| !old.contains_key(*k)) {
        d.record(
            Change::new(
                "component-schema-added",
                Level::Info,
                format!("components.schemas.{name}"),
                format!("schema `{name}` added"),
            ),
            Anchor::new(Node { file: 0, value }),
        );
    }
}
