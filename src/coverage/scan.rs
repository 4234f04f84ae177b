//! The report's one pass over the window: every exchange is counted into small tables.
//!
//! Each distinct (service, method, path) — a *route* — is classified once. Exchanges of
//! routes that match an operation are grouped by (service and operation, status,
//! response-body hash): a few thousand groups however many paths carry ids, so the
//! per-row work stays in the cache. Routes that match nothing only count their hits.
//! Strings are hashed with [`FastHasher`] (the maps' keys come from the state file, so
//! SipHash's protection against chosen keys buys nothing here).

use super::matcher::{Classification, Matcher, Resolver};
use crate::store::exchanges::ScannedExchange;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const DAY_MS: i64 = 86_400_000;

/// FxHash's multiply-and-rotate word hash (as in rustc): fast for short keys.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
        // Zero padding alone would not tell "ab" from "ab\0".
        self.add(bytes.len() as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_i64(&mut self, n: i64) {
        self.add(n as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits: fold the well-mixed high ones in.
        self.0.rotate_left(26)
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub(crate) type FastSet<T> = HashSet<T, BuildHasherDefault<FastHasher>>;

/// A distinct (service, method, path) of the window and where it belongs.
pub(super) struct Route {
    pub method: String,
    pub path: String,
    /// Index into [`Scan::classes`].
    pub class: usize,
    /// Whether it belongs to the service the report is filtered by.
    pub keep: bool,
    /// Exchanges, counted here only when the route matches no operation.
    pub hits: u64,
}

/// A persona's hits, distinct CI runs and last time seen (ms).
pub(super) type PersonaSeen = (u64, FastSet<String>, i64);

/// What one pass over the window gathers.
pub(super) struct Scan<'a> {
    matcher: &'a Matcher,
    resolver: Option<Resolver<'a>>,
    service_filter: Option<&'a str>,
    key: String,
    route_ids: FastMap<String, usize>,
    pub routes: Vec<Route>,
    class_ids: FastMap<Classification, usize>,
    pub classes: Vec<Classification>,
    /// (class with an operation, status, response hash) → (hits, id of one exchange).
    pub groups: FastMap<(usize, u16, Option<i64>), (u64, i64)>,
    scenario_ids: FastMap<String, usize>,
    pub scenario_names: Vec<String>,
    /// (scenario, day since the epoch) → hits.
    pub scenario_days: FastMap<(usize, i64), u64>,
    pub personas: FastMap<String, PersonaSeen>,
    pub exchanges: u64,
    pub earliest_ms: Option<i64>,
}

impl<'a> Scan<'a> {
    pub fn new(
        matcher: &'a Matcher,
        resolver: Option<Resolver<'a>>,
        service_filter: Option<&'a str>,
    ) -> Self {
        Scan {
            matcher,
            resolver,
            service_filter,
            key: String::new(),
            route_ids: FastMap::default(),
            routes: Vec::new(),
            class_ids: FastMap::default(),
            classes: Vec::new(),
            groups: FastMap::default(),
            scenario_ids: FastMap::default(),
            scenario_names: Vec::new(),
            scenario_days: FastMap::default(),
            personas: FastMap::default(),
            exchanges: 0,
            earliest_ms: None,
        }
    }

    /// Counts one exchange.
    pub fn visit(&mut self, x: &ScannedExchange<'_>) {
        let route = self.route(x);
        let Some(route) = self.routes.get_mut(route).filter(|r| r.keep) else {
            return;
        };
        self.exchanges += 1;
        self.earliest_ms = Some(self.earliest_ms.map_or(x.ts, |e| e.min(x.ts)));
        if self
            .classes
            .get(route.class)
            .is_some_and(|c| c.op.is_some())
        {
            self.groups
                .entry((route.class, x.status, x.response_hash))
                .or_insert((0, x.id))
                .0 += 1;
        } else {
            route.hits += 1;
        }
        if let Some(scenario) = x.scenario {
            let id = match self.scenario_ids.get(scenario) {
                Some(id) => *id,
                None => {
                    let id = self.scenario_names.len();
                    self.scenario_ids.insert(scenario.to_string(), id);
                    self.scenario_names.push(scenario.to_string());
                    id
                }
            };
            *self
                .scenario_days
                .entry((id, x.ts.div_euclid(DAY_MS)))
                .or_default() += 1;
        }
        if let Some(persona) = x.persona {
            let entry = match self.personas.get_mut(persona) {
                Some(entry) => entry,
                None => self.personas.entry(persona.to_string()).or_insert((
                    0,
                    FastSet::default(),
                    i64::MIN,
                )),
            };
            entry.0 += 1;
            entry.2 = entry.2.max(x.ts);
            if let Some(run) = x.ci_run {
                if !entry.1.contains(run) {
                    entry.1.insert(run.to_string());
                }
            }
        }
    }

    /// The route of an exchange, classified the first time it is seen.
    fn route(&mut self, x: &ScannedExchange<'_>) -> usize {
        let key = &mut self.key;
        key.clear();
        match x.service {
            Some(service) => {
                key.push('S');
                key.push_str(service);
            }
            None => key.push('N'),
        }
        for part in [x.method, x.path] {
            key.push('\u{1f}');
            key.push_str(part);
        }
        if let Some(id) = self.route_ids.get(key.as_str()) {
            return *id;
        }
        let class = self
            .matcher
            .classify(x.service, x.method, x.path, self.resolver);
        let keep = self
            .service_filter
            .is_none_or(|s| class.service.as_deref() == Some(s));
        let class = match self.class_ids.get(&class) {
            Some(id) => *id,
            None => {
                let id = self.classes.len();
                self.class_ids.insert(class.clone(), id);
                self.classes.push(class);
                id
            }
        };
        let id = self.routes.len();
        self.routes.push(Route {
            method: x.method.to_string(),
            path: x.path.to_string(),
            class,
            keep,
            hits: 0,
        });
        self.route_ids.insert(self.key.clone(), id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    #[test]
    fn the_fast_hasher_tells_short_keys_apart() {
        let build = BuildHasherDefault::<FastHasher>::default();
        let mut seen = std::collections::HashSet::new();
        for i in 0..10_000 {
            assert!(seen.insert(build.hash_one(format!("/v1/res{i}/items"))));
        }
        assert_ne!(build.hash_one("ab"), build.hash_one("ab\0"));
        assert_ne!(
            build.hash_one((1usize, 200u16)),
            build.hash_one((200usize, 1u16))
        );
    }

    /// The grouped pass gives what counting each exchange on its own gives.
    #[test]
    fn grouped_counts_match_a_per_exchange_count() {
        use crate::coverage::model::{OperationSpec, ResponseSpec, SpecOperations};
        use crate::coverage::{build_report, Window};
        use crate::exchange::Exchange;
        use crate::store::Store;
        use chrono::{Duration, TimeZone, Utc};
        use std::collections::BTreeMap;

        let op = |method: &str, path: &str| OperationSpec {
            method: method.into(),
            path: path.into(),
            operation_id: None,
            responses: vec![ResponseSpec {
                status: "2XX".into(),
                json_schema: None,
            }],
        };
        let specs = vec![
            SpecOperations {
                service: Some("a".into()),
                spec_path: "a.yaml".into(),
                server_base_paths: vec!["/v1".into()],
                operations: vec![op("GET", "/items/{id}"), op("POST", "/items")],
            },
            SpecOperations {
                service: Some("b".into()),
                spec_path: "b.yaml".into(),
                server_base_paths: vec![],
                operations: vec![op("GET", "/things/{id}")],
            },
        ];
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let services = [None, Some("a"), Some("b"), Some("zzz")];
        let paths = [
            "/v1/items/1",
            "/items/2",
            "/items",
            "/things/3",
            "/other/4",
            "/v1/x",
        ];
        let batch: Vec<Exchange> = (0..3000)
            .map(|i| Exchange {
                timestamp: now
                    - Duration::minutes(next(5 * 24 * 60) as i64)
                    - Duration::microseconds(i),
                method: ["GET", "POST"][next(2) as usize].into(),
                path: paths[next(6) as usize].into(),
                query: None,
                status: [200, 201, 404][next(3) as usize],
                service: services[next(4) as usize].map(str::to_string),
                workspace_id: None,
                reality_level: None,
                scenario: Some(format!("s{}", next(3))),
                persona: None,
                ci_run: None,
                duration_ms: None,
                request_body: None,
                response_body: None,
                source: "jsonl".into(),
                gateway_path: None,
            })
            .collect();
        let mut store = Store::open_in_memory().unwrap();
        store.insert_exchanges(&batch).unwrap();
        let window = Window { since: None };
        let report = build_report(&store, &specs, &[], &[], window, None, now, None).unwrap();

        let matcher = Matcher::new(&specs);
        let mut hits: BTreeMap<(String, String), u64> = BTreeMap::new();
        let mut undeclared: BTreeMap<(Option<String>, String, String), u64> = BTreeMap::new();
        let mut drift: BTreeMap<Option<String>, (u64, u64)> = BTreeMap::new();
        for x in &batch {
            let class = matcher.classify(x.service.as_deref(), &x.method, &x.path, None);
            let row = drift.entry(class.service.clone()).or_default();
            row.0 += 1;
            match class.op {
                Some(op) => {
                    let spec_op = &specs[op.spec].operations[op.op];
                    *hits
                        .entry((spec_op.method.clone(), spec_op.path.clone()))
                        .or_default() += 1;
                    row.1 += u64::from(x.status / 100 != 2);
                }
                None => {
                    row.1 += 1;
                    let key = (class.service, x.method.clone(), x.path.clone());
                    *undeclared.entry(key).or_default() += 1;
                }
            }
        }
        let mut counted: BTreeMap<(String, String), u64> = BTreeMap::new();
        for e in &report.endpoints {
            *counted
                .entry((e.method.clone(), e.path.clone()))
                .or_default() += e.hits;
        }
        counted.retain(|_, n| *n > 0);
        assert_eq!(counted, hits);
        let reported: BTreeMap<_, _> = report
            .undeclared
            .iter()
            .map(|u| {
                (
                    (u.service.clone(), u.method.clone(), u.path.clone()),
                    u.hits,
                )
            })
            .collect();
        assert_eq!(reported, undeclared);
        let reported: BTreeMap<_, _> = report
            .drift
            .iter()
            .filter(|d| d.endpoint == "*")
            .map(|d| (d.service.clone(), (d.total, d.drifting)))
            .collect();
        assert_eq!(reported, drift);
        assert_eq!(report.summary.exchanges, 3000);
        let scenario_hits: u64 = report.scenarios.iter().map(|s| s.hits).sum();
        assert_eq!(scenario_hits, 3000);
    }
}
