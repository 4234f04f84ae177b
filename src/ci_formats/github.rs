//! GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), which
//! the runner turns into annotations on the pull request, and the Markdown that goes to
//! `$GITHUB_STEP_SUMMARY`.

use super::{Finding, Level, Report};
use std::fmt::Write;

/// One workflow command per finding, each on its own line.
pub fn commands(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&command(f));
        out.push('\n');
    }
    out
}

/// The workflow command of one finding (`error`, `warning` or `notice`).
pub fn command(f: &Finding) -> String {
    let name = match f.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    };
    let mut props = Vec::new();
    if let Some(location) = &f.location {
        props.push(format!("file={}", property(&location.file)));
        if let Some(line) = location.line {
            props.push(format!("line={line}"));
            if let Some(column) = location.column {
                props.push(format!("col={column}"));
            }
        }
    }
    if !f.title.is_empty() {
        props.push(format!("title={}", property(&f.title)));
    }
    let props = if props.is_empty() {
        String::new()
    } else {
        format!(" {}", props.join(","))
    };
    format!("::{name}{props}::{}", data(&f.message))
}

/// Escapes a command's message (`%`, CR, LF), as the runner's toolkit does.
pub fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A step summary: a heading, a count line, and a table of the findings.
pub fn summary(title: &str, report: &Report) -> String {
    let mut out = format!("### {}\n\n", md(title));
    if report.findings.is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    let count = |l: Level| report.findings.iter().filter(|f| f.level == l).count();
    let _ = writeln!(
        out,
        "**{} error(s), {} warning(s), {} note(s).**\n",
        count(Level::Error),
        count(Level::Warning),
        count(Level::Note)
    );
    out.push_str("| level | check | where | message |\n|---|---|---|---|\n");
    for f in &report.findings {
        let place = f
            .location
            .as_ref()
            .map(|l| match (l.line, l.column) {
                (Some(line), Some(col)) => format!("`{}:{line}:{col}`", md(&l.file)),
                (Some(line), None) => format!("`{}:{line}`", md(&l.file)),
                _ => format!("`{}`", md(&l.file)),
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | `{}` | {place} | {} |",
            f.level.sarif(),
            f.rule,
            md(&f.message)
        );
    }
    out
}

fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::super::Location;
    use super::*;

    #[test]
    fn commands_escape_data_and_properties() {
        let f = Finding {
            rule: "r".into(),
            level: Level::Error,
            title: "Bad: a, b".into(),
            message: "50% done\nnext".into(),
            location: Some(Location {
                file: "p/a,b.yaml".into(),
                line: Some(4),
                column: Some(2),
            }),
        };
        assert_eq!(
            command(&f),
            "::error file=p/a%2Cb.yaml,line=4,col=2,title=Bad%3A a%2C b::50%25 done%0Anext"
        );
        let note = Finding {
            level: Level::Note,
            location: None,
            title: String::new(),
            ..f
        };
        assert_eq!(command(&note), "::notice::50%25 done%0Anext");
    }
}
