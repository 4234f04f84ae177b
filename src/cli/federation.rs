//! `mockops federation list|validate|route|graph|serve|scenario`.

use super::context;
use super::output::{Format, Printer};
use super::{user_error, Exit, GlobalArgs};
use crate::federation::{
    self, Diagnostic, Federation, RecorderStatus, Router, ScenarioFile, Severity,
};
use crate::project::Project;
use crate::store::{ActiveScenario, Store};
use anyhow::Result;
use clap::Subcommand;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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
        } => serve(&project, federation.as_deref(), &listen, !no_record, out),
        FederationCommand::Scenario(cmd) => scenario(&project, cmd, out),
    }
}

/// Every federation file, loaded (a file that does not parse stops the command, exit 2).
pub fn load_all(project: &Project) -> Result<Vec<Federation>> {
    Ok(load_all_checked(project)?
        .into_iter()
        .map(|c| c.federation)
        .collect())
}

/// Every federation file with its (non-strict) validation findings, through the cache.
/// A file that does not load stops the command (exit 2), naming each of its errors.
fn load_all_checked(project: &Project) -> Result<Vec<federation::Checked>> {
    let mut all = Vec::new();
    for file in crate::pipeline::validate::definition_files(&project.federations_dir()) {
        let mut checked = federation::load_checked(&file, &project.cache_dir())
            .map_err(|e| user_error(load_error_text(project, &e)))?;
        checked.federation.file = PathBuf::from(project.relative(&checked.federation.file));
        all.push(checked);
    }
    Ok(all)
}

/// A federation or scenario that does not load: its errors, one per line (each line but
/// the first gets its own `error:`, as the first gets one when printed).
fn load_error_text(project: &Project, e: &federation::FederationError) -> String {
    match e {
        federation::FederationError::Invalid(diags) => diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| relative_err(project, place_and_message(d)))
            .collect::<Vec<_>>()
            .join("\nerror: "),
        other => relative_err(project, other.to_string()),
    }
}

fn relative_err(project: &Project, text: String) -> String {
    let root = format!("{}/", project.root.display());
    text.replace(&root, "")
}

/// `file:line:column: message`.
fn place_and_message(d: &Diagnostic) -> String {
    let place = match (d.line, d.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", d.file.display()),
        (Some(l), None) => format!("{}:{l}", d.file.display()),
        _ => d.file.display().to_string(),
    };
    format!("{place}: {}", d.message)
}

/// Prints what a federation file that does not load has wrong (every error, and the
/// warnings found with them); returns the number of errors.
pub(super) fn print_load_error(
    project: &Project,
    e: &federation::FederationError,
    out: &Printer,
) -> usize {
    match e {
        federation::FederationError::Invalid(diags) => print_diags(project, diags, out),
        other => {
            let text = relative_err(project, other.to_string());
            super::ci::located_error(out, "federation", &text);
            out.error(&text);
            1
        }
    }
}

/// Checks federation text as `federation validate` does (not strict); returns the number
/// of errors printed.
pub(super) fn check_text(project: &Project, rel: &str, text: &str, out: &Printer) -> usize {
    match federation::parse_str(std::path::Path::new(rel), text) {
        Ok(fed) => print_diags(project, &federation::validate(&fed, false), out),
        Err(e) => print_load_error(project, &e, out),
    }
}

pub(super) fn print_diags(project: &Project, diags: &[Diagnostic], out: &Printer) -> usize {
    super::ci::federation_diagnostics(out, diags);
    let mut errors = 0;
    for d in diags {
        let text = relative_err(project, place_and_message(d));
        if d.severity == Severity::Error {
            errors += 1;
            out.error(&text);
        } else {
            out.warn(&text);
        }
    }
    errors
}

/// The federation named, or the only one.
pub fn pick(project: &Project, name: Option<&str>, out: &Printer) -> Result<Federation> {
    let checked = load_all_checked(project)?;
    let errors: Vec<Diagnostic> = checked
        .iter()
        .flat_map(|c| c.diagnostics.iter())
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    let feds: Vec<Federation> = checked.into_iter().map(|c| c.federation).collect();
    if print_diags(project, &errors, out) > 0 {
        return Err(user_error(
            "the federation definitions do not validate (see `mockops federation validate`)",
        ));
    }
    let names: Vec<&str> = feds.iter().map(|f| f.name.as_str()).collect();
    match name {
        Some(n) => feds.iter().find(|f| f.name == n).cloned().ok_or_else(|| {
            user_error(format!(
                "no federation named `{n}`; federations: {}",
                names.join(", ")
            ))
        }),
        None => match feds.len() {
            0 => Err(user_error("no federation in federations/")),
            1 => Ok(feds.into_iter().next().expect("one")),
            _ => Err(user_error(format!(
                "several federations ({}): choose one with --federation",
                names.join(", ")
            ))),
        },
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

fn active_scenario_of(store: Option<&Store>, fed: &Federation) -> Result<Option<ScenarioFile>> {
    let Some(store) = store else { return Ok(None) };
    let Some(active) = store.active_scenario(&fed.name)? else {
        return Ok(None);
    };
    Ok(serde_json::from_str(&active.scenario).ok())
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

/// Records each service's effective level when it differs from the last one recorded
/// (the first sighting counts as a change).
pub fn record_levels(
    store: &mut Store,
    fed: &Federation,
    scenario: Option<&ScenarioFile>,
) -> Result<usize> {
    let history = store.reality_changes()?;
    let mut last: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (service, level, _) in history {
        last.insert(service, level);
    }
    let mut changed = 0;
    for (service, level) in federation::effective_levels(fed, scenario) {
        if last.get(&service) != Some(&level) {
            store.record_reality_change(&service, Some(&fed.name), &level, chrono::Utc::now())?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Records level changes for every federation of the project (commands that write state).
pub fn record_all_levels(project: &Project, store: &mut Store) -> Result<()> {
    if !project.federations_dir().is_dir() {
        return Ok(());
    }
    for fed in load_all(project)? {
        let scenario = active_scenario_of(Some(store), &fed)?;
        record_levels(store, &fed, scenario.as_ref())?;
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

/// Where the gateway's exchanges go; those that name no CI run (no `x-mockops-ci-run`
/// header) get the CI run of the environment the gateway runs in, if any.
struct StoreSink {
    store: Mutex<Store>,
    ci_run: Option<String>,
}

impl StoreSink {
    /// Opens the state for the recorder and records the environment's CI run, if any.
    fn open(project: &Project) -> Result<StoreSink> {
        let store = Store::open_at(&project.state)?;
        let env: std::collections::HashMap<String, String> = std::env::vars().collect();
        let ci = crate::coverage::ingest::ci_env::ci_context(&env, None);
        if let Some(ci) = &ci {
            store.record_ci_run(ci, chrono::Utc::now().timestamp_millis())?;
        }
        Ok(StoreSink {
            store: Mutex::new(store),
            ci_run: ci.map(|c| c.run),
        })
    }
}

impl federation::ExchangeSink for StoreSink {
    /// One transaction per batch. A failed batch is lost, never the gateway: traffic keeps
    /// flowing, and the recorder counts the batch as dropped.
    fn record(
        &self,
        mut batch: Vec<crate::exchange::Exchange>,
    ) -> Result<(), federation::SinkError> {
        if let Some(run) = &self.ci_run {
            for x in batch.iter_mut().filter(|x| x.ci_run.is_none()) {
                x.ci_run = Some(run.clone());
            }
        }
        let mut store = self
            .store
            .lock()
            .map_err(|_| "the state file's lock was poisoned")?;
        store.insert_exchanges(&batch)?;
        Ok(())
    }
}

struct StoreScenarios {
    store: Mutex<Store>,
    fed: Federation,
}

impl federation::ScenarioSource for StoreScenarios {
    fn active(&self) -> Option<ScenarioFile> {
        let mut store = self.store.lock().ok()?;
        let scenario = active_scenario_of(Some(&store), &self.fed).ok().flatten();
        let _ = record_levels(&mut store, &self.fed, scenario.as_ref());
        scenario
    }
}

/// `--listen`: `IP:PORT` (`[::1]:PORT` for IPv6), or `localhost:PORT`, `:PORT` and a bare
/// `PORT`, which mean 127.0.0.1 (the gateway stays on loopback unless told otherwise).
fn listen_address(listen: &str) -> Option<std::net::SocketAddr> {
    let listen = listen.trim();
    if let Ok(addr) = listen.parse() {
        return Some(addr);
    }
    let port = listen
        .strip_prefix("localhost:")
        .or_else(|| listen.strip_prefix(':'))
        .unwrap_or(listen);
    let port: u16 = port.parse().ok()?;
    Some(std::net::SocketAddr::from(([127, 0, 0, 1], port)))
}

fn serve(
    project: &Project,
    name: Option<&str>,
    listen: &str,
    record: bool,
    out: &Printer,
) -> Result<()> {
    let fed = pick(project, name, out)?;
    let strict: Vec<Diagnostic> = federation::validate(&fed, true)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if print_diags(project, &strict, out) > 0 {
        return Err(user_error(
            "serve needs every service's URL for its reality level",
        ));
    }
    let addr = listen_address(listen).ok_or_else(|| {
        user_error(format!(
            "--listen {listen}: not an address (use IP:PORT, localhost:PORT or PORT, e.g. 127.0.0.1:8080)"
        ))
    })?;
    let mut opts = federation::ServeOptions {
        listen: addr,
        record,
        ..Default::default()
    };
    if let Some(queue) = record_queue_override() {
        opts.record_queue = queue;
    }
    let mut store = context::open_store(project, out)?;
    let scenario = active_scenario_of(Some(&store), &fed)?;
    record_levels(&mut store, &fed, scenario.as_ref())?;
    let sink = Arc::new(StoreSink::open(project)?);
    let scenarios = Arc::new(StoreScenarios {
        store: Mutex::new(store),
        fed: fed.clone(),
    });
    let _signals = crate::interrupt::scope(); // a signal is the gateway's stop request
    let handle =
        federation::serve(fed.clone(), opts, sink, scenarios.clone()).map_err(|e| match e {
            federation::FederationError::Bind { .. } => user_error(e.to_string()),
            other => anyhow::Error::from(other),
        })?;
    eprintln!(
        "federation `{}` listening on http://{}",
        fed.name,
        handle.local_addr()
    );
    let run = record
        .then(|| lock(&scenarios.store).start_gateway_run(&fed.name, chrono::Utc::now()))
        .transpose()?;
    let mut reported = RecorderStatus::default();
    let mut last_report = std::time::Instant::now();
    while crate::interrupt::signal().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if last_report.elapsed() < STATUS_EVERY {
            continue;
        }
        last_report = std::time::Instant::now();
        let Some((run, now)) = run.zip(handle.recorder_status()) else {
            continue;
        };
        if now != reported {
            // Stored as it goes, so a gateway that is killed leaves its counters behind.
            let _ = lock(&scenarios.store).update_gateway_run(run, gateway_counts(&now), None);
        }
        if now.dropped > reported.dropped {
            out.warn(&status_line("recorder behind", &now));
        }
        reported = now;
    }
    crate::interrupt::acknowledge();
    // Shut down first: the recorder hands over everything it holds, and what it could not
    // store is counted by then.
    let status = handle.shutdown();
    if let (Some(run), Some(status)) = (run, status) {
        lock(&scenarios.store).update_gateway_run(
            run,
            gateway_counts(&status),
            Some(chrono::Utc::now()),
        )?;
        if status.dropped > 0 {
            out.warn(&status_line("gateway stopped", &status));
        } else {
            out.info(&status_line("gateway stopped", &status));
        }
    } else {
        out.info("gateway stopped");
    }
    Ok(())
}

/// How often a running gateway stores its recorder's counters (and warns of new drops).
const STATUS_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// `MOCKOPS_RECORD_QUEUE=N`: how many exchanges may wait for the recorder (hidden; tests
/// use 0 to see every exchange dropped and counted).
fn record_queue_override() -> Option<usize> {
    std::env::var("MOCKOPS_RECORD_QUEUE")
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn gateway_counts(s: &RecorderStatus) -> crate::store::GatewayCounts {
    crate::store::GatewayCounts {
        received: s.received,
        recorded: s.recorded,
        dropped: s.dropped,
        held: s.held,
    }
}

/// `gateway stopped: 1200 exchange(s) recorded, 0 dropped` (and how many answers waited
/// for the recorder, when some did).
fn status_line(what: &str, s: &RecorderStatus) -> String {
    let mut line = format!(
        "{what}: {} exchange(s) recorded, {} dropped",
        s.recorded, s.dropped
    );
    if s.held > 0 {
        line.push_str(&format!(", {} answer(s) waited for the recorder", s.held));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::listen_address;

    #[test]
    fn listen_takes_an_address_or_a_loopback_port() {
        let at = |s: &str| listen_address(s).map(|a| a.to_string());
        assert_eq!(at("0.0.0.0:9000").as_deref(), Some("0.0.0.0:9000"));
        assert_eq!(at("[::1]:9000").as_deref(), Some("[::1]:9000"));
        for loopback in ["9000", ":9000", "localhost:9000", " 9000 "] {
            assert_eq!(
                at(loopback).as_deref(),
                Some("127.0.0.1:9000"),
                "{loopback}"
            );
        }
        for bad in ["", "localhost", "99999", "host:80", "127.0.0.1", "-1"] {
            assert_eq!(at(bad), None, "{bad}");
        }
    }
}
