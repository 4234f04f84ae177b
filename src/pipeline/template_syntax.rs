//! Template syntax errors in words a pipeline author reads: Handlebars reports its
//! parser's grammar rules (`expected trailing_tilde_to_omit_whitespace, …`); this says
//! which `{{` is not closed, which block is never ended, or which expression is wrong,
//! and where inside the template.

use super::TemplateError;
use handlebars::TemplateErrorReason;

/// A human message for a template that does not compile, placed inside the template.
pub(super) fn syntax_error(template: &str, err: &handlebars::TemplateError) -> TemplateError {
    let at = err.pos();
    let (message, at) = match err.reason() {
        TemplateErrorReason::MismatchingClosedHelper(open, close) => (
            format!(
                "`{}` closes the block `{}`; end that block with `{}`",
                mustache(&format!("/{close}")),
                mustache(&format!("#{open}")),
                mustache(&format!("/{open}"))
            ),
            at,
        ),
        TemplateErrorReason::MismatchingClosedDecorator(open, close) => (
            format!(
                "`{}` closes the decorator `{}`",
                mustache(&format!("/{close}")),
                mustache(&format!("*{open}"))
            ),
            at,
        ),
        TemplateErrorReason::InvalidParam(param) => {
            (format!("`{param}` is not a valid parameter"), at)
        }
        TemplateErrorReason::NestedSubexpression => (
            "a subexpression inside a subexpression is not supported".to_string(),
            at,
        ),
        TemplateErrorReason::InvalidSyntax(_) => invalid_syntax(template, at),
        _ => ("the template cannot be read".to_string(), at),
    };
    TemplateError::Syntax { message, at }
}

/// ` at line:column of the template` for [`TemplateError::Syntax`].
pub(super) fn place(at: &Option<(usize, usize)>) -> String {
    match at {
        Some((line, column)) => format!(" at {line}:{column} of the template"),
        None => String::new(),
    }
}

fn mustache(inner: &str) -> String {
    format!("{{{{{inner}}}}}")
}

/// What is wrong where the parser stopped: an unclosed `{{`, a block never ended, a
/// closing tag without its block, an empty or malformed expression.
fn invalid_syntax(template: &str, at: Option<(usize, usize)>) -> (String, Option<(usize, usize)>) {
    let mut blocks: Vec<(String, usize)> = Vec::new();
    let mut rest = 0;
    while let Some(found) = template[rest..].find("{{") {
        let open = rest + found;
        let body_start = open + 2;
        let close = template[body_start..].find("}}").map(|i| body_start + i);
        let next_open = template[body_start..].find("{{").map(|i| body_start + i);
        let Some(close) = close.filter(|c| next_open.is_none_or(|n| *c < n)) else {
            return (
                "`{{` is not closed: end the expression with `}}`".to_string(),
                Some(position(template, open)),
            );
        };
        let raw = template[body_start..close].trim_start_matches('~');
        if raw.starts_with('{') && !template[close + 2..].starts_with('}') {
            return (
                "`{{{` is not closed with `}}}`".to_string(),
                Some(position(template, open)),
            );
        }
        let inner = raw.trim_start_matches('{').trim_matches('~').trim();
        if inner.is_empty() {
            return (
                "`{{}}` holds nothing: put a name inside, like `{{event.type}}`".to_string(),
                Some(position(template, open)),
            );
        }
        if (inner == "else" || inner.starts_with("else ")) && blocks.is_empty() {
            return (
                format!(
                    "`{}` belongs inside a block, like `{}…{}…{}`",
                    mustache(inner),
                    mustache("#if x"),
                    mustache("else"),
                    mustache("/if")
                ),
                Some(position(template, open)),
            );
        }
        if let Some(name) = inner.strip_prefix('#') {
            let name = name.split_whitespace().next().unwrap_or("").to_string();
            blocks.push((name, open));
        } else if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim().to_string();
            if blocks.pop().is_none() {
                return (
                    format!(
                        "`{}` closes no block (there is no `{}` before it)",
                        mustache(&format!("/{name}")),
                        mustache(&format!("#{name} …"))
                    ),
                    Some(position(template, open)),
                );
            }
        }
        rest = close + 2;
    }
    if let Some((name, open)) = blocks.pop() {
        return (
            format!(
                "the block `{}` is never ended: close it with `{}`",
                mustache(&format!("#{name} …")),
                mustache(&format!("/{name}"))
            ),
            Some(position(template, open)),
        );
    }
    let expression = at
        .and_then(|(line, column)| offset(template, line, column))
        .and_then(|o| enclosing_mustache(template, o));
    let what = expression.map_or_else(
        || "an expression".to_string(),
        |e| format!("`{}`", e.trim()),
    );
    (
        format!(
            "{what} is not a valid expression: write a name (`{}`), a helper call (`{}`) or a block (`{}…{}`)",
            mustache("event.type"),
            mustache("upper event.type"),
            mustache("#if x"),
            mustache("/if")
        ),
        at,
    )
}

/// 1-based line and column (in characters) of a byte offset.
fn position(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The byte offset of a 1-based line and column (in characters).
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let line_text = &text[start..];
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    Some(start + within)
}

/// The `{{…}}` around (or just before) a byte offset.
fn enclosing_mustache(text: &str, at: usize) -> Option<&str> {
    let at = at.min(text.len());
    let open = text[..at.min(text.len())]
        .rfind("{{")
        .or_else(|| text[at..].find("{{").map(|i| at + i))?;
    let close = text[open..].find("}}").map_or(text.len(), |i| open + i + 2);
    text.get(open..close)
}

#[cfg(test)]
mod tests {
    use super::super::{scan, TemplateError};

    fn message(template: &str) -> (String, Option<(usize, usize)>) {
        match scan(template) {
            Err(TemplateError::Syntax { message, at }) => (message, at),
            other => panic!("{template:?}: expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn syntax_errors_speak_of_the_template_not_of_the_grammar() {
        let cases: &[(&str, &str, (usize, usize))] = &[
            ("hello {{name", "`{{` is not closed", (1, 7)),
            ("a\nb {{ x }} {{~ y", "`{{` is not closed", (2, 11)),
            (
                "{{#if x}}yes",
                "`{{#if …}}` is never ended: close it with `{{/if}}`",
                (1, 1),
            ),
            (
                "{{#if x}}a{{/each}}",
                "`{{/each}}` closes the block `{{#if}}`",
                (1, 11),
            ),
            ("x {{/if}}", "`{{/if}}` closes no block", (1, 3)),
            ("x {{}}", "holds nothing", (1, 3)),
        ];
        for (template, says, at) in cases {
            let (msg, place) = message(template);
            assert!(msg.contains(says), "{template:?}: {msg}");
            assert_eq!(place, Some(*at), "{template:?}: {msg}");
        }
        for template in [
            "{{x}",
            "{{ a b= }}",
            "{{~}}",
            "{{ x ~}",
            "{{x y=}}",
            "{{a.}}",
            "{{!-- c",
            "{{{x}}",
            "{{else}}",
            "a {{b}} {{#each c}}{{/if}}",
        ] {
            let (message, place) = message(template);
            assert!(place.is_some(), "{template:?}: {message}");
            // outside the quoted template text: no grammar rule names, no parser jargon
            let prose: String = message.split('`').step_by(2).collect();
            for jargon in ["_", "expected", "identifier", "Rule", "pest"] {
                assert!(!prose.contains(jargon), "{template:?}: {message}");
            }
        }
    }
}
