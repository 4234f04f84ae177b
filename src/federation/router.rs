//! Resolving a request path to its service: a segment tree built once, looked up in
//! O(path length) whatever the number of services.
//!
//! Rules (§4): only segment-boundary prefixes match; the longest match in segments wins;
//! between equally long matches, at the first segment where they differ a static segment
//! beats a `{param}`; `strip_prefix: false` forwards the whole path, else the base path is
//! stripped (`""` → `/`).

use super::model::{Federation, RealityLevel};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast hasher for segment strings (keys come from the federation file).
#[derive(Default)]
struct SegmentHasher(u64);

impl Hasher for SegmentHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // FxHash-style mixing, 8 bytes at a time.
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail) ^ (rest.len() as u64) << 56);
    }
}

impl SegmentHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type SegmentMap = HashMap<Box<str>, u32, BuildHasherDefault<SegmentHasher>>;

#[derive(Default)]
struct Node {
    statics: SegmentMap,
    param: Option<u32>,
    /// The service whose base path ends here.
    service: Option<u32>,
}

#[derive(Debug, PartialEq, Eq)]
struct RouteEntry {
    param_names: Vec<Box<str>>,
    /// Which segments of the base path (0-based) are parameters.
    param_segments: Vec<u32>,
    strip_prefix: bool,
}

/// The routing table of one federation.
pub struct Router {
    nodes: Vec<Node>,
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
    depth: u32,
    end: usize,
}

impl Router {
    /// Builds the tree. When two services have the same base-path shape (a validation
    /// error), the first one keeps it.
    pub fn build(fed: &Federation) -> Router {
        let mut router = Router {
            nodes: vec![Node::default()],
            entries: Vec::with_capacity(fed.services.len()),
        };
        for (index, service) in fed.services.iter().enumerate() {
            let mut node = 0usize;
            let mut param_names = Vec::new();
            let mut param_segments = Vec::new();
            for (position, segment) in service
                .base_path
                .split('/')
                .filter(|s| !s.is_empty())
                .enumerate()
            {
                let param = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
                let next_free = router.nodes.len() as u32;
                let (child, created) = match param {
                    Some(name) => {
                        param_names.push(Box::from(name));
                        param_segments.push(position as u32);
                        match router.nodes[node].param {
                            Some(child) => (child, false),
                            None => {
                                router.nodes[node].param = Some(next_free);
                                (next_free, true)
                            }
                        }
                    }
                    None => match router.nodes[node].statics.get(segment) {
                        Some(&child) => (child, false),
                        None => {
                            router.nodes[node]
                                .statics
                                .insert(Box::from(segment), next_free);
                            (next_free, true)
                        }
                    },
                };
                if created {
                    router.nodes.push(Node::default());
                }
                node = child as usize;
            }
            if router.nodes[node].service.is_none() {
                router.nodes[node].service = Some(index as u32);
            }
            router.entries.push(RouteEntry {
                param_names,
                param_segments,
                strip_prefix: service.config.strip_prefix,
            });
        }
        router
    }

    /// Resolves `path` (a query after `?` is ignored). `None`: no service matches, or the
    /// path does not start with `/`.
    pub fn route<'a>(&'a self, path: &'a str) -> Option<RouteMatch<'a>> {
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        if !path.starts_with('/') {
            return None;
        }
        let mut best: Option<Best> = None;
        self.search(0, path, 0, 0, &mut best);
        let best = best?;
        let entry = self.entries.get(best.service as usize)?;
        let rest = path.get(best.end..).unwrap_or("");
        let service_path = if !entry.strip_prefix {
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
    fn search(&self, node: u32, path: &str, pos: usize, depth: u32, best: &mut Option<Best>) {
        let Some(current) = self.nodes.get(node as usize) else {
            return;
        };
        if let Some(service) = current.service {
            if best.as_ref().is_none_or(|b| depth > b.depth) {
                *best = Some(Best {
                    service,
                    depth,
                    end: pos,
                });
            }
        }
        let bytes = path.as_bytes();
        if pos >= bytes.len() || bytes[pos] != b'/' {
            return;
        }
        let start = pos + 1;
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'/')
            .map_or(bytes.len(), |i| start + i);
        let segment = &path[start..end];
        if !current.statics.is_empty() {
            if let Some(&child) = current.statics.get(segment) {
                self.search(child, path, end, depth + 1, best);
            }
        }
        if let Some(child) = current.param {
            if !segment.is_empty() {
                self.search(child, path, end, depth + 1, best);
            }
        }
    }
}

/// `target_url` of §4: the level's base URL + `service_path`, or `None` without that URL.
pub fn target_url(fed: &Federation, m: &RouteMatch, level: RealityLevel) -> Option<String> {
    let service = fed.services.get(m.service)?;
    let base = service.target_base(level)?;
    Some(format!("{}{}", base.trim_end_matches('/'), m.service_path))
}

/// The `route --format json` object of §4, at the service's own reality level.
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
