//! Places many nodes at once: the file, line and column of values of a parsed document,
//! named by their address in the document's `serde_json` tree. Each file that holds a wanted
//! node is walked twice — its value tree (address → path) and its text as parser events
//! (path → position) — so placing every change of a diff costs one extra parse per file,
//! not one per change.

use super::{Node, OpenApiDoc};
use serde_json::Value;
use serde_saphyr::granit_parser::{Event, Parser, Span};
use std::collections::{HashMap, HashSet};

/// Where a node is: the file as the document names it, 1-based line and column (of the
/// node's key when it is a mapping value, so that `name:` is pointed at, not its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub file: String,
    pub line: u64,
    pub column: u64,
}

/// A node to place: its file index and the address of its value.
pub(crate) fn key_of(node: Node<'_>) -> (usize, usize) {
    (node.file, node.value as *const Value as usize)
}

/// The positions of `nodes` (file index, value address) in `doc`; a node whose path cannot
/// be followed in the text (a merge key, an alias) gets the position of its nearest
/// ancestor that can; a file whose text does not parse as events gets none.
pub(crate) fn place(
    doc: &OpenApiDoc,
    nodes: &HashSet<(usize, usize)>,
) -> HashMap<(usize, usize), Position> {
    let mut out = HashMap::new();
    for (index, file) in doc.files.iter().enumerate() {
        let wanted: HashSet<usize> = nodes
            .iter()
            .filter(|(f, _)| *f == index)
            .map(|(_, addr)| *addr)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let mut paths = HashMap::new();
        let mut pointer = String::new();
        collect_paths(&file.root, &wanted, &mut pointer, &mut paths);
        let mut prefixes: HashSet<String> = HashSet::new();
        for path in paths.values() {
            let mut p = path.as_str();
            loop {
                if !prefixes.insert(p.to_string()) {
                    break;
                }
                match p.rfind('/') {
                    Some(cut) => p = &p[..cut],
                    None => break,
                }
            }
        }
        let found = positions_of(&file.text, &prefixes);
        let name = file.path.display().to_string();
        for (addr, path) in paths {
            let mut p = path.as_str();
            let hit = loop {
                if let Some(&(line, column)) = found.get(p) {
                    break Some((line, column));
                }
                match p.rfind('/') {
                    Some(cut) => p = &p[..cut],
                    None => break None,
                }
            };
            if let Some((line, column)) = hit {
                out.insert(
                    (index, addr),
                    Position {
                        file: name.clone(),
                        line,
                        column,
                    },
                );
            }
        }
    }
    out
}

/// A JSON-pointer segment (`~` → `~0`, `/` → `~1`).
fn push_segment(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Address → JSON pointer of every wanted value under `value`.
fn collect_paths(
    value: &Value,
    wanted: &HashSet<usize>,
    pointer: &mut String,
    out: &mut HashMap<usize, String>,
) {
    let addr = value as *const Value as usize;
    if wanted.contains(&addr) {
        out.insert(addr, pointer.clone());
    }
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                push_segment(pointer, key);
                collect_paths(child, wanted, pointer, out);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                push_segment(pointer, &i.to_string());
                collect_paths(child, wanted, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn position(span: Span) -> (u64, u64) {
    (span.start.line() as u64, span.start.col() as u64 + 1)
}

/// The position of every node of `text` whose JSON pointer is in `wanted`, in one pass
/// over its parser events.
fn positions_of(text: &str, wanted: &HashSet<String>) -> HashMap<String, (u64, u64)> {
    /// An open collection: a mapping (expecting a key or a value) or a list (next index).
    enum Open {
        Map { key: Option<(String, Span)> },
        List { next: usize },
    }
    let mut out = HashMap::new();
    let mut events = Parser::new_from_str(text);
    let mut stack: Vec<(Open, usize)> = Vec::new();
    let mut pointer = String::new();
    let mut root_seen = false;
    while let Some(Ok((event, span))) = events.next() {
        let starts_node = matches!(
            event,
            Event::Scalar(..)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
                | Event::Alias(..)
        );
        if starts_node {
            // Is this node a key, or a value (of a mapping, a list, or the document)?
            let mut at = span;
            match stack.last_mut() {
                Some((Open::Map { key }, _)) if key.is_none() => {
                    let name = match &event {
                        Event::Scalar(value, ..) => value.to_string(),
                        _ => String::new(),
                    };
                    *key = Some((name, span));
                    if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
                        // A complex key: skip it whole.
                        skip_rest(&mut events);
                    }
                    continue;
                }
                Some((Open::Map { key }, _)) => {
                    let (name, key_span) = key.take().unwrap_or_default();
                    push_segment(&mut pointer, &name);
                    at = key_span;
                }
                Some((Open::List { next }, _)) => {
                    push_segment(&mut pointer, &next.to_string());
                    *next += 1;
                }
                None => {
                    if root_seen {
                        break; // a second document: only the first is the spec
                    }
                    root_seen = true;
                }
            }
            if wanted.contains(&pointer) {
                out.entry(pointer.clone()).or_insert_with(|| position(at));
            }
            match event {
                Event::MappingStart(..) => {
                    let len = pointer.len();
                    stack.push((Open::Map { key: None }, len));
                }
                Event::SequenceStart(..) => {
                    let len = pointer.len();
                    stack.push((Open::List { next: 0 }, len));
                }
                _ => pop_segment(&mut pointer, &stack),
            }
        } else if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            stack.pop();
            pop_segment(&mut pointer, &stack);
        }
    }
    out
}

/// After a node ends, the pointer goes back to its parent collection's.
fn pop_segment(pointer: &mut String, stack: &[(impl Sized, usize)]) {
    match stack.last() {
        Some((_, len)) => pointer.truncate(*len),
        None => pointer.clear(),
    }
}

/// Consumes events up to the end of the collection just started.
fn skip_rest<'i>(events: &mut Parser<'i, serde_saphyr::granit_parser::StrInput<'i>>) {
    let mut depth = 1usize;
    while depth > 0 {
        match events.next() {
            Some(Ok((Event::MappingStart(..) | Event::SequenceStart(..), _))) => depth += 1,
            Some(Ok((Event::MappingEnd | Event::SequenceEnd, _))) => depth -= 1,
            Some(Ok(_)) => {}
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(list: &[&str]) -> HashSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn places_keys_list_items_and_escaped_segments_in_yaml_and_json() {
        let yaml = "a:\n  b: [1, {c: x}]\n  'd/e': 2\nlist:\n  - one\n  - two: 3\n";
        let found = positions_of(
            yaml,
            &wanted(&["/a/b/1/c", "/a/d~1e", "/list/1", "/list/1/two", "", "/zz"]),
        );
        assert_eq!(found.get("/a/b/1/c"), Some(&(2, 11)));
        assert_eq!(found.get("/a/d~1e"), Some(&(3, 3)));
        assert_eq!(found.get("/list/1"), Some(&(6, 5)));
        assert_eq!(found.get("/list/1/two"), Some(&(6, 5)));
        assert_eq!(found.get(""), Some(&(1, 1)));
        assert_eq!(found.get("/zz"), None);
        let json = "{\"a\": {\"b\": [1,\n  {\"c\": \"x\"}]}}";
        let found = positions_of(json, &wanted(&["/a/b/1/c"]));
        assert_eq!(found.get("/a/b/1/c"), Some(&(2, 4)));
    }

    #[test]
    fn places_nodes_of_a_document_by_address_nearest_ancestor_for_merged_keys() {
        let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\nbase: &b\n  x: 1\npaths:\n  /a:\n    get:\n      <<: *b\n      responses: {}\n";
        let doc = super::super::parse("spec.yaml", text).expect("parses");
        let root = doc.root().value;
        let get = &root["paths"]["/a"]["get"];
        let merged = &get["x"];
        let nodes: HashSet<_> = [get, &get["responses"], merged]
            .into_iter()
            .map(|v| key_of(Node { file: 0, value: v }))
            .collect();
        let found = place(&doc, &nodes);
        let at = |v: &Value| found.get(&key_of(Node { file: 0, value: v })).cloned();
        assert_eq!(at(get).map(|p| (p.line, p.column)), Some((7, 5)));
        assert_eq!(
            at(&get["responses"]).map(|p| (p.line, p.column)),
            Some((9, 7))
        );
        // `x` came through the merge key: its parent's position.
        assert_eq!(at(merged).map(|p| (p.line, p.column)), Some((7, 5)));
        assert_eq!(at(get).map(|p| p.file), Some("spec.yaml".to_string()));
    }
}
