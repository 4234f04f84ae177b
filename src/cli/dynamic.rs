//! Dynamic shell completion (`source <(COMPLETE=bash mockops)`): besides commands and
//! flags, the names and ids that exist in the project — pipeline names, federation names,
//! run ids and event ids — offered by asking the binary at completion time
//! (clap_complete's `CompleteEnv`; docs/index.md says which feature flag it needs).

use clap::Command;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};

/// How many recent runs or events are offered.
const RECENT: u32 = 50;

/// `cmd` with value candidates on the arguments that name pipelines, federations, runs
/// and events. Every subcommand is visited in order, so the order of help is kept.
pub fn with_candidates(cmd: Command) -> Command {
    fn walk(cmd: Command, path: &mut Vec<String>) -> Command {
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        let mut cmd = add(cmd, path);
        for name in names {
            path.push(name.clone());
            cmd = cmd.mut_subcommand(&name, |sub| walk(sub, path));
            path.pop();
        }
        cmd
    }
    walk(cmd, &mut Vec::new())
}

/// The candidates of the command at `path`.
fn add(cmd: Command, path: &[String]) -> Command {
    let names: Vec<&str> = path.iter().map(String::as_str).collect();
    let (arg, source): (&str, fn() -> Vec<CompletionCandidate>) = match names.as_slice() {
        ["pipeline", "run" | "history"] => ("name", pipelines),
        ["pipeline", "show" | "logs"] => ("run_id", runs),
        ["event", "show" | "replay"] => ("id", events),
        ["federation", ..] => ("federation", federations),
        _ => return cmd,
    };
    if cmd.get_arguments().any(|a| a.get_id() == arg) {
        cmd.mut_arg(arg, |a| a.add(candidates(source)))
    } else {
        cmd
    }
}

fn candidates(f: fn() -> Vec<CompletionCandidate>) -> ArgValueCandidates {
    ArgValueCandidates::new(f)
}

/// The project of the current folder (`MOCKOPS_PROJECT` / `MOCKOPS_STATE` honoured).
fn project() -> Option<crate::project::Project> {
    let cwd = std::env::current_dir().ok()?;
    let root = std::env::var_os("MOCKOPS_PROJECT").map(std::path::PathBuf::from);
    let state = std::env::var_os("MOCKOPS_STATE").map(std::path::PathBuf::from);
    crate::project::Project::discover(root.as_deref(), state.as_deref(), &cwd).ok()
}

/// The state file, read as it is (never created or migrated by completing). A shared
/// PostgreSQL state is not asked: a tab press must not wait on the network.
fn store() -> Option<crate::store::Store> {
    let project = project()?;
    match &project.state {
        crate::store::Location::File(path) => {
            crate::store::Store::open_read_only(path).ok().flatten()
        }
        crate::store::Location::Postgres(_) => None,
    }
}

fn pipelines() -> Vec<CompletionCandidate> {
    let Some(project) = project() else {
        return Vec::new();
    };
    let loaded = crate::pipeline::load_dir(&project.pipelines_dir(), &project.root);
    loaded
        .pipelines
        .iter()
        .map(|p| {
            let triggers: Vec<&str> = p.triggers.iter().map(|t| t.event_type.as_str()).collect();
            CompletionCandidate::new(&p.name).help(Some(triggers.join(", ").into()))
        })
        .collect()
}

fn federations() -> Vec<CompletionCandidate> {
    let Some(project) = project() else {
        return Vec::new();
    };
    crate::pipeline::validate::definition_files(&project.federations_dir())
        .iter()
        .filter_map(|file| crate::federation::load_file(file).ok())
        .map(|f| {
            CompletionCandidate::new(&f.name)
                .help(Some(format!("{} service(s)", f.services.len()).into()))
        })
        .collect()
}

fn runs() -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    store
        .list_runs(None, None, RECENT)
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            CompletionCandidate::new(&r.id)
                .help(Some(format!("{} {}", r.pipeline, r.status).into()))
        })
        .collect()
}

fn events() -> Vec<CompletionCandidate> {
    let Some(store) = store() else {
        return Vec::new();
    };
    store
        .list_events(None, None, RECENT)
        .unwrap_or_default()
        .into_iter()
        .map(|e| CompletionCandidate::new(&e.id).help(Some(e.event_type.clone().into())))
        .collect()
}
