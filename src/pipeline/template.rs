//! Handlebars templates in step configs: strict rendering, mockops's helpers, typed
//! single-expression values, and the static reference scan used by `pipeline validate`.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason, ScopedJson,
};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

#[path = "template_syntax.rs"]
mod syntax;
use syntax::{place, syntax_error};

/// Helpers mockops registers beyond Handlebars' built-ins.
pub const MOCKOPS_HELPERS: &[&str] = &["json", "slug", "upper", "lower", "default", "shell_quote"];
/// Handlebars' built-in helpers.
pub const BUILTIN_HELPERS: &[&str] = &[
    "if", "unless", "each", "with", "lookup", "log", "eq", "ne", "gt", "gte", "lt", "lte", "and",
    "or", "not", "len",
];

/// A template that could not be rendered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateError {
    /// `at` is the line and column inside the template (1-based).
    #[error("template syntax error{}: {message}", place(.at))]
    Syntax {
        message: String,
        at: Option<(usize, usize)>,
    },
    #[error("missing value `{variable}`")]
    Missing { variable: String },
    #[error("template error: {0}")]
    Render(String),
}

fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        hb.register_helper("json", Box::new(JsonHelper));
        hb.register_helper("default", Box::new(DefaultHelper));
        hb.register_helper("upper", Box::new(StringHelper(|s| s.to_uppercase())));
        hb.register_helper("lower", Box::new(StringHelper(|s| s.to_lowercase())));
        hb.register_helper("slug", Box::new(StringHelper(slug)));
        hb.register_helper("shell_quote", Box::new(StringHelper(shell_quote)));
        hb
    })
}

/// Renders every string in `value` against `ctx`. A string that is exactly one
/// `{{expr}}` keeps the type of the value it names.
pub fn render_value(value: &Value, ctx: &Value) -> Result<Value, TemplateError> {
    match value {
        Value::String(s) => render_string_typed(s, ctx),
        Value::Array(items) => items
            .iter()
            .map(|v| render_value(v, ctx))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                out.insert(k.clone(), render_value(v, ctx)?);
            }
            Ok(Value::Object(out))
        }
        other => Ok(other.clone()),
    }
}

fn render_string_typed(s: &str, ctx: &Value) -> Result<Value, TemplateError> {
    if !s.contains("{{") {
        return Ok(Value::String(s.to_string()));
    }
    if let Some(expr) = single_expression(s) {
        let tokens = tokenize(expr);
        match tokens.as_slice() {
            [path] if is_path(path) => {
                return lookup(ctx, path)
                    .cloned()
                    .ok_or_else(|| TemplateError::Missing {
                        variable: path.to_string(),
                    })
            }
            [helper, first, fallback] if helper == "default" => {
                if let Some(v) = operand(ctx, first).filter(|v| !v.is_null()) {
                    return Ok(v);
                }
                return operand(ctx, fallback).ok_or_else(|| TemplateError::Missing {
                    variable: fallback.to_string(),
                });
            }
            _ => {}
        }
    }
    render_string(s, ctx).map(Value::String)
}

/// Renders a template to text (strict: a missing value is an error naming it).
pub fn render_string(s: &str, ctx: &Value) -> Result<String, TemplateError> {
    registry()
        .render_template(s, ctx)
        .map_err(|e| convert(e, s, ctx))
}

fn convert(err: RenderError, template: &str, ctx: &Value) -> TemplateError {
    match err.reason() {
        RenderErrorReason::MissingVariable(name) => {
            let variable = name
                .clone()
                .or_else(|| first_missing(template, ctx))
                .unwrap_or_else(|| "?".to_string());
            TemplateError::Missing { variable }
        }
        RenderErrorReason::TemplateError(t) => syntax_error(template, t),
        reason => match first_missing(template, ctx) {
            Some(variable) => TemplateError::Missing { variable },
            None => TemplateError::Render(render_reason(reason)),
        },
    }
}

/// A rendering failure in words (Handlebars' own text names an "Unnamed template").
fn render_reason(reason: &RenderErrorReason) -> String {
    match reason {
        RenderErrorReason::ParamNotFoundForIndex(helper, index) => {
            format!(
                "helper `{helper}` needs a parameter at position {}",
                index + 1
            )
        }
        RenderErrorReason::ParamNotFoundForName(helper, name) => {
            format!("helper `{helper}` needs the parameter `{name}`")
        }
        RenderErrorReason::HelperNotFound(helper) => format!("unknown helper `{helper}`"),
        RenderErrorReason::InvalidParamType(expected) => {
            format!("a helper got a parameter of the wrong type ({expected} expected)")
        }
        other => other.to_string(),
    }
}

/// The first path the template references that the context lacks.
fn first_missing(template: &str, ctx: &Value) -> Option<String> {
    scan(template)
        .ok()?
        .paths
        .into_iter()
        .find(|p| !p.in_block && lookup(ctx, &p.path).is_none())
        .map(|p| p.path)
}

/// `{{ expr }}` with nothing around it and no block syntax.
fn single_expression(s: &str) -> Option<&str> {
    let t = s.trim();
    let inner = t.strip_prefix("{{")?.strip_suffix("}}")?;
    if inner.contains("{{") || inner.contains("}}") {
        return None;
    }
    let inner = inner
        .trim()
        .trim_start_matches('~')
        .trim_end_matches('~')
        .trim();
    if inner.starts_with(['#', '/', '^', '!', '>', '{', '&']) || inner == "else" {
        return None;
    }
    Some(inner)
}

fn operand(ctx: &Value, token: &str) -> Option<Value> {
    if let Some(lit) = literal(token) {
        return Some(lit);
    }
    lookup(ctx, token).cloned()
}

fn literal(token: &str) -> Option<Value> {
    if (token.starts_with('"') && token.ends_with('"') && token.len() >= 2)
        || (token.starts_with('\'') && token.ends_with('\'') && token.len() >= 2)
    {
        return Some(Value::String(token[1..token.len() - 1].to_string()));
    }
    match token {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        "null" => Some(Value::Null),
        _ => token
            .parse::<f64>()
            .ok()
            .and_then(|_| serde_json::from_str(token).ok()),
    }
}

fn is_path(token: &str) -> bool {
    literal(token).is_none() && !token.contains('=') && !token.starts_with('(')
}

/// Looks up a dotted path (`steps.[my-step].outputs.x`, `list.0`) in a JSON value.
pub fn lookup<'a>(ctx: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = ctx;
    for seg in split_path(path) {
        cur = match cur {
            Value::Object(m) => m.get(seg.as_str())?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Looks up pre-split path segments (see [`split_path`]).
pub fn lookup_segments<'a>(ctx: &'a Value, segments: &[String]) -> Option<&'a Value> {
    let mut cur = ctx;
    for seg in segments {
        cur = match cur {
            Value::Object(m) => m.get(seg.as_str())?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Splits `a.[b-c].d` / `a/b` into segments, dropping a leading `this`.
pub fn split_path(path: &str) -> Vec<String> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut in_bracket = false;
    for c in path.chars() {
        match c {
            '[' if !in_bracket => in_bracket = true,
            ']' if in_bracket => in_bracket = false,
            '.' | '/' if !in_bracket => segs.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    segs.push(cur);
    segs.retain(|s| !s.is_empty());
    if segs.first().map(String::as_str) == Some("this") {
        segs.remove(0);
    }
    segs
}

/// A path referenced by a template.
#[derive(Debug, Clone, PartialEq)]
pub struct PathRef {
    pub path: String,
    /// Inside an `#each`/`#with` block, where paths are relative to the block's value.
    pub in_block: bool,
}

/// What a template references.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Scan {
    pub paths: Vec<PathRef>,
    pub helpers: Vec<String>,
}

/// Compiles the template (syntax check) and lists the paths and helpers it uses.
/// Remembered per template text and process: pipelines repeat the same templates, and
/// compiling one is most of what validating a pipeline costs.
pub fn scan(template: &str) -> Result<Scan, TemplateError> {
    thread_local! {
        static SCANS: RefCell<HashMap<String, Result<Scan, TemplateError>>> =
            RefCell::new(HashMap::new());
    }
    if let Some(found) = SCANS.with(|c| c.borrow().get(template).cloned()) {
        return found;
    }
    let scanned = scan_uncached(template);
    SCANS.with(|c| c.borrow_mut().insert(template.to_string(), scanned.clone()));
    scanned
}

fn scan_uncached(template: &str) -> Result<Scan, TemplateError> {
    handlebars::Template::compile(template).map_err(|t| syntax_error(template, &t))?;
    let mut out = Scan::default();
    let mut depth_scoped = 0usize;
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let mut inner = after[..end]
            .trim_start_matches('{')
            .trim_end_matches('}')
            .trim();
        rest = &after[end + 2..];
        inner = inner.trim_start_matches('~').trim_end_matches('~').trim();
        if inner.starts_with('!') || inner.is_empty() || inner == "else" {
            continue;
        }
        if let Some(close) = inner.strip_prefix('/') {
            if matches!(close.trim(), "each" | "with") {
                depth_scoped = depth_scoped.saturating_sub(1);
            }
            continue;
        }
        let (block, body) = match inner.strip_prefix('#').or_else(|| inner.strip_prefix('^')) {
            Some(b) => (true, b.trim()),
            None => (false, inner),
        };
        let body = body.strip_prefix("else ").unwrap_or(body);
        let tokens = tokenize(body);
        let in_block = depth_scoped > 0;
        collect(&tokens, block, in_block, &mut out);
        if block && matches!(tokens.first().map(String::as_str), Some("each" | "with")) {
            depth_scoped += 1;
        }
    }
    Ok(out)
}

fn collect(tokens: &[String], block: bool, in_block: bool, out: &mut Scan) {
    let Some(first) = tokens.first() else { return };
    let is_call = block || tokens.len() > 1;
    let args = if is_call {
        out.helpers.push(first.clone());
        &tokens[1..]
    } else {
        tokens
    };
    for tok in args {
        let value = tok.split_once('=').map(|(_, v)| v).unwrap_or(tok);
        if let Some(inner) = value.strip_prefix('(').and_then(|v| v.strip_suffix(')')) {
            collect(&tokenize(inner), false, in_block, out);
            // a subexpression is always a call
            if let Some(h) = tokenize(inner).first() {
                if !out.helpers.contains(h) && tokenize(inner).len() == 1 {
                    out.helpers.push(h.clone());
                }
            }
        } else if is_path(value) && !value.starts_with('@') && !value.starts_with("../") {
            out.paths.push(PathRef {
                path: value.to_string(),
                in_block,
            });
        }
    }
}

/// Splits a mustache body on spaces, keeping quoted strings, brackets and parentheses whole.
fn tokenize(body: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut parens = 0usize;
    let mut bracket = false;
    for c in body.chars() {
        match quote {
            Some(q) => {
                cur.push(c);
                if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => {
                    quote = Some(c);
                    cur.push(c);
                }
                '[' => {
                    bracket = true;
                    cur.push(c);
                }
                ']' => {
                    bracket = false;
                    cur.push(c);
                }
                '(' => {
                    parens += 1;
                    cur.push(c);
                }
                ')' => {
                    parens = parens.saturating_sub(1);
                    cur.push(c);
                }
                c if c.is_whitespace() && parens == 0 && !bracket => {
                    if !cur.is_empty() {
                        tokens.push(std::mem::take(&mut cur));
                    }
                }
                c => cur.push(c),
            },
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens
}

/// `Hello World!` → `hello-world`
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Quotes for POSIX sh: `it's` → `'it'\''s'`.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn param_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The helper's first parameter; in strict mode a missing value is an error naming it.
fn present_param<'h, 'rc>(
    h: &'h Helper<'rc>,
    helper: &'static str,
) -> Result<&'h handlebars::PathAndJson<'rc>, RenderError> {
    let p = h
        .param(0)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex(helper, 0))?;
    if p.is_value_missing() {
        return Err(RenderErrorReason::MissingVariable(p.relative_path().cloned()).into());
    }
    Ok(p)
}

struct StringHelper(fn(&str) -> String);

impl HelperDef for StringHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let p = present_param(h, "helper")?;
        Ok(ScopedJson::Derived(Value::String((self.0)(&param_text(
            p.value(),
        )))))
    }
}

struct JsonHelper;

impl HelperDef for JsonHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let p = present_param(h, "json")?;
        out.write(&serde_json::to_string(p.value()).unwrap_or_default())?;
        Ok(())
    }
}

/// `{{default x "fallback"}}`: x when present and not null, else the fallback.
/// A missing `x` is allowed even in strict mode.
struct DefaultHelper;

impl HelperDef for DefaultHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let fallback = h
            .param(1)
            .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("default", 1))?;
        let chosen = match h.param(0) {
            Some(p) if !p.is_value_missing() && !p.value().is_null() => p.value().clone(),
            _ => fallback.value().clone(),
        };
        Ok(ScopedJson::Derived(chosen))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> Value {
        json!({
            "event": {"payload": {"spec_path": "specs/a.yaml", "n": 2, "list": [1, 2], "name": "It's"}},
            "steps": {"my-sdk": {"outputs": {"changed": true}}},
            "spec_path": "specs/a.yaml"
        })
    }

    #[test]
    fn renders_and_keeps_types_of_single_expressions() {
        let c = ctx();
        assert_eq!(
            render_value(&json!("{{event.payload.list}}"), &c).unwrap(),
            json!([1, 2])
        );
        assert_eq!(
            render_value(&json!("{{ event.payload.n }}"), &c).unwrap(),
            json!(2)
        );
        assert_eq!(
            render_value(&json!("n={{event.payload.n}}"), &c).unwrap(),
            json!("n=2")
        );
        assert_eq!(
            render_value(&json!("{{steps.my-sdk.outputs.changed}}"), &c).unwrap(),
            json!(true)
        );
        assert_eq!(
            render_value(&json!("{{spec_path}}"), &c).unwrap(),
            json!("specs/a.yaml")
        );
    }

    #[test]
    fn strict_missing_names_the_variable() {
        let err = render_value(&json!("x {{event.payload.nope}} y"), &ctx()).unwrap_err();
        assert_eq!(
            err,
            TemplateError::Missing {
                variable: "event.payload.nope".into()
            }
        );
        let err = render_value(&json!("{{upper event.payload.nope}}"), &ctx()).unwrap_err();
        assert_eq!(
            err,
            TemplateError::Missing {
                variable: "event.payload.nope".into()
            }
        );
    }

    #[test]
    fn helpers() {
        let c = ctx();
        let r = |t: &str| render_string(t, &c).unwrap();
        assert_eq!(r("{{json event.payload.list}}"), "[1,2]");
        assert_eq!(r("{{upper event.payload.spec_path}}"), "SPECS/A.YAML");
        assert_eq!(r("{{slug \"Hello, World!\"}}"), "hello-world");
        assert_eq!(r("{{shell_quote event.payload.name}}"), "'It'\\''s'");
        assert_eq!(r("{{default event.payload.missing \"fb\"}}"), "fb");
        assert_eq!(r("<{{event.payload.name}}>"), "<It's>");
        assert_eq!(
            render_value(&json!("{{default event.payload.missing 5}}"), &c).unwrap(),
            json!(5)
        );
    }

    #[test]
    fn render_failures_are_said_without_handlebars_internals() {
        let err = render_string("x {{default event.payload.n}}", &ctx()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "template error: helper `default` needs a parameter at position 2"
        );
    }

    #[test]
    fn scan_lists_paths_and_helpers() {
        let s = scan("{{#if steps.a.outputs.ok}}{{upper event.payload.x}}{{/if}}{{#each list}}{{this.y}}{{/each}}").unwrap();
        let paths: Vec<_> = s
            .paths
            .iter()
            .filter(|p| !p.in_block)
            .map(|p| p.path.as_str())
            .collect();
        assert_eq!(paths, vec!["steps.a.outputs.ok", "event.payload.x", "list"]);
        assert_eq!(s.helpers, vec!["if", "upper", "each"]);
        assert!(matches!(
            scan("{{#if x}}"),
            Err(TemplateError::Syntax { .. })
        ));
    }
}
