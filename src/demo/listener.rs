//! The demo's webhook listener: a receiver as a team would run one. It checks each
//! message's Standard Webhooks signature with the shared secret (answering 204 when it
//! verifies, 401 when it does not) and keeps what it received for the demo to show.

use super::http::Server;
use super::DemoError;
use crate::steps::notify::{self, SignatureError};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// One message the listener received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// `webhook-id`, when there was one.
    pub id: Option<String>,
    /// Whether the signature verified, and why not.
    pub verdict: Result<(), SignatureError>,
    /// The status the listener answered.
    pub status: u16,
    /// The body, when it was JSON.
    pub body: Value,
}

pub struct Listener {
    server: Server,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Listener {
    /// Starts listening on 127.0.0.1; messages must be signed with `secret`.
    pub fn start(secret: String) -> Result<Listener, DemoError> {
        let received = Arc::new(Mutex::new(Vec::new()));
        let keep = received.clone();
        let server = Server::start("webhook listener", move |request| {
            let verdict = notify::verify(
                &secret,
                request.header("webhook-id"),
                request.header("webhook-timestamp"),
                request.header("webhook-signature"),
                &request.body,
                chrono::Utc::now().timestamp(),
            );
            let status = if verdict.is_ok() { 204 } else { 401 };
            if let Ok(mut all) = keep.lock() {
                all.push(Received {
                    method: request.method.clone(),
                    path: request.path.clone(),
                    id: request.header("webhook-id").map(str::to_string),
                    verdict: verdict.clone(),
                    status,
                    body: serde_json::from_str(&request.body).unwrap_or(Value::Null),
                });
            }
            let body = verdict
                .err()
                .map(|e| serde_json::json!({"error": e.to_string()}).to_string());
            (status, body)
        })?;
        Ok(Listener { server, received })
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Everything received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(listener: &Listener, headers: &[(&str, String)], body: &str) -> u16 {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .proxy(None)
            .http_status_as_error(false)
            .build()
            .into();
        let mut request = agent.post(&format!("http://{}/hooks", listener.addr()));
        for (k, v) in headers {
            request = request.header(*k, v.as_str());
        }
        request.send(body).unwrap().status().as_u16()
    }

    #[test]
    fn signed_messages_verify_and_others_are_refused() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let listener = Listener::start(secret.into()).unwrap();
        let now = chrono::Utc::now().timestamp();
        let body = r#"{"text":"hi"}"#;
        let signed = |key: &str| {
            vec![
                ("webhook-id", "msg_1".to_string()),
                ("webhook-timestamp", now.to_string()),
                ("webhook-signature", notify::sign(key, "msg_1", now, body)),
            ]
        };
        assert_eq!(post(&listener, &signed(secret), body), 204);
        assert_eq!(post(&listener, &signed("whsec_b3RoZXI="), body), 401);
        assert_eq!(post(&listener, &[], body), 401);
        let got = listener.received();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].verdict, Ok(()));
        assert_eq!(got[0].body["text"], "hi");
        assert_eq!(got[0].id.as_deref(), Some("msg_1"));
        assert_eq!(got[1].verdict, Err(SignatureError::Mismatch));
        assert_eq!(
            got[2].verdict,
            Err(SignatureError::MissingHeader("webhook-id"))
        );
    }
}
