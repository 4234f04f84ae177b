//! `mockops schema check`: each spec against its stored snapshot (the working tree; stores
//! the new snapshot), or, statelessly, against a git revision (`--staged`: the index
//! against HEAD; `--base REF`: the working tree or the index against REF).

use crate::cli::context;
use crate::cli::event::report_outcome;
use crate::cli::output::Printer;
use crate::cli::{user_error, Exit};
use crate::events::Event;
use crate::gitutil::{GitError, Repo, Version};
use crate::pipeline::executor::{DispatchOutcome, Selection};
use crate::project::Project;
use crate::schema::{self, Change, Files, Level, Loaded, SchemaType};
use anyhow::Result;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions<'a> {
    /// Specs to check (default: the `specs` of mockops.yaml).
    pub specs: &'a [PathBuf],
    /// The new side is the index, not the working tree.
    pub staged: bool,
    /// Compare with this git revision instead of the stored snapshot (`--staged` alone
    /// means `HEAD`).
    pub base: Option<&'a str>,
    /// Report only: no event, no run.
    pub no_run: bool,
    /// The `source` of the events (`schema-check`, `hook`, `watch`).
    pub source: &'a str,
    /// Exit 1 when a spec has breaking changes (`breaking`) or any change (`any`).
    pub fail_on: Option<crate::cli::schema::FailOn>,
}

/// A spec to check: its path relative to the root, and its import paths.
struct SpecToCheck {
    rel: String,
    abs: PathBuf,
    import_paths: Vec<PathBuf>,
}

/// What `schema check` found for one spec.
#[derive(Debug, serde::Serialize)]
pub struct SpecResult {
    pub spec_path: String,
    pub status: &'static str,
    pub breaking_count: usize,
    pub changes: usize,
    pub event_id: Option<String>,
    pub error: Option<String>,
}

/// A spec whose change is to be emitted.
struct Changed {
    rel: String,
    schema_type: SchemaType,
    old_hash: Option<String>,
    new_hash: Option<String>,
    changes: Vec<Change>,
    /// Index in the results.
    result: usize,
}

/// What the specs are compared with.
enum Against {
    /// The snapshots in the state file (replaced by the new versions).
    Snapshots(crate::store::Store),
    /// A git revision.
    Base(Sides),
}

/// The two sides of a stateless comparison.
struct Sides {
    label: String,
    new: Rc<dyn Files>,
    new_name: &'static str,
    old: Rc<dyn Files>,
}

/// Checks specs (see [`CheckOptions`]); `pipelines` are the definitions to dispatch to
/// (loaded from `pipelines/` when `None`). Exit 1 when a dispatched pipeline failed, 2 when
/// a spec could not be loaded (the others are still checked).
pub fn check(
    project: &Project,
    opts: &CheckOptions<'_>,
    pipelines: Option<&[crate::pipeline::Pipeline]>,
    out: &Printer,
) -> Result<()> {
    let targets = targets(project, opts.specs);
    if targets.is_empty() {
        out.result("no specs to check: list them under `specs:` in mockops.yaml or name them");
        return Ok(());
    }
    let mut results = Vec::new();
    let mut changed = Vec::new();
    let mut load_errors = 0;
    // The snapshot mode needs the state file first; a stateless check opens it only to
    // dispatch.
    let against = match sides(project, opts)? {
        Some(sides) => Against::Base(sides),
        None => Against::Snapshots(context::open_store(project, out)?),
    };
    let base = match &against {
        Against::Base(sides) => Some(sides.label.as_str()),
        Against::Snapshots(_) => None,
    };
    for t in &targets {
        let found = match &against {
            Against::Base(sides) => compare_with_base(t, sides, out),
            Against::Snapshots(store) => compare_with_snapshot(t, store, out)?,
        };
        match found {
            Ok(Found::Status(status)) => results.push(result(&t.rel, status, &[], None)),
            Ok(Found::Changed(c, status)) => {
                out.result(&format!("{}: {}", t.rel, summary(&c.changes)));
                changed.push(Changed {
                    result: results.len(),
                    ..c
                });
                results.push(result(
                    &t.rel,
                    status,
                    &changed[changed.len() - 1].changes,
                    None,
                ));
            }
            Err(message) => {
                load_errors += 1;
                out.error(&message);
                results.push(SpecResult {
                    spec_path: t.rel.clone(),
                    status: "error",
                    breaking_count: 0,
                    changes: 0,
                    event_id: None,
                    error: Some(message),
                });
            }
        }
    }
    let mut outcomes: Vec<DispatchOutcome> = Vec::new();
    let mut opened = None;
    if !opts.no_run && !changed.is_empty() {
        let store = match &against {
            Against::Snapshots(store) => store,
            Against::Base(_) => &*opened.insert(context::open_store(project, out)?),
        };
        let loaded;
        let pipelines: &[crate::pipeline::Pipeline] = match pipelines {
            Some(p) => p,
            None => {
                loaded = context::load_pipelines(project, out)?;
                &loaded
            }
        };
        let engine = context::engine(project, store, pipelines);
        // One commit for every event of this check (each run is durable when it returns).
        let mut batch = engine.batch();
        for c in &changed {
            let event = event(project, c, base, opts);
            let outcome = batch.dispatch(event, Selection::Matching)?;
            results[c.result].event_id = Some(outcome.event_id.clone());
            outcomes.push(outcome);
        }
        batch.commit()?;
    }
    let checked: Vec<crate::cli::ci::CheckedSpec<'_>> = results
        .iter()
        .enumerate()
        .map(|(i, r)| crate::cli::ci::CheckedSpec {
            rel: &r.spec_path,
            changes: changed
                .iter()
                .find(|c| c.result == i)
                .map_or(&[][..], |c| &c.changes),
            error: r.error.as_deref(),
        })
        .collect();
    let store = match &against {
        Against::Snapshots(store) => Some(store),
        Against::Base(_) => opened.as_ref(),
    };
    let logs = |run: &str| {
        store
            .and_then(|s| s.logs(run, None).ok())
            .unwrap_or_default()
    };
    if crate::cli::ci::schema_check(out, &project.root, &checked, &outcomes, &logs)? {
        // SARIF, workflow commands or JUnit, printed when the command ends.
    } else if out.json() {
        let runs: Vec<_> = outcomes.iter().flat_map(|o| o.runs.iter()).collect();
        let mut doc = json!({"specs": results, "runs": runs});
        if let Some(base) = base {
            doc["base"] = json!(base);
        }
        out.print_json(&doc)?;
    } else {
        let plain = Printer {
            format: None,
            ..*out
        };
        for o in &outcomes {
            let _ = report_outcome(o, &plain);
        }
    }
    if outcomes.iter().any(|o| o.failed()) {
        return Err(Exit(1).into());
    }
    if load_errors > 0 {
        return Err(Exit(2).into());
    }
    use crate::cli::schema::FailOn;
    let gate_failed = match opts.fail_on {
        Some(FailOn::Breaking) => changed.iter().any(|c| breaking(&c.changes) > 0),
        Some(FailOn::Any) => !changed.is_empty(),
        Some(FailOn::None) | None => false,
    };
    if gate_failed {
        return Err(Exit(1).into());
    }
    Ok(())
}

fn targets(project: &Project, specs: &[PathBuf]) -> Vec<SpecToCheck> {
    let imports = |paths: &[String]| paths.iter().map(|p| project.root.join(p)).collect();
    if specs.is_empty() {
        return project
            .settings
            .specs
            .iter()
            .map(|s| SpecToCheck {
                rel: s.path.clone(),
                abs: project.root.join(&s.path),
                import_paths: imports(&s.import_paths),
            })
            .collect();
    }
    specs
        .iter()
        .map(|p| {
            let rel = project.relative(p);
            let configured = project.settings.specs.iter().find(|s| s.path == rel);
            SpecToCheck {
                abs: project.root.join(&rel),
                import_paths: configured
                    .map(|s| imports(&s.import_paths))
                    .unwrap_or_default(),
                rel,
            }
        })
        .collect()
}

/// The sides of a stateless check, `None` for the snapshot mode.
fn sides(project: &Project, opts: &CheckOptions<'_>) -> Result<Option<Sides>> {
    let label = match (opts.base, opts.staged) {
        (Some(rev), _) => rev,
        (None, true) => "HEAD",
        (None, false) => return Ok(None),
    };
    let flag = if opts.base.is_some() {
        format!("--base {label}")
    } else {
        "--staged".to_string()
    };
    let git_error = |e: GitError| match e {
        GitError::BadRevision { .. } => user_error(format!("{flag}: {e}")),
        other => user_error(format!("schema check {flag}: {other}")),
    };
    let repo = Repo::discover(&project.root).map_err(git_error)?;
    let old = repo.resolve(label).map_err(git_error)?;
    let (new, new_name): (Rc<dyn Files>, _) = if opts.staged {
        (Rc::new(repo.files(Version::Index)), "the index")
    } else {
        (Rc::new(schema::Disk), "the working tree")
    };
    Ok(Some(Sides {
        label: label.to_string(),
        new,
        new_name,
        old: Rc::new(repo.files(old)),
    }))
}

enum Found {
    /// Nothing to emit: `unchanged`, `reformatted`, `recorded`, `absent`.
    Status(&'static str),
    /// `changed`, `added`, `removed`.
    Changed(Changed, &'static str),
}

/// The working tree against the stored snapshot, which it then replaces. The inner error
/// is a spec that cannot be loaded; the outer one, the state file failing.
fn compare_with_snapshot(
    t: &SpecToCheck,
    store: &crate::store::Store,
    out: &Printer,
) -> Result<Result<Found, String>> {
    let disk: Rc<dyn Files> = Rc::new(schema::Disk);
    let new = match schema::load(&disk, &t.abs, &t.import_paths) {
        Ok(new) => new,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let text = serde_json::to_string(&new.snapshot)?;
    let new_hash = hash(&text);
    let now = chrono::Utc::now();
    let Some(old) = store.spec_snapshot(&t.rel)? else {
        store.put_spec_snapshot(&t.rel, &new_hash, &text, now)?;
        out.result(&format!("{}: first snapshot recorded", t.rel));
        return Ok(Ok(Found::Status("recorded")));
    };
    if old.hash == new_hash {
        return Ok(Ok(Found::Status("unchanged")));
    }
    let old_loaded = Loaded::from_snapshot(serde_json::from_str(&old.snapshot)?);
    let changes = match old_loaded.and_then(|o| schema::diff_loaded(&o, &new)) {
        Ok(changes) => changes,
        Err(e) => return Ok(Err(e.to_string())),
    };
    store.put_spec_snapshot(&t.rel, &new_hash, &text, now)?;
    if changes.is_empty() {
        return Ok(Ok(Found::Status("reformatted")));
    }
    let c = Changed {
        rel: t.rel.clone(),
        schema_type: new.snapshot.schema_type(),
        old_hash: Some(old.hash),
        new_hash: Some(new_hash),
        changes,
        result: 0,
    };
    Ok(Ok(Found::Changed(c, "changed")))
}

/// The spec in `sides.new` against the same path in `sides.old`; stores nothing.
fn compare_with_base(t: &SpecToCheck, sides: &Sides, out: &Printer) -> Result<Found, String> {
    let load = |files: &Rc<dyn Files>, at: &str| -> Result<Option<(Loaded, String)>, String> {
        let located = |e: schema::SchemaError| format!("{at}: {e}");
        if !schema::exists_in(files.as_ref(), &t.abs).map_err(located)? {
            return Ok(None);
        }
        let loaded = schema::load(files, &t.abs, &t.import_paths).map_err(located)?;
        let text = serde_json::to_string(&loaded.snapshot).map_err(|e| e.to_string())?;
        Ok(Some((loaded, hash(&text))))
    };
    let at_base = format!("at {}", sides.label);
    let in_new = format!("in {}", sides.new_name);
    let old = load(&sides.old, &at_base)?;
    let new = load(&sides.new, &in_new)?;
    let (changes, status, schema_type) = match (&old, &new) {
        (None, None) => {
            out.result(&format!(
                "{}: neither {in_new} nor {at_base}: nothing to compare",
                t.rel
            ));
            return Ok(Found::Status("absent"));
        }
        (Some((o, oh)), Some((n, nh))) => {
            if oh == nh {
                return Ok(Found::Status("unchanged"));
            }
            let changes = schema::diff_loaded(o, n).map_err(|e| e.to_string())?;
            if changes.is_empty() {
                return Ok(Found::Status("reformatted"));
            }
            (changes, "changed", n.snapshot.schema_type())
        }
        (None, Some((n, _))) => {
            let message = format!("spec added (absent {at_base})");
            let change = Change::new("spec-added", Level::Info, &t.rel, message);
            (vec![change], "added", n.snapshot.schema_type())
        }
        (Some((o, _)), None) => {
            let message = format!("spec removed (present {at_base}, absent {in_new})");
            let change = Change::new("spec-removed", Level::Breaking, &t.rel, message);
            (vec![change], "removed", o.snapshot.schema_type())
        }
    };
    let c = Changed {
        rel: t.rel.clone(),
        schema_type,
        old_hash: old.map(|(_, h)| h),
        new_hash: new.map(|(_, h)| h),
        changes,
        result: 0,
    };
    Ok(Found::Changed(c, status))
}

fn event(project: &Project, c: &Changed, base: Option<&str>, opts: &CheckOptions<'_>) -> Event {
    let stem = Path::new(&c.rel)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut payload = json!({
        "spec_path": c.rel, "spec_name": stem, "schema_type": c.schema_type.to_string(),
        "old_hash": c.old_hash, "new_hash": c.new_hash, "breaking_count": breaking(&c.changes),
        "changes": c.changes, "summary": summary(&c.changes),
    });
    if let Some(base) = base {
        payload["base"] = json!(base);
    }
    Event::new(
        "schema.changed",
        &project.workspace(),
        opts.source,
        payload.as_object().cloned().unwrap_or_default(),
        chrono::Utc::now(),
    )
}

fn breaking(changes: &[Change]) -> usize {
    changes
        .iter()
        .filter(|c| c.level == Level::Breaking)
        .count()
}

fn result(
    rel: &str,
    status: &'static str,
    changes: &[Change],
    event_id: Option<String>,
) -> SpecResult {
    SpecResult {
        spec_path: rel.into(),
        status,
        breaking_count: breaking(changes),
        changes: changes.len(),
        event_id,
        error: None,
    }
}

fn summary(changes: &[Change]) -> String {
    let count = |l: Level| changes.iter().filter(|c| c.level == l).count();
    format!(
        "{} change(s): {} breaking, {} warning, {} info",
        changes.len(),
        count(Level::Breaking),
        count(Level::Warning),
        count(Level::Info)
    )
}

/// `sha256:` + hex of the text.
pub fn hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{}", hex::encode(Sha256::digest(text.as_bytes())))
}
