//! Comparing two JSON schemas (through `$ref`s and allOf/oneOf/anyOf) in the direction the
//! data flows: a request schema may widen, a response schema may narrow.

use super::openapi::{Node, OpenApiDoc};
use super::{Change, Level};
use serde_json::Value;
use std::collections::HashMap;

#[path = "schema_keywords.rs"]
mod keywords;
#[path = "schema_nodes.rs"]
mod nodes;
use nodes::{branches, flatten, is_flag, join, str_of, types_of};

/// Who sends the data the schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Client → server: narrowing breaks clients.
    Request,
    /// Server → client: widening breaks clients.
    Response,
}

impl Direction {
    /// The level of a change that narrows (`true`) or widens (`false`) the accepted values.
    fn narrowing(self, narrows: bool) -> Level {
        match (self, narrows) {
            (Direction::Request, true) => Level::Breaking,
            (Direction::Request, false) => Level::Info,
            (Direction::Response, true) => Level::Info,
            (Direction::Response, false) => Level::Warning,
        }
    }
}

/// Where the compared schema sits: the id prefixes and the location text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site<'s> {
    pub direction: Direction,
    /// Prefix of ids about the schema itself, e.g. `request-body`, `response-header`.
    pub root_prefix: &'s str,
    /// Prefix of ids about nested properties, e.g. `request-property`.
    pub nested_prefix: &'s str,
    /// The operation (`GET /pets`), or "" outside operations.
    pub operation: &'s str,
}

// Numeric and size bounds (keyword, kebab name, whether it is an upper bound): the list of
// checks names them.
use super::checks::BOUNDS;

/// The node a change is about, in the old document (a removal) or the new one; placed
/// (file, line, column) once the diff is done.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Anchor {
    Old((usize, usize)),
    New((usize, usize)),
}

impl Anchor {
    pub fn old(node: Node<'_>) -> Self {
        Anchor::Old(super::openapi::positions::key_of(node))
    }
    pub fn new(node: Node<'_>) -> Self {
        Anchor::New(super::openapi::positions::key_of(node))
    }
}

/// Compares schemas of two documents, collecting [`Change`]s.
pub(crate) struct SchemaDiffer<'a> {
    pub old: &'a OpenApiDoc,
    pub new: &'a OpenApiDoc,
    pub changes: Vec<Change>,
    /// The node of each change, index for index.
    pub anchors: Vec<Anchor>,
    /// The pairs of schemas being compared, outermost first, for the pairs reached through a
    /// `$ref` on either side: meeting one again is a cycle, and is not followed.
    stack: Vec<NodePair>,
    /// How many schemas deep the comparison is (every level, `$ref` or inline).
    depth: usize,
    /// Where the comparison went deeper than [`MAX_DEPTH`], if it did.
    pub too_deep: Option<String>,
    /// Pairs reached through a `$ref` whose equivalence is known (or assumed while it is
    /// being decided, which ends cycles).
    equivalent_pairs: HashMap<NodePair, bool>,
}

/// Schemas nested deeper than this (counting every level, through `$ref`s or inline) are an
/// error rather than a stack overflow: no real API nests its data that deep.
pub(crate) const MAX_DEPTH: usize = 64;

/// Two schemas, one from each document, by the address of their (resolved) values: the same
/// schema reached by two paths is the same pair, whether it was reached by `$ref` or inline.
type NodePair = (usize, usize);

fn pair_of(o: Node<'_>, n: Node<'_>) -> NodePair {
    (
        o.value as *const Value as usize,
        n.value as *const Value as usize,
    )
}

impl<'a> SchemaDiffer<'a> {
    pub fn new(old: &'a OpenApiDoc, new: &'a OpenApiDoc) -> Self {
        SchemaDiffer {
            old,
            new,
            changes: Vec::new(),
            anchors: Vec::new(),
            stack: Vec::new(),
            depth: 0,
            too_deep: None,
            equivalent_pairs: HashMap::new(),
        }
    }

    pub fn push(
        &mut self,
        id: &str,
        level: Level,
        site: &Site<'_>,
        location: &str,
        message: String,
        anchor: Anchor,
    ) {
        let location = self.located(site, location);
        self.record(Change::new(id, level, location, message), anchor);
    }

    /// Adds a change about the node `anchor`.
    pub fn record(&mut self, change: Change, anchor: Anchor) {
        self.changes.push(change);
        self.anchors.push(anchor);
    }

    /// The changes, each with the file, line and column of its node.
    pub fn into_placed_changes(self) -> Vec<Change> {
        use super::openapi::positions::place;
        use std::collections::HashSet;
        let mut old_nodes = HashSet::new();
        let mut new_nodes = HashSet::new();
        for anchor in &self.anchors {
            match anchor {
                Anchor::Old(key) => old_nodes.insert(*key),
                Anchor::New(key) => new_nodes.insert(*key),
            };
        }
        let (old_at, new_at) = (place(self.old, &old_nodes), place(self.new, &new_nodes));
        let mut changes = self.changes;
        for (change, anchor) in changes.iter_mut().zip(&self.anchors) {
            let found = match anchor {
                Anchor::Old(key) => old_at.get(key),
                Anchor::New(key) => new_at.get(key),
            };
            if let Some(p) = found {
                change.file = Some(p.file.clone());
                change.line = Some(p.line);
                change.column = Some(p.column);
            }
        }
        changes
    }

    /// `location` prefixed with the operation it is in, if any.
    fn located(&self, site: &Site<'_>, location: &str) -> String {
        match (site.operation.is_empty(), location.is_empty()) {
            (true, _) => location.to_string(),
            (false, true) => site.operation.to_string(),
            (false, false) => format!("{} {location}", site.operation),
        }
    }

    /// True when the two values are the same once `$ref`s are followed (cycles count as equal).
    pub fn equivalent(&mut self, old: Node<'a>, new: Node<'a>) -> bool {
        let (o, okey) = self.old.resolve(old);
        let (n, nkey) = self.new.resolve(new);
        if okey.is_none() && nkey.is_none() {
            // Inline on both sides: the walk descends the text, which ends.
            return self.equivalent_values(o, n);
        }
        // Every endless walk passes a `$ref` on one side again and again, and there are only
        // so many pairs of places it can be at then: remembering them ends it.
        let pair = pair_of(o, n);
        if let Some(&known) = self.equivalent_pairs.get(&pair) {
            return known;
        }
        self.equivalent_pairs.insert(pair, true);
        let result = self.equivalent_values(o, n);
        self.equivalent_pairs.insert(pair, result);
        result
    }

    fn equivalent_values(&mut self, o: Node<'a>, n: Node<'a>) -> bool {
        match (o.value, n.value) {
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter().all(|(key, av)| match b.get(key) {
                        Some(bv) => self.equivalent(
                            Node {
                                file: o.file,
                                value: av,
                            },
                            Node {
                                file: n.file,
                                value: bv,
                            },
                        ),
                        None => false,
                    })
            }
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len()
                    && a.iter().zip(b).all(|(av, bv)| {
                        self.equivalent(
                            Node {
                                file: o.file,
                                value: av,
                            },
                            Node {
                                file: n.file,
                                value: bv,
                            },
                        )
                    })
            }
            (a, b) => a == b,
        }
    }

    /// Compares the schema `old` with `new` at `location` (e.g. `response.200.body`).
    pub fn diff_schema(
        &mut self,
        old: Node<'a>,
        new: Node<'a>,
        site: &Site<'_>,
        location: &str,
        nested: bool,
    ) {
        if self.too_deep.is_some() || self.equivalent(old, new) {
            return;
        }
        if self.depth >= MAX_DEPTH {
            self.too_deep = Some(self.located(site, location));
            return;
        }
        let (o, okey) = self.old.resolve(old);
        let (n, nkey) = self.new.resolve(new);
        let pair = (okey.is_some() || nkey.is_some()).then(|| pair_of(o, n));
        if let Some(pair) = pair {
            if self.stack.contains(&pair) {
                return; // a cycle: this pair is being compared further out
            }
            self.stack.push(pair);
        }
        self.depth += 1;
        self.compare(o, n, site, location, nested);
        self.depth -= 1;
        if pair.is_some() {
            self.stack.pop();
        }
    }

    fn compare(&mut self, o: Node<'a>, n: Node<'a>, site: &Site<'_>, loc: &str, nested: bool) {
        let prefix = if nested {
            site.nested_prefix
        } else {
            site.root_prefix
        };
        let dir = site.direction;
        let (old_types, old_null) = types_of(self.old, o);
        let (new_types, new_null) = types_of(self.new, n);
        if !old_types.is_empty() && !new_types.is_empty() && old_types != new_types {
            let widened = old_types
                .iter()
                .all(|t| new_types.contains(t) || (t == "integer" && new_types.contains("number")));
            let narrowed = new_types
                .iter()
                .all(|t| old_types.contains(t) || (t == "integer" && old_types.contains("number")));
            let level = match dir {
                Direction::Request if widened => Level::Info,
                Direction::Response if narrowed => Level::Info,
                _ => Level::Breaking,
            };
            let msg = format!(
                "type changed from `{}` to `{}`",
                join(&old_types),
                join(&new_types)
            );
            self.push(
                &format!("{prefix}-type-changed"),
                level,
                site,
                loc,
                msg,
                Anchor::new(n),
            );
        }
        let (old_format, new_format) = (str_of(o.value, "format"), str_of(n.value, "format"));
        if old_format != new_format {
            let level = match (old_format, new_format) {
                (Some(_), Some(_)) => Level::Breaking,
                (None, Some(_)) => dir.narrowing(true),
                _ => dir.narrowing(false),
            };
            let msg = format!(
                "format changed from `{}` to `{}`",
                old_format.unwrap_or("none"),
                new_format.unwrap_or("none")
            );
            self.push(
                &format!("{prefix}-format-changed"),
                level,
                site,
                loc,
                msg,
                Anchor::new(n),
            );
        }
        if old_null != new_null {
            let (id, narrows) = if new_null {
                ("became-nullable", false)
            } else {
                ("became-not-nullable", true)
            };
            let level = if dir == Direction::Response && new_null {
                Level::Breaking
            } else {
                dir.narrowing(narrows)
            };
            self.push(
                &format!("{prefix}-{id}"),
                level,
                site,
                loc,
                format!("the value {}", id.replace('-', " ")),
                Anchor::new(n),
            );
        }
        self.compare_enums(o, n, site, loc, prefix);
        self.compare_bounds(o, n, site, loc, prefix);
        self.compare_flags(o, n, site, loc, prefix);
        self.compare_properties(o, n, site, loc);
        if let (Some(oi), Some(ni)) = (self.old.child(o, "items"), self.new.child(n, "items")) {
            self.diff_schema(oi, ni, site, &format!("{loc}[]"), true);
        }
        let (oa, na) = (
            o.value.get("additionalProperties"),
            n.value.get("additionalProperties"),
        );
        if let (Some(oa), Some(na)) = (oa, na) {
            if oa.is_object() && na.is_object() {
                let (oa, na) = (
                    Node {
                        file: o.file,
                        value: oa,
                    },
                    Node {
                        file: n.file,
                        value: na,
                    },
                );
                self.diff_schema(oa, na, site, &format!("{loc}.*"), true);
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            self.compare_union(o, n, site, loc, prefix, keyword);
        }
    }

    fn compare_properties(&mut self, o: Node<'a>, n: Node<'a>, site: &Site<'_>, loc: &str) {
        let old = flatten(self.old, o);
        let new = flatten(self.new, n);
        if !old.has_object_shape && !new.has_object_shape {
            return;
        }
        let np = site.nested_prefix;
        let dir = site.direction;
        for (name, old_prop) in &old.properties {
            let at = format!("{loc}.{name}");
            match new.properties.get(name) {
                None => {
                    let required = old.required.contains(name);
                    let (id, level) = match dir {
                        Direction::Request => (format!("{np}-removed"), Level::Warning),
                        Direction::Response if required => (
                            "response-required-property-removed".to_string(),
                            Level::Breaking,
                        ),
                        Direction::Response => (
                            "response-optional-property-removed".to_string(),
                            Level::Warning,
                        ),
                    };
                    let id = if np.starts_with("response-")
                        && np != "response-property"
                        && dir == Direction::Response
                    {
                        format!("{np}-removed")
                    } else {
                        id
                    };
                    let level = if is_flag(self.old, *old_prop, hidden_flag(dir)) {
                        Level::Info
                    } else {
                        level
                    };
                    self.push(
                        &id,
                        level,
                        site,
                        &at,
                        format!("property `{name}` removed"),
                        Anchor::old(*old_prop),
                    );
                }
                Some(new_prop) => {
                    let (was, is) = (old.required.contains(name), new.required.contains(name));
                    if was != is {
                        let (id, narrows) = if is {
                            ("became-required", true)
                        } else {
                            ("became-optional", false)
                        };
                        let level = match dir {
                            Direction::Request => dir.narrowing(narrows),
                            Direction::Response if !is => Level::Breaking,
                            Direction::Response => Level::Info,
                        };
                        let level = if is_flag(self.new, *new_prop, hidden_flag(dir)) {
                            Level::Info
                        } else {
                            level
                        };
                        self.push(
                            &format!("{np}-{id}"),
                            level,
                            site,
                            &at,
                            format!("property `{name}` {}", id.replace('-', " ")),
                            Anchor::new(*new_prop),
                        );
                    }
                    self.diff_schema(*old_prop, *new_prop, site, &at, true);
                }
            }
        }
        for (name, new_prop) in &new.properties {
            if old.properties.contains_key(name) {
                continue;
            }
            let at = format!("{loc}.{name}");
            let required = new.required.contains(name);
            let hidden = is_flag(self.new, *new_prop, hidden_flag(dir));
            let (id, level) = if dir == Direction::Request && required && !hidden {
                (format!("new-required-{np}"), Level::Breaking)
            } else {
                (format!("{np}-added"), Level::Info)
            };
            let kind = if required { "required" } else { "optional" };
            self.push(
                &id,
                level,
                site,
                &at,
                format!("{kind} property `{name}` added"),
                Anchor::new(*new_prop),
            );
        }
    }

    fn compare_union(
        &mut self,
        o: Node<'a>,
        n: Node<'a>,
        site: &Site<'_>,
        loc: &str,
        prefix: &str,
        keyword: &str,
    ) {
        let old = branches(o, keyword);
        let new = branches(n, keyword);
        if old.is_empty() && new.is_empty() {
            return;
        }
        let kebab = if keyword == "oneOf" {
            "one-of"
        } else {
            "any-of"
        };
        let dir = site.direction;
        for (label, old_branch) in &old {
            match new.iter().find(|(l, _)| l == label) {
                Some((_, new_branch)) => self.diff_schema(
                    *old_branch,
                    *new_branch,
                    site,
                    &format!("{loc}.{keyword}[{label}]"),
                    true,
                ),
                None => {
                    let msg = format!("{keyword} branch `{label}` removed");
                    self.push(
                        &format!("{prefix}-{kebab}-removed"),
                        dir.narrowing(true),
                        site,
                        loc,
                        msg,
                        Anchor::old(*old_branch),
                    );
                }
            }
        }
        for (label, new_branch) in new.iter().filter(|(l, _)| !old.iter().any(|(o, _)| o == l)) {
            let msg = format!("{keyword} branch `{label}` added");
            self.push(
                &format!("{prefix}-{kebab}-added"),
                dir.narrowing(false),
                site,
                loc,
                msg,
                Anchor::new(*new_branch),
            );
        }
    }
}

fn hidden_flag(dir: Direction) -> &'static str {
    match dir {
        Direction::Request => "readOnly",
        Direction::Response => "writeOnly",
    }
}
