//! The demo's traffic: a seeded sequence of requests over the shop's four services (the
//! same seed gives the same requests), sent through the gateway one after another.

use super::DemoError;
use rand_chacha::ChaCha8Rng;
use rand_core::{RngCore, SeedableRng};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

/// One request to send through the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: &'static str,
    /// The gateway path (`/catalog/products/p1`).
    pub path: String,
    pub body: Option<&'static str>,
    pub persona: &'static str,
}

/// The kinds of request and how often each comes (weights).
const KINDS: &[(u32, &str, &str)] = &[
    (2, "GET", "/catalog/products"),
    (3, "GET", "/catalog/products/p{1-4}"),
    (1, "GET", "/catalog/products/p{9-9}"),
    (2, "POST", "/checkout/orders"),
    (4, "GET", "/checkout/orders/o{1-6}"),
    (3, "GET", "/accounts/users/u{1-3}"),
    (1, "GET", "/accounts/users/u{1-3}/avatar"),
    (2, "POST", "/billing/payments"),
    (2, "GET", "/billing/payments/pay_{1-3}"),
];

const PERSONAS: &[&str] = &["alice", "bob"];

/// `count` requests drawn with `seed`.
pub fn plan(seed: u64, count: usize) -> Vec<Request> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let total: u32 = KINDS.iter().map(|k| k.0).sum();
    (0..count)
        .map(|_| {
            let mut roll = (rng.next_u32() % total) as i64;
            let (_, method, template) = KINDS
                .iter()
                .find(|(weight, _, _)| {
                    roll -= i64::from(*weight);
                    roll < 0
                })
                .copied()
                .unwrap_or(KINDS[0]);
            let path = fill(template, &mut rng);
            let persona = PERSONAS[(rng.next_u32() as usize) % PERSONAS.len()];
            Request {
                method,
                body: (method == "POST").then_some(r#"{"items":["p1","p3"]}"#),
                path,
                persona,
            }
        })
        .collect()
}

/// Replaces `{a-b}` in a template by a number from a to b.
fn fill(template: &str, rng: &mut ChaCha8Rng) -> String {
    let (Some(open), Some(close)) = (template.find('{'), template.find('}')) else {
        return template.to_string();
    };
    let range = &template[open + 1..close];
    let (low, high) = range.split_once('-').unwrap_or((range, range));
    let (low, high): (u32, u32) = (low.parse().unwrap_or(1), high.parse().unwrap_or(1));
    let n = low + rng.next_u32() % (high.saturating_sub(low) + 1);
    format!("{}{n}{}", &template[..open], &template[close + 1..])
}

/// What came back for one request.
#[derive(Debug, Clone)]
pub struct Sent {
    pub request: Request,
    pub status: u16,
    /// The gateway's `x-mockops-service` and `x-mockops-reality` headers.
    pub service: Option<String>,
    pub reality: Option<String>,
}

/// Sends every request to the gateway at `gateway`, labelled with `ci_run`.
pub fn send(gateway: SocketAddr, plan: &[Request], ci_run: &str) -> Result<Vec<Sent>, DemoError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .user_agent("mockops-demo")
        .build()
        .into();
    let mut sent = Vec::with_capacity(plan.len());
    for request in plan {
        let url = format!("http://{gateway}{}", request.path);
        let failed = |e: ureq::Error| DemoError::Request {
            method: request.method.to_string(),
            path: request.path.clone(),
            detail: e.to_string(),
        };
        let response = match request.body {
            Some(body) => agent
                .post(&url)
                .header("content-type", "application/json")
                .header("x-mockops-persona", request.persona)
                .header("x-mockops-ci-run", ci_run)
                .send(body),
            None => agent
                .get(&url)
                .header("x-mockops-persona", request.persona)
                .header("x-mockops-ci-run", ci_run)
                .call(),
        }
        .map_err(failed)?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        sent.push(Sent {
            request: request.clone(),
            status: response.status().as_u16(),
            service: header("x-mockops-service"),
            reality: header("x-mockops-reality"),
        });
    }
    Ok(sent)
}

/// Per service: its reality level, and how many answers of each status it got.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ServiceTally {
    pub reality: String,
    pub requests: usize,
    pub statuses: BTreeMap<u16, usize>,
}

/// The answers grouped by service (in name order).
pub fn tally(sent: &[Sent]) -> BTreeMap<String, ServiceTally> {
    let mut by_service: BTreeMap<String, ServiceTally> = BTreeMap::new();
    for s in sent {
        let name = s.service.clone().unwrap_or_else(|| "-".into());
        let entry = by_service.entry(name).or_default();
        if let Some(level) = &s.reality {
            entry.reality = level.clone();
        }
        entry.requests += 1;
        *entry.statuses.entry(s.status).or_default() += 1;
    }
    by_service
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_requests_over_every_service() {
        let a = plan(7, 60);
        assert_eq!(a, plan(7, 60));
        assert_ne!(a, plan(8, 60));
        for prefix in ["/catalog/", "/checkout/", "/accounts/", "/billing/"] {
            let n = a.iter().filter(|r| r.path.starts_with(prefix)).count();
            assert!(n >= 5, "{prefix}: {n} requests");
        }
        assert!(a.iter().all(|r| !r.path.contains('{')));
        assert!(a.iter().any(|r| r.path == "/catalog/products/p9"));
        assert!(a
            .iter()
            .filter(|r| r.method == "POST")
            .all(|r| r.body.is_some()));
    }
}
