//! Places Protobuf changes: the file, line and column of the element a change names
//! (message, field, oneof, enum, value, service, method, package, file), from the source
//! info protox records while compiling.

use super::proto_names::prefixed;
use super::Change;
use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};
use std::collections::HashMap;
use std::path::Path;

/// Element name (as change locations spell it) → (file, line, column); a field is also
/// indexed by its number (`pkg.Msg#2`), so a renamed field is found under its new name.
#[derive(Default)]
struct Index {
    places: HashMap<String, (String, u64, u64)>,
    /// Field name → its number key.
    numbers: HashMap<String, String>,
}

/// One compilation's descriptors and the folder their file names are relative to.
pub(super) struct Sources<'a> {
    pub files: &'a [FileDescriptorProto],
    pub base: &'a Path,
}

/// Sets `file`, `line` and `column` of each change: in the new compilation, in the old one
/// for a removal; an element not found is placed at its nearest enclosing one.
pub(super) fn place(old: Sources<'_>, new: Sources<'_>, changes: &mut [Change]) {
    let (old_index, new_index) = (index(old), index(new));
    for change in changes {
        let removal = change.id.contains("removed");
        let (first, second) = if removal {
            (&old_index, &new_index)
        } else {
            (&new_index, &old_index)
        };
        let location = change.location.as_str();
        let renamed = second
            .numbers
            .get(location)
            .and_then(|number| first.places.get(number));
        let found = first
            .places
            .get(location)
            .or(renamed)
            .or_else(|| lookup(first, location))
            .or_else(|| lookup(second, location));
        if let Some((file, line, column)) = found {
            change.file = Some(file.clone());
            change.line = Some(*line);
            change.column = Some(*column);
        }
    }
}

/// The element named `location`, or the nearest enclosing one (`a.B.c` → `a.B` → `a`).
fn lookup<'i>(index: &'i Index, location: &str) -> Option<&'i (String, u64, u64)> {
    let mut name = location;
    loop {
        if let Some(found) = index.places.get(name) {
            return Some(found);
        }
        name = &name[..name.rfind('.')?];
    }
}

fn index(compiled: Sources<'_>) -> Index {
    let mut out = Index::default();
    for f in compiled.files {
        let file = compiled.base.join(f.name()).display().to_string();
        let spans: HashMap<&[i32], &[i32]> = f
            .source_code_info
            .iter()
            .flat_map(|info| &info.location)
            .map(|l| (l.path.as_slice(), l.span.as_slice()))
            .collect();
        let mut put = |name: String, path: &[i32]| {
            let (line, column) = match spans.get(path) {
                Some(span) if span.len() >= 2 => (span[0] as u64 + 1, span[1] as u64 + 1),
                _ => (1, 1),
            };
            out.places
                .entry(name)
                .or_insert((file.clone(), line, column));
        };
        put(f.name().to_string(), &[]);
        if !f.package().is_empty() {
            put(f.package().to_string(), &[2]);
        }
        let mut path = Vec::new();
        for (i, m) in f.message_type.iter().enumerate() {
            path.extend([4, i as i32]);
            message(f.package(), m, &mut path, &mut put);
            path.clear();
        }
        for (i, e) in f.enum_type.iter().enumerate() {
            path.extend([5, i as i32]);
            enumeration(f.package(), e, &mut path, &mut put);
            path.clear();
        }
        for (i, s) in f.service.iter().enumerate() {
            let full = prefixed(f.package(), s.name());
            put(full.clone(), &[6, i as i32]);
            for (k, m) in s.method.iter().enumerate() {
                put(format!("{full}.{}", m.name()), &[6, i as i32, 2, k as i32]);
            }
        }
        let mut numbers = Vec::new();
        for m in &f.message_type {
            field_numbers(f.package(), m, &mut numbers);
        }
        for (name, number) in numbers {
            let place = out.places.get(&name).cloned();
            if let Some(place) = place {
                out.places.entry(number.clone()).or_insert(place);
            }
            out.numbers.insert(name, number);
        }
    }
    out
}

/// (`pkg.Msg.field`, `pkg.Msg#number`) of every field, nested messages too.
fn field_numbers(scope: &str, m: &DescriptorProto, out: &mut Vec<(String, String)>) {
    let full = prefixed(scope, m.name());
    for field in &m.field {
        out.push((
            format!("{full}.{}", field.name()),
            format!("{full}#{}", field.number()),
        ));
    }
    for nested in &m.nested_type {
        field_numbers(&full, nested, out);
    }
}

fn message(
    scope: &str,
    m: &DescriptorProto,
    path: &mut Vec<i32>,
    put: &mut impl FnMut(String, &[i32]),
) {
    let full = prefixed(scope, m.name());
    put(full.clone(), path);
    let mut child = |tag: i32, k: usize, name: &str, put: &mut dyn FnMut(String, &[i32])| {
        path.extend([tag, k as i32]);
        put(format!("{full}.{name}"), path);
        path.truncate(path.len() - 2);
    };
    for (k, field) in m.field.iter().enumerate() {
        child(2, k, field.name(), put);
    }
    for (k, oneof) in m.oneof_decl.iter().enumerate() {
        child(8, k, oneof.name(), put);
    }
    for (k, nested) in m.nested_type.iter().enumerate() {
        path.extend([3, k as i32]);
        message(&full, nested, path, put);
        path.truncate(path.len() - 2);
    }
    for (k, e) in m.enum_type.iter().enumerate() {
        path.extend([4, k as i32]);
        enumeration(&full, e, path, put);
        path.truncate(path.len() - 2);
    }
}

fn enumeration(
    scope: &str,
    e: &EnumDescriptorProto,
    path: &mut Vec<i32>,
    put: &mut impl FnMut(String, &[i32]),
) {
    let full = prefixed(scope, e.name());
    put(full.clone(), path);
    for (k, v) in e.value.iter().enumerate() {
        path.extend([2, k as i32]);
        put(format!("{full}.{}", v.name()), path);
        path.truncate(path.len() - 2);
    }
}
