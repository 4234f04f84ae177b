//! Resolving a request path to its service: a segment tree built once, looked up in
//! O(path length) whatever the number of services.
//!
//! Rules (docs/federation.md): only segment-boundary prefixes match; the longest match in segments wins;
//! between equally long matches, at the first segment where they differ a static segment
//! beats a `{param}`; `strip_prefix: false` forwards the whole path, else the base path is
//! stripped (`""` → `/`).

use super::model::{Federation, RealityLevel};
use serde_json::{json, Value};
use std::collections::HashMap;

/// No node / no service.
const NONE: u32 = u32::MAX;

/// Segments up to this many bytes are stored inside their edge.
const INLINE: usize = 32;

/// What a lookup needs to know of a node.
#[derive(Clone, Copy, Debug)]
struct Node {
    /// The `{param}` child, or [`NONE`].
    param: u32,
    /// The service whose base path ends here, or [`NONE`].
    service: u32,
    /// How many static children this node has (0: skip the table probe).
    statics: u32,
    /// That service's `strip_prefix` (kept here so a lookup needs no other line).
    strip_prefix: bool,
}

const EMPTY_NODE: Node = Node {
    param: NONE,
    service: NONE,
    statics: 0,
    strip_prefix: true,
};

/// One static edge `parent --segment--> child`, with a copy of the child's [`Node`], in
/// one cache line. All edges of all nodes live in one open-addressing table, so a step down
/// the tree costs one probe of one line (plus the key arena for a segment longer than
/// [`INLINE`] bytes) instead of a per-node map, a boxed key and a node.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Edge {
    /// Hash of (parent, segment); 0 marks an empty slot.
    tag: u32,
    parent: u32,
    len: u32,
    child_id: u32,
    child: Node,
    /// The segment itself, or for a long one its offset in `Router::long_keys` (first 4 bytes).
    inline: [u8; INLINE],
}

const EMPTY_EDGE: Edge = Edge {
    tag: 0,
    parent: NONE,
    len: 0,
    child_id: NONE,
    child: EMPTY_NODE,
    inline: [0; INLINE],
};

/// FxHash-style hash of (parent node, segment), fed one byte at a time so that a lookup
/// hashes a segment in the same pass that finds its end.
#[derive(Clone, Copy)]
struct SegmentHash(u64);

impl SegmentHash {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    #[inline]
    fn new(parent: u32) -> SegmentHash {
        SegmentHash((u64::from(parent) ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(Self::K))
    }

    #[inline]
    fn push(&mut self, byte: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(Self::K);
    }

    /// The tag: never 0 (an empty slot); slots index by `tag >> 1`.
    #[inline]
    fn finish(self, len: usize) -> u32 {
        let h = (self.0.rotate_left(5) ^ len as u64).wrapping_mul(Self::K);
        ((h >> 32) as u32) | 1
    }
}

fn edge_hash(parent: u32, segment: &[u8]) -> u32 {
    let mut hash = SegmentHash::new(parent);
    segment.iter().for_each(|&b| hash.push(b));
    hash.finish(segment.len())
}

#[derive(Debug, PartialEq, Eq)]
struct RouteEntry {
    param_names: Vec<Box<str>>,
    /// Which segments of the base path (0-based) are parameters.
    param_segments: Vec<u32>,
}

/// The routing table of one federation.
pub struct Router {
    /// Indexed by node id; the root is 0. A lookup reads it only for the root and for
    /// `{param}` children (static children come with their edge).
    nodes: Vec<Node>,
    /// Open-addressing table of static edges; its length is a power of two.
    edges: Vec<Edge>,
    /// Segments longer than [`INLINE`] bytes, back to back.
    long_keys: Vec<u8>,
    entries: Vec<RouteEntry>,
}

/// The result of [`Router::route`]: borrowed from the router and the path (no allocation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch<'a> {
    /// Index of the service in `Federation::services`.
    pub service: usize,
    /// The path forwarded to the service (without the query).
    pub service_path: &'a str,
    /// The request path up to the end of the base path.
    pub matched_prefix: &'a str,
    entry: &'a RouteEntry,
}

impl<'a> RouteMatch<'a> {
    /// `{param}` values in base-path order: (name, value).
    pub fn params(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        let mut names = self.entry.param_names.iter();
        let mut wanted = self.entry.param_segments.iter().peekable();
        self.matched_prefix
            .split('/')
            .skip(1)
            .enumerate()
            .filter_map(move |(index, value)| {
                if wanted.peek().is_some_and(|&&w| w as usize == index) {
                    wanted.next();
                    names.next().map(|name| (&**name, value))
                } else {
                    None
                }
            })
    }
}

/// Most `{param}` segments one base path may have (validation refuses more).
pub const MAX_PARAMS: usize = 16;

#[derive(Clone, Copy)]
struct Best {
    service: u32,
    strip_prefix: bool,
    depth: u32,
    end: usize,
}

impl Router {
    /// Builds the tree, then freezes its static edges into the flat table. When two
    /// services have the same base-path shape (a validation error), the first one keeps it.
    pub fn build(fed: &Federation) -> Router {
        let mut nodes = vec![EMPTY_NODE];
        let mut statics: HashMap<(u32, &str), u32> = HashMap::new();
        let mut entries = Vec::with_capacity(fed.services.len());
        for (index, service) in fed.services.iter().enumerate() {
            let mut node = 0u32;
            let mut param_names = Vec::new();
            let mut param_segments = Vec::new();
            for (position, segment) in service
                .base_path
                .split('/')
                .filter(|s| !s.is_empty())
                .enumerate()
            {
                let next_free = nodes.len() as u32;
                let param = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
                node = match param {
                    Some(name) => {
                        param_names.push(Box::from(name));
                        param_segments.push(position as u32);
                        match nodes[node as usize].param {
                            NONE => {
                                nodes[node as usize].param = next_free;
                                nodes.push(EMPTY_NODE);
                                next_free
                            }
                            child => child,
                        }
                    }
                    None => *statics.entry((node, segment)).or_insert_with(|| {
                        nodes[node as usize].statics += 1;
                        nodes.push(EMPTY_NODE);
                        next_free
                    }),
                };
            }
            if nodes[node as usize].service == NONE {
                nodes[node as usize].service = index as u32;
                nodes[node as usize].strip_prefix = service.config.strip_prefix;
            }
            entries.push(RouteEntry {
                param_names,
                param_segments,
            });
        }
        let mut router = Router {
            edges: vec![EMPTY_EDGE; (statics.len() * 2).max(8).next_power_of_two()],
            nodes,
            long_keys: Vec::new(),
            entries,
        };
        for ((parent, segment), child) in statics {
            router.insert_edge(parent, segment, child);
        }
        router
    }

    /// Adds `parent --segment--> child`; the table was sized for every edge.
    fn insert_edge(&mut self, parent: u32, segment: &str, child: u32) {
        let tag = edge_hash(parent, segment.as_bytes());
        let mut edge = Edge {
            tag,
            parent,
            len: segment.len() as u32,
            child_id: child,
            child: self.nodes[child as usize],
            inline: [0; INLINE],
        };
        if segment.len() <= INLINE {
            edge.inline[..segment.len()].copy_from_slice(segment.as_bytes());
        } else {
            let offset = self.long_keys.len() as u32;
            edge.inline[..4].copy_from_slice(&offset.to_le_bytes());
            self.long_keys.extend_from_slice(segment.as_bytes());
        }
        let mask = self.edges.len() - 1;
        let mut slot = (tag >> 1) as usize & mask;
        while self.edges[slot].tag != 0 {
            slot = (slot + 1) & mask;
        }
        self.edges[slot] = edge;
    }

    /// The static child of `parent` named `segment`: its id and its node.
    #[inline]
    fn static_child(&self, parent: u32, bytes: &[u8], tag: u32) -> Option<(u32, Node)> {
        let mask = self.edges.len() - 1;
        let mut slot = (tag >> 1) as usize & mask;
        loop {
            let edge = self.edges.get(slot)?;
            if edge.tag == 0 {
                return None;
            }
            if edge.tag == tag
                && edge.parent == parent
                && edge.len as usize == bytes.len()
                && self.key(edge).iter().zip(bytes).all(|(a, b)| a == b)
            {
                return Some((edge.child_id, edge.child));
            }
            slot = (slot + 1) & mask;
        }
    }

    fn key<'e>(&'e self, edge: &'e Edge) -> &'e [u8] {
        let len = edge.len as usize;
        if len <= INLINE {
            &edge.inline[..len]
        } else {
            let mut offset = [0u8; 4];
            offset.copy_from_slice(&edge.inline[..4]);
            let start = u32::from_le_bytes(offset) as usize;
            self.long_keys.get(start..start + len).unwrap_or(&[])
        }
    }

    /// Resolves `path` (a query after `?` is ignored). `None`: no service matches, or the
    /// path does not start with `/`.
    pub fn route<'a>(&'a self, path: &'a str) -> Option<RouteMatch<'a>> {
        if !path.starts_with('/') {
            return None;
        }
        let mut best: Option<Best> = None;
        let root = *self.nodes.first()?;
        self.search(0, root, path.as_bytes(), 0, 0, &mut best);
        let best = best?;
        let entry = self.entries.get(best.service as usize)?;
        // The base path never holds a `?`: the query starts after it, if anywhere.
        let query = path.as_bytes()[best.end..]
            .iter()
            .position(|&b| b == b'?')
            .map_or(path.len(), |i| best.end + i);
        let path = &path[..query];
        let rest = path.get(best.end..).unwrap_or("");
        let service_path = if !best.strip_prefix {
            path
        } else if rest.is_empty() {
            "/"
        } else {
            rest
        };
        Some(RouteMatch {
            service: best.service as usize,
            service_path,
            matched_prefix: path.get(..best.end).unwrap_or(""),
            entry,
        })
    }

    /// Depth-first, static child before param child; a deeper match replaces the best,
    /// an equally deep one found later does not (so static beats param).
    fn search(
        &self,
        id: u32,
        node: Node,
        path: &[u8],
        pos: usize,
        depth: u32,
        best: &mut Option<Best>,
    ) {
        if node.service != NONE && best.as_ref().is_none_or(|b| depth > b.depth) {
            *best = Some(Best {
                service: node.service,
                strip_prefix: node.strip_prefix,
                depth,
                end: pos,
            });
        }
        if (node.statics == 0 && node.param == NONE) || path.get(pos) != Some(&b'/') {
            return;
        }
        // The next segment ends at `/`, at the query's `?` or at the end; hash it meanwhile.
        let start = pos + 1;
        let mut end = start;
        let mut hash = SegmentHash::new(id);
        while let Some(&byte) = path.get(end) {
            if byte == b'/' || byte == b'?' {
                break;
            }
            hash.push(byte);
            end += 1;
        }
        let segment = &path[start..end];
        if node.statics != 0 {
            let tag = hash.finish(segment.len());
            if let Some((child_id, child)) = self.static_child(id, segment, tag) {
                self.search(child_id, child, path, end, depth + 1, best);
            }
        }
        if node.param != NONE && !segment.is_empty() {
            if let Some(&child) = self.nodes.get(node.param as usize) {
                self.search(node.param, child, path, end, depth + 1, best);
            }
        }
    }
}

/// `target_url` (docs/federation.md): the level's base URL + `service_path`, or `None` without that URL.
pub fn target_url(fed: &Federation, m: &RouteMatch, level: RealityLevel) -> Option<String> {
    let service = fed.services.get(m.service)?;
    let base = service.target_base(level)?;
    Some(format!("{}{}", base.trim_end_matches('/'), m.service_path))
}

/// The `route --format json` object (docs/federation.md), at the service's own reality level.
pub fn route_json(fed: &Federation, m: &RouteMatch) -> Value {
    let level = fed
        .services
        .get(m.service)
        .map(|s| s.reality_level)
        .unwrap_or(RealityLevel::MockV3);
    route_json_at(fed, m, level)
}

/// The `route` object at a given (e.g. scenario-overridden) reality level.
pub fn route_json_at(fed: &Federation, m: &RouteMatch, level: RealityLevel) -> Value {
    let service = fed.services.get(m.service);
    let params: serde_json::Map<String, Value> =
        m.params().map(|(k, v)| (k.to_string(), json!(v))).collect();
    json!({
        "federation": fed.name,
        "service": service.map(|s| s.name.as_str()),
        "workspace_id": service.map(|s| s.workspace_id.as_str()),
        "reality_level": level.as_str(),
        "base_path": service.map(|s| s.base_path.as_str()),
        "params": params,
        "service_path": m.service_path,
        "target_url": target_url(fed, m, level),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::federation::parse_str;
    use std::path::Path;

    fn fed(services: &[(&str, &str, &str)]) -> Federation {
        let mut text = String::from("name: shop\nservices:\n");
        for (name, base, extra) in services {
            text.push_str(&format!(
                "  - name: {name}\n    workspace_id: {name}-ws\n    base_path: \"{base}\"\n    reality_level: mock_v3\n    \
                 mock_url: http://127.0.0.1:4010/\n{extra}"
            ));
        }
        parse_str(Path::new("shop.yaml"), &text).unwrap()
    }

    fn name<'f>(fed: &'f Federation, router: &Router, path: &str) -> Option<&'f str> {
        router
            .route(path)
            .map(|m| fed.services[m.service].name.as_str())
    }

    #[test]
    fn only_segment_boundaries_match() {
        let f = fed(&[("auth", "/auth", "")]);
        let r = Router::build(&f);
        assert_eq!(name(&f, &r, "/auth"), Some("auth"));
        assert_eq!(name(&f, &r, "/auth/login"), Some("auth"));
        assert_eq!(name(&f, &r, "/auth/"), Some("auth"));
        assert_eq!(name(&f, &r, "/authx"), None);
        assert_eq!(name(&f, &r, "/authx/login"), None);
        assert_eq!(name(&f, &r, "/"), None);
        assert_eq!(name(&f, &r, "auth"), None);
    }

    #[test]
    fn params_are_captured() {
        let f = fed(&[("cart", "/tenants/{tenant}/cart", "")]);
        let r = Router::build(&f);
        let m = r.route("/tenants/acme/cart/items/3?x=1").unwrap();
        assert_eq!(m.params().collect::<Vec<_>>(), vec![("tenant", "acme")]);
        assert_eq!(m.service_path, "/items/3");
        assert_eq!(m.matched_prefix, "/tenants/acme/cart");
        assert!(r.route("/tenants//cart").is_none());
        assert!(r.route("/tenants/acme/carts").is_none());
    }

    #[test]
    fn static_beats_param_and_longest_wins() {
        let f = fed(&[
            ("any", "/t/{id}/x", ""),
            ("me", "/t/me", ""),
            ("deep", "/t/me/x/y", ""),
            ("root", "/", ""),
            ("t", "/t", ""),
        ]);
        let r = Router::build(&f);
        assert_eq!(
            name(&f, &r, "/t/me/x"),
            Some("any"),
            "longer match (3 segments) beats /t/me"
        );
        assert_eq!(name(&f, &r, "/t/me/x/y/z"), Some("deep"));
        assert_eq!(name(&f, &r, "/t/me"), Some("me"));
        assert_eq!(name(&f, &r, "/t/other"), Some("t"));
        assert_eq!(name(&f, &r, "/elsewhere"), Some("root"));
        let g = fed(&[("p", "/a/{x}/c", ""), ("s", "/a/b/{y}", "")]);
        let r = Router::build(&g);
        assert_eq!(
            name(&g, &r, "/a/b/c"),
            Some("s"),
            "static at the first differing segment wins"
        );
    }

    #[test]
    fn strip_prefix_and_empty_rest() {
        let f = fed(&[
            ("auth", "/auth", ""),
            ("keep", "/keep", "    config: { strip_prefix: false }\n"),
        ]);
        let r = Router::build(&f);
        assert_eq!(r.route("/auth").unwrap().service_path, "/");
        assert_eq!(r.route("/auth/login?a=b").unwrap().service_path, "/login");
        assert_eq!(r.route("/auth?next=/a/b").unwrap().service_path, "/");
        assert_eq!(r.route("/keep?x=/y").unwrap().service_path, "/keep");
        assert!(r.route("/authx?a=/auth").is_none());
        assert_eq!(r.route("/keep/x").unwrap().service_path, "/keep/x");
    }

    #[test]
    fn route_json_has_the_spec_shape() {
        let f = fed(&[("cart", "/tenants/{tenant}/cart", "")]);
        let r = Router::build(&f);
        let m = r.route("/tenants/acme/cart/items").unwrap();
        assert_eq!(
            route_json(&f, &m),
            json!({"federation": "shop", "service": "cart", "workspace_id": "cart-ws", "reality_level": "mock_v3",
                   "base_path": "/tenants/{tenant}/cart", "params": {"tenant": "acme"}, "service_path": "/items",
                   "target_url": "http://127.0.0.1:4010/items"})
        );
        assert_eq!(
            route_json_at(&f, &m, RealityLevel::Real)["target_url"],
            Value::Null
        );
    }

    #[test]
    fn mockforge_file_routes() {
        let text = "federation:\n  name: ecom\n  services:\n    - name: auth\n      workspace_id: 550e8400-e29b-41d4-a716-446655440000\n      \
                    base_path: /auth\n      reality_level: real\n";
        let f = parse_str(Path::new("m.yaml"), text).unwrap();
        let r = Router::build(&f);
        let m = r.route("/auth/token").unwrap();
        let j = route_json(&f, &m);
        assert_eq!(j["workspace_id"], "550e8400-e29b-41d4-a716-446655440000");
        assert_eq!(j["service_path"], "/token");
        assert_eq!(j["target_url"], Value::Null);
    }

    #[test]
    fn long_segments_and_shared_prefixes() {
        let long = "a-very-long-segment-name-that-does-not-fit-inline";
        let f = fed(&[
            ("long", &format!("/{long}/x"), ""),
            ("longer", &format!("/{long}z/x"), ""),
            ("short", "/a/b", ""),
            ("other", "/b/a", ""),
        ]);
        let r = Router::build(&f);
        assert_eq!(name(&f, &r, &format!("/{long}/x/1")), Some("long"));
        assert_eq!(name(&f, &r, &format!("/{long}z/x")), Some("longer"));
        assert_eq!(name(&f, &r, &format!("/{long}/y")), None);
        assert_eq!(name(&f, &r, "/a/b/c"), Some("short"));
        assert_eq!(name(&f, &r, "/b/a"), Some("other"));
        assert_eq!(
            name(&f, &r, "/a/a"),
            None,
            "edges belong to their parent node"
        );
    }

    #[test]
    fn many_services_route_correctly() {
        let mut text = String::from("services:\n");
        for i in 0..2000 {
            let base = if i % 2 == 0 {
                format!("/svc{i}")
            } else {
                format!("/t{i}/{{id}}/api")
            };
            text.push_str(&format!("  - {{name: s{i}, workspace_id: w, base_path: \"{base}\", reality_level: mock_v3}}\n"));
        }
        let f = parse_str(Path::new("big.yaml"), &text).unwrap();
        let r = Router::build(&f);
        assert_eq!(name(&f, &r, "/svc1998/x"), Some("s1998"));
        assert_eq!(name(&f, &r, "/t1999/42/api/v"), Some("s1999"));
        assert_eq!(name(&f, &r, "/t1999/42/apix"), None);
    }
}
