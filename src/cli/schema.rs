//! `mockops schema diff|check`.

use super::context;
use super::output::{Format, Printer};
use super::{user_error, Exit, GlobalArgs};
use crate::schema;
use anyhow::Result;
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[path = "schema_check.rs"]
mod check;
pub use check::{check as check_with, CheckOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Breaking,
    Any,
    None,
}

#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Structural changes between two versions of a spec (OpenAPI, Swagger or Protobuf)
    Diff {
        /// The earlier version: a spec file, or a folder of .proto files
        old: PathBuf,
        /// The later version, of the same kind
        new: PathBuf,
        /// Exit 1 when there are breaking changes (`breaking`) or any change (`any`)
        #[arg(long, value_enum, default_value_t = FailOn::None)]
        fail_on: FailOn,
        /// Protobuf import path (repeatable)
        #[arg(long = "import-path", value_name = "DIR")]
        import_paths: Vec<PathBuf>,
    },
    /// Compare specs with their last snapshot, or a git revision; emit schema.changed for changed ones
    Check {
        /// Specs to check (default: the `specs` of mockops.yaml)
        specs: Vec<PathBuf>,
        /// Compare the versions staged in git (with HEAD, or with --base); stores no snapshot
        #[arg(long)]
        staged: bool,
        /// Compare with the same files at this git revision (a branch, tag or commit);
        /// stores no snapshot
        #[arg(long, value_name = "REF")]
        base: Option<String>,
        /// Emit and dispatch nothing (the snapshot mode still stores the new snapshots)
        #[arg(long)]
        no_run: bool,
        /// Exit 1 when a spec has breaking changes (`breaking`) or any change (`any`)
        #[arg(long, value_enum, default_value_t = FailOn::None)]
        fail_on: FailOn,
    },
}

pub fn run(g: &GlobalArgs, cmd: SchemaCommand, out: &mut Printer) -> Result<()> {
    match cmd {
        SchemaCommand::Diff {
            old,
            new,
            fail_on,
            import_paths,
        } => diff(&old, &new, fail_on, &import_paths, out),
        SchemaCommand::Check {
            specs,
            staged,
            base,
            no_run,
            fail_on,
        } => {
            let project = context::project(g)?;
            let opts = CheckOptions {
                specs: &specs,
                staged,
                base: base.as_deref(),
                no_run,
                source: "schema-check",
                fail_on: Some(fail_on),
            };
            check::check(&project, &opts, None, out)
        }
    }
}

fn diff(
    old: &Path,
    new: &Path,
    fail_on: FailOn,
    import_paths: &[PathBuf],
    out: &Printer,
) -> Result<()> {
    for p in [old, new] {
        if !p.exists() {
            return Err(user_error(format!(
                "{}: no such file or folder",
                p.display()
            )));
        }
    }
    if let Some(missing) = import_paths.iter().find(|p| !p.is_dir()) {
        return Err(user_error(format!(
            "--import-path {}: no such folder",
            missing.display()
        )));
    }
    let report =
        schema::diff_paths(old, new, import_paths).map_err(|e| user_error(e.to_string()))?;
    match out.format {
        _ if super::ci::schema_diff(out, &report, new)? => {}
        Some(Format::Json) => out.print_json(&report)?,
        Some(Format::Markdown) => out.print(&schema::render_markdown(&report)),
        None | Some(Format::Text) | Some(Format::Table) => out.print(&schema::render_text(&report)),
        Some(other) => {
            return Err(user_error(format!(
                "--format {other}: schema diff prints text, json or markdown"
            )))
        }
    }
    let failed = match fail_on {
        FailOn::None => false,
        FailOn::Breaking => report.breaking_count > 0,
        FailOn::Any => !report.changes.is_empty(),
    };
    if failed {
        return Err(Exit(1).into());
    }
    Ok(())
}

/// Checks specs against their snapshots (`staged`: the index against HEAD, statelessly);
/// `pipelines` are the definitions to dispatch to (loaded from `pipelines/` when `None`).
pub fn check(
    project: &crate::project::Project,
    specs: &[PathBuf],
    staged: bool,
    no_run: bool,
    pipelines: Option<&[crate::pipeline::Pipeline]>,
    out: &Printer,
) -> Result<()> {
    let opts = CheckOptions {
        specs,
        staged,
        base: None,
        no_run,
        source: if staged { "hook" } else { "schema-check" },
        fail_on: None,
    };
    check::check(project, &opts, pipelines, out)
}
