//! `federation graph`: services as nodes, edges from a service to what it depends on.

use super::model::Federation;
use std::fmt::Write;

/// A Mermaid flowchart (`graph LR`). Node ids are `s0`, `s1`, … so any name is safe.
pub fn graph_mermaid(fed: &Federation) -> String {
    let mut out = String::from("graph LR\n");
    for (i, s) in fed.services.iter().enumerate() {
        let label = format!("{}<br/>{}", s.name, s.reality_level).replace('"', "#quot;");
        let _ = writeln!(out, "  s{i}[\"{label}\"]");
    }
    for (i, s) in fed.services.iter().enumerate() {
        for dep in &s.dependencies {
            if let Some(j) = fed.services.iter().position(|t| t.name == dep.name) {
                let _ = writeln!(out, "  s{i} --> s{j}");
            }
        }
    }
    out
}

fn dot_quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A Graphviz digraph.
pub fn graph_dot(fed: &Federation) -> String {
    let mut out = format!(
        "digraph {} {{\n  rankdir=LR;\n  node [shape=box];\n",
        dot_quote(&fed.name)
    );
    for s in &fed.services {
        let label = format!(
            "{}\\n{}",
            s.name.replace('\\', "\\\\").replace('"', "\\\""),
            s.reality_level
        );
        let _ = writeln!(out, "  {} [label=\"{label}\"];", dot_quote(&s.name));
    }
    for s in &fed.services {
        for dep in &s.dependencies {
            if fed.service(&dep.name).is_some() {
                let _ = writeln!(out, "  {} -> {};", dot_quote(&s.name), dot_quote(&dep.name));
            }
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::federation::parse_str;
    use std::path::Path;

    fn fed() -> Federation {
        parse_str(
            Path::new("checkout.yaml"),
            "services:\n  - {name: auth, workspace_id: a, base_path: /auth, reality_level: mock_v3}\n  \
             - {name: cart, workspace_id: c, base_path: /cart, reality_level: blended, dependencies: [auth]}\n  \
             - {name: \"pay\\\"x\", workspace_id: p, base_path: /pay, reality_level: real, dependencies: [auth, cart]}\n",
        )
        .unwrap()
    }

    #[test]
    fn mermaid_edges_point_to_dependencies() {
        assert_eq!(
            graph_mermaid(&fed()),
            "graph LR\n  s0[\"auth<br/>mock_v3\"]\n  s1[\"cart<br/>blended\"]\n  s2[\"pay#quot;x<br/>real\"]\n  \
             s1 --> s0\n  s2 --> s0\n  s2 --> s1\n"
        );
    }

    #[test]
    fn dot_edges_point_to_dependencies_and_quote_names() {
        let dot = graph_dot(&fed());
        assert!(dot.starts_with("digraph \"checkout\" {\n"), "{dot}");
        assert!(dot.contains("  \"cart\" -> \"auth\";\n"), "{dot}");
        assert!(dot.contains("  \"pay\\\"x\" -> \"cart\";\n"), "{dot}");
        assert!(!dot.contains("\"auth\" ->"), "{dot}");
        assert!(dot.ends_with("}\n"));
    }
}
