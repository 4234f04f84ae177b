//! The list of every schema check: each change id `schema diff` and `schema check` can
//! report, its level(s) and a one-line example. `docs/schema-checks.md` is generated from it
//! ([`markdown`]; `tests/schema_checks_page.rs` fails when the page is stale), and in the
//! crate's own tests every [`Change`](super::Change) made is looked up here, so an id or a
//! level missing from this list fails them.

use super::Level;
use std::collections::BTreeMap;
use std::fmt::Write;

use Level::{Breaking as B, Info as I, Warning as W};

/// A check with a fixed id.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    pub id: &'static str,
    /// `openapi`, `protobuf`, or `any` (both kinds of spec).
    pub format: &'static str,
    /// Every level the check is reported at; more than one when the example says on what
    /// it depends.
    pub levels: &'static [Level],
    pub example: &'static str,
}

const fn c(
    id: &'static str,
    format: &'static str,
    levels: &'static [Level],
    example: &'static str,
) -> Check {
    Check {
        id,
        format,
        levels,
        example,
    }
}

/// Checks of operations, parameters, bodies, responses, security, servers and components,
/// of Protobuf packages, and of specs appearing or going away.
pub const CHECKS: &[Check] = &[
    // Whole specs (`schema check`).
    c("spec-added", "any", &[I], "`schema check --base main`: `specs/new.yaml` exists only on this branch"),
    c("spec-removed", "any", &[B], "`schema check --staged`: `specs/orders.yaml` is deleted in the index"),
    // Operations.
    c("endpoint-added", "openapi", &[I], "`GET /orders/{id}/items` appears"),
    c("endpoint-removed", "openapi", &[B], "`DELETE /orders/{id}` is gone and was not deprecated"),
    c("endpoint-removed-after-deprecation", "openapi", &[I], "`GET /v1/orders`, `deprecated: true` before, is gone (its sunset, if any, has passed)"),
    c("endpoint-removed-before-sunset", "openapi", &[B], "`GET /v1/orders`, deprecated with `x-sunset: 2099-01-01`, is gone before that date"),
    c("endpoint-deprecated", "openapi", &[I], "`GET /v1/orders` gets `deprecated: true`"),
    c("endpoint-reactivated", "openapi", &[I], "`GET /v1/orders` loses `deprecated: true`"),
    c("operation-id-changed", "openapi", &[W], "`operationId: getOrder` becomes `getOrderById` (generated clients rename the method)"),
    c("endpoint-security-added", "openapi", &[I], "`security: [{apiKey: []}]` gains `{oauth: [read]}`"),
    c("endpoint-security-removed", "openapi", &[B, I], "`apiKey` is dropped while `oauth` stays (breaking); the last requirement goes (info: the endpoint is open)"),
    // Parameters.
    c("request-param-added", "openapi", &[I], "optional query parameter `limit` added"),
    c("request-required-param-added", "openapi", &[B], "required header `X-Tenant` added"),
    c("request-param-removed", "openapi", &[W], "query parameter `page` removed (clients still send it)"),
    c("request-param-moved", "openapi", &[B], "`token` moves from the query to a header"),
    c("request-param-became-required", "openapi", &[B], "query parameter `status` gets `required: true`"),
    c("request-param-became-optional", "openapi", &[I], "query parameter `status` loses `required: true`"),
    c("request-path-param-renamed", "openapi", &[I], "`/orders/{id}` becomes `/orders/{orderId}` (same place, same URL)"),
    // Request bodies.
    c("request-body-added", "openapi", &[I], "an optional request body added to `POST /orders/{id}/cancel`"),
    c("request-body-added-required", "openapi", &[B], "a required request body added to `POST /orders/{id}/cancel`"),
    c("request-body-removed", "openapi", &[W], "`PUT /orders/{id}` no longer declares a body"),
    c("request-body-became-required", "openapi", &[B], "`requestBody.required` false → true"),
    c("request-body-became-optional", "openapi", &[I], "`requestBody.required` true → false"),
    c("request-body-media-type-added", "openapi", &[I], "the body also accepts `application/xml`"),
    c("request-body-media-type-removed", "openapi", &[B], "the body no longer accepts `application/xml`"),
    // Responses.
    c("response-success-status-added", "openapi", &[I], "`202` added next to `200`"),
    c("response-success-status-removed", "openapi", &[B], "`200` removed (only `202` is left)"),
    c("response-non-success-status-added", "openapi", &[I], "`404` added"),
    c("response-non-success-status-removed", "openapi", &[W], "`409` removed"),
    c("response-media-type-added", "openapi", &[I], "`200` also answers `text/csv`"),
    c("response-media-type-removed", "openapi", &[B], "`200` no longer answers `application/xml`"),
    c("response-header-added", "openapi", &[I], "`200` declares header `X-Rate-Limit`"),
    c("response-header-removed", "openapi", &[B, W], "header `ETag` removed: breaking when it was `required`, else a warning"),
    // Response properties (request properties and headers' are below, per prefix).
    c("response-required-property-removed", "openapi", &[B, I], "required `currency` no longer in the `200` body (info when it was `writeOnly`)"),
    c("response-optional-property-removed", "openapi", &[W, I], "optional `note` no longer in the `200` body (info when it was `writeOnly`)"),
    // Documents.
    c("component-schema-added", "openapi", &[I], "`components.schemas.Refund` added"),
    c("component-schema-removed", "openapi", &[I], "`components.schemas.Legacy` removed (what used it is reported where it was used)"),
    c("server-added", "openapi", &[I], "server `https://eu.api.example.com` added"),
    c("server-removed", "openapi", &[W], "server `https://api-old.example.com` removed"),
    // Protobuf files and packages.
    c("file-added", "protobuf", &[I], "`orders/v1/refunds.proto` added"),
    c("file-removed", "protobuf", &[B], "`orders/v1/legacy.proto` removed"),
    c("file-package-changed", "protobuf", &[B], "`package orders.v1;` becomes `package orders.v2;`"),
    c("package-added", "protobuf", &[I], "package `billing.v1` appears"),
    c("package-removed", "protobuf", &[B], "package `billing.v1` is gone"),
    // Protobuf messages and fields.
    c("message-added", "protobuf", &[I], "message `Refund` added"),
    c("message-removed", "protobuf", &[B], "message `Refund` removed"),
    c("field-added", "protobuf", &[I], "`string note = 7;` added"),
    c("field-removed", "protobuf", &[B], "`string note = 7;` removed, `reserved 7;` added"),
    c("field-removed-without-reserve", "protobuf", &[B], "`string note = 7;` removed and 7 not reserved (it can be reused)"),
    c("field-number-changed", "protobuf", &[B], "`string note = 7;` becomes `string note = 8;`"),
    c("field-name-changed", "protobuf", &[B], "field 7 `note` becomes `comment` (JSON and text formats break)"),
    c("field-json-name-changed", "protobuf", &[B], "`[json_name = \"note\"]` becomes `\"remark\"`"),
    c("field-type-changed", "protobuf", &[B], "field 7 `string` becomes `bytes`"),
    c("field-cardinality-changed", "protobuf", &[B], "field 7 `string` becomes `repeated string`"),
    c("field-oneof-changed", "protobuf", &[B], "field 7 moves into `oneof payment`"),
    c("oneof-added", "protobuf", &[I], "`oneof payment { … }` added"),
    c("oneof-removed", "protobuf", &[B], "`oneof payment { … }` removed"),
    c("reserved-range-removed", "protobuf", &[B], "`reserved 7 to 9;` removed"),
    c("reserved-name-removed", "protobuf", &[B], "`reserved \"note\";` removed"),
    // Protobuf enums.
    c("enum-added", "protobuf", &[I], "enum `Status` added"),
    c("enum-removed", "protobuf", &[B], "enum `Status` removed"),
    c("enum-value-added", "protobuf", &[I], "`SHIPPED = 3;` added"),
    c("enum-value-removed", "protobuf", &[B], "`SHIPPED = 3;` removed, `reserved 3;` added"),
    c("enum-value-removed-without-reserve", "protobuf", &[B], "`SHIPPED = 3;` removed and 3 not reserved"),
    c("enum-value-number-changed", "protobuf", &[B], "`SHIPPED = 3;` becomes `SHIPPED = 4;`"),
    c("enum-value-name-changed", "protobuf", &[B], "value 3 `SHIPPED` becomes `SENT`"),
    // Protobuf services.
    c("service-added", "protobuf", &[I], "service `Refunds` added"),
    c("service-removed", "protobuf", &[B], "service `Refunds` removed"),
    c("rpc-added", "protobuf", &[I], "`rpc Cancel(CancelRequest) returns (Order);` added"),
    c("rpc-removed", "protobuf", &[B], "`rpc Cancel` removed"),
    c("rpc-request-type-changed", "protobuf", &[B], "`rpc Cancel(CancelRequest)` becomes `rpc Cancel(OrderRef)`"),
    c("rpc-response-type-changed", "protobuf", &[B], "`returns (Order)` becomes `returns (CancelResult)`"),
    c("rpc-client-streaming-changed", "protobuf", &[B], "`rpc Upload(Chunk)` becomes `rpc Upload(stream Chunk)`"),
    c("rpc-server-streaming-changed", "protobuf", &[B], "`returns (Order)` becomes `returns (stream Order)`"),
    c("rpc-idempotency-level-changed", "protobuf", &[B], "`option idempotency_level = NO_SIDE_EFFECTS;` added or changed"),
];

/// Where a compared JSON schema sits: the prefix of its ids and who sends the data.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    pub prefix: &'static str,
    /// The client sends this data (a request); else the server does (a response).
    pub request: bool,
    /// A property inside the schema of a parameter, body or header (not the schema itself).
    pub property: bool,
    pub what: &'static str,
}

const fn site(prefix: &'static str, request: bool, property: bool, what: &'static str) -> Site {
    Site {
        prefix,
        request,
        property,
        what,
    }
}

/// Every place a schema is compared, request sides first.
pub const SITES: &[Site] = &[
    site("request-param", true, false, "a parameter's schema"),
    site(
        "request-param-property",
        true,
        true,
        "a property (at any depth) of a parameter's schema",
    ),
    site("request-body", true, false, "the request body's schema"),
    site(
        "request-property",
        true,
        true,
        "a property (at any depth) of the request body",
    ),
    site("response-body", false, false, "a response body's schema"),
    site(
        "response-property",
        false,
        true,
        "a property (at any depth) of a response body",
    ),
    site(
        "response-header",
        false,
        false,
        "a response header's schema",
    ),
    site(
        "response-header-property",
        false,
        true,
        "a property (at any depth) of a response header's schema",
    ),
];

/// A check of a schema's keywords, reported as `<prefix>-<suffix>` at every [`Site`]; its
/// level depends on who sends the data: narrowing what a request may hold, or widening
/// what a response may hold, breaks clients.
#[derive(Debug, Clone, Copy)]
pub struct SchemaCheck {
    pub suffix: &'static str,
    pub request: &'static [Level],
    pub response: &'static [Level],
    pub example: &'static str,
}

const fn s(
    suffix: &'static str,
    request: &'static [Level],
    response: &'static [Level],
    example: &'static str,
) -> SchemaCheck {
    SchemaCheck {
        suffix,
        request,
        response,
        example,
    }
}

/// The levels of a schema check: in a request, in a response.
pub type Sides = (&'static [Level], &'static [Level]);

/// Narrows the accepted values: breaks requests, fine for responses.
const NARROW: Sides = (&[B], &[I]);
/// Widens the accepted values: fine for requests, a warning for responses.
const WIDEN: Sides = (&[I], &[W]);

/// Bounds: keyword, kebab name, whether it is an upper bound (the differ compares these).
pub(crate) const BOUNDS: [(&str, &str, bool); 8] = [
    ("maxLength", "max-length", true),
    ("minLength", "min-length", false),
    ("maximum", "max", true),
    ("minimum", "min", false),
    ("maxItems", "max-items", true),
    ("minItems", "min-items", false),
    ("maxProperties", "max-properties", true),
    ("minProperties", "min-properties", false),
];

/// The keyword checks other than bounds (see [`bound_checks`]).
pub const SCHEMA_CHECKS: &[SchemaCheck] = &[
    s("type-changed", &[B, I], &[B, I], "`type: integer` → `type: string` (info when a request widens, `integer` → `number`, or a response narrows)"),
    s("format-changed", &[B, I], &[B, I, W], "`format: int32` → `int64` is breaking; adding a format narrows, removing one widens"),
    s("became-nullable", &[I], &[B], "`nullable: true` (or `type: [string, \"null\"]`) added"),
    s("became-not-nullable", NARROW.0, NARROW.1, "`nullable: true` removed"),
    s("became-enum", NARROW.0, NARROW.1, "`enum: [open, closed]` added to a free string"),
    s("enum-removed", WIDEN.0, WIDEN.1, "the `enum` goes, any string is allowed"),
    s("enum-value-added", WIDEN.0, WIDEN.1, "`enum: [open, closed]` → `[open, closed, held]`"),
    s("enum-value-removed", NARROW.0, NARROW.1, "`enum: [open, closed, shipped]` → `[open, closed]`"),
    s("pattern-added", &[W], &[I], "`pattern: ^[A-Z]{3}$` added"),
    s("pattern-removed", WIDEN.0, WIDEN.1, "`pattern: ^[A-Z]{3}$` removed"),
    s("pattern-changed", &[W], &[W], "`pattern: ^[A-Z]{3}$` → `^[A-Z]{2,3}$`"),
    s("became-read-only", &[W], &[I], "`readOnly: true` added (a request stops sending it)"),
    s("became-not-read-only", &[I], &[I], "`readOnly: true` removed"),
    s("became-write-only", &[I], &[W], "`writeOnly: true` added (a response stops returning it)"),
    s("became-not-write-only", &[I], &[I], "`writeOnly: true` removed"),
    s("default-changed", &[W], &[I], "`default: 20` → `default: 50`"),
    s("one-of-added", WIDEN.0, WIDEN.1, "a third `oneOf` branch `#/components/schemas/Voucher`"),
    s("one-of-removed", NARROW.0, NARROW.1, "the `oneOf` branch `#/components/schemas/Voucher` removed"),
    s("any-of-added", WIDEN.0, WIDEN.1, "an `anyOf` branch added"),
    s("any-of-removed", NARROW.0, NARROW.1, "an `anyOf` branch removed"),
];

/// The bound checks: `<bound>-decreased|increased|set|removed` for the eight bounds.
pub fn bound_checks() -> Vec<(String, &'static str, Sides)> {
    let mut out = Vec::new();
    for (keyword, name, upper) in BOUNDS {
        for (what, narrows) in [
            ("decreased", upper),
            ("increased", !upper),
            ("set", true),
            ("removed", false),
        ] {
            let levels = if narrows { NARROW } else { WIDEN };
            out.push((format!("{name}-{what}"), keyword, levels));
        }
    }
    out
}

/// A check about a property of an object (added, removed, required or not), reported at the
/// property sites; `{p}` stands for the site's prefix.
#[derive(Debug, Clone, Copy)]
pub struct PropertyCheck {
    pub pattern: &'static str,
    /// The sites it applies to: request properties, response properties, or both.
    pub request: Option<&'static [Level]>,
    pub response: Option<&'static [Level]>,
    pub example: &'static str,
    /// Response property sites whose id differs (`response-property` reports removals as
    /// `response-required-property-removed` / `response-optional-property-removed`).
    pub not_at: &'static [&'static str],
}

/// Property checks. A property the other side never sees (`readOnly` in a request,
/// `writeOnly` in a response) is info.
pub const PROPERTY_CHECKS: &[PropertyCheck] = &[
    PropertyCheck {
        pattern: "{p}-added",
        request: Some(&[I]),
        response: Some(&[I]),
        example: "optional `note` added (in a response, also a required one)",
        not_at: &[],
    },
    PropertyCheck {
        pattern: "new-required-{p}",
        request: Some(&[B]),
        response: None,
        example: "required `customer` added to a request body",
        not_at: &[],
    },
    PropertyCheck {
        pattern: "{p}-removed",
        request: Some(&[W, I]),
        response: Some(&[B, W, I]),
        example: "`note` removed: breaking from a response when it was required, else a warning",
        not_at: &["response-property"],
    },
    PropertyCheck {
        pattern: "{p}-became-required",
        request: Some(&[B, I]),
        response: Some(&[I]),
        example: "`customer` added to `required`",
        not_at: &[],
    },
    PropertyCheck {
        pattern: "{p}-became-optional",
        request: Some(&[I]),
        response: Some(&[B, I]),
        example: "`currency` dropped from `required` (a response may leave it out)",
        not_at: &[],
    },
];

fn push(map: &mut BTreeMap<String, Vec<Level>>, id: String, levels: &[Level]) {
    let entry = map.entry(id).or_default();
    for level in levels {
        if !entry.contains(level) {
            entry.push(*level);
        }
    }
    entry.sort();
}

/// Every id with its levels, generated from the lists above.
pub fn all() -> BTreeMap<String, Vec<Level>> {
    let mut map = BTreeMap::new();
    for check in CHECKS {
        push(&mut map, check.id.to_string(), check.levels);
    }
    let bounds = bound_checks();
    for site in SITES {
        let pick = |(request, response): Sides| {
            if site.request {
                request
            } else {
                response
            }
        };
        for check in SCHEMA_CHECKS {
            let id = format!("{}-{}", site.prefix, check.suffix);
            push(&mut map, id, pick((check.request, check.response)));
        }
        for (suffix, _, levels) in &bounds {
            push(&mut map, format!("{}-{suffix}", site.prefix), pick(*levels));
        }
        if site.property {
            for check in PROPERTY_CHECKS {
                let levels = if site.request {
                    check.request
                } else {
                    check.response
                };
                if let Some(levels) = levels.filter(|_| !check.not_at.contains(&site.prefix)) {
                    push(&mut map, check.pattern.replace("{p}", site.prefix), levels);
                }
            }
        }
    }
    map
}

/// Whether `id` at `level` is in the list (the crate's tests assert it of every change).
pub fn is_listed(id: &str, level: Level) -> bool {
    use std::sync::OnceLock;
    static ALL: OnceLock<BTreeMap<String, Vec<Level>>> = OnceLock::new();
    ALL.get_or_init(all)
        .get(id)
        .is_some_and(|levels| levels.contains(&level))
}

fn levels_text(levels: &[Level]) -> String {
    levels
        .iter()
        .map(Level::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `docs/schema-checks.md`.
pub fn markdown() -> String {
    let mut md = String::new();
    let w = &mut md;
    let _ = writeln!(w, "# Schema checks");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "<!-- Generated from src/schema/checks.rs by tests/schema_checks_page.rs; do not edit. \
         Regenerate with: MOCKOPS_UPDATE_DOCS=1 cargo test --test schema_checks_page -->"
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Every change `schema diff` and `schema check` report has a stable id and a level \
         (see [Schema changes](schema.md)): **breaking** (existing clients fail), **warning** \
         (they may) or **info**. Where a check has more than one level, its example says on \
         what the level depends. The ids are the same in every output format."
    );
    let _ = writeln!(w);
    let sections = [
        ("Whole specs", "any"),
        (
            "OpenAPI: operations, parameters, bodies, responses, documents",
            "openapi",
        ),
        ("Protobuf", "protobuf"),
    ];
    for (title, format) in sections {
        let _ = writeln!(w, "## {title}");
        let _ = writeln!(w);
        let _ = writeln!(w, "| id | level | example |");
        let _ = writeln!(w, "|---|---|---|");
        for check in CHECKS.iter().filter(|c| c.format == format) {
            let _ = writeln!(
                w,
                "| `{}` | {} | {} |",
                check.id,
                levels_text(check.levels),
                check.example.replace('|', "\\|")
            );
        }
        let _ = writeln!(w);
    }
    let _ = writeln!(w, "## OpenAPI: schemas");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Schemas are compared through `$ref`s, `allOf`, `oneOf`, `anyOf`, `items` and \
         `additionalProperties`, in the direction the data flows: a request may accept more \
         and a response may return less without breaking anyone. A schema check's id is the \
         prefix of where the schema sits, then the check: `request-property-type-changed`, \
         `response-header-max-length-decreased`."
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "| prefix | where | data sent by |");
    let _ = writeln!(w, "|---|---|---|");
    for site in SITES {
        let by = if site.request { "client" } else { "server" };
        let _ = writeln!(w, "| `{}-` | {} | {by} |", site.prefix, site.what);
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "| check | in a request | in a response | example |");
    let _ = writeln!(w, "|---|---|---|---|");
    for check in SCHEMA_CHECKS {
        let _ = writeln!(
            w,
            "| `…-{}` | {} | {} | {} |",
            check.suffix,
            levels_text(check.request),
            levels_text(check.response),
            check.example.replace('|', "\\|")
        );
    }
    for (suffix, keyword, (request, response)) in bound_checks() {
        let what = suffix.rsplit('-').next().unwrap_or("");
        let example = match what {
            "set" => format!("`{keyword}` added"),
            "removed" => format!("`{keyword}` removed"),
            _ => format!("`{keyword}` {what}"),
        };
        let _ = writeln!(
            w,
            "| `…-{suffix}` | {} | {} | {example} |",
            levels_text(request),
            levels_text(response)
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Properties of objects, at the property prefixes (`request-param-property`, \
         `request-property`, `response-property`, `response-header-property`; `{{p}}` is the \
         prefix). A property the receiving side never sees (`readOnly` in a request, \
         `writeOnly` in a response) changes at level info."
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "| id | in a request | in a response | example |");
    let _ = writeln!(w, "|---|---|---|---|");
    for check in PROPERTY_CHECKS {
        let side = |levels: Option<&[Level]>| levels.map_or("—".to_string(), levels_text);
        let mut example = check.example.to_string();
        for site in check.not_at {
            let _ = write!(example, " (not at `{site}`: see above)");
        }
        let _ = writeln!(
            w,
            "| `{}` | {} | {} | {example} |",
            check.pattern,
            side(check.request),
            side(check.response)
        );
    }
    let _ = writeln!(w);
    let all = all();
    let _ = writeln!(w, "## Every id");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "All {} ids, in alphabetical order, with their levels.",
        all.len()
    );
    let _ = writeln!(w);
    for (id, levels) in &all {
        let _ = writeln!(w, "- `{id}` — {}", levels_text(levels));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for check in CHECKS {
            assert!(seen.insert(check.id), "{} is listed twice", check.id);
        }
        let kebab = regex::Regex::new(r"^[a-z0-9]+(-[a-z0-9]+)*$").unwrap();
        for id in all().keys() {
            assert!(kebab.is_match(id), "{id}");
        }
    }

    #[test]
    fn the_list_holds_what_the_differ_reports_and_nothing_else() {
        assert!(is_listed("endpoint-removed", Level::Breaking));
        assert!(!is_listed("endpoint-removed", Level::Info));
        assert!(is_listed(
            "request-property-max-length-decreased",
            Level::Breaking
        ));
        assert!(is_listed(
            "response-property-max-length-decreased",
            Level::Info
        ));
        assert!(is_listed("new-required-request-property", Level::Breaking));
        assert!(!is_listed(
            "new-required-response-property",
            Level::Breaking
        ));
        assert!(!is_listed("response-property-removed", Level::Warning));
        assert!(is_listed(
            "response-header-property-removed",
            Level::Breaking
        ));
        assert!(!is_listed("no-such-check", Level::Info));
    }
}
