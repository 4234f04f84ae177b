//! mockops: event-driven pipelines, a federation gateway with reality levels, and
//! coverage/drift reports from recorded traffic — with local files as the whole state.

pub mod ci_formats;
pub mod cli;
pub mod coverage;
pub mod demo;
pub mod editor_schema;
pub mod entities;
pub mod events;
pub mod exchange;
pub(crate) mod fast_hash;
pub mod federation;
pub mod gitutil;
pub mod interrupt;
pub mod pipeline;
pub mod project;
pub mod schema;
pub mod secrets;
pub mod steps;
pub mod store;
pub mod timefmt;
pub mod watch;
pub mod yamlfile;

/// Parses `s` as JSON when it parses (`true` is a boolean, `2` a number), else keeps it as a string.
pub fn json_or_string(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|_| serde_json::Value::String(s.to_string()))
}

/// Entity and environment ids: `[a-z0-9][a-z0-9._-]*`, never `..`.
pub fn entity_id_is_valid(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && !id.contains("..")
}

/// Runs mockops with the process arguments; returns the exit code.
pub fn run() -> i32 {
    cli::main_with_args(std::env::args_os().collect())
}
