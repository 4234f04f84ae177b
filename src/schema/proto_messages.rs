//! Protobuf messages and enums: fields (number, name, JSON name, type, cardinality, oneof),
//! oneofs, reserved numbers and names, and enum values.

use super::proto_names::prefixed;
use super::Level;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
};
use std::collections::{BTreeMap, BTreeSet};

/// Compares the messages of two compilations (map-entry messages through their field).
pub(super) fn diff_messages(
    old: &[FileDescriptorProto],
    new: &[FileDescriptorProto],
    push: &mut impl FnMut(&str, Level, &str, String),
) {
    let (om, nm) = (messages(old), messages(new));
    for (full, m) in &om {
        match nm.get(full) {
            None => push(
                "message-removed",
                Level::Breaking,
                full,
                format!("message `{full}` removed"),
            ),
            Some(n) => diff_message(full, m, n, push),
        }
    }
    for full in nm.keys().filter(|k| !om.contains_key(*k)) {
        push(
            "message-added",
            Level::Info,
            full,
            format!("message `{full}` added"),
        );
    }
}

/// Compares the enums of two compilations, top-level and nested.
pub(super) fn diff_enums(
    old: &[FileDescriptorProto],
    new: &[FileDescriptorProto],
    push: &mut impl FnMut(&str, Level, &str, String),
) {
    let (oe, ne) = (enums(old), enums(new));
    for (full, e) in &oe {
        match ne.get(full) {
            None => push(
                "enum-removed",
                Level::Breaking,
                full,
                format!("enum `{full}` removed"),
            ),
            Some(n) => diff_enum(full, e, n, push),
        }
    }
    for full in ne.keys().filter(|k| !oe.contains_key(*k)) {
        push(
            "enum-added",
            Level::Info,
            full,
            format!("enum `{full}` added"),
        );
    }
}

fn messages(files: &[FileDescriptorProto]) -> BTreeMap<String, &DescriptorProto> {
    fn walk<'a>(
        scope: &str,
        list: &'a [DescriptorProto],
        out: &mut BTreeMap<String, &'a DescriptorProto>,
    ) {
        for m in list {
            let full = prefixed(scope, m.name());
            walk(&full, &m.nested_type, out);
            out.insert(full, m);
        }
    }
    let mut out = BTreeMap::new();
    for f in files {
        walk(f.package(), &f.message_type, &mut out);
    }
    // Synthetic map-entry messages are compared through their map field.
    out.retain(|_, m| !m.options.as_ref().is_some_and(|o| o.map_entry()));
    out
}

fn enums(files: &[FileDescriptorProto]) -> BTreeMap<String, &EnumDescriptorProto> {
    fn walk<'a>(
        scope: &str,
        list: &'a [DescriptorProto],
        out: &mut BTreeMap<String, &'a EnumDescriptorProto>,
    ) {
        for m in list {
            let full = prefixed(scope, m.name());
            for e in &m.enum_type {
                out.insert(prefixed(&full, e.name()), e);
            }
            walk(&full, &m.nested_type, out);
        }
    }
    let mut out = BTreeMap::new();
    for f in files {
        for e in &f.enum_type {
            out.insert(prefixed(f.package(), e.name()), e);
        }
        walk(f.package(), &f.message_type, &mut out);
    }
    out
}

fn field_type(f: &FieldDescriptorProto) -> String {
    match f.r#type() {
        Type::Message | Type::Enum | Type::Group => {
            f.type_name().trim_start_matches('.').to_string()
        }
        other => format!("{other:?}").to_lowercase(),
    }
}

fn cardinality(f: &FieldDescriptorProto) -> &'static str {
    match f.label() {
        Label::Repeated => "repeated",
        Label::Required => "required",
        Label::Optional if f.proto3_optional() => "optional",
        Label::Optional if f.oneof_index.is_some() => "oneof",
        Label::Optional => "optional",
    }
}

fn reserved_number(m: &DescriptorProto, number: i32) -> bool {
    m.reserved_range
        .iter()
        .any(|r| r.start() <= number && number < r.end())
}

fn diff_message(
    full: &str,
    old: &DescriptorProto,
    new: &DescriptorProto,
    push: &mut impl FnMut(&str, Level, &str, String),
) {
    let oneof_name = |m: &DescriptorProto, f: &FieldDescriptorProto| {
        f.oneof_index
            .filter(|_| !f.proto3_optional())
            .and_then(|i| m.oneof_decl.get(i as usize))
            .map(|o| o.name().to_string())
    };
    for of in &old.field {
        let at = format!("{full}.{}", of.name());
        let Some(nf) = new.field.iter().find(|f| f.number() == of.number()) else {
            if let Some(moved) = new.field.iter().find(|f| f.name() == of.name()) {
                push(
                    "field-number-changed",
                    Level::Breaking,
                    &at,
                    format!(
                        "field number changed from {} to {}",
                        of.number(),
                        moved.number()
                    ),
                );
            } else if reserved_number(new, of.number()) {
                push(
                    "field-removed",
                    Level::Breaking,
                    &at,
                    format!(
                        "field {} `{}` removed (its number is reserved)",
                        of.number(),
                        of.name()
                    ),
                );
            } else {
                push(
                    "field-removed-without-reserve",
                    Level::Breaking,
                    &at,
                    format!(
                        "field {} `{}` removed without reserving its number",
                        of.number(),
                        of.name()
                    ),
                );
            }
            continue;
        };
        if nf.name() != of.name() {
            push(
                "field-name-changed",
                Level::Breaking,
                &at,
                format!(
                    "field {} renamed from `{}` to `{}`",
                    of.number(),
                    of.name(),
                    nf.name()
                ),
            );
        }
        if nf.json_name() != of.json_name() {
            push(
                "field-json-name-changed",
                Level::Breaking,
                &at,
                format!(
                    "json_name changed from `{}` to `{}`",
                    of.json_name(),
                    nf.json_name()
                ),
            );
        }
        if field_type(of) != field_type(nf) {
            push(
                "field-type-changed",
                Level::Breaking,
                &at,
                format!(
                    "type changed from `{}` to `{}`",
                    field_type(of),
                    field_type(nf)
                ),
            );
        }
        let (oc, nc) = (cardinality(of), cardinality(nf));
        if oc != nc && !(oc == "oneof" || nc == "oneof") {
            push(
                "field-cardinality-changed",
                Level::Breaking,
                &at,
                format!("cardinality changed from {oc} to {nc}"),
            );
        }
        if oneof_name(old, of) != oneof_name(new, nf) {
            let show = |o: Option<String>| o.unwrap_or_else(|| "none".into());
            push(
                "field-oneof-changed",
                Level::Breaking,
                &at,
                format!(
                    "oneof changed from `{}` to `{}`",
                    show(oneof_name(old, of)),
                    show(oneof_name(new, nf))
                ),
            );
        }
    }
    for nf in new.field.iter().filter(|f| {
        !old.field
            .iter()
            .any(|o| o.number() == f.number() || o.name() == f.name())
    }) {
        push(
            "field-added",
            Level::Info,
            &format!("{full}.{}", nf.name()),
            format!("field {} `{}` added", nf.number(), nf.name()),
        );
    }
    let real_oneofs = |m: &DescriptorProto| -> BTreeSet<String> {
        m.oneof_decl
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                m.field
                    .iter()
                    .any(|f| f.oneof_index == Some(*i as i32) && !f.proto3_optional())
            })
            .map(|(_, o)| o.name().to_string())
            .collect()
    };
    let (oo, no) = (real_oneofs(old), real_oneofs(new));
    for name in oo.difference(&no) {
        push(
            "oneof-removed",
            Level::Breaking,
            &format!("{full}.{name}"),
            format!("oneof `{name}` removed"),
        );
    }
    for name in no.difference(&oo) {
        push(
            "oneof-added",
            Level::Info,
            &format!("{full}.{name}"),
            format!("oneof `{name}` added"),
        );
    }
    for r in &old.reserved_range {
        if !(r.start()..r.end())
            .all(|n| reserved_number(new, n) || new.field.iter().any(|f| f.number() == n))
        {
            push(
                "reserved-range-removed",
                Level::Breaking,
                full,
                format!("reserved range {}..{} removed", r.start(), r.end() - 1),
            );
        }
    }
    for name in old.reserved_name.iter().filter(|n| {
        !new.reserved_name.contains(n) && !new.field.iter().any(|f| f.name() == n.as_str())
    }) {
        push(
            "reserved-name-removed",
            Level::Breaking,
            full,
            format!("reserved name `{name}` removed"),
        );
    }
}

fn diff_enum(
    full: &str,
    old: &EnumDescriptorProto,
    new: &EnumDescriptorProto,
    push: &mut impl FnMut(&str, Level, &str, String),
) {
    let reserved = |n: i32| {
        new.reserved_range
            .iter()
            .any(|r| r.start() <= n && n <= r.end())
    };
    for ov in &old.value {
        let at = format!("{full}.{}", ov.name());
        match new.value.iter().find(|v| v.number() == ov.number()) {
            None => {
                if let Some(moved) = new.value.iter().find(|v| v.name() == ov.name()) {
                    push(
                        "enum-value-number-changed",
                        Level::Breaking,
                        &at,
                        format!(
                            "enum value number changed from {} to {}",
                            ov.number(),
                            moved.number()
                        ),
                    );
                } else if reserved(ov.number()) {
                    push(
                        "enum-value-removed",
                        Level::Breaking,
                        &at,
                        format!(
                            "enum value {} `{}` removed (its number is reserved)",
                            ov.number(),
                            ov.name()
                        ),
                    );
                } else {
                    push(
                        "enum-value-removed-without-reserve",
                        Level::Breaking,
                        &at,
                        format!(
                            "enum value {} `{}` removed without reserving its number",
                            ov.number(),
                            ov.name()
                        ),
                    );
                }
            }
            Some(nv)
                if nv.name() != ov.name() && !new.value.iter().any(|v| v.name() == ov.name()) =>
            {
                push(
                    "enum-value-name-changed",
                    Level::Breaking,
                    &at,
                    format!(
                        "enum value {} renamed from `{}` to `{}`",
                        ov.number(),
                        ov.name(),
                        nv.name()
                    ),
                );
            }
            Some(_) => {}
        }
    }
    for nv in new.value.iter().filter(|v| {
        !old.value
            .iter()
            .any(|o| o.number() == v.number() || o.name() == v.name())
    }) {
        push(
            "enum-value-added",
            Level::Info,
            &format!("{full}.{}", nv.name()),
            format!("enum value {} `{}` added", nv.number(), nv.name()),
        );
    }
}
