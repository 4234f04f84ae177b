//! The report's one pass over the window: every exchange is counted into small tables.
//!
//! Each distinct (service, method, path, answered by the gateway) — a *route* — is
//! classified once. Exchanges of routes that match an operation are grouped by (service
//! and operation, status, response-body hash): a few thousand groups however many paths
//! carry ids, so the per-row work stays in the cache. The gateway's own answers are
//! counted by (route, status); other routes (undeclared, or of a service without a spec)
//! only count their hits and first and last times.
//! Routes, scenarios, personas and CI runs arrive interned (schema 8), so per row the scan
//! indexes vectors by id; only the groups and day buckets are hashed ([`FastMap`]).

use super::matcher::{Attribution, Classification, Matcher, Resolver};
use crate::fast_hash::{FastMap, FastSet};
use crate::store::exchanges::ScannedExchange;

const DAY_MS: i64 = 86_400_000;
/// A slot of an id-indexed vector that has not been seen yet.
const UNSEEN: u32 = u32::MAX;

/// What the per-row work needs of a route, 8 bytes per stored route id, so that the
/// slots of 100k+ routes stay in the cache (the names and the undeclared hits, in
/// [`Route`], are touched only for routes that match no operation).
#[derive(Clone, Copy)]
struct RouteSlot {
    /// Index into [`Scan::routes`], or [`UNSEEN`].
    route: u32,
    /// Index into [`Scan::classes`], with [`HAS_OP`], [`KEEP`] and [`BY_GATEWAY`] folded in.
    class: u32,
}

const HAS_OP: u32 = 1 << 31;
const KEEP: u32 = 1 << 30;
const BY_GATEWAY: u32 = 1 << 29;
const CLASS_BITS: u32 = BY_GATEWAY - 1;

/// A distinct (service, method, path) of the window and where it belongs.
pub(super) struct Route {
    pub method: String,
    pub path: String,
    /// Index into [`Scan::classes`].
    pub class: usize,
    /// Whether it belongs to the service the report is filtered by.
    pub keep: bool,
    /// Exchanges, counted here only when the route matches no operation and is not the
    /// gateway's; with the first and last times (ms) they were seen.
    pub hits: u64,
    pub first_ms: i64,
    pub last_ms: i64,
}

/// A persona's hits, distinct CI runs (label ids) and last time seen (ms).
pub(super) type PersonaSeen = (u64, FastSet<usize>, i64);

/// What one pass over the window gathers.
pub(super) struct Scan<'a> {
    matcher: &'a Matcher,
    resolver: Option<Resolver<'a>>,
    service_filter: Option<&'a str>,
    /// Stored route id → its slot.
    route_slots: Vec<RouteSlot>,
    pub routes: Vec<Route>,
    class_ids: FastMap<Classification, usize>,
    pub classes: Vec<Classification>,
    /// (class with an operation, status, response hash) → (hits, id of one exchange).
    pub groups: FastMap<(usize, u16, Option<i64>), (u64, i64)>,
    /// (route answered by the gateway, status) → hits.
    pub gateway: FastMap<(u32, u16), u64>,
    /// Label id → index into `scenario_names`.
    scenario_slots: Vec<u32>,
    pub scenario_names: Vec<String>,
    /// (scenario, day since the epoch) → hits.
    pub scenario_days: FastMap<(usize, i64), u64>,
    /// Label id → index into `personas`.
    persona_slots: Vec<u32>,
    pub personas: Vec<(String, PersonaSeen)>,
    pub exchanges: u64,
    pub earliest_ms: Option<i64>,
}

/// The slot of `id` in an id-indexed vector, filled by `fresh` the first time.
fn slot_of(slots: &mut Vec<u32>, id: usize, fresh: impl FnOnce() -> usize) -> usize {
    if slots.len() <= id {
        slots.resize(id + 1, UNSEEN);
    }
    if slots[id] == UNSEEN {
        slots[id] = fresh() as u32;
    }
    slots[id] as usize
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
            route_slots: Vec::new(),
            routes: Vec::new(),
            class_ids: FastMap::default(),
            classes: Vec::new(),
            groups: FastMap::default(),
            gateway: FastMap::default(),
            scenario_slots: Vec::new(),
            scenario_names: Vec::new(),
            scenario_days: FastMap::default(),
            persona_slots: Vec::new(),
            personas: Vec::new(),
            exchanges: 0,
            earliest_ms: None,
        }
    }

    /// Counts one exchange.
    pub fn visit(&mut self, x: &ScannedExchange<'_>) {
        let slot = match self.route_slots.get(x.route_id) {
            Some(slot) if slot.route != UNSEEN => *slot,
            _ => match self.classify(x) {
                Some(slot) => slot,
                None => return,
            },
        };
        if slot.class & KEEP == 0 {
            return;
        }
        self.exchanges += 1;
        self.earliest_ms = Some(self.earliest_ms.map_or(x.ts, |e| e.min(x.ts)));
        if slot.class & HAS_OP != 0 {
            let class = (slot.class & CLASS_BITS) as usize;
            self.groups
                .entry((class, x.status, x.response_hash))
                .or_insert((0, x.id))
                .0 += 1;
        } else if slot.class & BY_GATEWAY != 0 {
            *self.gateway.entry((slot.route, x.status)).or_default() += 1;
        } else if let Some(route) = self.routes.get_mut(slot.route as usize) {
            route.hits += 1;
            route.first_ms = route.first_ms.min(x.ts);
            route.last_ms = route.last_ms.max(x.ts);
        }
        if let Some(scenario) = x.scenario {
            let names = &mut self.scenario_names;
            let at = slot_of(&mut self.scenario_slots, scenario.id, || {
                names.push(scenario.name.to_string());
                names.len() - 1
            });
            *self
                .scenario_days
                .entry((at, x.ts.div_euclid(DAY_MS)))
                .or_default() += 1;
        }
        if let Some(persona) = x.persona {
            let personas = &mut self.personas;
            let at = slot_of(&mut self.persona_slots, persona.id, || {
                personas.push((persona.name.to_string(), (0, FastSet::default(), i64::MIN)));
                personas.len() - 1
            });
            let seen = &mut self.personas[at].1;
            seen.0 += 1;
            seen.2 = seen.2.max(x.ts);
            if let Some(run) = x.ci_run {
                seen.1.insert(run.id);
            }
        }
    }

    /// Classifies a route seen for the first time and fills its slot (`None` only for a
    /// route id the store would have refused).
    fn classify(&mut self, x: &ScannedExchange<'_>) -> Option<RouteSlot> {
        let route = x.route()?;
        let class = self.matcher.classify(
            route.service.as_deref(),
            &route.method,
            &route.path,
            route.answered_by_gateway,
            self.resolver,
        );
        let keep = self
            .service_filter
            .is_none_or(|s| class.service.as_deref() == Some(s));
        let has_op = class.op().is_some();
        let by_gateway = class.attribution == Attribution::Gateway;
        let class = match self.class_ids.get(&class) {
            Some(id) => *id,
            None => {
                let id = self.classes.len();
                self.class_ids.insert(class.clone(), id);
                self.classes.push(class);
                id
            }
        };
        self.routes.push(Route {
            method: route.method.clone(),
            path: route.path.clone(),
            class,
            keep,
            hits: 0,
            first_ms: i64::MAX,
            last_ms: i64::MIN,
        });
        let flag = |set: bool, bit: u32| if set { bit } else { 0 };
        let slot = RouteSlot {
            route: (self.routes.len() - 1) as u32,
            class: class as u32
                | flag(has_op, HAS_OP)
                | flag(keep, KEEP)
                | flag(by_gateway, BY_GATEWAY),
        };
        if self.route_slots.len() <= x.route_id {
            self.route_slots.resize(
                x.route_id + 1,
                RouteSlot {
                    route: UNSEEN,
                    class: 0,
                },
            );
        }
        self.route_slots[x.route_id] = slot;
        Some(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            SpecOperations {
                service: Some("c".into()),
                spec_path: "c.yaml".into(),
                server_base_paths: vec![],
                operations: vec![op("GET", "/things/{x}")],
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
                status: [200, 201, 404][next(3) as usize],
                service: services[next(4) as usize].map(str::to_string),
                scenario: Some(format!("s{}", next(3))),
                source: "jsonl".into(),
                answered_by_gateway: next(10) == 0,
                ..Default::default()
            })
            .collect();
        let mut store = Store::open_in_memory().unwrap();
        store.insert_exchanges(&batch).unwrap();
        let window = Window { since: None };
        let report = build_report(&store, &specs, &[], &[], window, None, now, None).unwrap();

        let matcher = Matcher::new(&specs);
        let mut hits: BTreeMap<(String, String), u64> = BTreeMap::new();
        type Undeclared = BTreeMap<(Option<String>, String, String), (u64, Vec<String>)>;
        let mut undeclared: Undeclared = BTreeMap::new();
        let mut drift: BTreeMap<Option<String>, (u64, u64)> = BTreeMap::new();
        let mut no_spec: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_gateway: BTreeMap<(Option<String>, String, u16), u64> = BTreeMap::new();
        for x in &batch {
            let class = matcher.classify(
                x.service.as_deref(),
                &x.method,
                &x.path,
                x.answered_by_gateway,
                None,
            );
            match class.attribution {
                Attribution::Operation(op) => {
                    let spec_op = &specs[op.spec].operations[op.op];
                    *hits
                        .entry((spec_op.method.clone(), spec_op.path.clone()))
                        .or_default() += 1;
                    let row = drift.entry(class.service.clone()).or_default();
                    row.0 += 1;
                    row.1 += u64::from(x.status / 100 != 2);
                }
                Attribution::Undeclared | Attribution::Ambiguous(_) => {
                    let row = drift.entry(class.service.clone()).or_default();
                    row.0 += 1;
                    row.1 += 1;
                    let candidates = match &class.attribution {
                        Attribution::Ambiguous(specs_hit) => specs_hit
                            .iter()
                            .map(|&i| specs[i].spec_path.clone())
                            .collect(),
                        _ => Vec::new(),
                    };
                    let key = (class.service, x.method.clone(), x.path.clone());
                    undeclared.entry(key).or_insert((0, candidates)).0 += 1;
                }
                Attribution::NoSpec => {
                    *no_spec
                        .entry(class.service.unwrap_or_default())
                        .or_default() += 1;
                }
                Attribution::Gateway => {
                    *by_gateway
                        .entry((class.service, x.path.clone(), x.status))
                        .or_default() += 1;
                }
            }
        }
        assert!(undeclared.values().any(|u| u.1 == ["b.yaml", "c.yaml"]));
        assert!(!no_spec.is_empty() && !by_gateway.is_empty());
        let reported: BTreeMap<_, _> = report
            .services_without_spec
            .iter()
            .map(|s| (s.service.clone(), s.hits))
            .collect();
        assert_eq!(reported, no_spec);
        let mut reported: BTreeMap<_, u64> = BTreeMap::new();
        for g in &report.gateway_answers {
            *reported
                .entry((g.service.clone(), g.path.clone(), g.status))
                .or_default() += g.hits;
        }
        assert_eq!(reported, by_gateway);
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
                    (u.hits, u.candidates.clone()),
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

    /// A route id that names no stored route is a damaged state file: an error naming
    /// the exchange, not a panic or a silently smaller report.
    #[test]
    fn a_dangling_route_id_is_an_error() {
        use crate::coverage::{build_report, Window};
        use crate::exchange::Exchange;
        use crate::store::Store;
        use chrono::{TimeZone, Utc};
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let x_template = |now| Exchange {
            timestamp: now,
            method: "GET".into(),
            path: "/a".into(),
            status: 200,
            source: "jsonl".into(),
            ..Default::default()
        };
        store.insert_exchanges(&[x_template(now)]).unwrap();
        let report = |store: &Store| {
            build_report(
                store,
                &[],
                &[],
                &[],
                Window { since: None },
                None,
                now,
                None,
            )
        };
        assert_eq!(report(&store).unwrap().summary.exchanges, 1);
        // A hole among the ids (route 1 of 2), not only an id past the end.
        let later = Exchange {
            path: "/b".into(),
            ..x_template(now)
        };
        store.insert_exchanges(&[later]).unwrap();
        store
            .sqlite()
            .unwrap()
            .execute("DELETE FROM exchange_routes WHERE id = 1", [])
            .unwrap();
        let message = report(&store).err().unwrap().to_string();
        assert!(message.contains("refers to route 1"), "{message}");
    }
}
