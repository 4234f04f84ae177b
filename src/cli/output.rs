//! Printing: JSON on stdout, tables that fit the terminal, messages on stderr,
//! colour only on a terminal and never with NO_COLOR / --no-color.

use super::GlobalArgs;
use comfy_table::{presets, Cell, ContentArrangement, Table};
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
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer {
            format: g.format,
            quiet: g.quiet,
            verbose: g.verbose,
            color: !g.no_color && !no_color_env && std::io::stderr().is_terminal(),
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

    /// A table on stdout, fitted to the terminal.
    pub fn table(&self, header: &[&str], rows: Vec<Vec<String>>) {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(header.iter().map(Cell::new));
        if !std::io::stdout().is_terminal() {
            t.force_no_tty();
        }
        for r in rows {
            t.add_row(r);
        }
        self.print(&t.to_string());
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
