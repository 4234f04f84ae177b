//! Reading the project's federations for the `federation` commands and those that use
//! them (coverage, hooks, `serve`): loading, choosing one, the diagnostics as text or CI
//! formats, and recording reality levels.

use super::output::Printer;
use super::user_error;
use crate::federation::{self, Diagnostic, Federation, ScenarioFile, Severity};
use crate::project::Project;
use crate::store::Store;
use anyhow::Result;
use std::path::PathBuf;

/// Every federation file, loaded (a file that does not parse stops the command, exit 2).
pub(super) fn load_all(project: &Project) -> Result<Vec<Federation>> {
    Ok(load_all_checked(project)?
        .into_iter()
        .map(|c| c.federation)
        .collect())
}

/// Every federation file with its (non-strict) validation findings, through the cache.
/// A file that does not load stops the command (exit 2), naming each of its errors.
pub(super) fn load_all_checked(project: &Project) -> Result<Vec<federation::Checked>> {
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

pub(super) fn relative_err(project: &Project, text: String) -> String {
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
pub(super) fn pick(project: &Project, name: Option<&str>, out: &Printer) -> Result<Federation> {
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

pub(super) fn active_scenario_of(
    store: Option<&Store>,
    fed: &Federation,
) -> Result<Option<ScenarioFile>> {
    let Some(store) = store else { return Ok(None) };
    let Some(active) = store.active_scenario(&fed.name)? else {
        return Ok(None);
    };
    Ok(serde_json::from_str(&active.scenario).ok())
}

/// Records each service's effective level when it differs from the last one recorded
/// (the first sighting counts as a change).
pub(super) fn record_levels(
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
pub(super) fn record_all_levels(project: &Project, store: &mut Store) -> Result<()> {
    if !project.federations_dir().is_dir() {
        return Ok(());
    }
    for fed in load_all(project)? {
        let scenario = active_scenario_of(Some(store), &fed)?;
        record_levels(store, &fed, scenario.as_ref())?;
    }
    Ok(())
}
