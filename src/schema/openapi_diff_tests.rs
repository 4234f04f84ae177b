use super::*;
use crate::schema::openapi::parse;

fn spec(request_props: &str, required: &str, response_props: &str) -> String {
    format!(
        "openapi: 3.0.0\npaths:\n  /pets/{{id}}:\n    post:\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              required: [{required}]\n              properties: {{{request_props}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Pet'\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: [name]\n      properties: {{{response_props}}}\n"
    )
}

fn changes(old: &str, new: &str) -> Vec<Change> {
    let (o, n) = (
        parse("old.yaml", old).expect("old"),
        parse("new.yaml", new).expect("new"),
    );
    diff_on(&o, &n, "2026-01-01").expect("diff")
}

fn find<'c>(changes: &'c [Change], id: &str) -> &'c Change {
    changes
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id} in {changes:?}"))
}

#[test]
fn property_changes_follow_the_direction_of_the_data() {
    let base = spec("a: {type: string}", "a", "name: {type: string}, tag: {type: string, enum: [x]}, self: {$ref: '#/components/schemas/Pet'}");
    let more = spec("a: {type: string}, b: {type: string}", "a", "name: {type: string}, tag: {type: string, enum: [x, y]}, self: {$ref: '#/components/schemas/Pet'}");
    let c = changes(&base, &more);
    assert_eq!(find(&c, "request-property-added").level, Level::Info);
    assert_eq!(
        find(&c, "response-property-enum-value-added").level,
        Level::Warning
    );
    assert_eq!(
        find(&c, "response-property-enum-value-added").location,
        "POST /pets/{id} response.200.body.tag"
    );
    let c = changes(&more, &base);
    assert_eq!(find(&c, "request-property-removed").level, Level::Warning);
    assert_eq!(
        find(&c, "response-property-enum-value-removed").level,
        Level::Info
    );
    let fewer = spec(
        "a: {type: string}",
        "a",
        "tag: {type: string, enum: [x]}, self: {$ref: '#/components/schemas/Pet'}",
    );
    let c = changes(&base, &fewer);
    assert_eq!(
        find(&c, "response-required-property-removed").level,
        Level::Breaking
    );
    let required = spec("a: {type: string}, b: {type: string}", "a, b", "name: {type: string}, tag: {type: string, enum: [x, y]}, self: {$ref: '#/components/schemas/Pet'}");
    assert_eq!(
        find(
            &changes(&more, &required),
            "request-property-became-required"
        )
        .level,
        Level::Breaking
    );
    assert_eq!(
        find(&changes(&base, &required), "new-required-request-property").level,
        Level::Breaking
    );
    let typed = spec("a: {type: integer}", "a", "name: {type: integer}, tag: {type: string, enum: [x]}, self: {$ref: '#/components/schemas/Pet'}");
    let c = changes(&base, &typed);
    assert_eq!(
        find(&c, "request-property-type-changed").level,
        Level::Breaking
    );
    assert_eq!(
        find(&c, "response-property-type-changed").level,
        Level::Breaking
    );
}

#[test]
fn cyclic_schema_diffs_without_hanging_and_self_diff_is_empty() {
    let base = spec(
        "a: {type: string}",
        "a",
        "name: {type: string}, self: {$ref: '#/components/schemas/Pet'}",
    );
    assert!(changes(&base, &base).is_empty());
    let nullable = spec(
        "a: {type: string}",
        "a",
        "name: {type: string, nullable: true}, self: {$ref: '#/components/schemas/Pet'}",
    );
    let c = changes(&base, &nullable);
    assert_eq!(
        find(&c, "response-property-became-nullable").level,
        Level::Breaking
    );
}

#[test]
fn parameters_added_removed_moved_and_required() {
    let with = |params: &str| {
        format!("openapi: 3.0.0\npaths:\n  /p:\n    get:\n      parameters: [{params}]\n      responses: {{'200': {{description: ok}}}}\n")
    };
    let base = with("{name: limit, in: query, schema: {type: integer}}");
    let c = changes(
        &base,
        &with("{name: limit, in: header, schema: {type: integer}}"),
    );
    assert_eq!(find(&c, "request-param-moved").level, Level::Breaking);
    let c = changes(
        &base,
        &with("{name: limit, in: query, required: true, schema: {type: integer}}"),
    );
    assert_eq!(
        find(&c, "request-param-became-required").location,
        "GET /p request.query.limit"
    );
    let c = changes(&base, &with("{name: limit, in: query, schema: {type: integer}}, {name: q, in: query, required: true, schema: {type: string}}"));
    assert_eq!(
        find(&c, "request-required-param-added").level,
        Level::Breaking
    );
    assert_eq!(
        find(&changes(&base, &with("")), "request-param-removed").level,
        Level::Warning
    );
}

#[test]
fn swagger2_body_and_response_schemas_are_compared() {
    let sw = |prop: &str| {
        format!("swagger: '2.0'\npaths:\n  /p:\n    post:\n      parameters:\n        - {{in: body, name: body, schema: {{$ref: '#/definitions/P'}}}}\n      responses:\n        '200': {{description: ok, schema: {{$ref: '#/definitions/P'}}}}\ndefinitions:\n  P:\n    type: object\n    properties: {{{prop}}}\n")
    };
    let c = changes(
        &sw("a: {type: string}"),
        &sw("a: {type: string, x-nullable: true}"),
    );
    assert_eq!(
        find(&c, "request-property-became-nullable").level,
        Level::Info
    );
    assert_eq!(
        find(&c, "response-property-became-nullable").level,
        Level::Breaking
    );
}

/// A spec whose `GET /a` answers `A`, with `schemas` (YAML, indented for `components.schemas`).
fn with_schemas(schemas: &str) -> String {
    format!("openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/A'}}\ncomponents:\n  schemas:\n{schemas}")
}

#[test]
fn recursive_schemas_reached_inline_on_one_side_and_by_ref_on_the_other_end() {
    // The shape of the Redoc petstore pair: a property that refers back to its own schema
    // through an inline `allOf` on one side and a plain `$ref` on the other.
    let inline = with_schemas("    A:\n      type: object\n      properties:\n        n: {type: integer}\n        self: {allOf: [{$ref: '#/components/schemas/A'}]}\n");
    let by_ref = with_schemas("    A:\n      type: object\n      properties:\n        n: {type: string}\n        self: {$ref: '#/components/schemas/A'}\n");
    for (old, new) in [(&inline, &by_ref), (&by_ref, &inline)] {
        let c = changes(old, new);
        let typed: Vec<&str> = c
            .iter()
            .filter(|c| c.id == "response-property-type-changed")
            .map(|c| c.location.as_str())
            .collect();
        // Reported where it is met first; the cycle is not followed round again.
        assert_eq!(typed.first(), Some(&"GET /a response.200.body.n"), "{c:?}");
        assert!(c.iter().all(|c| c.location.len() < 80), "{c:?}");
    }
}

#[test]
fn mutually_recursive_schemas_compare_in_both_directions() {
    let a = |t: &str| {
        with_schemas(&format!("    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/B'}}\n        v: {{type: {t}}}\n    B:\n      type: object\n      properties:\n        a: {{allOf: [{{$ref: '#/components/schemas/A'}}]}}\n        list: {{type: array, items: {{$ref: '#/components/schemas/A'}}}}\n"))
    };
    for (old, new) in [(a("string"), a("integer")), (a("integer"), a("string"))] {
        let c = changes(&old, &new);
        assert_eq!(
            find(&c, "response-property-type-changed").location,
            "GET /a response.200.body.v"
        );
    }
}

#[test]
fn schemas_nested_deeper_than_the_bound_are_a_located_error() {
    // A chain of distinct schemas (no cycle), each holding the next.
    let depth = crate::schema::schema_diff::MAX_DEPTH + 6;
    let chain = |last: &str| {
        let mut s = String::new();
        for i in 0..depth {
            s.push_str(&format!("    S{i}:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/S{}'}}\n", i + 1));
        }
        s.push_str(&format!("    S{depth}: {{type: {last}}}\n"));
        with_schemas(&s.replace("S0:", "A:").replace("/S0'", "/A'"))
    };
    let (o, n) = (
        parse("old.yaml", &chain("string")).expect("old"),
        parse("new.yaml", &chain("integer")).expect("new"),
    );
    for (old, new) in [(&o, &n), (&n, &o)] {
        let err = diff_on(old, new, "2026-01-01").expect_err("too deep");
        let text = err.to_string();
        assert!(
            text.starts_with("new.yaml: GET /a response.200.body.next.next")
                || text.starts_with("old.yaml: GET /a"),
            "{text}"
        );
        assert!(text.contains("nested more than 64 levels"), "{text}");
    }
}
