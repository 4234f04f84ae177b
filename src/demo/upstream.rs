//! The demo's upstream: one process-local server per face — the mock workspace the
//! federation's `mock_url`s point at, and the "real" services of its `upstream_url`s. Both
//! serve the shop's four APIs; the real orders service has drifted from its spec: for
//! even order numbers it answers `total` as a string, and it leaves `currency` out (the
//! mock fills it in at level `blended`).

use super::http::{Incoming, Server};
use super::DemoError;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// Which face answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Mock,
    Real,
}

/// The two running faces; they stop when dropped.
pub struct Upstream {
    mock: Server,
    real: Server,
}

impl Upstream {
    pub fn start() -> Result<Upstream, DemoError> {
        Ok(Upstream {
            mock: Server::start("mock upstream", |r| reply(Face::Mock, r))?,
            real: Server::start("real upstream", |r| reply(Face::Real, r))?,
        })
    }

    pub fn mock_addr(&self) -> SocketAddr {
        self.mock.addr()
    }

    pub fn real_addr(&self) -> SocketAddr {
        self.real.addr()
    }
}

fn reply(face: Face, request: &Incoming) -> (u16, Option<String>) {
    let (status, body) = answer(face, &request.method, &request.path);
    (status, body.map(|b| b.to_string()))
}

/// The number in an id such as `o4` or `pay_2` (0 when there is none).
fn number(id: &str) -> u64 {
    let digits: String = id.chars().filter(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

fn product(id: &str) -> Option<Value> {
    let (name, price) = match id {
        "p1" => ("Mug", 12.5),
        "p2" => ("Notebook", 7.0),
        "p3" => ("Pen", 2.25),
        "p4" => ("Lamp", 39.9),
        _ => return None,
    };
    Some(json!({"id": id, "name": name, "price": price}))
}

fn order(face: Face, id: &str, status: &str) -> Value {
    let total = number(id) as f64 * 12.5;
    match face {
        Face::Mock => json!({"id": id, "status": status, "total": total, "currency": "EUR"}),
        // The real service sends the total of even orders as text, and no currency.
        Face::Real if number(id) % 2 == 0 => {
            json!({"id": id, "status": status, "total": format!("{total:.2}")})
        }
        Face::Real => json!({"id": id, "status": status, "total": total}),
    }
}

fn payment(id: &str, status: &str) -> Value {
    json!({"id": id, "status": status, "amount": number(id) as f64 * 10.0})
}

/// What a face answers to a request (status and JSON body; `None`: no body).
pub fn answer(face: Face, method: &str, path: &str) -> (u16, Option<Value>) {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let not_found = || (404, Some(json!({"error": "not found", "path": path})));
    match (method, segments.as_slice()) {
        ("GET", ["products"]) => {
            let all: Vec<Value> = ["p1", "p2", "p3"]
                .iter()
                .filter_map(|id| product(id))
                .collect();
            (200, Some(Value::Array(all)))
        }
        ("GET", ["products", id]) => match product(id) {
            Some(p) => (200, Some(p)),
            None => (404, Some(json!({"error": "no such product", "id": id}))),
        },
        ("POST", ["orders"]) => (201, Some(order(face, "o7", "created"))),
        ("GET", ["orders", id]) => (200, Some(order(face, id, "paid"))),
        ("DELETE", ["orders", _]) => (204, None),
        ("GET", ["users", id]) => (
            200,
            Some(
                json!({"id": id, "name": format!("User {}", number(id)), "email": format!("{id}@shop.example")}),
            ),
        ),
        ("GET", ["users", id, "avatar"]) => (
            200,
            Some(json!({"url": format!("https://cdn.shop.example/{id}.png")})),
        ),
        ("GET", ["payments"]) => (200, Some(json!([payment("pay_1", "captured")]))),
        ("POST", ["payments"]) => (201, Some(payment("pay_7", "authorised"))),
        ("GET", ["payments", id]) => (200, Some(payment(id, "captured"))),
        _ => not_found(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_orders_service_drifts_on_even_orders_only() {
        let (_, mock) = answer(Face::Mock, "GET", "/orders/o2");
        let (_, real_even) = answer(Face::Real, "GET", "/orders/o2");
        let (_, real_odd) = answer(Face::Real, "GET", "/orders/o3");
        assert!(mock.unwrap()["total"].is_number());
        assert!(real_even.as_ref().unwrap()["total"].is_string());
        assert!(real_even.unwrap().get("currency").is_none());
        assert!(real_odd.unwrap()["total"].is_number());
        assert_eq!(answer(Face::Mock, "GET", "/nowhere").0, 404);
        assert_eq!(answer(Face::Mock, "DELETE", "/orders/o1"), (204, None));
    }

    #[test]
    fn both_faces_answer_over_http() {
        let upstream = Upstream::start().unwrap();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .proxy(None)
            .http_status_as_error(false)
            .build()
            .into();
        let get = |addr: SocketAddr, path: &str| {
            let mut r = agent.get(&format!("http://{addr}{path}")).call().unwrap();
            let status = r.status().as_u16();
            let body: Value =
                serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
            (status, body)
        };
        let (status, body) = get(upstream.real_addr(), "/orders/o4");
        assert_eq!((status, body["total"].clone()), (200, json!("50.00")));
        let (status, body) = get(upstream.mock_addr(), "/products/p9");
        assert_eq!(
            (status, body["error"].clone()),
            (404, json!("no such product"))
        );
    }
}
