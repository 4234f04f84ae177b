//! What a request gets at its reality level: the effective plan (scenario overrides on top
//! of the service's config), seeded random draws, and the deep JSON merge of `blended`.

use crate::federation::model::{BlendMode, LatencyRange, RealityLevel, Service};
use crate::federation::scenario::ScenarioFile;
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use serde_json::Value;

/// Default status of an injected chaos error when neither config nor scenario names one.
pub(crate) const DEFAULT_ERROR_STATUS: u16 = 503;

/// The random numbers one request consumes. Every request draws all three, whatever its
/// level, so the same seed and request sequence give the same outcomes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Draws {
    pub error_roll: f64,
    pub latency_roll: u64,
    pub ratio_roll: f64,
}

/// A service's random source, seeded by `seed` (default: a hash of the service name).
pub(crate) fn seeded_rng(service: &Service) -> ChaCha8Rng {
    let seed = service.config.seed.unwrap_or_else(|| {
        // FNV-1a of the name: stable across runs and platforms.
        service.name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        })
    });
    ChaCha8Rng::seed_from_u64(seed)
}

fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

pub(crate) fn draw(rng: &mut ChaCha8Rng) -> Draws {
    Draws {
        error_roll: unit(rng),
        latency_roll: rng.next_u64(),
        ratio_roll: unit(rng),
    }
}

/// What the gateway does with one request for one service.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub level: RealityLevel,
    pub latency: Option<LatencyRange>,
    pub error_rate: f64,
    pub error_status: u16,
    pub blend: BlendMode,
    pub ratio: f64,
    pub scenario: Option<String>,
    pub extra_headers: Vec<(String, String)>,
}

impl Plan {
    /// The service's own behaviour with the active scenario's override on top; a scenario's
    /// latency and errors apply at any level, the service's own only at `chaos_driven` —
    /// or, under a scenario's `chaos_level` (MockForge's chaos intensity, 0 to 1), at any
    /// level, scaled by it (0 turns them off, also at `chaos_driven`).
    pub(crate) fn new(service: &Service, scenario: Option<&ScenarioFile>) -> Plan {
        let o = scenario.and_then(|s| s.services.get(&service.name));
        let level = o
            .and_then(|o| o.reality_level)
            .unwrap_or(service.reality_level);
        let own = &service.config;
        let intensity = match o.and_then(|o| o.chaos_level) {
            Some(c) => Some(c),
            None => (level == RealityLevel::ChaosDriven).then_some(1.0),
        };
        Plan {
            level,
            latency: o
                .and_then(|o| o.latency_ms)
                .or(intensity.and_then(|c| own.latency_ms.map(|r| r.scaled(c)))),
            error_rate: o
                .and_then(|o| o.error_rate)
                .or(intensity.and_then(|c| own.error_rate.map(|r| r * c)))
                .unwrap_or(0.0),
            error_status: o
                .and_then(|o| o.error_status)
                .or(own.error_status)
                .unwrap_or(DEFAULT_ERROR_STATUS),
            blend: own.blend.unwrap_or(BlendMode::RealOverMock),
            ratio: own.ratio.unwrap_or(0.5),
            scenario: scenario.map(|s| s.name.clone()),
            extra_headers: o
                .map(|o| {
                    o.headers
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The latency to add, uniform in the range.
    pub(crate) fn latency_ms(&self, draws: &Draws) -> u64 {
        match self.latency {
            Some(r) if r.max_ms > r.min_ms => {
                // Ranges stop at `LatencyRange::MAX_MS`, so neither sum can overflow.
                let span = (r.max_ms - r.min_ms).saturating_add(1);
                r.min_ms.saturating_add(draws.latency_roll % span)
            }
            Some(r) => r.min_ms,
            None => 0,
        }
    }

    pub(crate) fn inject_error(&self, draws: &Draws) -> bool {
        self.error_rate > 0.0 && draws.error_roll < self.error_rate
    }

    /// For `blend: ratio`: whether this request goes to the real service.
    pub(crate) fn ratio_picks_real(&self, draws: &Draws) -> bool {
        draws.ratio_roll < self.ratio
    }
}

/// Deep merge of JSON objects: `winner`'s values win, `filler` supplies what it lacks.
/// Anything but two objects: the winner as it is.
pub(crate) fn deep_merge(winner: Value, filler: Value) -> Value {
    match (winner, filler) {
        (Value::Object(mut top), Value::Object(bottom)) => {
            for (key, low) in bottom {
                let merged = match top.remove(&key) {
                    Some(high) => deep_merge(high, low),
                    None => low,
                };
                top.insert(key, merged);
            }
            Value::Object(top)
        }
        (winner, _) => winner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_merge_fills_and_wins_recursively() {
        let real = json!({"id": 1, "user": {"name": "real", "tags": [1]}, "only_real": true});
        let mock = json!({"id": 9, "user": {"name": "mock", "email": "m@x"}, "only_mock": 2});
        assert_eq!(
            deep_merge(real.clone(), mock.clone()),
            json!({"id": 1, "user": {"name": "real", "tags": [1], "email": "m@x"}, "only_real": true, "only_mock": 2})
        );
        assert_eq!(deep_merge(mock, real)["user"]["name"], "mock");
        assert_eq!(deep_merge(json!([1]), json!({"a": 1})), json!([1]));
    }

    #[test]
    fn latency_stays_in_range_at_the_extremes() {
        let plan = |min_ms, max_ms| Plan {
            level: RealityLevel::ChaosDriven,
            latency: Some(LatencyRange { min_ms, max_ms }),
            error_rate: 0.0,
            error_status: 503,
            blend: BlendMode::RealOverMock,
            ratio: 0.0,
            scenario: None,
            extra_headers: Vec::new(),
        };
        let max = LatencyRange::MAX_MS;
        for roll in [0, 1, max, u64::MAX] {
            let draws = Draws {
                error_roll: 0.0,
                latency_roll: roll,
                ratio_roll: 0.0,
            };
            assert!(plan(0, max).latency_ms(&draws) <= max);
            assert_eq!(plan(max, max).latency_ms(&draws), max);
            // Wider than validation allows: `max - min + 1` used to wrap to a zero divisor.
            let wide = plan(0, u64::MAX).latency_ms(&draws);
            assert_eq!(wide, roll % u64::MAX);
        }
    }

    #[test]
    fn chaos_level_scales_the_services_own_chaos_at_any_level() {
        use crate::federation::scenario::ServiceOverride;
        let fed = crate::federation::parse_str(
            std::path::Path::new("f.yaml"),
            "services:\n  - {name: pay, workspace_id: w, base_path: /pay, reality_level: mock_v3, \
             mock_url: \"http://m\", config: {error_rate: 0.5, latency_ms: [100, 200]}}\n",
        )
        .unwrap();
        let pay = &fed.services[0];
        let with = |o: ServiceOverride| ScenarioFile {
            name: "s".into(),
            services: [("pay".to_string(), o)].into(),
        };
        // Without a scenario, a `mock_v3` service has no chaos.
        let plain = Plan::new(pay, None);
        assert_eq!((plain.error_rate, plain.latency), (0.0, None));
        let half = Plan::new(
            pay,
            Some(&with(ServiceOverride {
                chaos_level: Some(0.5),
                ..Default::default()
            })),
        );
        assert_eq!(half.level, RealityLevel::MockV3);
        assert_eq!(half.error_rate, 0.25);
        assert_eq!(
            half.latency,
            Some(LatencyRange {
                min_ms: 50,
                max_ms: 100
            })
        );
        // 0 turns it off even at `chaos_driven`; an explicit rate still wins.
        let off = Plan::new(
            pay,
            Some(&with(ServiceOverride {
                reality_level: Some(RealityLevel::ChaosDriven),
                chaos_level: Some(0.0),
                ..Default::default()
            })),
        );
        assert_eq!(
            (off.error_rate, off.latency_ms(&draw(&mut seeded_rng(pay)))),
            (0.0, 0)
        );
        let forced = Plan::new(
            pay,
            Some(&with(ServiceOverride {
                chaos_level: Some(0.0),
                error_rate: Some(0.9),
                ..Default::default()
            })),
        );
        assert_eq!(forced.error_rate, 0.9);
    }

    #[test]
    fn same_seed_gives_same_draws() {
        let mut a = ChaCha8Rng::seed_from_u64(7);
        let mut b = ChaCha8Rng::seed_from_u64(7);
        let mut c = ChaCha8Rng::seed_from_u64(8);
        let xs: Vec<u64> = (0..20).map(|_| draw(&mut a).latency_roll).collect();
        let ys: Vec<u64> = (0..20).map(|_| draw(&mut b).latency_roll).collect();
        let zs: Vec<u64> = (0..20).map(|_| draw(&mut c).latency_roll).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        let u = draw(&mut a);
        assert!((0.0..1.0).contains(&u.error_roll) && (0.0..1.0).contains(&u.ratio_roll));
    }
}
