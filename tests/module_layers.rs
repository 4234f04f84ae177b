//! Architecture Invariant check: no import cycles between the crate's modules. Every
//! `crate::a::b` and `super::x` path in a source file (outside comments and `#[cfg(test)]`
//! code) is an edge from that file's module to the deepest module the path names; a
//! module using its own parent is not an edge. The graph must have no cycle, so that each
//! module uses only what is below it (ARCHITECTURE.md).

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

fn module_of(rel: &str) -> Module {
    let mut parts: Module = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push(rel);
        }
    }
}

/// The module graph of `src/` (test files left out).
fn graph() -> BTreeMap<Module, BTreeSet<Module>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    let known: BTreeSet<Module> = files.iter().map(|f| module_of(f)).collect();
    let path_re = Regex::new(r"\b(crate|super)((?:::\w+)+)").unwrap();
    let mut edges = BTreeMap::new();
    for file in files.iter().filter(|f| !f.contains("tests")) {
        let me = module_of(file);
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let mut deps = BTreeSet::new();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for m in path_re.captures_iter(line) {
                let mut path: Module = if &m[1] == "crate" {
                    Vec::new()
                } else {
                    me[..me.len().saturating_sub(1)].to_vec()
                };
                path.extend(
                    m[2].split("::")
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                );
                let Some(target) = (1..=path.len())
                    .rev()
                    .map(|k| path[..k].to_vec())
                    .find(|p| known.contains(p))
                else {
                    continue;
                };
                if target != me && !me.starts_with(&target) {
                    deps.insert(target);
                }
            }
        }
        edges.insert(me, deps);
    }
    edges
}

/// A cycle through `start`, if any (depth-first).
fn cycle_from(
    node: &Module,
    edges: &BTreeMap<Module, BTreeSet<Module>>,
    trail: &mut Vec<Module>,
    done: &mut BTreeSet<Module>,
) -> Option<Vec<Module>> {
    if let Some(at) = trail.iter().position(|m| m == node) {
        let mut cycle = trail[at..].to_vec();
        cycle.push(node.clone());
        return Some(cycle);
    }
    if done.contains(node) {
        return None;
    }
    trail.push(node.clone());
    for next in edges.get(node).into_iter().flatten() {
        if let Some(cycle) = cycle_from(next, edges, trail, done) {
            return Some(cycle);
        }
    }
    trail.pop();
    done.insert(node.clone());
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let edges = graph();
    assert!(
        edges.len() > 50,
        "the graph is the crate's: {}",
        edges.len()
    );
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(cycle) = cycle_from(node, &edges, &mut Vec::new(), &mut done) {
            let names: Vec<String> = cycle.iter().map(|m| m.join("/")).collect();
            panic!(
                "import cycle: {} (move what both need into a module below them)",
                names.join(" → ")
            );
        }
    }
}

#[test]
fn the_check_finds_a_cycle() {
    let a: Module = vec!["a".into()];
    let b: Module = vec!["b".into()];
    let edges = BTreeMap::from([
        (a.clone(), BTreeSet::from([b.clone()])),
        (b.clone(), BTreeSet::from([a.clone()])),
    ]);
    let found = cycle_from(&a, &edges, &mut Vec::new(), &mut BTreeSet::new());
    assert_eq!(found, Some(vec![a.clone(), b, a]));
}
