//! Deterministic synthetic traffic for the coverage benchmarks: 500 operations
//! (125 resources × GET/POST/PUT/DELETE) and exchanges spread over the last 7 days.

#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use mockops::coverage::{OperationSpec, ResponseSpec, SpecOperations};
use mockops::exchange::Exchange;
use std::io::Write;

pub const RESOURCES: usize = 125;
pub const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];

/// The benchmark's clock.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

/// A small seeded generator (xorshift64*), so the data is the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// 500 operations with JSON Schemas on their 200 responses.
pub fn specs() -> Vec<SpecOperations> {
    let schema = serde_json::json!({"type": "object", "required": ["id", "name"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}});
    let mut operations = Vec::new();
    for r in 0..RESOURCES {
        for method in METHODS {
            operations.push(OperationSpec {
                method: method.into(),
                path: format!("/res{r}/items/{{id}}"),
                operation_id: None,
                responses: vec![
                    ResponseSpec {
                        status: "200".into(),
                        json_schema: Some(schema.clone()),
                    },
                    ResponseSpec {
                        status: "404".into(),
                        json_schema: None,
                    },
                ],
            });
        }
    }
    vec![SpecOperations {
        service: Some("bench".into()),
        spec_path: "bench.yaml".into(),
        server_base_paths: vec!["/v1".into()],
        operations,
    }]
}

const BODIES: [&str; 4] = [
    r#"{"id": 1, "name": "a"}"#,
    r#"{"id": 2, "name": "b"}"#,
    r#"{"id": "three"}"#,
    r#"{"id": 4, "name": "d", "tags": ["x"]}"#,
];

/// The i-th synthetic exchange.
pub fn exchange(rng: &mut Rng, i: u64) -> Exchange {
    let resource = rng.below(RESOURCES as u64);
    let method = METHODS[rng.below(4) as usize];
    let id = rng.below(200);
    let undeclared = rng.below(20) == 0;
    let path = if undeclared {
        format!("/v1/other{resource}/{id}")
    } else {
        format!("/v1/res{resource}/items/{id}")
    };
    let status = [200u16, 200, 200, 404, 500][rng.below(5) as usize];
    let body = (status == 200).then(|| BODIES[rng.below(4) as usize].to_string());
    Exchange {
        timestamp: now()
            - Duration::milliseconds((rng.below(7 * 86_400_000)) as i64)
            - Duration::microseconds(i as i64 % 1000),
        method: method.into(),
        path,
        query: None,
        status,
        service: None,
        workspace_id: None,
        reality_level: None,
        scenario: Some(format!("scenario-{}", rng.below(10))),
        persona: Some(format!("persona-{}", rng.below(5))),
        ci_run: Some(format!("run-{}", rng.below(50))),
        duration_ms: Some(rng.below(500) as f64),
        request_body: None,
        response_body: body,
        source: "jsonl".into(),
        gateway_path: None,
        answered_by_gateway: false,
    }
}

/// Writes `lines` JSONL exchanges to `out`.
pub fn write_jsonl(out: &mut impl Write, lines: u64, seed: u64) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    for i in 0..lines {
        let x = exchange(&mut rng, i);
        let line = serde_json::json!({
            "timestamp": x.timestamp.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "method": x.method, "path": x.path, "status": x.status,
            "scenario": x.scenario, "persona": x.persona, "ci_run": x.ci_run,
            "duration_ms": x.duration_ms, "response_body": x.response_body,
        });
        writeln!(out, "{line}")?;
    }
    Ok(())
}
