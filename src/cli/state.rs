//! `mockops state status` and `mockops state migrate --to postgres://…`.

use super::context;
use super::output::Printer;
use super::{user_error, GlobalArgs};
use crate::store::{Location, Store};
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Which backend holds the state, its schema version and the rows of each table
    Status,
    /// Copy a local SQLite state into PostgreSQL (running it again adds nothing)
    Migrate {
        /// The PostgreSQL database to copy into (postgres://user@host/db; the password from PGPASSWORD)
        #[arg(long, value_name = "URL")]
        to: String,
        /// The SQLite file to copy (default: the project's state file)
        #[arg(long, value_name = "PATH")]
        from: Option<PathBuf>,
    },
}

pub fn run(g: &GlobalArgs, cmd: StateCommand, out: &mut Printer) -> Result<()> {
    let project = context::project(g)?;
    match cmd {
        StateCommand::Status => {
            let store = context::open_store(&project, out)?;
            let status = store.status()?;
            if out.json() {
                return out.print_json(&status);
            }
            out.table(
                &["backend", "location", "schema version"],
                vec![vec![
                    status.backend.to_string(),
                    status.location.clone(),
                    status.schema_version.to_string(),
                ]],
            );
            let rows = status
                .tables
                .iter()
                .map(|(table, rows)| vec![table.clone(), rows.to_string()])
                .collect();
            out.table(&["table", "rows"], rows);
            Ok(())
        }
        StateCommand::Migrate { to, from } => {
            let cwd = std::env::current_dir()?;
            let source = match (from, &project.state) {
                (Some(path), _) => cwd.join(path),
                (None, Location::File(path)) => path.clone(),
                (None, Location::Postgres(_)) => project.root.join(".mockops").join("state.db"),
            };
            // The destination first: a mistyped URL is the error to fix, whatever the source.
            let target = Location::parse(&to, &cwd)?;
            if !matches!(target, Location::Postgres(_)) {
                return Err(user_error(format!(
                    "--to {to}: give a postgres:// or postgresql:// URL to copy into"
                )));
            }
            if !source.is_file() {
                return Err(user_error(format!(
                    "{}: no SQLite state file to copy (give one with --from)",
                    source.display()
                )));
            }
            let from = Store::open(&source)?;
            let mut into = Store::open_at(&target)?;
            let report = from.copy_into(&mut into)?;
            if out.json() {
                return out.print_json(&report);
            }
            let rows = report
                .tables
                .iter()
                .map(|(table, counts)| {
                    vec![
                        table.clone(),
                        counts["copied"].to_string(),
                        counts["already_present"].to_string(),
                    ]
                })
                .collect();
            out.table(&["table", "copied", "already present"], rows);
            out.info(&format!("copied {} into {}", report.from, report.to));
            Ok(())
        }
    }
}
