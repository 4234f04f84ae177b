//! The command line: clap definitions, one file per command group. Only `cli/` prints.
//!
//! Commands return `anyhow::Result<()>`; [`exit_code`] maps errors to the exit codes of
//! docs/conventions.md (2 for bad usage or input, 1 for work that ran and failed).

mod ci;
mod completions;
mod context;
mod coverage;
mod demo;
mod demo_commands;
mod dynamic;
mod entity;
mod event;
mod federation;
mod federation_load;
mod federation_serve;
mod formats;
mod hook;
mod init;
mod json_schema;
mod output;
mod pipeline;
mod schema;
mod state;
mod watch;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use output::Format;

/// mockops — pipelines, federation and coverage around API mocking.
#[derive(Debug, Parser)]
#[command(name = "mockops", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)
    #[arg(long, global = true, env = "MOCKOPS_PROJECT", value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml's state, else <root>/.mockops/state.db)
    #[arg(
        long,
        global = true,
        env = "MOCKOPS_STATE",
        hide_env_values = true,
        value_name = "PATH|URL"
    )]
    pub state: Option<PathBuf>,
    /// Output format; after the subcommand, its help lists the formats that command prints
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Debug logs on stderr
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    /// Errors only on stderr
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// No colour (the same as --color never)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never
    #[arg(long, global = true, value_enum, default_value_t = output::ColorChoice::Auto, value_name = "WHEN")]
    pub color: output::ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create mockops.yaml, an example pipeline and federation, and the state file
    Init(init::InitArgs),
    /// The closed loop in a throwaway project: gateway, traffic, coverage, drift, pull request, webhook
    ///
    /// Builds a project from the demo's files in a temp folder (or --out DIR) and runs
    /// federation serve, seeded traffic, coverage report and drift check there; the pipeline
    /// pushes a branch to a local bare origin and sends a signed webhook to a local listener.
    /// Everything listens on 127.0.0.1. The current project, --project and --state are
    /// never used. At the end the folder is removed and the HTML report copied out (--keep
    /// and --out keep the folder).
    Demo(demo::DemoArgs),
    /// Emit, list, show and replay events; dead letters
    #[command(subcommand)]
    Event(event::EventCommand),
    /// List, validate, run and inspect pipelines
    #[command(subcommand)]
    Pipeline(pipeline::PipelineCommand),
    /// Structural diffs of specs; snapshot checks that emit schema.changed
    #[command(subcommand)]
    Schema(schema::SchemaCommand),
    /// Publish a scenario or persona: record a version, copy it to an environment
    Publish(entity::PublishArgs),
    /// Promote a scenario, persona or config to the next environment
    Promote(entity::PromoteArgs),
    /// Promotions recorded
    #[command(subcommand)]
    Promotion(entity::PromotionCommand),
    /// Federations: validate, route, graph, serve the gateway, scenarios
    #[command(subcommand)]
    Federation(federation::FederationCommand),
    /// Ingest traffic; coverage and drift reports
    #[command(subcommand)]
    Coverage(coverage::CoverageCommand),
    /// Drift budgets
    #[command(subcommand)]
    Drift(coverage::DriftCommand),
    /// Git hooks: install, uninstall, run
    #[command(subcommand)]
    Hook(hook::HookCommand),
    /// The state: backend, schema and row counts; copy a local state into PostgreSQL
    #[command(subcommand)]
    State(state::StateCommand),
    /// Watch specs and definitions; run what their changes trigger
    Watch(watch::WatchArgs),
    /// Print shell completions
    Completions(completions::CompletionsArgs),
    /// Print the JSON Schema of pipeline, federation, scenario or config (mockops.yaml) files
    JsonSchema(json_schema::JsonSchemaArgs),
}

/// A user error: bad usage or input (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

/// The command already reported what went wrong; exit with this code.
#[derive(Debug, thiserror::Error)]
#[error("exit {0}")]
pub struct Exit(pub i32);

pub fn user_error(msg: impl Into<String>) -> anyhow::Error {
    UserError(msg.into()).into()
}

/// The exit code for an error (docs/conventions.md).
pub fn exit_code(err: &anyhow::Error) -> i32 {
    for cause in err.chain() {
        if let Some(Exit(code)) = cause.downcast_ref::<Exit>() {
            return *code;
        }
        if let Some(crate::pipeline::executor::EngineError::Interrupted { signal, .. }) =
            cause.downcast_ref()
        {
            return crate::interrupt::exit_code(*signal);
        }
        if cause.is::<UserError>()
            || cause.is::<crate::yamlfile::YamlError>()
            || cause.is::<crate::project::ProjectError>()
            || cause.is::<crate::store::LocationError>()
            || cause.is::<crate::events::EventError>()
            || cause.is::<clap::Error>()
        {
            return 2;
        }
        if let Some(e) = store_error(cause) {
            if matches!(e, crate::store::StoreError::NotFound(_)) || e.is_unusable_file() {
                return 2;
            }
        }
    }
    1
}

/// The state's error in `cause`, also when a domain error carries it (transparently, so
/// it is not a separate link of the chain).
fn store_error<'e>(
    cause: &'e (dyn std::error::Error + 'static),
) -> Option<&'e crate::store::StoreError> {
    use crate::coverage::CoverageError;
    use crate::entities::EntityError;
    use crate::pipeline::executor::EngineError;
    cause
        .downcast_ref::<crate::store::StoreError>()
        .or(match cause.downcast_ref::<EngineError>() {
            Some(EngineError::Store(e)) => Some(e),
            _ => None,
        })
        .or(match cause.downcast_ref::<CoverageError>() {
            Some(CoverageError::Store(e)) => Some(e),
            _ => None,
        })
        .or(match cause.downcast_ref::<EntityError>() {
            Some(EntityError::Store(e)) => Some(e),
            _ => None,
        })
}

/// Parses arguments, runs the command, returns the process exit code.
pub fn main_with_args(args: Vec<std::ffi::OsString>) -> i32 {
    // `COMPLETE=<shell> mockops …`: the shell asks for completions (prints them and exits).
    if std::env::var_os("COMPLETE").is_some_and(|v| !v.is_empty() && v != "0") {
        clap_complete::CompleteEnv::with_factory(command).complete();
    }
    let (cli, path) = match parse(args) {
        Ok(parsed) => parsed,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    if let Err(err) = check_format(&path, cli.global.format) {
        output::Printer::new(&cli.global).error(&format!("{err:#}"));
        return 2;
    }
    let mut out = output::Printer::new(&cli.global);
    // Ctrl-C, SIGTERM and SIGHUP stop the steps mockops runs before it exits (see
    // `interrupt`); if they cannot be received, they keep their default action.
    if let Err(e) = crate::interrupt::install() {
        out.debug(&format!("signals keep their default action: {e}"));
    }
    let result = run(cli, &mut out);
    ci::finish(&out);
    let code = match result {
        Ok(()) => 0,
        Err(err) => {
            let code = exit_code(&err);
            if !err.chain().any(|c| c.is::<Exit>()) {
                out.error(&format!("{err:#}"));
            }
            code
        }
    };
    // A signal the command did not take as its stop request interrupted it: 128 + signal.
    match crate::interrupt::unacknowledged() {
        Some(signal) if code != crate::interrupt::exit_code(signal) => {
            out.error(&crate::interrupt::describe());
            crate::interrupt::exit_code(signal)
        }
        // Bad input reported on the way (an invalid pipeline file while the valid ones
        // ran) makes the whole command bad input.
        _ if out.bad_input_deferred() => 2,
        _ => code,
    }
}

/// The clap command: the derive's, with each leaf command's own `--format`.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    formats::with_formats(dynamic::with_candidates(Cli::command()))
}

/// Parses `args`; the `--format` after the subcommand wins over one before it. Also returns
/// the subcommand path (`["schema", "diff"]`).
fn parse(args: Vec<std::ffi::OsString>) -> Result<(Cli, Vec<String>), clap::Error> {
    use clap::FromArgMatches;
    let matches = command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    let (path, leaf) = formats::leaf(&matches);
    if leaf.is_some() {
        cli.global.format = leaf;
    }
    Ok((cli, path))
}

fn run(cli: Cli, out: &mut output::Printer) -> Result<()> {
    let global = cli.global.clone();
    match cli.command {
        Command::Init(args) => init::run(&global, args, out),
        Command::Demo(args) => demo::run(&global, args, out),
        Command::Event(cmd) => event::run(&global, cmd, out),
        Command::Pipeline(cmd) => pipeline::run(&global, cmd, out),
        Command::Schema(cmd) => schema::run(&global, cmd, out),
        Command::Publish(args) => entity::publish(&global, args, out),
        Command::Promote(args) => entity::promote(&global, args, out),
        Command::Promotion(cmd) => entity::promotion(&global, cmd, out),
        Command::Federation(cmd) => federation::run(&global, cmd, out),
        Command::Coverage(cmd) => coverage::run(&global, cmd, out),
        Command::Drift(cmd) => coverage::drift(&global, cmd, out),
        Command::Hook(cmd) => hook::run(&global, cmd, out),
        Command::State(cmd) => state::run(&global, cmd, out),
        Command::Watch(args) => watch::run(&global, args, out),
        Command::Completions(args) => completions::run(args, out),
        Command::JsonSchema(args) => json_schema::run(args, out),
    }
}

/// A `--format` given before the subcommand must be one the command prints (after it,
/// clap already refused any other). Any other format is refused rather than ignored.
fn check_format(path: &[String], format: Option<Format>) -> Result<()> {
    let names: Vec<&str> = path.iter().map(String::as_str).collect();
    let accepted = formats::accepted(&names);
    match format {
        None => Ok(()),
        Some(f) if accepted.contains(&f) => Ok(()),
        Some(other) => {
            let list: Vec<String> = accepted.iter().map(|f| f.to_string()).collect();
            Err(user_error(format!(
                "--format {other}: this command prints {}",
                list.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definitions_are_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn global_flags_go_before_or_after_the_subcommand() {
        let args = |list: &[&str]| list.iter().map(std::ffi::OsString::from).collect();
        let a = parse(args(&["mockops", "--format", "json", "event", "list"])).unwrap();
        let b = parse(args(&["mockops", "event", "list", "--format", "json"])).unwrap();
        assert_eq!(a.0.global.format, Some(Format::Json));
        assert_eq!(a.0.global.format, b.0.global.format);
        assert_eq!(b.1, ["event", "list"]);
        // After the subcommand only its own formats parse.
        assert!(parse(args(&["mockops", "event", "list", "--format", "sarif"])).is_err());
        assert!(check_format(&b.1, Some(Format::Sarif)).is_err());
    }
}
