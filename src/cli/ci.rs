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

/// Whether mockops runs in a GitHub Actions job.
pub fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// The repository root: the nearest folder upwards from the current one holding `.git`
/// (a folder, or a file in a worktree), else the current folder. SARIF and annotation paths
/// are relative to it.
pub fn repo_root() -> PathBuf {
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
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_default()
}

/// A location relative to the repository root.
pub fn location(file: &Path, line: Option<u64>, column: Option<u64>) -> Location {
    Location {
        file: ci_formats::repo_relative(file, &cwd(), &repo_root()),
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

/// Prints `report` as SARIF or workflow commands when `out` asks for one; returns whether
/// it did. Under GitHub Actions, other formats also get annotations (on stderr) for errors
/// and warnings. With `$GITHUB_STEP_SUMMARY` set, the summary gets `markdown` (or a table
/// of the findings).
pub fn print_report(
    out: &Printer,
    report: &Report,
    title: &str,
    markdown: Option<String>,
) -> Result<bool> {
    let printed = match out.format {
        Some(Format::Sarif) => {
            out.print_json(&sarif::render(report, env!("CARGO_PKG_VERSION")))?;
            true
        }
        Some(Format::Github) => {
            out.print(&github::commands(report));
            true
        }
        _ => false,
    };
    if !printed && in_github_actions() {
        for f in report.findings.iter().filter(|f| f.level != Level::Note) {
            eprintln!("{}", github::command(f));
        }
    }
    step_summary(&markdown.unwrap_or_else(|| github::summary(title, report)));
    Ok(printed)
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

/// How many lines of a failed step's log go into its JUnit failure.
const LOG_TAIL: usize = 40;

/// One JUnit suite per pipeline run of `outcomes` (a test case per step, a failure with
/// the step's error and the tail of its log); `logs` gives a run's logs.
pub fn run_suites(
    outcomes: &[&DispatchOutcome],
    logs: &dyn Fn(&str) -> Vec<crate::store::LogRecord>,
) -> Vec<junit::Suite> {
    let mut suites = Vec::new();
    for outcome in outcomes {
        for run in &outcome.runs {
            let records = logs(&run.id);
            let seconds =
                |a: Option<chrono::DateTime<chrono::Utc>>,
                 b: Option<chrono::DateTime<chrono::Utc>>| match (a, b) {
                    (Some(a), Some(b)) => (b - a).num_milliseconds().max(0) as f64 / 1000.0,
                    _ => 0.0,
                };
            let mut cases = Vec::new();
            for s in run.steps.iter().flatten() {
                let log: String = records
                    .iter()
                    .filter(|l| l.step == s.name)
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join("");
                let error = s.error.clone().unwrap_or_else(|| s.status.clone());
                let outcome = match s.status.as_str() {
                    "succeeded" => junit::Outcome::Passed,
                    "skipped" => junit::Outcome::Skipped { message: error },
                    _ => junit::Outcome::Failed {
                        text: format!("{error}\n{}", junit::tail(&log, LOG_TAIL)),
                        message: error,
                    },
                };
                cases.push(junit::Case {
                    name: s.name.clone(),
                    classname: format!("{}.{}", run.pipeline, s.step_type),
                    time: seconds(s.started_at, s.finished_at),
                    outcome,
                    output: (!log.is_empty()).then(|| junit::tail(&log, LOG_TAIL)),
                });
            }
            if cases.is_empty() || (run.status != "succeeded" && !cases.iter().any(failed)) {
                // A run that failed before any step (a guard, a render error) still fails.
                let error = run.error.clone().unwrap_or_else(|| run.status.clone());
                cases.push(junit::Case {
                    name: "run".into(),
                    classname: run.pipeline.clone(),
                    time: 0.0,
                    outcome: if run.status == "succeeded" {
                        junit::Outcome::Passed
                    } else {
                        junit::Outcome::Failed {
                            message: error.clone(),
                            text: error,
                        }
                    },
                    output: None,
                });
            }
            suites.push(junit::Suite {
                name: run.pipeline.clone(),
                timestamp: Some(crate::timefmt::format(&run.started_at)),
                time: seconds(Some(run.started_at), run.finished_at),
                properties: vec![
                    ("run_id".into(), run.id.clone()),
                    ("event_id".into(), run.event_id.clone()),
                    ("status".into(), run.status.clone()),
                ],
                cases,
            });
        }
        for e in &outcome.errors {
            suites.push(gate_suite(
                "dispatch",
                "guard",
                Some(e.clone()),
                String::new(),
            ));
        }
    }
    suites
}

fn failed(c: &junit::Case) -> bool {
    matches!(c.outcome, junit::Outcome::Failed { .. })
}

/// One suite of one test case: a gate (`coverage`, `drift`, a spec) that passed or failed.
pub fn gate_suite(
    suite: &str,
    case: &str,
    failure: Option<String>,
    detail: String,
) -> junit::Suite {
    junit::Suite {
        name: suite.to_string(),
        timestamp: Some(crate::timefmt::format(&chrono::Utc::now())),
        time: 0.0,
        properties: Vec::new(),
        cases: vec![junit::Case {
            name: case.to_string(),
            classname: suite.to_string(),
            time: 0.0,
            outcome: match failure {
                Some(message) => junit::Outcome::Failed {
                    text: if detail.is_empty() {
                        message.clone()
                    } else {
                        format!("{message}\n{detail}")
                    },
                    message,
                },
                None => junit::Outcome::Passed,
            },
            output: (!detail.is_empty()).then_some(detail),
        }],
    }
}

/// Prints `suites` as one JUnit document.
pub fn print_junit(out: &Printer, suites: &[junit::Suite]) {
    out.print(&junit::render("mockops", suites));
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
    print_report(
        out,
        &ci,
        "Schema changes",
        Some(schema::render_markdown(report)),
    )
}
