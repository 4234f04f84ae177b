//! JUnit XML as GitHub's test reporters and GitLab's `artifacts:reports:junit` read it (the
//! Jenkins/Surefire schema): `<testsuites>` of `<testsuite>`s of `<testcase>`s, a
//! `<failure>` holding the error and the tail of the log.

use std::fmt::Write;

/// How a test case ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// The check ran and did not pass (a failed step, an unmet gate).
    Failed {
        message: String,
        text: String,
    },
    /// The check could not run (bad input).
    Error {
        message: String,
        text: String,
    },
    Skipped {
        message: String,
    },
}

/// One test case: a pipeline step, a spec, a gate.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub name: String,
    pub classname: String,
    /// Seconds.
    pub time: f64,
    pub outcome: Outcome,
    /// Shown beside the case (a step's log).
    pub output: Option<String>,
}

/// One test suite: a pipeline run, or a gate.
#[derive(Debug, Clone, PartialEq)]
pub struct Suite {
    pub name: String,
    /// RFC 3339, when known.
    pub timestamp: Option<String>,
    /// Seconds.
    pub time: f64,
    pub properties: Vec<(String, String)>,
    pub cases: Vec<Case>,
}

/// The XML document of `suites`.
pub fn render(name: &str, suites: &[Suite]) -> String {
    let count = |f: fn(&Outcome) -> bool| -> usize {
        suites
            .iter()
            .flat_map(|s| &s.cases)
            .filter(|c| f(&c.outcome))
            .count()
    };
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let time: f64 = suites.iter().map(|s| s.time).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" time=\"{}\">",
        attr(name),
        count(|o| matches!(o, Outcome::Failed { .. })),
        count(|o| matches!(o, Outcome::Error { .. })),
        seconds(time)
    );
    for (id, s) in suites.iter().enumerate() {
        suite(&mut out, id, s);
    }
    out.push_str("</testsuites>\n");
    out
}

fn suite(out: &mut String, id: usize, s: &Suite) {
    let count = |f: fn(&Outcome) -> bool| s.cases.iter().filter(|c| f(&c.outcome)).count();
    let _ = write!(
        out,
        "  <testsuite name=\"{}\" id=\"{id}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\"",
        attr(&s.name),
        s.cases.len(),
        count(|o| matches!(o, Outcome::Failed { .. })),
        count(|o| matches!(o, Outcome::Error { .. })),
        count(|o| matches!(o, Outcome::Skipped { .. })),
        seconds(s.time)
    );
    if let Some(ts) = &s.timestamp {
        let _ = write!(out, " timestamp=\"{}\"", attr(ts));
    }
    out.push_str(">\n");
    if !s.properties.is_empty() {
        out.push_str("    <properties>\n");
        for (k, v) in &s.properties {
            let _ = writeln!(
                out,
                "      <property name=\"{}\" value=\"{}\"/>",
                attr(k),
                attr(v)
            );
        }
        out.push_str("    </properties>\n");
    }
    for c in &s.cases {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"",
            attr(&c.name),
            attr(&c.classname),
            seconds(c.time)
        );
        if c.outcome == Outcome::Passed && c.output.is_none() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        match &c.outcome {
            Outcome::Passed => {}
            Outcome::Failed { message, text } | Outcome::Error { message, text } => {
                let tag = if matches!(c.outcome, Outcome::Failed { .. }) {
                    "failure"
                } else {
                    "error"
                };
                let _ = writeln!(
                    out,
                    "      <{tag} message=\"{}\" type=\"{tag}\">{}</{tag}>",
                    attr(message),
                    text_node(text)
                );
            }
            Outcome::Skipped { message } => {
                let _ = writeln!(out, "      <skipped message=\"{}\"/>", attr(message));
            }
        }
        if let Some(output) = &c.output {
            let _ = writeln!(out, "      <system-out>{}</system-out>", text_node(output));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n");
}

/// Seconds with millisecond precision, as Surefire writes them (`0.125`).
fn seconds(time: f64) -> String {
    format!("{:.3}", time.max(0.0))
}

/// Characters XML 1.0 cannot hold at all (most C0 controls) become U+FFFD.
fn xml_char(c: char) -> char {
    match c {
        '\t' | '\n' | '\r' => c,
        c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
        c => c,
    }
}

/// An attribute value.
fn attr(text: &str) -> String {
    escape(text, true)
}

/// Element text.
fn text_node(text: &str) -> String {
    escape(text, false)
}

/// Escapes markup characters; in an attribute also quotes and whitespace other than
/// spaces (which XML would otherwise normalise away).
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().map(xml_char) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// The last `lines` lines of `log`, with a note of how many came before.
pub fn tail(log: &str, lines: usize) -> String {
    let all: Vec<&str> = log.lines().collect();
    if all.len() <= lines {
        return log.trim_end().to_string();
    }
    format!(
        "… {} earlier line(s)\n{}",
        all.len() - lines,
        all[all.len() - lines..].join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_escapes_and_keeps_the_log() {
        let suites = vec![Suite {
            name: "deploy <prod>".into(),
            timestamp: Some("2026-01-01T00:00:00Z".into()),
            time: 1.5,
            properties: vec![("run".into(), "r1".into())],
            cases: vec![
                Case {
                    name: "build".into(),
                    classname: "deploy".into(),
                    time: 0.25,
                    outcome: Outcome::Passed,
                    output: None,
                },
                Case {
                    name: "push".into(),
                    classname: "deploy".into(),
                    time: 1.25,
                    outcome: Outcome::Failed {
                        message: "exit \"1\"".into(),
                        text: "a & b\u{1b}[31m".into(),
                    },
                    output: Some("line".into()),
                },
            ],
        }];
        let xml = render("mockops", &suites);
        assert!(xml.contains("<testsuites name=\"mockops\" tests=\"2\" failures=\"1\" errors=\"0\" time=\"1.500\">"), "{xml}");
        assert!(xml.contains("name=\"deploy &lt;prod&gt;\""), "{xml}");
        assert!(xml.contains("<failure message=\"exit &quot;1&quot;\" type=\"failure\">a &amp; b\u{FFFD}[31m</failure>"), "{xml}");
        assert!(xml.contains("<system-out>line</system-out>"), "{xml}");
        assert_eq!(tail("a\nb\nc\n", 2), "… 1 earlier line(s)\nb\nc");
        assert_eq!(tail("a\nb\n", 2), "a\nb");
    }
}
