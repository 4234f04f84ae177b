//! CI output: turns schema changes, validation findings, pipeline runs and gates into the
//! models of [`crate::ci_formats`], prints them in the format asked for, adds GitHub
//! annotations under `GITHUB_ACTIONS=true`, and appends to `$GITHUB_STEP_SUMMARY`.

use super::output::{Format, Printer};
use crate::ci_formats::{self, github, junit, sarif, Finding, Level, Location, Report, Rule};
use crate::pipeline::executor::DispatchOutcome;
use crate::schema::{self, Change};
use anyhow::Result;
use std::io::Write;
use std::path::{Path, PathBuf};

#[path = "ci_junit.rs"]
mod suites;
pub use suites::{coverage_gate_suite, drift_suite, run_suites};

/// Whether mockops runs in a GitHub Actions job.
pub fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// The repository root: the nearest folder upwards from the current one holding `.git`
/// (a folder, or a file in a worktree), else the current folder. SARIF and annotation paths
/// are relative to it.
pub fn repo_root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let cwd = cwd();
        let mut dir = cwd.as_path();
        loop {
            if dir.join(".git").exists() {
                return dir.to_path_buf();
            }
            match dir.parent() {
                Some(parent) => dir = parent,
                None => return cwd,
            }
        }
    })
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

/// A location relative to the repository root.
pub fn location(file: &Path, line: Option<u64>, column: Option<u64>) -> Location {
    Location {
        file: ci_formats::repo_relative(file, &cwd(), repo_root()),
        line,
        column,
    }
}

fn change_level(level: schema::Level) -> Level {
    match level {
        schema::Level::Breaking => Level::Error,
        schema::Level::Warning => Level::Warning,
        schema::Level::Info => Level::Note,
    }
}

/// Adds `changes` (found comparing the spec at `spec`) to `report`: one rule per change id,
/// one finding per change at its place (the spec's first line when it has none).
pub fn add_changes(report: &mut Report, spec: &Path, changes: &[Change]) {
    for c in changes {
        let level = change_level(c.level);
        let what = match c.level {
            schema::Level::Breaking => "breaks existing clients",
            schema::Level::Warning => "may break some clients",
            schema::Level::Info => "is compatible with existing clients",
        };
        report.rule(Rule {
            id: c.id.clone(),
            short: ci_formats::humanize(&c.id),
            help: format!(
                "`{}`: a change between two versions of a spec that {what} (mockops rates it {}). Review it before merging; `mockops schema diff OLD NEW` lists every change.",
                c.id, c.level
            ),
            level,
        });
        let place = match &c.file {
            Some(file) => location(Path::new(file), c.line, c.column),
            None => location(spec, Some(1), Some(1)),
        };
        report.findings.push(Finding {
            rule: c.id.clone(),
            level,
            title: format!("{} change: {}", c.level, c.id),
            message: format!("{}: {}", c.location, c.message),
            location: Some(place),
        });
    }
}

/// A finding about a file that could not be read, compiled or validated.
pub fn add_error(
    report: &mut Report,
    rule: (&str, &str),
    level: Level,
    file: Option<&Path>,
    line_column: (Option<u64>, Option<u64>),
    message: &str,
) {
    let (id, help) = rule;
    report.rule(Rule {
        id: id.to_string(),
        short: ci_formats::humanize(id),
        help: help.to_string(),
        level,
    });
    report.findings.push(Finding {
        rule: id.to_string(),
        level,
        title: ci_formats::humanize(id),
        message: message.to_string(),
        location: file.map(|f| location(f, line_column.0.or(Some(1)), line_column.1)),
    });
}

/// What the command found for CI, gathered while it runs and printed once when it ends
/// ([`finish`]): a command that runs others' checks (`hook run` runs validation and
/// `schema check`) still prints one SARIF log or one JUnit document.
#[derive(Default)]
struct Collected {
    report: Report,
    suites: Vec<junit::Suite>,
    summaries: Vec<String>,
}

static COLLECTED: std::sync::Mutex<Option<Collected>> = std::sync::Mutex::new(None);

fn collected<T>(f: impl FnOnce(&mut Collected) -> T) -> T {
    let mut guard = COLLECTED.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(Collected::default))
}

/// Adds `report` to what the command found. Returns whether the output format replaces
/// the command's own listing (SARIF, workflow commands), which is then printed by
/// [`finish`]. Under GitHub Actions, other formats get annotations (on stderr) for errors
/// and warnings at once; `$GITHUB_STEP_SUMMARY` gets `markdown` (or a table of the
/// findings) when the command ends.
pub fn collect_report(
    out: &Printer,
    report: &Report,
    title: &str,
    markdown: Option<String>,
) -> Result<bool> {
    let replaced = matches!(out.format, Some(Format::Sarif | Format::Github));
    if !replaced && in_github_actions() {
        for f in report.findings.iter().filter(|f| f.level != Level::Note) {
            eprintln!("{}", github::command(f));
        }
    }
    // A check that found nothing adds nothing to the summary (a command that only loads
    // definitions, like `federation route`, checks them too).
    let summary = match markdown {
        Some(md) => Some(md),
        None if report.findings.is_empty() => None,
        None => Some(github::summary(title, report)),
    };
    collected(|c| {
        for rule in &report.rules {
            c.report.rule(rule.clone());
        }
        c.report.findings.extend(report.findings.iter().cloned());
        c.summaries.extend(summary);
    });
    Ok(replaced)
}

/// Adds JUnit suites to what the command found (printed by [`finish`]).
pub fn add_suites(suites: Vec<junit::Suite>) {
    collected(|c| c.suites.extend(suites));
}

/// Prints what the command gathered in the format asked for (SARIF, workflow commands,
/// JUnit) and appends the step summary. Called once, when the command has ended.
pub fn finish(out: &Printer) {
    let Some(c) = COLLECTED.lock().unwrap_or_else(|e| e.into_inner()).take() else {
        if out.format == Some(Format::Sarif) {
            // A command that found nothing still writes a log code scanning accepts.
            let _ = out.print_json(&sarif::render(
                &Report::default(),
                env!("CARGO_PKG_VERSION"),
            ));
        } else if out.format == Some(Format::Junit) {
            out.print(&junit::render("mockops", &[]));
        }
        return;
    };
    match out.format {
        Some(Format::Sarif) => {
            let _ = out.print_json(&sarif::render(&c.report, env!("CARGO_PKG_VERSION")));
        }
        Some(Format::Github) => {
            let text = github::commands(&c.report);
            if !text.is_empty() {
                out.print(&text);
            }
        }
        Some(Format::Junit) => out.print(&junit::render("mockops", &c.suites)),
        _ => {}
    }
    if !c.summaries.is_empty() {
        step_summary(&c.summaries.join("\n"));
    } else if !c.suites.is_empty() {
        step_summary(&suites_summary(&c.suites));
    }
}

/// A step summary of JUnit suites: one line per suite, its failures listed.
fn suites_summary(suites: &[junit::Suite]) -> String {
    let mut out = String::from("### mockops\n\n| suite | tests | failed |\n|---|---|---|\n");
    for s in suites {
        let failed: Vec<&str> = s
            .cases
            .iter()
            .filter(|c| {
                matches!(
                    c.outcome,
                    junit::Outcome::Failed { .. } | junit::Outcome::Error { .. }
                )
            })
            .map(|c| c.name.as_str())
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            s.name.replace('|', "\\|"),
            s.cases.len(),
            if failed.is_empty() {
                "—".to_string()
            } else {
                failed.join(", ")
            }
        ));
    }
    out
}

/// Appends `markdown` to the file `$GITHUB_STEP_SUMMARY` names, when it names one.
pub fn step_summary(markdown: &str) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{}", markdown.trim_end());
    }
}

/// Adds `suites` to the JUnit document printed when the command ends.
pub fn print_junit(_out: &Printer, suites: &[junit::Suite]) {
    add_suites(suites.to_vec());
}

/// One finding of `pipeline validate`, `federation validate` or `hook run`.
pub struct Diagnostic<'a> {
    pub error: bool,
    pub file: &'a Path,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: &'a str,
}

/// The report of a validation: rules `<kind>-invalid` (errors) and `<kind>-warning`.
pub fn validation_report<'a>(
    kind: &str,
    diagnostics: impl IntoIterator<Item = Diagnostic<'a>>,
) -> Report {
    let mut report = Report::default();
    for d in diagnostics {
        let (id, level, help) = if d.error {
            (
                format!("{kind}-invalid"),
                Level::Error,
                format!("The {kind} file does not load: mockops refuses it (exit 2) and runs nothing it defines. The message names the key and what to write instead."),
            )
        } else {
            (
                format!("{kind}-warning"),
                Level::Warning,
                format!("The {kind} file loads, but part of it is probably not what was meant (an unused key, a template value no event carries)."),
            )
        };
        add_error(
            &mut report,
            (&id, &help),
            level,
            Some(d.file),
            (d.line, d.column),
            d.message,
        );
    }
    report
}

/// `schema diff` in a CI format (SARIF, workflow commands) when asked; annotations and the
/// step summary under GitHub Actions. Returns whether it printed the report.
pub fn schema_diff(out: &Printer, report: &schema::DiffReport, new: &Path) -> Result<bool> {
    let mut ci = Report::default();
    add_changes(&mut ci, new, &report.changes);
    collect_report(
        out,
        &ci,
        "Schema changes",
        Some(schema::render_markdown(report)),
    )
}

/// One spec as `schema check` found it.
pub struct CheckedSpec<'a> {
    /// Path from the project root.
    pub rel: &'a str,
    pub changes: &'a [Change],
    /// Why it could not be compared.
    pub error: Option<&'a str>,
}

/// Splits `file:line:column: message` (how mockops words a located error).
pub fn split_located(text: &str) -> (Option<PathBuf>, Option<u64>, Option<u64>, String) {
    let parts: Vec<&str> = text.splitn(4, ':').collect();
    if let [file, line, rest @ ..] = parts.as_slice() {
        if let Ok(line) = line.trim().parse::<u64>() {
            let (column, message) = match rest {
                [column, message] => match column.trim().parse::<u64>() {
                    Ok(c) => (Some(c), message.trim().to_string()),
                    Err(_) => (None, format!("{column}:{message}").trim().to_string()),
                },
                [message] => (None, message.trim().to_string()),
                _ => (None, String::new()),
            };
            return (Some(PathBuf::from(file)), Some(line), column, message);
        }
    }
    (None, None, None, text.to_string())
}

/// A change's file as `schema check` names it (a path as given, a snapshot's name, or a
/// Protobuf import name relative to the spec's folder), made a path from the current folder.
fn resolve_file(root: &Path, spec: &Path, file: &str) -> PathBuf {
    let path = Path::new(file);
    if path.is_absolute() || root.join(path).exists() {
        return root.join(path);
    }
    let beside = spec.parent().map(|d| d.join(path));
    match beside {
        Some(p) if p.exists() => p,
        _ => root.join(path),
    }
}

/// `schema check`'s findings (changes, specs that could not be compared) and, for JUnit,
/// a suite with a test case per spec (failed when it has breaking changes) and a suite per
/// pipeline run. Returns whether the format replaces the command's own output.
pub fn schema_check(
    out: &Printer,
    root: &Path,
    specs: &[CheckedSpec<'_>],
    outcomes: &[DispatchOutcome],
    logs: &dyn Fn(&str) -> Vec<crate::store::LogRecord>,
) -> Result<bool> {
    let mut report = Report::default();
    let mut cases = Vec::new();
    for s in specs {
        let spec = root.join(s.rel);
        let changes: Vec<Change> = s
            .changes
            .iter()
            .map(|c| Change {
                file: c
                    .file
                    .as_deref()
                    .map(|f| resolve_file(root, &spec, f).display().to_string()),
                ..c.clone()
            })
            .collect();
        add_changes(&mut report, &spec, &changes);
        if let Some(error) = s.error {
            let (file, line, column, message) = split_located(error);
            let file = file.map(|f| resolve_file(root, &spec, &f.display().to_string()));
            add_error(
                &mut report,
                ("spec-invalid", "The spec could not be read, parsed or compiled, so it was not compared. The message names the place."),
                Level::Error,
                Some(file.as_deref().unwrap_or(&spec)),
                (line, column),
                &message,
            );
        }
        let breaking: Vec<&Change> = changes
            .iter()
            .filter(|c| c.level == schema::Level::Breaking)
            .collect();
        let listing = |list: &[&Change]| -> String {
            list.iter()
                .map(|c| {
                    let place = c.place().map(|p| format!(" ({p})")).unwrap_or_default();
                    format!("[{}] {}: {}{place}", c.id, c.location, c.message)
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let outcome = match (s.error, breaking.len()) {
            (Some(e), _) => junit::Outcome::Error {
                message: e.to_string(),
                text: e.to_string(),
            },
            (None, 0) => junit::Outcome::Passed,
            (None, n) => junit::Outcome::Failed {
                message: format!("{n} breaking change(s)"),
                text: listing(&breaking),
            },
        };
        let all: Vec<&Change> = changes.iter().collect();
        cases.push(junit::Case {
            name: s.rel.to_string(),
            classname: "schema-check".into(),
            time: 0.0,
            outcome,
            output: (!all.is_empty()).then(|| listing(&all)),
        });
    }
    if out.format == Some(Format::Junit) {
        let mut suites = vec![junit::Suite {
            name: "schema check".into(),
            timestamp: Some(crate::timefmt::format(&chrono::Utc::now())),
            time: 0.0,
            properties: Vec::new(),
            cases,
        }];
        let refs: Vec<&DispatchOutcome> = outcomes.iter().collect();
        suites.extend(run_suites(&refs, logs));
        add_suites(suites);
    }
    let replaced = collect_report(out, &report, "Schema check", None)?;
    Ok(replaced || out.format == Some(Format::Junit))
}

/// Pipeline findings (of `pipeline validate` or a hook) for CI. Returns whether the
/// format replaces the command's own output.
pub fn pipeline_diagnostics(out: &Printer, diags: &[crate::pipeline::Diagnostic]) -> bool {
    let report = validation_report(
        "pipeline",
        diags.iter().map(|d| Diagnostic {
            error: d.severity == crate::pipeline::Severity::Error,
            file: &d.error.file,
            line: d.error.line,
            column: d.error.column,
            message: &d.error.message,
        }),
    );
    collect_report(out, &report, "Pipeline validation", None).unwrap_or(false)
}

/// Federation findings (of `federation validate` or a hook) for CI.
pub fn federation_diagnostics(out: &Printer, diags: &[crate::federation::Diagnostic]) -> bool {
    let report = validation_report(
        "federation",
        diags.iter().map(|d| Diagnostic {
            error: d.severity == crate::federation::Severity::Error,
            file: &d.file,
            line: d.line,
            column: d.column,
            message: &d.message,
        }),
    );
    collect_report(out, &report, "Federation validation", None).unwrap_or(false)
}

/// Errors worded `file:line:column: message`, one a line, about a `kind` file
/// (`federation`) that does not load, for CI.
pub fn located_error(out: &Printer, kind: &str, text: &str) {
    let found: Vec<_> = text
        .lines()
        .map(split_located)
        .filter_map(|(file, line, column, message)| {
            let message = message
                .strip_prefix("error: ")
                .unwrap_or(&message)
                .to_string();
            Some((file?, line, column, message))
        })
        .collect();
    if found.is_empty() {
        return;
    }
    let report = validation_report(
        kind,
        found
            .iter()
            .map(|(file, line, column, message)| Diagnostic {
                error: true,
                file,
                line: *line,
                column: *column,
                message,
            }),
    );
    let _ = collect_report(out, &report, "Validation", None);
}
