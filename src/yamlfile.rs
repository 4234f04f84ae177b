//! Reading YAML definition files with errors that name the file, line and column.
//!
//! Every YAML file mockops reads goes through [`parse`] / [`load`]: serde-saphyr gives
//! panic-free parsing, alias-bomb limits and locations; this module adds the file name
//! and a "did you mean" hint for unknown keys.

use serde::de::DeserializeOwned;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a definition file, with its place when one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl YamlError {
    /// An error at a known place (1-based line and column).
    pub fn at(file: &Path, line: u64, column: u64, message: impl Into<String>) -> Self {
        YamlError {
            file: file.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }

    /// An error about the whole file.
    pub fn whole(file: &Path, message: impl Into<String>) -> Self {
        YamlError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// An error at the place a [`serde_saphyr::Spanned`] value was read from.
    pub fn spanned<T>(
        file: &Path,
        span: &serde_saphyr::Spanned<T>,
        message: impl Into<String>,
    ) -> Self {
        let loc = span.referenced;
        if loc.line() == 0 {
            Self::whole(file, message)
        } else {
            Self::at(file, loc.line(), loc.column(), message)
        }
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => {
                write!(f, "{}:{}:{}: {}", self.file.display(), l, c, self.message)
            }
            (Some(l), None) => write!(f, "{}:{}: {}", self.file.display(), l, self.message),
            _ => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for YamlError {}

/// Deserializes `text` (the content of `file`) into `T`.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(YamlError::whole(file, "the file is empty"));
    }
    serde_saphyr::from_str::<T>(text).map_err(|err| convert(file, &err, text))
}

/// Reads and deserializes `file`.
pub fn load<T: DeserializeOwned>(file: &Path) -> Result<T, YamlError> {
    parse(file, &read_text(file)?)
}

/// Reads `file` as UTF-8 text.
pub fn read_text(file: &Path) -> Result<String, YamlError> {
    let bytes =
        std::fs::read(file).map_err(|e| YamlError::whole(file, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        YamlError::whole(
            file,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn convert(file: &Path, err: &serde_saphyr::Error, text: &str) -> YamlError {
    if let Some(message) = budget_message(err) {
        return YamlError::whole(file, message);
    }
    let plain = err.without_snippet().to_string();
    let message = strip_location_prefix(&plain);
    let message = without_library_advice(&message);
    let message = with_hint(&message);
    match err.location() {
        Some(loc) if loc.line() > 0 => {
            let reported = (loc.line(), loc.column());
            // For a tab the scanner reports where the scalar or block it was reading
            // began; the reader needs the tab itself.
            let (line, column) = if message.contains("found a tab") {
                first_tab_from(text, loc.line(), loc.column()).unwrap_or(reported)
            } else {
                reported
            };
            YamlError::at(file, line, column, message)
        }
        _ => YamlError::whole(file, message),
    }
}

/// serde-saphyr's limits against hostile files, which it reports with Rust debug text
/// ("budget breached: Nodes { nodes: 250001 }"), said in words.
fn budget_message(mut err: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach as B;
    use serde_saphyr::Error as E;
    let breach = loop {
        match err {
            E::WithSnippet { error, .. } | E::AliasError { error, .. } => err = error,
            E::Budget { breach, .. } => break breach,
            _ => return None,
        }
    };
    let what = match breach {
        B::Nodes { nodes } => format!(
            "it expands to too many values (over {}; an alias like `*name` counts again \
             each time it is used)",
            nodes.saturating_sub(1)
        ),
        B::Aliases { .. }
        | B::AliasAnchorRatio { .. }
        | B::RecordedAnchorEvents { .. }
        | B::RecordedAnchorBytes { .. } => "it uses too many aliases (`*name`)".to_string(),
        B::MergeKeys { .. } => "it uses too many merge keys (`<<`)".to_string(),
        B::Anchors { .. } => "it defines too many anchors (`&name`)".to_string(),
        B::Depth { .. } => "it nests too deeply (over 64 levels)".to_string(),
        B::Documents { .. } => "it holds too many YAML documents".to_string(),
        _ => "it is too large".to_string(),
    };
    Some(format!("refused to protect mockops: {what}"))
}

/// Line and column (1-based, in characters) of the first tab at or after `line:column`.
fn first_tab_from(text: &str, line: u64, column: u64) -> Option<(u64, u64)> {
    for (index, content) in text
        .lines()
        .enumerate()
        .skip(line.saturating_sub(1) as usize)
    {
        let number = index as u64 + 1;
        let skip = if number == line {
            column.saturating_sub(1) as usize
        } else {
            0
        };
        if let Some(at) = content.chars().skip(skip).position(|c| c == '\t') {
            return Some((number, (skip + at) as u64 + 1));
        }
    }
    None
}

/// serde-saphyr renders "error: line 4 column 5: msg" or "msg at line 1, column 1";
/// the location is ours to print, so keep only the message.
fn strip_location_prefix(text: &str) -> String {
    let mut s = text.trim();
    s = s.strip_prefix("error: ").unwrap_or(s);
    if let Some(rest) = s.strip_prefix("line ") {
        if let Some(idx) = rest.find(": ") {
            let head = &rest[..idx];
            if head
                .split(" column ")
                .all(|p| p.trim().chars().all(|c| c.is_ascii_digit()))
            {
                s = &rest[idx + 2..];
            }
        }
    }
    let s = match s.rfind(" at line ") {
        Some(idx) if s[idx..].contains("column") => &s[..idx],
        _ => s,
    };
    s.lines().next().unwrap_or("").trim().to_string()
}

/// serde-saphyr speaks to the programmer who set its options ("set DuplicateKeyPolicy in
/// Options if acceptable", "rejected by the configured policy"); the reader of a YAML file
/// needs only what is wrong with it.
fn without_library_advice(message: &str) -> String {
    let message = message
        .replace(", set DuplicateKeyPolicy in Options if acceptable", "")
        .replace(" rejected by the configured policy", " is not allowed");
    match message.strip_prefix("duplicate mapping key: ") {
        Some(key) => format!("key `{key}` appears twice in the same mapping"),
        None => message,
    }
}

/// Adds "(did you mean `x`?)" to serde's "unknown field `y`, expected one of ..." messages.
fn with_hint(message: &str) -> String {
    for kind in ["unknown field `", "unknown variant `"] {
        if let Some(start) = message.find(kind) {
            let rest = &message[start + kind.len()..];
            let Some(end) = rest.find('`') else { continue };
            let unknown = &rest[..end];
            let candidates: Vec<&str> = rest[end..]
                .split([',', ' ', '`'])
                .map(str::trim)
                .filter(|w| {
                    !w.is_empty() && *w != "expected" && *w != "one" && *w != "of" && *w != "or"
                })
                .collect();
            if let Some(best) = nearest(unknown, candidates.iter().copied()) {
                return format!("{message} (did you mean `{best}`?)");
            }
        }
    }
    message.to_string()
}

/// The candidate closest to `word`, when it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d < c.len().max(word.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Step {
        name: String,
        #[serde(rename = "type")]
        kind: String,
    }

    #[test]
    fn messages_speak_to_the_reader_not_to_the_programmer() {
        let err = parse::<Vec<Step>>(Path::new("p.yaml"), "- name: a\n  name: b\n  type: run\n")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "p.yaml:2:3: key `name` appears twice in the same mapping"
        );
        let err =
            parse::<Vec<serde_json::Value>>(Path::new("n.yaml"), "- 1\n- .nan\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "n.yaml:2:3: non-finite float `.nan` is not allowed"
        );
    }

    #[test]
    fn a_breached_safety_limit_is_said_in_words() {
        let mut text = String::from("a: &a [1,1,1,1,1,1,1,1,1,1]\n");
        let mut previous = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h'] {
            let refs = vec![format!("*{previous}"); 10].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
            previous = name;
        }
        let err = parse::<serde_json::Value>(Path::new("b.yaml"), &text).unwrap_err();
        assert!(err.message.contains("too many values"), "{err}");
        assert!(
            !err.message.contains('{') && !err.message.contains("Nodes"),
            "{err}"
        );
    }

    #[test]
    fn a_tab_is_reported_where_it_is() {
        let err = parse::<serde_json::Value>(
            Path::new("m.yaml"),
            "workspace: x\n\tenvironments: [dev]\n",
        )
        .unwrap_err();
        assert!(err.message.contains("tab"), "{err}");
        assert_eq!((err.line, err.column), (Some(2), Some(1)), "{err}");
        assert_eq!(first_tab_from("a\tb\n\tc", 1, 3), Some((2, 1)));
        assert_eq!(first_tab_from("a\tb", 1, 1), Some((1, 2)));
        assert_eq!(first_tab_from("ab", 1, 1), None);
    }

    #[test]
    fn unknown_key_names_line_column_and_hint() {
        let err = parse::<Vec<Step>>(Path::new("p.yaml"), "- name: a\n  tpye: run\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(3)));
        assert!(
            err.message.contains("did you mean `type`?"),
            "{}",
            err.message
        );
        assert!(
            err.to_string()
                .starts_with("p.yaml:2:3: unknown field `tpye`"),
            "{err}"
        );
    }

    #[test]
    fn syntax_error_has_location() {
        let err = parse::<serde_json::Value>(Path::new("x.yaml"), "a: [1,\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
    }

    #[test]
    fn empty_file_is_an_error() {
        let err = parse::<serde_json::Value>(Path::new("x.yaml"), "  \n").unwrap_err();
        assert_eq!(err.to_string(), "x.yaml: the file is empty");
    }

    #[test]
    fn a_breached_limit_is_said_in_words() {
        let huge = format!("[{}]", vec!["0"; 250_001].join(","));
        let err = parse::<serde_json::Value>(Path::new("h.yaml"), &huge).unwrap_err();
        assert_eq!(
            err.to_string(),
            "h.yaml: refused to protect mockops: it expands to too many values (over 250000; \
             an alias like `*name` counts again each time it is used)"
        );
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let err = parse::<serde_json::Value>(Path::new("d.yaml"), &deep).unwrap_err();
        assert!(!err.message.contains('{'), "{err}");
    }

    #[test]
    fn nearest_ignores_far_words() {
        assert_eq!(nearest("notfy", ["notify", "run"]), Some("notify"));
        assert_eq!(nearest("zzzzzz", ["notify", "run"]), None);
    }
}
