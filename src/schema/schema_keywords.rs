//! Keyword-level schema comparisons: enums, numeric and length bounds, and flags
//! (pattern, format, nullable, readOnly/writeOnly, deprecated, ...).

use super::*;

impl<'a> SchemaDiffer<'a> {
    /// A change about the new schema `n` itself.
    fn push_new(
        &mut self,
        n: Node<'a>,
        id: &str,
        level: Level,
        site: &Site<'_>,
        loc: &str,
        msg: String,
    ) {
        self.push(id, level, site, loc, msg, Anchor::new(n));
    }
}

impl<'a> SchemaDiffer<'a> {
    pub(super) fn compare_enums(
        &mut self,
        o: Node<'a>,
        n: Node<'a>,
        site: &Site<'_>,
        loc: &str,
        prefix: &str,
    ) {
        let dir = site.direction;
        match (
            o.value.get("enum").and_then(Value::as_array),
            n.value.get("enum").and_then(Value::as_array),
        ) {
            (Some(old), Some(new)) => {
                for value in old.iter().filter(|v| !new.contains(v)) {
                    let msg = format!("enum value {value} removed");
                    self.push_new(
                        n,
                        &format!("{prefix}-enum-value-removed"),
                        dir.narrowing(true),
                        site,
                        loc,
                        msg,
                    );
                }
                for value in new.iter().filter(|v| !old.contains(v)) {
                    let msg = format!("enum value {value} added");
                    self.push_new(
                        n,
                        &format!("{prefix}-enum-value-added"),
                        dir.narrowing(false),
                        site,
                        loc,
                        msg,
                    );
                }
            }
            (None, Some(_)) => self.push_new(
                n,
                &format!("{prefix}-became-enum"),
                dir.narrowing(true),
                site,
                loc,
                "the value became an enum".into(),
            ),
            (Some(_), None) => {
                let msg = "the value is no longer restricted to an enum".to_string();
                self.push_new(
                    n,
                    &format!("{prefix}-enum-removed"),
                    dir.narrowing(false),
                    site,
                    loc,
                    msg,
                )
            }
            (None, None) => {}
        }
    }

    pub(super) fn compare_bounds(
        &mut self,
        o: Node<'a>,
        n: Node<'a>,
        site: &Site<'_>,
        loc: &str,
        prefix: &str,
    ) {
        for (keyword, name, upper) in BOUNDS {
            let (old, new) = (
                o.value.get(keyword).and_then(Value::as_f64),
                n.value.get(keyword).and_then(Value::as_f64),
            );
            let (what, narrows) = match (old, new) {
                (Some(a), Some(b)) if a == b => continue,
                (Some(a), Some(b)) => {
                    let decreased = b < a;
                    (
                        if decreased { "decreased" } else { "increased" },
                        decreased == upper,
                    )
                }
                (None, Some(_)) => ("set", true),
                (Some(_), None) => ("removed", false),
                (None, None) => continue,
            };
            let show = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_else(|| "none".into());
            let msg = format!("{keyword} changed from {} to {}", show(old), show(new));
            self.push_new(
                n,
                &format!("{prefix}-{name}-{what}"),
                site.direction.narrowing(narrows),
                site,
                loc,
                msg,
            );
        }
    }

    pub(super) fn compare_flags(
        &mut self,
        o: Node<'a>,
        n: Node<'a>,
        site: &Site<'_>,
        loc: &str,
        prefix: &str,
    ) {
        let dir = site.direction;
        let (old_pattern, new_pattern) = (str_of(o.value, "pattern"), str_of(n.value, "pattern"));
        if old_pattern != new_pattern {
            let (what, level) = match (old_pattern, new_pattern) {
                (None, Some(_)) => (
                    "added",
                    if dir == Direction::Request {
                        Level::Warning
                    } else {
                        Level::Info
                    },
                ),
                (Some(_), None) => ("removed", dir.narrowing(false)),
                _ => ("changed", Level::Warning),
            };
            let msg = format!(
                "pattern changed from `{}` to `{}`",
                old_pattern.unwrap_or("none"),
                new_pattern.unwrap_or("none")
            );
            self.push_new(
                n,
                &format!("{prefix}-pattern-{what}"),
                level,
                site,
                loc,
                msg,
            );
        }
        for (keyword, name) in [("readOnly", "read-only"), ("writeOnly", "write-only")] {
            let old = o
                .value
                .get(keyword)
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let new = n
                .value
                .get(keyword)
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if old != new {
                // A property that stops being sent in the direction of the data is a warning.
                let hides = match (dir, keyword) {
                    (Direction::Request, "readOnly") | (Direction::Response, "writeOnly") => new,
                    _ => false,
                };
                let level = if hides { Level::Warning } else { Level::Info };
                let id = if new {
                    format!("{prefix}-became-{name}")
                } else {
                    format!("{prefix}-became-not-{name}")
                };
                self.push_new(
                    n,
                    &id,
                    level,
                    site,
                    loc,
                    format!("`{keyword}` changed from {old} to {new}"),
                );
            }
        }
        if let (Some(old), Some(new)) = (o.value.get("default"), n.value.get("default")) {
            if old != new {
                let level = if dir == Direction::Request {
                    Level::Warning
                } else {
                    Level::Info
                };
                let msg = format!("default changed from {old} to {new}");
                self.push_new(
                    n,
                    &format!("{prefix}-default-changed"),
                    level,
                    site,
                    loc,
                    msg,
                );
            }
        }
    }
}
