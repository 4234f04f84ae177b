//! Semantic checks of a loaded federation: names, base paths, dependencies, cycles and URLs.

use super::model::{Federation, Loc, Service, KNOWN_CONFIG_KEYS};
use crate::yamlfile;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding of [`validate`], with its place in the file when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub line: Option<u64>,
    pub column: Option<u64>,
    /// The service it is about, when it is about one.
    pub service: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {level}: {}", self.message)
    }
}

struct Findings<'a> {
    fed: &'a Federation,
    unusable: &'a Unusable,
    out: Vec<Diagnostic>,
}

impl Findings<'_> {
    fn push(&mut self, severity: Severity, loc: Loc, service: &Service, message: String) {
        let (line, column) = if loc.line == 0 {
            (None, None)
        } else {
            (Some(loc.line), Some(loc.column))
        };
        self.out.push(Diagnostic {
            severity,
            file: self.fed.file.clone(),
            line,
            column,
            service: Some(service.name.clone()),
            message,
        });
    }
}

/// Checks every rule of a federation file (docs/federation.md). Errors make a federation unusable; a level missing its URL is a
/// warning (an error when `strict`, which `serve` uses); unknown config keys are warnings.
pub fn validate(fed: &Federation, strict: bool) -> Vec<Diagnostic> {
    validate_except(fed, strict, &Unusable::default())
}

/// Services (by index) whose value could not be read: the file already reports it, so the
/// checks that would need it skip them instead of reporting it again in other words.
#[derive(Debug, Default)]
pub(crate) struct Unusable {
    pub workspace_ids: HashSet<usize>,
    pub base_paths: HashSet<usize>,
    pub levels: HashSet<usize>,
}

/// [`validate`] of a federation read in part.
pub(crate) fn validate_except(
    fed: &Federation,
    strict: bool,
    unusable: &Unusable,
) -> Vec<Diagnostic> {
    let mut f = Findings {
        fed,
        unusable,
        out: Vec::new(),
    };
    check_names(&mut f);
    check_base_paths(&mut f);
    check_dependencies(&mut f);
    check_cycles(&mut f);
    check_urls(&mut f, strict);
    check_config_keys(&mut f);
    f.out
}

fn check_names(f: &mut Findings) {
    let mut seen: HashMap<&str, &Service> = HashMap::new();
    for (index, s) in f.fed.services.iter().enumerate() {
        if s.name.trim().is_empty() {
            f.push(
                Severity::Error,
                s.name_loc,
                s,
                "a service name must not be empty".into(),
            );
        }
        if s.workspace_id.trim().is_empty() && !f.unusable.workspace_ids.contains(&index) {
            f.push(
                Severity::Error,
                s.loc,
                s,
                format!("service `{}` has an empty `workspace_id`", s.name),
            );
        }
        match seen.get(s.name.as_str()) {
            Some(first) => {
                let msg = format!(
                    "duplicate service name `{}` (first defined at line {})",
                    s.name, first.name_loc.line
                );
                f.push(Severity::Error, s.name_loc, s, msg);
            }
            None => {
                seen.insert(&s.name, s);
            }
        }
    }
}

/// The base path with parameter names erased (`/t/{a}` → `/t/{}`), or why it is malformed.
pub(crate) fn base_path_shape(base_path: &str) -> Result<String, String> {
    if !base_path.is_empty() && !base_path.starts_with('/') {
        return Err(format!("base path `{base_path}` must start with `/`"));
    }
    let mut shape = String::new();
    for segment in base_path.split('/').filter(|s| !s.is_empty()) {
        shape.push('/');
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!("base path `{base_path}`: parameter `{segment}` needs a name of letters, digits, `_` or `-`"));
            }
            shape.push_str("{}");
        } else if segment.contains(['{', '}', '?', '#']) {
            return Err(format!("base path `{base_path}`: `{segment}` must be a literal segment or a whole `{{param}}`"));
        } else {
            shape.push_str(segment);
        }
    }
    if shape.matches("{}").count() > super::router::MAX_PARAMS {
        return Err(format!(
            "base path `{base_path}` has more than {} parameters",
            super::router::MAX_PARAMS
        ));
    }
    Ok(if shape.is_empty() { "/".into() } else { shape })
}

fn check_base_paths(f: &mut Findings) {
    let mut seen: HashMap<String, &Service> = HashMap::new();
    for (index, s) in f.fed.services.iter().enumerate() {
        if f.unusable.base_paths.contains(&index) {
            continue;
        }
        match base_path_shape(&s.base_path) {
            Err(msg) => f.push(Severity::Error, s.base_path_loc, s, msg),
            Ok(shape) => match seen.get(&shape) {
                Some(first) => {
                    let msg = format!(
                        "base path `{}` of `{}` matches the same paths as `{}` of `{}` (line {})",
                        s.base_path, s.name, first.base_path, first.name, first.base_path_loc.line
                    );
                    f.push(Severity::Error, s.base_path_loc, s, msg);
                }
                None => {
                    seen.insert(shape, s);
                }
            },
        }
    }
}

fn check_dependencies(f: &mut Findings) {
    let names: Vec<&str> = f.fed.services.iter().map(|s| s.name.as_str()).collect();
    let known: HashSet<&str> = names.iter().copied().collect();
    for s in &f.fed.services {
        for dep in &s.dependencies {
            if dep.name == s.name {
                f.push(
                    Severity::Error,
                    dep.loc,
                    s,
                    format!("service `{}` depends on itself", s.name),
                );
            } else if !known.contains(dep.name.as_str()) {
                let hint = yamlfile::nearest(&dep.name, names.iter().copied())
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                let msg = format!(
                    "service `{}` depends on unknown service `{}`{hint}",
                    s.name, dep.name
                );
                f.push(Severity::Error, dep.loc, s, msg);
            }
        }
    }
}

/// Finds every elementary dependency cycle reachable by DFS and names each one in full.
fn check_cycles(f: &mut Findings) {
    let services = &f.fed.services;
    let index: HashMap<&str, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.dependencies
                .iter()
                .filter_map(|d| index.get(d.name.as_str()).copied())
                .filter(|&j| j != i)
                .collect()
        })
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; services.len()];
    let mut reported: BTreeSet<Vec<usize>> = BTreeSet::new();
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    for start in 0..services.len() {
        if state[start] != 0 {
            continue;
        }
        // Iterative DFS: (node, next edge to try).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        let cycle: Vec<usize> = stack[from..].iter().map(|&(n, _)| n).collect();
                        let mut key = cycle.clone();
                        key.sort_unstable();
                        if reported.insert(key) {
                            cycles.push(cycle);
                        }
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    for cycle in cycles {
        let first = &services[cycle[0]];
        let mut names: Vec<&str> = cycle.iter().map(|&i| services[i].name.as_str()).collect();
        names.push(&first.name);
        f.push(
            Severity::Error,
            first.loc,
            first,
            format!("dependency cycle: {}", names.join(" → ")),
        );
    }
}

/// Why `url` cannot be used as a mock or upstream URL.
pub(crate) fn url_problem(url: &str) -> Option<String> {
    let uri: hyper::Uri = match url.parse() {
        Ok(uri) => uri,
        Err(e) => return Some(format!("`{url}` is not a URL: {e}")),
    };
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => return Some(format!("`{url}` must start with http:// or https://")),
    }
    if uri.authority().is_none_or(|a| a.host().is_empty()) {
        return Some(format!("`{url}` has no host"));
    }
    if uri.query().is_some() || url.contains('#') {
        return Some(format!("`{url}` must not have a query or fragment"));
    }
    None
}

fn check_urls(f: &mut Findings, strict: bool) {
    for (index, s) in f.fed.services.iter().enumerate() {
        for (key, url, loc) in [
            ("mock_url", &s.mock_url, s.mock_url_loc),
            ("upstream_url", &s.upstream_url, s.upstream_url_loc),
        ] {
            if let Some(problem) = url.as_deref().and_then(url_problem) {
                f.push(
                    Severity::Error,
                    loc,
                    s,
                    format!("`{key}` of `{}`: {problem}", s.name),
                );
            }
        }
        let missing: Vec<&str> = s
            .reality_level
            .required_urls()
            .iter()
            .copied()
            .filter(|k| {
                if *k == "mock_url" {
                    s.mock_url.is_none()
                } else {
                    s.upstream_url.is_none()
                }
            })
            .collect();
        if !missing.is_empty() && !f.unusable.levels.contains(&index) {
            let severity = if strict {
                Severity::Error
            } else {
                Severity::Warning
            };
            let msg = format!(
                "service `{}` is `{}` but has no `{}`",
                s.name,
                s.reality_level,
                missing.join("` or `")
            );
            f.push(severity, s.loc, s, msg);
        }
    }
}

fn check_config_keys(f: &mut Findings) {
    for s in &f.fed.services {
        for unknown in &s.config.unknown_keys {
            let hint = yamlfile::nearest(&unknown.key, KNOWN_CONFIG_KEYS.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            let msg = format!(
                "config key `{}` of `{}` is not used by mockops (kept){hint}",
                unknown.key, s.name
            );
            f.push(Severity::Warning, unknown.loc, s, msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::federation::parse_str;
    use std::path::Path;

    fn service(name: &str, base: &str, deps: &[&str], extra: &str) -> String {
        format!(
            "  - name: {name}\n    workspace_id: {name}-ws\n    base_path: \"{base}\"\n    reality_level: mock_v3\n    \
             mock_url: http://127.0.0.1:4010\n    dependencies: [{}]\n{extra}",
            deps.join(", ")
        )
    }

    fn check(services: &[String], strict: bool) -> Vec<Diagnostic> {
        let text = format!("services:\n{}", services.concat());
        let fed = parse_str(Path::new("f.yaml"), &text).unwrap();
        validate(&fed, strict)
    }

    fn errors(d: &[Diagnostic]) -> Vec<String> {
        d.iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn valid_federation_has_no_findings() {
        let d = check(
            &[
                service("auth", "/auth", &[], ""),
                service("cart", "/t/{tenant}/cart", &["auth"], ""),
            ],
            true,
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn duplicate_names_are_located() {
        let e = errors(&check(
            &[
                service("auth", "/a", &[], ""),
                service("auth", "/b", &[], ""),
            ],
            false,
        ));
        assert_eq!(
            e,
            vec!["f.yaml:8:11: error: duplicate service name `auth` (first defined at line 2)"]
        );
    }

    #[test]
    fn base_paths_equal_up_to_param_names_clash() {
        let e = errors(&check(
            &[
                service("a", "/t/{a}", &[], ""),
                service("b", "/t/{b}/", &[], ""),
            ],
            false,
        ));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("f.yaml:10:16: error: base path `/t/{b}/` of `b` matches the same paths as `/t/{a}`"), "{e:?}");
        assert!(errors(&check(
            &[
                service("a", "/t/{a}", &[], ""),
                service("b", "/t/x", &[], "")
            ],
            false
        ))
        .is_empty());
    }

    #[test]
    fn malformed_base_paths_are_errors() {
        let many: String = (0..17).map(|i| format!("/{{p{i}}}")).collect();
        for base in ["auth", "/v{x}", "/{}", many.as_str()] {
            let e = errors(&check(&[service("a", base, &[], "")], false));
            assert_eq!(e.len(), 1, "{base}: {e:?}");
        }
    }

    #[test]
    fn unknown_and_self_dependencies_are_errors() {
        let e = errors(&check(
            &[
                service("auth", "/a", &["auth"], ""),
                service("cart", "/c", &["auht"], ""),
            ],
            false,
        ));
        assert!(e[0].contains("service `auth` depends on itself"), "{e:?}");
        assert!(
            e[1].contains("depends on unknown service `auht` (did you mean `auth`?)"),
            "{e:?}"
        );
        assert!(e[1].starts_with("f.yaml:13:20"), "{e:?}");
    }

    #[test]
    fn cycles_are_named_in_full_once() {
        let e = errors(&check(
            &[
                service("a", "/a", &["b"], ""),
                service("b", "/b", &["c"], ""),
                service("c", "/c", &["a"], ""),
                service("d", "/d", &["a"], ""),
            ],
            false,
        ));
        assert_eq!(
            e,
            vec!["f.yaml:2:5: error: dependency cycle: a → b → c → a"]
        );
    }

    #[test]
    fn bad_urls_are_errors() {
        for url in ["ftp://x", "not a url", "http://h:1/p?q=1", "/relative"] {
            let svc = format!(
                "  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: real\n    upstream_url: \"{url}\"\n"
            );
            let e = errors(&check(&[svc], false));
            assert_eq!(e.len(), 1, "{url}: {e:?}");
            assert!(
                e[0].starts_with("f.yaml:6:19: error: `upstream_url` of `a`"),
                "{e:?}"
            );
        }
    }

    #[test]
    fn missing_url_is_a_warning_and_an_error_when_strict() {
        let svc = "  - name: a\n    workspace_id: w\n    base_path: /a\n    reality_level: blended\n    mock_url: http://h\n";
        let lax = check(&[svc.to_string()], false);
        assert_eq!(lax.len(), 1);
        assert_eq!(lax[0].severity, Severity::Warning);
        assert_eq!(
            lax[0].to_string(),
            "f.yaml:2:5: warning: service `a` is `blended` but has no `upstream_url`"
        );
        assert_eq!(errors(&check(&[svc.to_string()], true)).len(), 1);
    }

    #[test]
    fn unknown_config_keys_are_warnings_with_hints() {
        let d = check(
            &[service(
                "a",
                "/a",
                &[],
                "    config: { seeed: 3, team: x }\n",
            )],
            true,
        );
        assert!(errors(&d).is_empty());
        let texts: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert!(
            texts.iter().any(|t| t
                .contains("`seeed` of `a` is not used by mockops (kept) (did you mean `seed`?)")),
            "{texts:?}"
        );
        assert!(texts.iter().any(|t| t.contains("`team`")), "{texts:?}");
    }
}
