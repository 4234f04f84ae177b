use super::super::parse;
use crate::schema::SchemaError;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\n";

/// The error of loading `HEAD` + `rest` as `bad.yaml`.
fn error(rest: &str) -> String {
    let err = parse("bad.yaml", &format!("{HEAD}{rest}")).expect_err("must be rejected");
    assert!(matches!(err, SchemaError::NotOpenApi { .. }), "{err:?}");
    err.to_string()
}

#[test]
fn well_formed_documents_load() {
    parse(
        "good.yaml",
        &format!("{HEAD}paths: {{/a: {{get: {{responses: {{\"200\": {{description: ok}}}}}}}}}}\n"),
    )
    .expect("good");
    let v31 = "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\npaths:\n  /a:\n    parameters:\n      - {name: q, in: query, schema: true}\n    get:\n      responses:\n        2XX:\n          description: ok\n          content:\n            application/json:\n              schema: {type: [string, 'null'], items: false}\n        default: {description: d}\n        x-note: anything\n  x-ext: 1\n";
    parse("v31.yaml", v31).expect("3.1 booleans and type lists");
    let v2 = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      parameters:\n        - {name: b, in: body, schema: {type: object}}\n        - {name: f, in: formData, type: file}\n      responses:\n        200: {description: ok, schema: {type: array, items: {type: string}}, headers: {X-A: {type: integer}}}\n";
    parse("v2.yaml", v2).expect("swagger body and formData");
    // A key written without a value is empty, as the diff reads it (oasdiff's own fixtures).
    let empty = format!("{HEAD}paths:\n  /a:\n    get:\n      parameters:\n      responses:\n        '200':\n          content:\n  /b:\n    post:\n      responses:\n");
    parse("empty.yaml", &empty).expect("null is empty");
}

#[test]
fn responses_that_are_not_a_mapping() {
    assert_eq!(
        error("paths: {/a: {get: {responses: \"oops\"}}}\n"),
        "bad.yaml:3:31: paths./a.get.responses: expected a mapping of status codes, found a string"
    );
}

#[test]
fn paths_that_are_a_list() {
    assert_eq!(
        error("paths: []\n"),
        "bad.yaml:3:8: paths: expected a mapping of paths, found a list"
    );
}

#[test]
fn a_path_item_that_is_a_number() {
    assert_eq!(
        error("paths:\n  /a: 5\n"),
        "bad.yaml:4:7: paths./a: expected a path item mapping, found a number"
    );
}

#[test]
fn an_operation_that_is_a_string() {
    assert_eq!(
        error("paths:\n  /a:\n    get: \"x\"\n"),
        "bad.yaml:5:10: paths./a.get: expected an operation mapping, found a string"
    );
}

#[test]
fn parameters_that_are_a_mapping() {
    assert_eq!(
        error("paths:\n  /a:\n    get:\n      parameters: {a: 1}\n      responses: {}\n"),
        "bad.yaml:6:19: paths./a.get.parameters: expected a list of parameters, found a mapping"
    );
    assert_eq!(
        error("paths:\n  /a:\n    parameters: [7]\n"),
        "bad.yaml:5:18: paths./a.parameters[0]: expected a parameter mapping, found a number"
    );
}

#[test]
fn a_parameter_in_nowhere_or_without_in() {
    assert_eq!(
        error("paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: nowhere\n"),
        "bad.yaml:8:15: paths./a.get.parameters[0].in: expected one of path, query, header, cookie, found `nowhere`"
    );
    assert_eq!(
        error("paths:\n  /a:\n    get:\n      parameters:\n        - name: q\n"),
        "bad.yaml:7:11: paths./a.get.parameters[0]: missing `in` (expected one of path, query, header, cookie)"
    );
    // `cookie` is not a Swagger 2.0 location.
    let v2 = "swagger: '2.0'\npaths:\n  /a:\n    get:\n      parameters: [{name: c, in: cookie, type: string}]\n";
    assert_eq!(
        parse("v2.yaml", v2).expect_err("cookie").to_string(),
        "v2.yaml:5:34: paths./a.get.parameters[0].in: expected one of path, query, header, body, formData, found `cookie`"
    );
}

#[test]
fn a_schema_whose_type_is_a_number() {
    assert_eq!(
        error("paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: 42}\n"),
        "bad.yaml:11:30: paths./a.get.responses.200.content.application/json.schema.type: expected a type name (a string), found a number"
    );
    // A list of types is 3.1's, and its items are names.
    let v31 = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: [string, 1]}}\n";
    assert_eq!(
        parse("v31.yaml", v31).expect_err("type 1").to_string(),
        "v31.yaml:6:56: paths./a.get.parameters[0].schema.type[1]: expected a type name (a string), found a number"
    );
    // A boolean schema is 3.1's too.
    assert_eq!(
        error("paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: true}\n"),
        "bad.yaml:7:40: paths./a.get.parameters[0].schema: expected a schema mapping, found a boolean"
    );
}

#[test]
fn a_path_without_a_leading_slash() {
    assert_eq!(
        error("paths:\n  /a: {}\n  b: {}\n"),
        "bad.yaml:5:3: paths.b: expected a path starting with `/`, found `b`"
    );
}

#[test]
fn a_status_code_that_is_not_one() {
    assert_eq!(
        error("paths:\n  /a:\n    get:\n      responses:\n        ok: {description: ok}\n"),
        "bad.yaml:7:9: paths./a.get.responses.ok: expected a status code (`200`, `4XX` or `default`), found `ok`"
    );
}

#[test]
fn request_bodies_and_nested_schemas() {
    assert_eq!(
        error("paths:\n  /a:\n    post:\n      requestBody:\n        content: [application/json]\n"),
        "bad.yaml:7:18: paths./a.post.requestBody.content: expected a mapping of media types, found a list"
    );
    assert_eq!(
        error("paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              properties:\n                id: {allOf: {type: string}}\n"),
        "bad.yaml:11:29: paths./a.post.requestBody.content.application/json.schema.properties.id.allOf: expected a list of schemas, found a mapping"
    );
}

#[test]
fn a_problem_behind_a_ref_is_reported_where_it_is() {
    let text = "paths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/R'}\ncomponents:\n  responses:\n    R:\n      description: ok\n      headers:\n        X-Rate: {schema: {type: [integer]}}\n";
    assert_eq!(
        error(text),
        "bad.yaml:13:33: components.responses.R.headers.X-Rate.schema.type: expected a type name (a string), found a list"
    );
}

#[test]
fn a_problem_in_a_referenced_file_names_that_file() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("other.yaml"),
        "components:\n  parameters:\n    P:\n      name: p\n      in: body\n",
    )
    .expect("write");
    let main = format!("{HEAD}paths:\n  /a:\n    get:\n      parameters:\n        - $ref: 'other.yaml#/components/parameters/P'\n");
    std::fs::write(dir.path().join("main.yaml"), main).expect("write");
    let err = super::super::load(&dir.path().join("main.yaml")).expect_err("body in 3.0");
    let text = err.to_string();
    assert!(
        text.ends_with("other.yaml:5:11: components.parameters.P.in: expected one of path, query, header, cookie, found `body`"),
        "{text}"
    );
}
