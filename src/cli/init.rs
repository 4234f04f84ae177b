//! `mockops init [DIR]`: settings, an example pipeline and federation, the state file,
//! and a `workspace.created` event. Never overwrites a file.

use super::output::Printer;
use super::{context, user_error, GlobalArgs};
use crate::events::Event;
use crate::pipeline::executor::Selection;
use crate::project::Project;
use anyhow::{Context, Result};
use serde_json::json;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Folder to initialise (default: the current folder)
    pub dir: Option<PathBuf>,
}

const SETTINGS: &str = r#"# mockops project settings. Every key is optional.
# workspace: payments            # default workspace id for events (default: this folder's name)
environments: [dev, test, prod]   # promotion order
specs: []                         # API specs mockops watches and diffs, e.g.
#  - path: specs/payments.yaml    # OpenAPI 3.0/3.1 or Swagger 2.0, YAML or JSON
#    service: payments            # the federation service it belongs to
drift:
  budgets:
    - max_drift_percent: 10.0     # default budget
      min_samples: 20
watch:
  debounce_ms: 100
  ignore: ["generated/**", "sdks/**"]
limits:
  max_event_depth: 8
  max_events_per_dispatch: 1000
"#;

const PIPELINE: &str = r#"# An example pipeline: say hello when the workspace is created.
name: hello
description: Greets a new workspace
triggers:
  - event: workspace.created
steps:
  - name: greet
    type: run
    config:
      command: "echo hello from {{pipeline.name}} for {{event.payload.workspace_id}}"
    timeout: 30s
"#;

const FEDERATION: &str = r#"# An example federation: one service per mock workspace.
name: example
services:
  - name: users
    base_path: /users
    workspace_id: users-mocks
    reality_level: mock_v3
    mock_url: http://127.0.0.1:4010
"#;

pub fn run(g: &GlobalArgs, args: InitArgs, out: &mut Printer) -> Result<()> {
    let cwd = std::env::current_dir().context("cannot read the current folder")?;
    let root = match args.dir.or_else(|| g.project.clone()) {
        Some(d) if d.is_absolute() => d,
        Some(d) => cwd.join(d),
        None => cwd.clone(),
    };
    if root.exists() && !root.is_dir() {
        return Err(user_error(format!(
            "{} is a file, not a folder: init needs a folder for the project",
            root.display()
        )));
    }
    std::fs::create_dir_all(&root)
        .map_err(|e| user_error(format!("cannot create {}: {e}", root.display())))?;
    let mut created = Vec::new();
    // Editors validate and document the files through the modelines (the schemas are
    // rebuilt from this mockops, like the cache).
    super::json_schema::write_schemas(&root)
        .with_context(|| format!("cannot write {}", super::json_schema::SCHEMA_DIR))?;
    use crate::editor_schema::Kind;
    for (rel, content, kind) in [
        ("mockops.yaml", SETTINGS, Kind::Config),
        ("pipelines/hello.yaml", PIPELINE, Kind::Pipeline),
        ("federations/example.yaml", FEDERATION, Kind::Federation),
    ] {
        let content = format!("{}{content}", super::json_schema::modeline(rel, kind));
        if write_new(&root.join(rel), &content)? {
            created.push(rel.to_string());
        }
    }
    let ignored = ignore_state(&root)?;
    let project = Project::at(root.clone(), g.state.as_deref(), &cwd)?;
    let existed = project.state.exists();
    let store = context::open_store(&project, out)?;
    if let (false, Some(file)) = (existed, project.state.file()) {
        created.push(project.relative(file));
    }
    if created.is_empty() {
        // The workspace exists already: announcing it again would re-run its pipelines.
        if out.json() {
            out.print_json(&json!({"root": root.display().to_string(), "created": created, "gitignore": ignored, "event_id": null, "runs": []}))?;
        } else if let Some(change) = ignored {
            out.result(&format!("{change} (the project was already initialised)"));
        } else {
            out.result("nothing to create: the project is already initialised");
        }
        return Ok(());
    }
    let pipelines = context::load_pipelines(&project, out)?;
    let engine = context::engine(&project, &store, &pipelines);
    let workspace = project.workspace();
    let payload = json!({"workspace_id": workspace, "root": root.display().to_string()});
    let event = Event::new(
        "workspace.created",
        &workspace,
        "init",
        payload.as_object().cloned().unwrap_or_default(),
        chrono::Utc::now(),
    );
    let outcome = engine.dispatch(event, Selection::Matching)?;
    if out.json() {
        out.print_json(&json!({"root": root.display().to_string(), "created": created, "gitignore": ignored, "event_id": outcome.event_id, "runs": outcome.runs}))?;
    } else {
        for c in &created {
            out.result(&format!("created {c}"));
        }
        if let Some(change) = &ignored {
            out.result(change);
        }
        out.result(&format!("emitted workspace.created ({})", outcome.event_id));
    }
    if outcome.failed() {
        return Err(super::Exit(1).into());
    }
    Ok(())
}

/// The `.gitignore` lines that keep mockops's state and cache out of git.
const IGNORE_LINES: &str = "# mockops's state file and cache (mockops init)\n.mockops/\n";

/// Makes `root/.gitignore` ignore `.mockops/`: creates the file, or appends the line when no
/// line ignores it yet. Returns what it did, or `None` when there was nothing to do.
fn ignore_state(root: &Path) -> Result<Option<String>> {
    let path = root.join(".gitignore");
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(user_error(format!("cannot read {}: {e}", path.display()))),
    };
    let Some(text) = existing else {
        std::fs::write(&path, IGNORE_LINES)
            .with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(Some("created .gitignore (ignores .mockops/)".into()));
    };
    let ignores = text.lines().map(str::trim).any(|line| {
        matches!(
            line,
            ".mockops" | ".mockops/" | "/.mockops" | "/.mockops/" | ".mockops/*" | "/.mockops/*"
        )
    });
    if ignores {
        return Ok(None);
    }
    let separator = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    std::fs::write(&path, format!("{text}{separator}{IGNORE_LINES}"))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Some("added .mockops/ to .gitignore".into()))
}

/// Writes `content` to `path` unless it exists; true when written.
fn write_new(path: &Path, content: &str) -> Result<bool> {
    if path.exists() {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, content).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}
