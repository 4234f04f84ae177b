//! Matches a request (method + path) to an operation of the configured specs, and
//! decides which service an exchange was for.
//!
//! An exchange with a service is matched against that service's specs only; a service no
//! spec names has no coverage to give. Without a service, the federation routes its path
//! (then the service path is matched); with neither, every spec is tried and only a
//! unique match counts. The gateway's own answers are nobody's coverage.
//!
//! Each spec's path templates are compiled once into a segment trie: literal segments
//! are looked up in a hash map, template segments (`{petId}`, `{name}.json`) are tried
//! after the literals, so a request is matched in time proportional to its path length
//! (backtracking happens only where a literal and a template overlap). A path matches as
//! it is, or after removing the path of one of the spec's `servers` URLs (`/v1`).

use super::model::SpecOperations;
use std::collections::HashMap;

/// An operation: index of the spec and of the operation within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct OpRef {
    pub spec: usize,
    pub op: usize,
}

/// What an exchange is evidence of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Attribution {
    /// An operation of the service's spec.
    Operation(OpRef),
    /// No operation of the service's specs (or, without a service, of any spec) fits.
    Undeclared,
    /// Without a service or a federation, operations of several specs fit (their indices).
    Ambiguous(Vec<usize>),
    /// A service that no configured spec names.
    NoSpec,
    /// An answer the gateway made itself.
    Gateway,
}

/// Where an exchange belongs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Classification {
    /// The exchange's service, else the routed one, else the matched spec's.
    pub service: Option<String>,
    pub attribution: Attribution,
}

impl Classification {
    /// The operation it covers, if any.
    pub fn op(&self) -> Option<OpRef> {
        match self.attribution {
            Attribution::Operation(op) => Some(op),
            _ => None,
        }
    }
}

/// Routes a gateway-less path through the federation: `(service, service path)`.
pub type Resolver<'r> = &'r dyn Fn(&str) -> Option<(String, String)>;

/// All operations of all specs, compiled.
pub(crate) struct Matcher {
    specs: Vec<SpecTrie>,
    by_service: HashMap<String, Vec<usize>>,
}

struct SpecTrie {
    service: Option<String>,
    base_paths: Vec<Vec<String>>,
    root: Node,
}

#[derive(Default)]
struct Node {
    literals: HashMap<String, Node>,
    templates: Vec<(SegmentTemplate, Node)>,
    /// Method (upper case) → operation index.
    methods: HashMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum SegmentTemplate {
    /// `{id}`: any non-empty segment.
    Whole,
    /// `v{version}.json`: a segment with this prefix and suffix around a non-empty middle.
    Affix { prefix: String, suffix: String },
}

impl SegmentTemplate {
    fn parse(segment: &str) -> Option<SegmentTemplate> {
        let open = segment.find('{')?;
        let close = segment.rfind('}')?;
        if close < open {
            return None;
        }
        if open == 0 && close == segment.len() - 1 {
            return Some(SegmentTemplate::Whole);
        }
        Some(SegmentTemplate::Affix {
            prefix: segment[..open].to_string(),
            suffix: segment[close + 1..].to_string(),
        })
    }

    fn matches(&self, segment: &str) -> bool {
        match self {
            SegmentTemplate::Whole => !segment.is_empty(),
            SegmentTemplate::Affix { prefix, suffix } => {
                segment.len() > prefix.len() + suffix.len()
                    && segment.starts_with(prefix.as_str())
                    && segment.ends_with(suffix.as_str())
            }
        }
    }
}

/// Path segments without the empty ones of leading and trailing slashes.
fn segments(path: &str) -> Vec<&str> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    }
}

impl Node {
    fn insert(&mut self, template: &[&str], method: &str, op: usize) {
        let Some((first, rest)) = template.split_first() else {
            self.methods
                .entry(method.to_ascii_uppercase())
                .or_insert(op);
            return;
        };
        let child = match SegmentTemplate::parse(first) {
            None => self.literals.entry((*first).to_string()).or_default(),
            Some(pattern) => match self.templates.iter().position(|(p, _)| *p == pattern) {
                Some(at) => &mut self.templates[at].1,
                None => {
                    self.templates.push((pattern, Node::default()));
                    let last = self.templates.len() - 1;
                    &mut self.templates[last].1
                }
            },
        };
        child.insert(rest, method, op);
    }

    fn find(&self, path: &[&str], method: &str) -> Option<usize> {
        let Some((first, rest)) = path.split_first() else {
            return self.methods.get(method).copied();
        };
        if let Some(found) = self
            .literals
            .get(*first)
            .and_then(|child| child.find(rest, method))
        {
            return Some(found);
        }
        self.templates
            .iter()
            .filter(|(pattern, _)| pattern.matches(first))
            .find_map(|(_, child)| child.find(rest, method))
    }
}

impl SpecTrie {
    fn new(spec: &SpecOperations) -> SpecTrie {
        let mut root = Node::default();
        for (index, op) in spec.operations.iter().enumerate() {
            root.insert(&segments(&op.path), &op.method, index);
        }
        let mut base_paths: Vec<Vec<String>> = spec
            .server_base_paths
            .iter()
            .map(|base| {
                segments(base)
                    .into_iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|base| !base.is_empty())
            .collect();
        base_paths.sort();
        base_paths.dedup();
        SpecTrie {
            service: spec.service.clone(),
            base_paths,
            root,
        }
    }

    fn find(&self, method: &str, path: &[&str]) -> Option<usize> {
        if let Some(found) = self.root.find(path, method) {
            return Some(found);
        }
        self.base_paths.iter().find_map(|base| {
            let starts = path.len() >= base.len() && path.iter().zip(base).all(|(p, b)| p == b);
            let rest = path.get(base.len()..).filter(|_| starts)?;
            self.root.find(rest, method)
        })
    }
}

impl Matcher {
    pub fn new(specs: &[SpecOperations]) -> Matcher {
        let mut by_service: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, spec) in specs.iter().enumerate() {
            if let Some(service) = &spec.service {
                by_service.entry(service.clone()).or_default().push(index);
            }
        }
        Matcher {
            specs: specs.iter().map(SpecTrie::new).collect(),
            by_service,
        }
    }

    /// The operation of the first spec (in configuration order) that the request fits.
    fn find_in(&self, candidates: &[usize], method: &str, path: &[&str]) -> Option<OpRef> {
        candidates.iter().find_map(|&spec| {
            let trie = self.specs.get(spec)?;
            trie.find(method, path).map(|op| OpRef { spec, op })
        })
    }

    /// Decides what an exchange counts for: by its service, else through the resolver
    /// (the federation), else against every spec, where only a unique match counts.
    pub fn classify(
        &self,
        service: Option<&str>,
        method: &str,
        path: &str,
        answered_by_gateway: bool,
        resolver: Option<Resolver<'_>>,
    ) -> Classification {
        if answered_by_gateway {
            return Classification {
                service: service.map(str::to_string),
                attribution: Attribution::Gateway,
            };
        }
        let method = method.to_ascii_uppercase();
        let (service, service_path) = match (service, resolver) {
            (Some(service), _) => (service.to_string(), path.to_string()),
            (None, Some(resolve)) => match resolve(path) {
                Some(routed) => routed,
                None => {
                    return Classification {
                        service: None,
                        attribution: Attribution::Undeclared,
                    }
                }
            },
            (None, None) => return self.unique_match(&method, &segments(path)),
        };
        let attribution = match self.by_service.get(&service) {
            None => Attribution::NoSpec,
            Some(specs) => match self.find_in(specs, &method, &segments(&service_path)) {
                Some(op) => Attribution::Operation(op),
                None => Attribution::Undeclared,
            },
        };
        Classification {
            service: Some(service),
            attribution,
        }
    }

    /// Every spec is tried; the exchange counts only when exactly one has an operation.
    fn unique_match(&self, method: &str, path: &[&str]) -> Classification {
        let mut found = self
            .specs
            .iter()
            .enumerate()
            .filter_map(|(spec, trie)| trie.find(method, path).map(|op| OpRef { spec, op }));
        let Some(first) = found.next() else {
            return Classification {
                service: None,
                attribution: Attribution::Undeclared,
            };
        };
        let others: Vec<usize> = found.map(|op| op.spec).collect();
        if others.is_empty() {
            return Classification {
                service: self.specs.get(first.spec).and_then(|t| t.service.clone()),
                attribution: Attribution::Operation(first),
            };
        }
        Classification {
            service: None,
            attribution: Attribution::Ambiguous(
                std::iter::once(first.spec).chain(others).collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::model::OperationSpec;

    fn op(method: &str, path: &str) -> OperationSpec {
        OperationSpec {
            method: method.into(),
            path: path.into(),
            operation_id: None,
            responses: vec![],
        }
    }

    fn spec(service: Option<&str>, bases: &[&str], ops: Vec<OperationSpec>) -> SpecOperations {
        SpecOperations {
            service: service.map(str::to_string),
            spec_path: "spec.yaml".into(),
            server_base_paths: bases.iter().map(|b| b.to_string()).collect(),
            operations: ops,
        }
    }

    #[test]
    fn literals_win_over_templates_and_backtrack() {
        let m = Matcher::new(&[spec(
            None,
            &[],
            vec![
                op("GET", "/pets/{petId}"),
                op("GET", "/pets/mine"),
                op("DELETE", "/pets/mine/{x}"),
                op("GET", "/pets/{petId}/photos"),
                op("GET", "/files/{name}.json"),
                op("GET", "/"),
            ],
        )]);
        let found = |method, path| {
            m.classify(None, method, path, false, None)
                .op()
                .map(|o| o.op)
        };
        assert_eq!(found("GET", "/pets/mine"), Some(1));
        assert_eq!(found("GET", "/pets/42"), Some(0));
        assert_eq!(found("get", "/pets/42/"), Some(0));
        assert_eq!(
            found("GET", "/pets/mine/photos"),
            Some(3),
            "backtracks from the literal"
        );
        assert_eq!(found("DELETE", "/pets/mine/1"), Some(2));
        assert_eq!(found("GET", "/files/a.json"), Some(4));
        assert_eq!(found("GET", "/files/.json"), None);
        assert_eq!(found("GET", "/"), Some(5));
        assert_eq!(found("POST", "/pets/42"), None);
        assert_eq!(found("GET", "/pets"), None);
    }

    #[test]
    fn server_base_path_is_removed() {
        let m = Matcher::new(&[spec(
            Some("pets"),
            &["/v1/", "/api/v2"],
            vec![op("GET", "/pets/{id}")],
        )]);
        for path in ["/pets/1", "/v1/pets/1", "/api/v2/pets/1"] {
            let c = m.classify(None, "GET", path, false, None);
            assert_eq!(c.op(), Some(OpRef { spec: 0, op: 0 }), "{path}");
            assert_eq!(c.service.as_deref(), Some("pets"));
        }
        assert_eq!(
            m.classify(None, "GET", "/v3/pets/1", false, None).op(),
            None
        );
        assert_eq!(
            m.classify(None, "GET", "/v1x/pets/1", false, None).op(),
            None
        );
    }

    #[test]
    fn service_then_resolver_then_a_unique_match() {
        let m = Matcher::new(&[
            spec(Some("a"), &[], vec![op("GET", "/x")]),
            spec(Some("b"), &[], vec![op("GET", "/x"), op("GET", "/only-b")]),
        ]);
        let classify = |service, path, resolver| m.classify(service, "GET", path, false, resolver);
        assert_eq!(
            classify(Some("b"), "/x", None).op(),
            Some(OpRef { spec: 1, op: 0 })
        );
        let c = classify(Some("a"), "/only-b", None);
        assert_eq!(
            (c.service.as_deref(), c.attribution),
            (Some("a"), Attribution::Undeclared),
            "tied to a's spec"
        );
        // A service no spec names is no other service's coverage.
        let c = classify(Some("zzz"), "/x", None);
        assert_eq!(
            (c.service.as_deref(), c.attribution),
            (Some("zzz"), Attribution::NoSpec)
        );
        let resolver = |path: &str| {
            path.strip_prefix("/gw/")
                .and_then(|rest| rest.split_once('/'))
                .map(|(service, rest)| (service.to_string(), format!("/{rest}")))
        };
        assert_eq!(
            classify(None, "/gw/b/only-b", Some(&resolver)),
            Classification {
                service: Some("b".into()),
                attribution: Attribution::Operation(OpRef { spec: 1, op: 1 })
            }
        );
        assert_eq!(
            classify(None, "/gw/c/x", Some(&resolver)).attribution,
            Attribution::NoSpec,
            "routed to a service without a spec"
        );
        assert_eq!(
            classify(None, "/only-b", Some(&resolver)),
            Classification {
                service: None,
                attribution: Attribution::Undeclared
            },
            "a federation without a route: not tried against every spec"
        );
        // Neither a service nor a federation: only a unique match counts.
        assert_eq!(
            classify(None, "/only-b", None),
            Classification {
                service: Some("b".into()),
                attribution: Attribution::Operation(OpRef { spec: 1, op: 1 })
            }
        );
        assert_eq!(
            classify(None, "/x", None).attribution,
            Attribution::Ambiguous(vec![0, 1])
        );
        assert_eq!(
            classify(None, "/y", None).attribution,
            Attribution::Undeclared
        );
    }

    #[test]
    fn the_gateways_own_answers_are_nobodys_coverage() {
        let m = Matcher::new(&[spec(Some("a"), &[], vec![op("GET", "/x")])]);
        for service in [Some("a"), None] {
            let c = m.classify(service, "GET", "/x", true, None);
            assert_eq!(c.attribution, Attribution::Gateway);
            assert_eq!(c.service.as_deref(), service);
            assert_eq!(c.op(), None);
        }
    }
}
