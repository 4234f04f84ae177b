//! `mockops watch`: react to changes of specs, definitions and configs.

use super::context;
use super::hook::{classify, FileKind};
use super::output::Printer;
use super::{user_error, GlobalArgs};
use crate::events::Event;
use crate::pipeline::executor::Selection;
use crate::pipeline::{self, Pipeline, Severity};
use crate::project::Project;
use crate::watch::{Debouncer, PathFilter};
use anyhow::Result;
use notify::{RecursiveMode, Watcher};
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Quiet time before a change is acted on (default: watch.debounce_ms, 100ms)
    #[arg(long)]
    pub debounce: Option<String>,
}

struct State {
    project: Project,
    pipelines: Vec<Pipeline>,
    hashes: HashMap<String, Option<String>>,
}

pub fn run(g: &GlobalArgs, args: WatchArgs, out: &mut Printer) -> Result<()> {
    let project = context::project(g)?;
    let quiet = match &args.debounce {
        Some(d) => {
            crate::timefmt::parse_duration(d).map_err(|e| user_error(format!("--debounce: {e}")))?
        }
        None => Duration::from_millis(project.settings.watch.debounce_ms),
    };
    let filter =
        PathFilter::new(&project.root, &project.settings.watch.ignore).map_err(user_error)?;
    let loaded = pipeline::load_dir(&project.pipelines_dir(), &project.root);
    print_diagnostics(&loaded.diagnostics, out);
    let mut state = State {
        pipelines: loaded.pipelines,
        hashes: HashMap::new(),
        project,
    };
    for rel in config_files(&state.project) {
        let h = hash_of(&state.project.root.join(&rel));
        state.hashes.insert(rel, h);
    }
    // A signal stops watching; one that comes while a step runs also stops the step
    // (the engine stores the run as interrupted and the command exits 128 + signal).
    let _signals = crate::interrupt::scope();
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send(res);
    })?;
    let watched = watch_paths(&state.project);
    for (path, mode) in &watched {
        watcher
            .watch(path, *mode)
            .map_err(|e| anyhow::anyhow!("cannot watch {}: {e}", path.display()))?;
    }
    let _ = context::open_store(&state.project, out)?; // create and migrate before the first change
    eprintln!("watching {} paths", watched.len());
    let root = state
        .project
        .root
        .canonicalize()
        .unwrap_or_else(|_| state.project.root.clone());
    let mut debouncer = Debouncer::new(quiet);
    while crate::interrupt::signal().is_none() {
        let wait = debouncer
            .next_deadline()
            .map(|d| d.saturating_duration_since(Instant::now()))
            .unwrap_or(Duration::from_millis(100))
            .min(Duration::from_millis(100));
        match rx.recv_timeout(wait) {
            Ok(Ok(event)) => {
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    continue;
                }
                for path in event.paths {
                    let Some(rel) = relative(&root, &state.project.root, &path) else {
                        continue;
                    };
                    if filter.ignored(&rel) || classify(&state.project, &rel).is_none() {
                        continue;
                    }
                    out.debug(&format!("change: {rel}"));
                    debouncer.touch(PathBuf::from(rel), Instant::now());
                }
            }
            Ok(Err(e)) => out.warn(&format!("watch error: {e}")),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        for rel in debouncer.due(Instant::now()) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if let Err(e) = handle(&mut state, &rel, out) {
                if crate::interrupt::signal().is_some() {
                    return Err(e); // a run was cut: exit 128 + signal
                }
                if !e.chain().any(|c| c.is::<super::Exit>()) {
                    out.error(&format!("{e:#}"));
                }
            }
        }
    }
    crate::interrupt::acknowledge();
    out.info("stopped watching");
    Ok(())
}

fn relative(canon_root: &Path, root: &Path, path: &Path) -> Option<String> {
    path.strip_prefix(canon_root)
        .or_else(|_| path.strip_prefix(root))
        .ok()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
}

fn watch_paths(project: &Project) -> Vec<(PathBuf, RecursiveMode)> {
    let mut paths = vec![(project.root.clone(), RecursiveMode::NonRecursive)];
    for dir in [
        project.pipelines_dir(),
        project.federations_dir(),
        project.environments_dir(),
    ] {
        if dir.is_dir() {
            paths.push((dir, RecursiveMode::Recursive));
        }
    }
    for spec in &project.settings.specs {
        if let Some(parent) = project.root.join(&spec.path).parent() {
            if parent.is_dir() && !paths.iter().any(|(p, _)| p == parent) {
                paths.push((parent.to_path_buf(), RecursiveMode::NonRecursive));
            }
        }
    }
    paths
}

fn config_files(project: &Project) -> Vec<String> {
    let mut files = vec!["mockops.yaml".to_string()];
    for f in pipeline::validate::definition_files(&project.federations_dir()) {
        files.push(project.relative(&f));
    }
    if let Ok(envs) = std::fs::read_dir(project.environments_dir()) {
        for env in envs.flatten() {
            for f in pipeline::validate::yaml_files(&env.path().join("configs")) {
                files.push(project.relative(&f));
            }
        }
    }
    files
}

fn hash_of(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|b| crate::entities::content_hash(&b))
}

fn print_diagnostics(diags: &[pipeline::Diagnostic], out: &Printer) -> bool {
    let mut errors = false;
    for d in diags {
        match d.severity {
            Severity::Error => {
                errors = true;
                out.error(&d.error.to_string());
            }
            Severity::Warning => out.warn(&d.error.to_string()),
        }
    }
    errors
}

fn handle(state: &mut State, rel: &str, out: &Printer) -> Result<()> {
    let Some(kind) = classify(&state.project, rel) else {
        return Ok(());
    };
    match kind {
        FileKind::Spec => {
            let path = state.project.root.join(rel);
            super::schema::check(
                &state.project,
                &[path],
                false,
                false,
                Some(&state.pipelines),
                out,
            )
        }
        FileKind::Pipeline => {
            let loaded = pipeline::load_dir(&state.project.pipelines_dir(), &state.project.root);
            if print_diagnostics(&loaded.diagnostics, out) {
                out.warn(&format!(
                    "{rel} is invalid: keeping the {} pipeline(s) loaded before",
                    state.pipelines.len()
                ));
            } else {
                state.pipelines = loaded.pipelines;
                out.info(&format!(
                    "{rel} changed: reloaded {} pipeline(s)",
                    state.pipelines.len()
                ));
            }
            Ok(())
        }
        FileKind::Settings => {
            // The state stays where this watch opened it.
            match Project::at(state.project.root.clone(), None, &state.project.root) {
                Ok(mut p) => {
                    p.state = state.project.state.clone();
                    state.project = p;
                    out.info("mockops.yaml changed: settings reloaded");
                }
                Err(e) => out.error(&format!("{e} (keeping the previous settings)")),
            }
            config_changed(state, rel, out)
        }
        FileKind::Federation | FileKind::EntityConfig => config_changed(state, rel, out),
    }
}

fn config_changed(state: &mut State, rel: &str, out: &Printer) -> Result<()> {
    let new_hash = hash_of(&state.project.root.join(rel));
    let old_hash = state.hashes.get(rel).cloned().flatten();
    if new_hash == old_hash {
        return Ok(());
    }
    state.hashes.insert(rel.to_string(), new_hash.clone());
    let store = context::open_store(&state.project, out)?;
    let engine = context::engine(&state.project, &store, &state.pipelines);
    let payload = json!({"path": rel, "old_hash": old_hash, "new_hash": new_hash});
    let event = Event::new(
        "config.changed",
        &state.project.workspace(),
        "watch",
        payload.as_object().cloned().unwrap_or_default(),
        chrono::Utc::now(),
    );
    let outcome = engine.dispatch(event, Selection::Matching)?;
    out.result(&format!(
        "{rel} changed: config.changed {}",
        outcome.event_id
    ));
    super::event::report_outcome(&outcome, out)
}
