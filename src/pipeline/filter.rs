//! Filters (docs/pipelines.md): a dotted key mapped to a condition; all must hold.

use globset::{GlobBuilder, GlobMatcher};
use regex::Regex;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;

/// One condition on a value.
#[derive(Debug, Clone)]
pub enum Condition {
    Eq(Value),
    Ne(Value),
    In(Vec<Value>),
    NotIn(Vec<Value>),
    Gt(f64),
    Gte(f64),
    Lt(f64),
    Lte(f64),
    Glob(String, GlobMatcher),
    Regex(Regex),
    Exists(bool),
    Contains(Value),
}

/// `key: condition(s)`; several operators in one map are ANDed.
#[derive(Debug, Clone)]
pub struct Filter {
    pub key: String,
    pub conditions: Vec<Condition>,
    /// `key` split into path segments once, at load time.
    segments: Vec<String>,
    /// The filter as written (key and condition), identical for identical filters.
    pub canonical: String,
    /// Index of this filter among the distinct filters of a pipeline set
    /// (see [`super::index_filters`]); lets a dispatch evaluate each distinct filter once.
    pub id: usize,
}

/// The operators a filter map may use.
pub const OPERATORS: &[&str] = &[
    "eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "glob", "regex", "exists", "contains",
];

/// Compiles a glob where `*` stays within a path segment and `**` crosses them.
/// Compiled once per pattern and process: many pipelines share the same globs, and
/// compiling one builds a regex (the larger part of loading a pipeline file).
pub fn compile_glob(pattern: &str) -> Result<GlobMatcher, String> {
    thread_local! {
        static GLOBS: RefCell<HashMap<String, GlobMatcher>> = RefCell::new(HashMap::new());
    }
    if let Some(m) = GLOBS.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(m);
    }
    let matcher = GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("invalid glob `{pattern}`: {e}"))?;
    GLOBS.with(|c| c.borrow_mut().insert(pattern.to_string(), matcher.clone()));
    Ok(matcher)
}

/// A regex compiled once per pattern and process (see [`compile_glob`]).
fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    thread_local! {
        static REGEXES: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
    }
    if let Some(r) = REGEXES.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(r);
    }
    let regex = Regex::new(pattern)?;
    REGEXES.with(|c| c.borrow_mut().insert(pattern.to_string(), regex.clone()));
    Ok(regex)
}

impl Filter {
    /// Parses the YAML value of a filter into conditions.
    pub fn parse(key: &str, spec: &Value) -> Result<Filter, String> {
        let conditions = match spec {
            Value::Array(items) => vec![Condition::In(items.clone())],
            Value::Object(ops) => {
                if ops.is_empty() {
                    return Err(format!("filter `{key}` has an empty condition map"));
                }
                ops.iter()
                    .map(|(op, arg)| parse_op(key, op, arg))
                    .collect::<Result<_, _>>()?
            }
            scalar => vec![Condition::Eq(scalar.clone())],
        };
        Ok(Filter {
            key: key.to_string(),
            conditions,
            segments: super::template::split_path(key),
            canonical: format!("{key}\u{1}{spec}"),
            id: usize::MAX,
        })
    }

    /// Whether the filter holds on `view`; when it does not, why.
    pub fn check(&self, view: &Value) -> Result<(), String> {
        let value = super::template::lookup_segments(view, &self.segments);
        for cond in &self.conditions {
            if !cond.holds(value) {
                return Err(match value {
                    None => format!("`{}` is missing ({})", self.key, cond.describe()),
                    Some(v) => format!("`{}` is {} ({})", self.key, short(v), cond.describe()),
                });
            }
        }
        Ok(())
    }
}

fn parse_op(key: &str, op: &str, arg: &Value) -> Result<Condition, String> {
    let number = |arg: &Value| {
        as_number(arg)
            .ok_or_else(|| format!("filter `{key}`: `{op}` needs a number, got {}", short(arg)))
    };
    let list = |arg: &Value| match arg {
        Value::Array(items) => Ok(items.clone()),
        other => Err(format!(
            "filter `{key}`: `{op}` needs a list, got {}",
            short(other)
        )),
    };
    let text = |arg: &Value| match arg {
        Value::String(s) => Ok(s.clone()),
        other => Err(format!(
            "filter `{key}`: `{op}` needs a string, got {}",
            short(other)
        )),
    };
    Ok(match op {
        "eq" => Condition::Eq(arg.clone()),
        "ne" => Condition::Ne(arg.clone()),
        "in" => Condition::In(list(arg)?),
        "not_in" => Condition::NotIn(list(arg)?),
        "gt" => Condition::Gt(number(arg)?),
        "gte" => Condition::Gte(number(arg)?),
        "lt" => Condition::Lt(number(arg)?),
        "lte" => Condition::Lte(number(arg)?),
        "glob" => {
            let pattern = text(arg)?;
            let matcher = compile_glob(&pattern).map_err(|e| format!("filter `{key}`: {e}"))?;
            Condition::Glob(pattern, matcher)
        }
        "regex" => {
            let pattern = text(arg)?;
            Condition::Regex(
                compile_regex(&pattern)
                    .map_err(|e| format!("filter `{key}`: invalid regex: {e}"))?,
            )
        }
        "exists" => match arg {
            Value::Bool(b) => Condition::Exists(*b),
            other => {
                return Err(format!(
                    "filter `{key}`: `exists` needs true or false, got {}",
                    short(other)
                ))
            }
        },
        "contains" => Condition::Contains(arg.clone()),
        unknown => {
            let hint = crate::yamlfile::nearest(unknown, OPERATORS.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "filter `{key}`: unknown operator `{unknown}`{hint}; operators are {}",
                OPERATORS.join(", ")
            ));
        }
    })
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Equality where numbers compare numerically (`2` equals `2.0` and `"2"` does not).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

impl Condition {
    fn holds(&self, value: Option<&Value>) -> bool {
        let Some(v) = value else {
            return matches!(self, Condition::Exists(false));
        };
        match self {
            Condition::Eq(x) => values_equal(v, x),
            Condition::Ne(x) => !values_equal(v, x),
            Condition::In(xs) => xs.iter().any(|x| values_equal(v, x)),
            Condition::NotIn(xs) => !xs.iter().any(|x| values_equal(v, x)),
            Condition::Gt(n) => as_number(v).is_some_and(|x| x > *n),
            Condition::Gte(n) => as_number(v).is_some_and(|x| x >= *n),
            Condition::Lt(n) => as_number(v).is_some_and(|x| x < *n),
            Condition::Lte(n) => as_number(v).is_some_and(|x| x <= *n),
            Condition::Glob(_, m) => v.as_str().is_some_and(|s| m.is_match(s)),
            Condition::Regex(r) => v.as_str().is_some_and(|s| r.is_match(s)),
            Condition::Exists(want) => *want,
            Condition::Contains(x) => match v {
                Value::Array(items) => items.iter().any(|i| values_equal(i, x)),
                Value::String(s) => x.as_str().is_some_and(|needle| s.contains(needle)),
                _ => false,
            },
        }
    }

    fn describe(&self) -> String {
        match self {
            Condition::Eq(x) => format!("wanted {}", short(x)),
            Condition::Ne(x) => format!("wanted anything but {}", short(x)),
            Condition::In(xs) => format!("wanted one of {}", short(&Value::Array(xs.clone()))),
            Condition::NotIn(xs) => format!("wanted none of {}", short(&Value::Array(xs.clone()))),
            Condition::Gt(n) => format!("wanted > {n}"),
            Condition::Gte(n) => format!("wanted >= {n}"),
            Condition::Lt(n) => format!("wanted < {n}"),
            Condition::Lte(n) => format!("wanted <= {n}"),
            Condition::Glob(p, _) => format!("wanted a match of glob {p:?}"),
            Condition::Regex(r) => format!("wanted a match of regex {:?}", r.as_str()),
            Condition::Exists(true) => "wanted it present".into(),
            Condition::Exists(false) => "wanted it absent".into(),
            Condition::Contains(x) => format!("wanted it to contain {}", short(x)),
        }
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// Checks all filters; the first that fails, with why.
pub fn check_all(filters: &[Filter], view: &Value) -> Result<(), String> {
    filters.iter().try_for_each(|f| f.check(view))
}

/// Whether the filter holds, without building a reason.
pub fn holds(filter: &Filter, view: &Value) -> bool {
    let value = super::template::lookup_segments(view, &filter.segments);
    filter.conditions.iter().all(|c| c.holds(value))
}

/// Whether all filters hold, evaluating each distinct filter once per event:
/// `memo[id]` is 0 (not yet evaluated), 1 (holds) or 2 (fails).
pub fn all_hold_memo(filters: &[Filter], view: &Value, memo: &mut Vec<u8>) -> bool {
    filters.iter().all(|f| {
        if f.id != usize::MAX && f.id >= memo.len() {
            memo.resize(f.id + 1, 0);
        }
        holds_memo(f, view, memo)
    })
}

fn holds_memo(f: &Filter, view: &Value, memo: &mut [u8]) -> bool {
    match memo.get_mut(f.id) {
        Some(slot) => {
            if *slot == 0 {
                *slot = if holds(f, view) { 1 } else { 2 };
            }
            *slot == 1
        }
        None => holds(f, view),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(spec: Value, view: Value) -> bool {
        Filter::parse("k", &spec).unwrap().check(&view).is_ok()
    }

    #[test]
    fn every_operator() {
        assert!(holds(json!(2), json!({"k": 2.0})));
        assert!(!holds(json!("2"), json!({"k": 2})));
        assert!(holds(json!(["a", "b"]), json!({"k": "b"})));
        assert!(holds(json!({"eq": "x"}), json!({"k": "x"})));
        assert!(holds(json!({"ne": "x"}), json!({"k": "y"})));
        assert!(holds(json!({"in": [1, 2]}), json!({"k": 1})));
        assert!(holds(json!({"not_in": [1, 2]}), json!({"k": 3})));
        assert!(holds(json!({"gt": 1}), json!({"k": 2})));
        assert!(!holds(json!({"gt": 2}), json!({"k": 2})));
        assert!(holds(json!({"gte": 2}), json!({"k": 2})));
        assert!(holds(json!({"lt": 2}), json!({"k": 1.5})));
        assert!(holds(json!({"lte": 2}), json!({"k": 2})));
        assert!(holds(
            json!({"glob": "specs/*.yaml"}),
            json!({"k": "specs/a.yaml"})
        ));
        assert!(!holds(
            json!({"glob": "specs/*.yaml"}),
            json!({"k": "specs/x/a.yaml"})
        ));
        assert!(holds(
            json!({"glob": "specs/**/*.yaml"}),
            json!({"k": "specs/x/y/a.yaml"})
        ));
        assert!(holds(
            json!({"regex": "^v[0-9]+"}),
            json!({"k": "v12-beta"})
        ));
        assert!(holds(json!({"exists": true}), json!({"k": null})));
        assert!(holds(json!({"exists": false}), json!({})));
        assert!(holds(json!({"contains": 3}), json!({"k": [1, 3]})));
        assert!(holds(json!({"contains": "ell"}), json!({"k": "hello"})));
        assert!(holds(json!({"gte": 1, "lt": 5}), json!({"k": 3})));
        assert!(!holds(json!({"gte": 1, "lt": 5}), json!({"k": 5})));
    }

    #[test]
    fn missing_key_satisfies_only_exists_false() {
        for spec in [
            json!("x"),
            json!({"ne": "x"}),
            json!({"not_in": [1]}),
            json!({"exists": true}),
        ] {
            assert!(!holds(spec, json!({})));
        }
    }

    #[test]
    fn dotted_keys_and_reasons() {
        let f = Filter::parse("payload.n", &json!({"gte": 1})).unwrap();
        assert!(f.check(&json!({"payload": {"n": 1}})).is_ok());
        let why = f.check(&json!({"payload": {"n": 0}})).unwrap_err();
        assert_eq!(why, "`payload.n` is 0 (wanted >= 1)");
    }

    #[test]
    fn bad_operators_are_named() {
        let err = Filter::parse("k", &json!({"gtee": 1})).unwrap_err();
        assert!(
            err.contains("unknown operator `gtee` (did you mean `gte`?)"),
            "{err}"
        );
        assert!(Filter::parse("k", &json!({"gt": "many"})).is_err());
        assert!(Filter::parse("k", &json!({"regex": "("})).is_err());
    }
}
