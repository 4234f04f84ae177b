//! `mockops federation list|validate|route|graph|serve|scenario`.

use super::context;
use super::federation_load::{
    active_scenario_of, load_all, pick, print_diags, print_load_error, record_levels, relative_err,
};
use super::output::{Format, Printer};
use super::{user_error, Exit, GlobalArgs};
use crate::federation::{self, Diagnostic, Router, Severity};
use crate::project::Project;
use crate::store::{ActiveScenario, Store};
use anyhow::Result;
use clap::Subcommand;
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum FederationCommand {
    /// Federations with their service counts and active scenario
    List,
    /// Check federation files (all of federations/ when none is named)
    Validate {
        /// Federation files or folders (default: every file in federations/)
        files: Vec<PathBuf>,
        /// A reality level missing the URL it needs is an error, not a warning
        #[arg(long)]
        strict: bool,
    },
    /// Resolve a request path to its service
    #[command(override_usage = "mockops federation route [OPTIONS] [METHOD] PATH")]
    Route {
        /// An optional HTTP method, then the request path (or a URL)
        #[arg(num_args = 1..=2, value_names = ["METHOD", "PATH"])]
        args: Vec<String>,
        /// Federation name (may be left out when there is only one)
        #[arg(long)]
        federation: Option<String>,
    },
    /// Draw the dependency graph (mermaid or dot via --format)
    Graph {
        /// Federation name (may be left out when there is only one)
        #[arg(long)]
        federation: Option<String>,
    },
    /// Run the local gateway that applies every service's reality level
    Serve {
        /// Federation name (may be left out when there is only one)
        #[arg(long)]
        federation: Option<String>,
        /// Address to listen on: IP:PORT, or localhost:PORT / PORT for 127.0.0.1
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Record exchanges in the state file (default)
        #[arg(long, overrides_with = "no_record")]
        record: bool,
        /// Do not record exchanges
        #[arg(long)]
        no_record: bool,
    },
    /// Activate, deactivate or show a federation scenario
    #[command(subcommand)]
    Scenario(ScenarioCommand),
}

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Apply a scenario file's overrides (a running gateway picks them up)
    Activate {
        /// The scenario file (name and per-service overrides)
        file: PathBuf,
        /// Federation name (may be left out when there is only one)
        #[arg(long)]
        federation: Option<String>,
    },
    /// Back to every service's own reality level
    Deactivate {
        /// Federation name (may be left out when there is only one)
        #[arg(long)]
        federation: Option<String>,
    },
    /// The active scenario, since when, and its overrides
    Show {
        /// Federation name (may be left out when there is only one)
        #[arg(long)]
        federation: Option<String>,
    },
}

pub fn run(g: &GlobalArgs, cmd: FederationCommand, out: &mut Printer) -> Result<()> {
    let project = context::project(g)?;
    match cmd {
        FederationCommand::List => list(&project, out),
        FederationCommand::Validate { files, strict } => validate(&project, &files, strict, out),
        FederationCommand::Route { args, federation } => {
            route(&project, &args, federation.as_deref(), out)
        }
        FederationCommand::Graph { federation } => {
            let fed = pick(&project, federation.as_deref(), out)?;
            match out.format {
                Some(Format::Dot) => out.print(&federation::graph_dot(&fed)),
                None | Some(Format::Mermaid) | Some(Format::Text) => out.print(&federation::graph_mermaid(&fed)),
                Some(Format::Json) => out.print_json(&json!({"federation": fed.name, "mermaid": federation::graph_mermaid(&fed), "dot": federation::graph_dot(&fed)}))?,
                Some(other) => return Err(user_error(format!("--format {other}: federation graph prints mermaid, dot or json"))),
            }
            Ok(())
        }
        FederationCommand::Serve {
            federation,
            listen,
            no_record,
            ..
        } => super::federation_serve::serve(
            &project,
            federation.as_deref(),
            &listen,
            !no_record,
            out,
        ),
        FederationCommand::Scenario(cmd) => scenario(&project, cmd, out),
    }
}

fn list(project: &Project, out: &Printer) -> Result<()> {
    let feds = load_all(project)?;
    let store = Store::open_read_only_at(&project.state)?;
    let mut items = Vec::new();
    for f in &feds {
        let active = match &store {
            Some(s) => s.active_scenario(&f.name)?.map(|a| a.name),
            None => None,
        };
        items.push(json!({"name": f.name, "file": f.file.display().to_string(), "services": f.services.len(), "active_scenario": active}));
    }
    if out.json() {
        return out.print_json(&items);
    }
    let rows = items
        .iter()
        .map(|i| {
            vec![
                i["name"].as_str().unwrap_or("").to_string(),
                i["file"].as_str().unwrap_or("").to_string(),
                i["services"].to_string(),
                i["active_scenario"].as_str().unwrap_or("-").to_string(),
            ]
        })
        .collect();
    out.table(&["name", "file", "services", "active scenario"], rows);
    Ok(())
}

fn validate(project: &Project, files: &[PathBuf], strict: bool, out: &Printer) -> Result<()> {
    let files = if files.is_empty() {
        crate::pipeline::validate::definition_files(&project.federations_dir())
    } else {
        context::files_and_folders(files)?
    };
    let mut errors = 0;
    let mut names = std::collections::BTreeMap::new();
    // With --format json the diagnostics are collected into one document instead.
    let mut collected: Vec<Diagnostic> = Vec::new();
    let mut report = |diags: Vec<Diagnostic>, errors: &mut usize| {
        if out.json() {
            *errors += diags.iter().filter(|d| d.is_error()).count();
            collected.extend(diags);
        } else {
            *errors += print_diags(project, &diags, out);
        }
    };
    for file in &files {
        match federation::load_file(file) {
            Ok(fed) => {
                if let Some(other) = names.insert(fed.name.clone(), file.clone()) {
                    let message = format!(
                        "federation name `{}` is already used by {}",
                        fed.name,
                        project.relative(&other)
                    );
                    report(vec![file_error(file, message)], &mut errors);
                }
                report(federation::validate(&fed, strict), &mut errors);
            }
            Err(e) if out.json() => report(load_error_diagnostics(file, e), &mut errors),
            Err(e) => errors += print_load_error(project, &e, out),
        }
    }
    if out.json() {
        let diagnostics: Vec<Value> = collected
            .iter()
            .map(|d| {
                json!({
                    "severity": d.severity,
                    "file": project.relative(&d.file),
                    "line": d.line,
                    "column": d.column,
                    "service": d.service,
                    "message": relative_err(project, d.message.clone()),
                })
            })
            .collect();
        out.print_json(&json!({
            "valid": errors == 0,
            "federations": names.keys().collect::<Vec<_>>(),
            "diagnostics": diagnostics,
        }))?;
    } else if errors > 0 {
        out.result(&format!("{errors} error(s)"));
    } else {
        out.result(&format!("{} federation(s) valid", names.len()));
    }
    if errors > 0 {
        return Err(Exit(2).into());
    }
    Ok(())
}

/// An error about a whole file.
fn file_error(file: &std::path::Path, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        file: file.to_path_buf(),
        line: None,
        column: None,
        service: None,
        message,
    }
}

/// What a federation file that does not load has wrong, as diagnostics.
fn load_error_diagnostics(
    file: &std::path::Path,
    e: federation::FederationError,
) -> Vec<Diagnostic> {
    match e {
        federation::FederationError::Invalid(diags) => diags,
        federation::FederationError::Yaml(y) => vec![Diagnostic {
            severity: Severity::Error,
            file: y.file,
            line: y.line,
            column: y.column,
            service: None,
            message: y.message,
        }],
        other => vec![file_error(file, other.to_string())],
    }
}

fn route(project: &Project, args: &[String], name: Option<&str>, out: &Printer) -> Result<()> {
    let (method, path) = match args {
        [path] => (None, path.as_str()),
        [method, path] => (Some(method.to_uppercase()), path.as_str()),
        _ => return Err(user_error("usage: mockops federation route [METHOD] PATH")),
    };
    // A pasted URL routes by its path.
    let path = match path.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => path,
    };
    if !path.starts_with('/') {
        return Err(user_error(format!(
            "PATH must start with `/` (or be a URL), got `{path}`"
        )));
    }
    if let Some(m) = &method {
        if m.is_empty() || !m.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(user_error(format!(
                "METHOD must be an HTTP method such as GET, got `{m}`"
            )));
        }
    }
    let fed = pick(project, name, out)?;
    let router = Router::build(&fed);
    let Some(m) = router.route(path) else {
        if out.json() {
            out.print_json(&json!({"error": "no route", "path": path}))?;
        } else {
            out.error(&format!("no route for {path} in federation `{}`", fed.name));
        }
        return Err(Exit(1).into());
    };
    let store = Store::open_read_only_at(&project.state).ok().flatten();
    let scenario = active_scenario_of(store.as_ref(), &fed)?;
    let levels = federation::effective_levels(&fed, scenario.as_ref());
    let service = &fed.services[m.service];
    let level = levels
        .get(&service.name)
        .and_then(|l| {
            federation::RealityLevel::ALL
                .into_iter()
                .find(|x| x.as_str() == l)
        })
        .unwrap_or(service.reality_level);
    let mut answer = federation::route_json_at(&fed, &m, level);
    if let Some(method) = method {
        answer["method"] = json!(method);
    }
    if out.json() {
        return out.print_json(&answer);
    }
    if let Some(obj) = answer.as_object() {
        for (k, v) in obj {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.print(&format!("{k}: {text}"));
        }
    }
    Ok(())
}

fn scenario(project: &Project, cmd: ScenarioCommand, out: &Printer) -> Result<()> {
    match cmd {
        ScenarioCommand::Activate {
            file,
            federation: name,
        } => {
            let fed = pick(project, name.as_deref(), out)?;
            context::require_file(&file)?;
            let scenario = match federation::load_scenario(&file, &fed) {
                Ok((scenario, warnings)) => {
                    print_diags(project, &warnings, out);
                    scenario
                }
                Err(e @ federation::FederationError::Invalid(_)) => {
                    // One located line per problem, in file order (no doubled `error:`).
                    print_load_error(project, &e, out);
                    return Err(Exit(2).into());
                }
                Err(e) => return Err(user_error(relative_err(project, e.to_string()))),
            };
            let mut store = context::open_store(project, out)?;
            let active = ActiveScenario {
                name: scenario.name.clone(),
                scenario: serde_json::to_string(&scenario)?,
                file: project.relative(&file),
                activated_at: chrono::Utc::now(),
            };
            store.write(|s| s.activate_scenario(&fed.name, &active))?;
            record_levels(&mut store, &fed, Some(&scenario))?;
            out.info(&format!(
                "scenario `{}` active on federation `{}`",
                scenario.name, fed.name
            ));
            if out.json() {
                out.print_json(&json!({"federation": fed.name, "active_scenario": scenario.name}))?;
            }
            Ok(())
        }
        ScenarioCommand::Deactivate { federation: name } => {
            let fed = pick(project, name.as_deref(), out)?;
            let mut store = context::open_store(project, out)?;
            let was = store.write(|s| s.deactivate_scenario(&fed.name))?;
            record_levels(&mut store, &fed, None)?;
            out.info(if was {
                "scenario deactivated"
            } else {
                "no scenario was active"
            });
            if out.json() {
                out.print_json(&json!({"federation": fed.name, "active_scenario": null}))?;
            }
            Ok(())
        }
        ScenarioCommand::Show { federation: name } => {
            let fed = pick(project, name.as_deref(), out)?;
            let store = Store::open_read_only_at(&project.state)?;
            let active = match &store {
                Some(s) => s.active_scenario(&fed.name)?,
                None => None,
            };
            let value = match &active {
                Some(a) => {
                    json!({"federation": fed.name, "active_scenario": a.name, "file": a.file,
                                   "activated_at": crate::timefmt::format(&a.activated_at),
                                   "scenario": serde_json::from_str::<serde_json::Value>(&a.scenario).unwrap_or_default()})
                }
                None => json!({"federation": fed.name, "active_scenario": null}),
            };
            if out.json() {
                return out.print_json(&value);
            }
            match active {
                Some(a) => out.print(&format!(
                    "{}: scenario `{}` active since {} ({})",
                    fed.name,
                    a.name,
                    crate::timefmt::format(&a.activated_at),
                    a.file
                )),
                None => out.print(&format!("{}: no active scenario", fed.name)),
            }
            Ok(())
        }
    }
}
