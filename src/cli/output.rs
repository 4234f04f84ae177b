//! Printing: JSON on stdout, tables that fit the terminal (or `COLUMNS`; 100 columns when
//! the terminal reports no size) without cutting a word, messages on stderr, colour by
//! `--color` (`auto`: only on a terminal, never with NO_COLOR, --no-color or TERM=dumb).

use super::GlobalArgs;
use comfy_table::{presets, Cell, ColumnConstraint, ContentArrangement, Table, Width};
use serde::Serialize;
use std::io::{IsTerminal, Write};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Text,
    Json,
    Markdown,
    Html,
    Mermaid,
    Dot,
    /// SARIF 2.1.0 (code scanning)
    Sarif,
    /// JUnit XML (test reporters)
    Junit,
    /// GitHub Actions workflow commands (annotations)
    Github,
}

/// When to colour messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set or TERM is `dumb`
    #[default]
    Auto,
    Always,
    Never,
}

/// Whether to colour, given the choice, the environment and whether stderr is a terminal.
pub fn use_color(choice: ColorChoice, no_color_flag: bool, terminal: bool) -> bool {
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    match choice {
        _ if no_color_flag => false,
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color_env && !dumb,
    }
}

/// Width of tables when a terminal reports 0×0 (a pseudo-terminal without a size, as
/// `script -q -e -c` gives CI jobs).
pub const FALLBACK_WIDTH: u16 = 100;

/// The width tables must fit: `COLUMNS` when it is a positive number, else the terminal's
/// (100 when it reports 0), else none (not a terminal: tables are not wrapped).
pub fn table_width(terminal_width: Option<u16>) -> Option<u16> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c > 0);
    columns.or(match terminal_width {
        Some(0) => Some(FALLBACK_WIDTH),
        other => other,
    })
}

/// The longest word (run of non-blank characters) of each column, header included: a
/// column is never narrower, so ids, dates and words are never cut.
fn longest_words(header: &[&str], rows: &[Vec<String>]) -> Vec<u16> {
    let word = |text: &str| {
        text.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    let mut out: Vec<usize> = header.iter().map(|h| word(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i >= out.len() {
                out.push(0);
            }
            out[i] = out[i].max(word(cell));
        }
    }
    out.into_iter()
        .map(|w| u16::try_from(w).unwrap_or(u16::MAX))
        .collect()
}

impl std::fmt::Display for Format {
    /// The name as written after `--format`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use clap::ValueEnum;
        match self.to_possible_value() {
            Some(value) => f.write_str(value.get_name()),
            None => write!(f, "{self:?}"),
        }
    }
}

pub struct Printer {
    pub format: Option<Format>,
    pub quiet: bool,
    pub verbose: bool,
    pub color: bool,
}

/// Bad input was reported while the command went on (an invalid pipeline file beside
/// valid ones): the command exits 2 when it ends. One command runs per process, and
/// commands make printers of their own (`Printer { format: None, ..*out }`), so the note
/// is the process's, not a printer's.
static BAD_INPUT_DEFERRED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

impl Printer {
    pub fn new(g: &GlobalArgs) -> Printer {
        Printer {
            format: g.format,
            quiet: g.quiet,
            verbose: g.verbose,
            color: use_color(g.color, g.no_color, std::io::stderr().is_terminal()),
        }
    }

    /// Notes that bad input was reported and the command went on: it exits 2 at the end.
    pub fn defer_bad_input(&self) {
        BAD_INPUT_DEFERRED.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether [`Printer::defer_bad_input`] was called.
    pub fn bad_input_deferred(&self) -> bool {
        BAD_INPUT_DEFERRED.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn json(&self) -> bool {
        self.format == Some(Format::Json)
    }

    /// One JSON document on stdout.
    pub fn print_json<T: Serialize + ?Sized>(&self, value: &T) -> anyhow::Result<()> {
        let text = serde_json::to_string_pretty(value)?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{text}")?;
        Ok(())
    }

    /// Text on stdout.
    pub fn print(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = write!(stdout, "{text}");
        if !text.ends_with('\n') {
            let _ = writeln!(stdout);
        }
    }

    /// A table on stdout, fitted to the terminal (see [`table_width`]); columns wrap
    /// between words only.
    pub fn table(&self, header: &[&str], rows: Vec<Vec<String>>) {
        self.print(&render_table(header, rows, std::io::stdout().is_terminal()));
    }

    /// A line of what the command produced (a run's outcome, a check's summary, what was
    /// created), on stdout where pipes expect it (suppressed by --quiet). When stdout holds
    /// a machine format (`--format json`), it is one document and nothing else: the line
    /// goes to stderr then.
    pub fn result(&self, line: &str) {
        if self.quiet {
            return;
        }
        match self.format {
            None | Some(Format::Table | Format::Text) => self.print(line),
            Some(_) => eprintln!("{line}"),
        }
    }

    /// A message for people, on stderr (suppressed by --quiet).
    pub fn info(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    pub fn debug(&self, msg: &str) {
        if self.verbose {
            eprintln!("debug: {msg}");
        }
    }

    pub fn warn(&self, msg: &str) {
        if !self.quiet {
            let label = self.paint("warning:", "33");
            eprintln!("{label} {msg}");
        }
    }

    pub fn error(&self, msg: &str) {
        let label = self.paint("error:", "31");
        eprintln!("{label} {msg}");
    }

    pub fn paint(&self, text: &str, code: &str) -> String {
        if self.color {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }

    /// A status word coloured by meaning.
    pub fn status(&self, status: &str) -> String {
        let code = match status {
            "succeeded" | "completed" => "32",
            "failed" | "timed_out" | "interrupted" => "31",
            "running" | "pending" => "33",
            _ => "0",
        };
        if self.color && code != "0" {
            self.paint(status, code)
        } else {
            status.to_string()
        }
    }
}

/// A table fitted to [`table_width`]; `terminal`: whether stdout is one.
pub fn render_table(header: &[&str], rows: Vec<Vec<String>>, terminal: bool) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_header(header.iter().map(Cell::new));
    let terminal_width = if terminal { t.width() } else { None };
    if !terminal {
        t.force_no_tty();
    }
    let minimums = longest_words(header, &rows);
    for r in rows {
        t.add_row(r);
    }
    if let Some(width) = table_width(terminal_width) {
        t.set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
        let constraints = minimums
            .iter()
            // The constraint's width includes the cell's padding (one space each side).
            .map(|w| ColumnConstraint::LowerBoundary(Width::Fixed(w.saturating_add(2))));
        t.set_constraints(constraints);
    }
    t.to_string()
}
