//! Federation: one YAML map of services to mock workspaces, each at its own reality level (docs/federation.md).
//!
//! [`load_file`] reads a federation (MockForge's files included, YAML or JSON) and reports
//! every mistake of the file at once, [`validate`] checks it,
//! [`Router`] resolves a path to its service, [`graph_mermaid`]/[`graph_dot`] draw the
//! dependencies, [`load_scenario`] reads a federation scenario and [`serve`] runs the gateway.

mod cache;
mod gateway;
mod graph;
mod model;
pub(crate) mod reading;
mod router;
pub(crate) mod scenario;
mod tree;
mod validate;

pub use cache::{load_checked, Checked};
pub use gateway::{
    serve, ExchangeSink, RecorderStatus, ScenarioSource, ServeHandle, ServeOptions, SinkError,
};
pub use graph::{graph_dot, graph_mermaid};
pub use model::{
    BlendMode, Dependency, Federation, LatencyRange, Loc, RealityLevel, Service, ServiceConfig,
    UnknownConfigKey, KNOWN_CONFIG_KEYS,
};
pub use reading::{load_file, parse_str};
pub use router::{route_json, route_json_at, target_url, RouteMatch, Router};
pub use scenario::{
    effective_levels, load_scenario, parse_scenario, validate_scenario, ScenarioFile,
    ServiceOverride,
};
pub use validate::{validate, Diagnostic, Severity};

use crate::yamlfile::YamlError;

/// Why a federation, a scenario or the gateway could not be used.
#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    /// The file could not be read or parsed (with its file, line and column).
    #[error("{0}")]
    Yaml(#[from] YamlError),
    /// The definition parsed but does not validate; every error is listed.
    #[error("{}", render_diagnostics(.0))]
    Invalid(Vec<Diagnostic>),
    /// The gateway could not listen on the address.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    /// The gateway could not start for another reason.
    #[error("cannot start the gateway: {0}")]
    Start(String),
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
