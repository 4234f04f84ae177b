//! JSON Schemas (draft 2020-12) of the files people write — pipeline files, federation
//! files, federation scenario files and `mockops.yaml` — generated with `schemars` from the
//! Rust types in this module, which describe each file's keys as the loaders accept them
//! (every key documented, so an editor shows the documentation on hover). The committed
//! copies live in `schemas/`; a test fails when they are stale, another when an example
//! file of the repository does not validate.

mod config;
mod federation;
mod pipeline;
mod scenario;

use serde_json::Value;

/// A kind of file with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A pipeline file (`pipelines/*.yaml`)
    Pipeline,
    /// A federation file (`federations/*.yaml`)
    Federation,
    /// A federation scenario file (`federation scenario activate FILE`)
    Scenario,
    /// `mockops.yaml`
    Config,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Pipeline,
        Kind::Federation,
        Kind::Scenario,
        Kind::Config,
    ];

    /// The file name under `schemas/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Pipeline => "pipeline.schema.json",
            Kind::Federation => "federation.schema.json",
            Kind::Scenario => "scenario.schema.json",
            Kind::Config => "config.schema.json",
        }
    }
}

/// The schema of `kind`.
pub fn schema(kind: Kind) -> Value {
    let schema = match kind {
        Kind::Pipeline => schemars::schema_for!(pipeline::PipelineFile),
        Kind::Federation => schemars::schema_for!(federation::FederationFile),
        Kind::Scenario => schemars::schema_for!(scenario::ScenarioFile),
        Kind::Config => schemars::schema_for!(config::ConfigFile),
    };
    schema.to_value()
}

/// The schema as committed: pretty JSON with a final newline.
pub fn schema_text(kind: Kind) -> String {
    let mut text = serde_json::to_string_pretty(&schema(kind)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests;
