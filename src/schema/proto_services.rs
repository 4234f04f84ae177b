//! Protobuf services and methods: removal, input/output types, streaming, idempotency.

use super::proto_names::prefixed;
use super::Level;
use prost_types::{FileDescriptorProto, MethodDescriptorProto, ServiceDescriptorProto};
use std::collections::BTreeMap;

fn services(files: &[FileDescriptorProto]) -> BTreeMap<String, &ServiceDescriptorProto> {
    files
        .iter()
        .flat_map(|f| {
            f.service
                .iter()
                .map(move |s| (prefixed(f.package(), s.name()), s))
        })
        .collect()
}

/// Compares the services of two compilations.
pub(crate) fn diff_services(
    old: &[FileDescriptorProto],
    new: &[FileDescriptorProto],
    push: &mut impl FnMut(&str, Level, &str, String),
) {
    let (os, ns) = (services(old), services(new));
    for (full, s) in &os {
        let Some(n) = ns.get(full) else {
            push(
                "service-removed",
                Level::Breaking,
                full,
                format!("service `{full}` removed"),
            );
            continue;
        };
        for m in &s.method {
            let at = format!("{full}.{}", m.name());
            match n.method.iter().find(|x| x.name() == m.name()) {
                None => push(
                    "rpc-removed",
                    Level::Breaking,
                    &at,
                    format!("rpc `{}` removed", m.name()),
                ),
                Some(nm) => diff_method(&at, m, nm, push),
            }
        }
        for nm in n
            .method
            .iter()
            .filter(|x| !s.method.iter().any(|m| m.name() == x.name()))
        {
            push(
                "rpc-added",
                Level::Info,
                &format!("{full}.{}", nm.name()),
                format!("rpc `{}` added", nm.name()),
            );
        }
    }
    for full in ns.keys().filter(|k| !os.contains_key(*k)) {
        push(
            "service-added",
            Level::Info,
            full,
            format!("service `{full}` added"),
        );
    }
}

fn diff_method(
    at: &str,
    old: &MethodDescriptorProto,
    new: &MethodDescriptorProto,
    push: &mut impl FnMut(&str, Level, &str, String),
) {
    let t = |s: &str| s.trim_start_matches('.').to_string();
    if old.input_type() != new.input_type() {
        let msg = format!(
            "request type changed from `{}` to `{}`",
            t(old.input_type()),
            t(new.input_type())
        );
        push("rpc-request-type-changed", Level::Breaking, at, msg);
    }
    if old.output_type() != new.output_type() {
        let msg = format!(
            "response type changed from `{}` to `{}`",
            t(old.output_type()),
            t(new.output_type())
        );
        push("rpc-response-type-changed", Level::Breaking, at, msg);
    }
    if old.client_streaming() != new.client_streaming() {
        let msg = format!(
            "client streaming changed from {} to {}",
            old.client_streaming(),
            new.client_streaming()
        );
        push("rpc-client-streaming-changed", Level::Breaking, at, msg);
    }
    if old.server_streaming() != new.server_streaming() {
        let msg = format!(
            "server streaming changed from {} to {}",
            old.server_streaming(),
            new.server_streaming()
        );
        push("rpc-server-streaming-changed", Level::Breaking, at, msg);
    }
    let level = |m: &MethodDescriptorProto| {
        m.options
            .as_ref()
            .map(|o| o.idempotency_level())
            .unwrap_or_default()
    };
    if level(old) != level(new) {
        let msg = format!(
            "idempotency level changed from {:?} to {:?}",
            level(old),
            level(new)
        );
        push("rpc-idempotency-level-changed", Level::Breaking, at, msg);
    }
}
