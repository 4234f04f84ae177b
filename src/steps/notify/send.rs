//! Sending one delivery: Slack and generic webhooks over HTTP (Standard Webhooks
//! signatures); email is in `email.rs`.

// `StepFailure` is the step framework's error type, returned by value by `StepType::run`.
#![allow(clippy::result_large_err)]

use super::config::{Delivery, Target};
use crate::steps::http::{self, HttpRequest};
use crate::steps::StepFailure;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::time::Instant;

/// Sends one delivery; returns the HTTP status (or the SMTP reply code) on success.
pub fn deliver(
    delivery: &Delivery,
    message_id: &str,
    deadline: Option<Instant>,
) -> Result<u16, StepFailure> {
    let what = delivery.target.describe();
    match &delivery.target {
        Target::Slack { url } => {
            post_json(&what, "POST", url, Vec::new(), &delivery.body, deadline)
        }
        Target::Webhook {
            url,
            method,
            headers,
            secret,
        } => {
            let mut headers = headers.clone();
            if let Some(secret) = secret {
                let timestamp = chrono::Utc::now().timestamp();
                let signature = sign(secret, message_id, timestamp, &delivery.body);
                headers.push(("webhook-id".into(), message_id.to_string()));
                headers.push(("webhook-timestamp".into(), timestamp.to_string()));
                headers.push(("webhook-signature".into(), signature));
            }
            post_json(&what, method, url, headers, &delivery.body, deadline)
        }
        Target::Email(email) => super::email::send(&what, email, &delivery.body, deadline),
    }
}

fn post_json(
    what: &str,
    method: &str,
    url: &str,
    mut headers: Vec<(String, String)>,
    body: &str,
    deadline: Option<Instant>,
) -> Result<u16, StepFailure> {
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("content-type".into(), "application/json".into()));
    }
    let response = http::send(&HttpRequest {
        method,
        url,
        headers,
        body: Some(body),
        deadline,
    })?;
    if response.is_success() {
        Ok(response.status)
    } else {
        let mut failure = http::status_failure(what, &response);
        failure
            .outputs
            .insert("status_code".into(), Value::from(response.status));
        Err(failure)
    }
}

/// A Standard Webhooks message id, stable across the retries of one run's delivery.
pub fn message_id(seed: &str, index: usize) -> String {
    let digest = Sha256::digest(format!("{seed}#{index}").as_bytes());
    format!("msg_{}", hex::encode(digest.get(..12).unwrap_or(&digest)))
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`; a `whsec_` secret is base64-decoded,
/// any other secret is used as raw bytes.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let key = secret_key(secret);
    // HMAC accepts keys of any length: new_from_slice cannot fail here.
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&key) else {
        return "v1,".to_string();
    };
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// Why a Standard Webhooks message does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no `{0}` header")]
    MissingHeader(&'static str),
    #[error("`webhook-timestamp` is not a number of seconds")]
    BadTimestamp,
    #[error("`webhook-timestamp` is {0} s away from now (more than {TOLERANCE_SECS} s)")]
    Stale(i64),
    #[error("no `v1` signature in `webhook-signature` matches the body")]
    Mismatch,
}

/// How far a message's timestamp may be from the receiver's clock (the standard's 5 minutes).
pub const TOLERANCE_SECS: i64 = 300;

/// What a receiver checks: the timestamp is within [`TOLERANCE_SECS`] of `now`, and one of
/// the space-separated `v1,` signatures of `signature_header` is the HMAC of
/// `id.timestamp.body` under `secret` (compared in constant time).
pub fn verify(
    secret: &str,
    id: Option<&str>,
    timestamp: Option<&str>,
    signature_header: Option<&str>,
    body: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let id = id.ok_or(SignatureError::MissingHeader("webhook-id"))?;
    let timestamp = timestamp.ok_or(SignatureError::MissingHeader("webhook-timestamp"))?;
    let header = signature_header.ok_or(SignatureError::MissingHeader("webhook-signature"))?;
    let seconds: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadTimestamp)?;
    let skew = now.saturating_sub(seconds);
    if skew.abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale(skew));
    }
    let key = secret_key(secret);
    let matches = |candidate: &str| {
        let Some(encoded) = candidate.strip_prefix("v1,") else {
            return false;
        };
        let Ok(given) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
            return false;
        };
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&key) else {
            return false;
        };
        mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
        mac.verify_slice(&given).is_ok()
    };
    if header.split(' ').any(matches) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn secret_key(secret: &str) -> Vec<u8> {
    match secret.strip_prefix("whsec_") {
        Some(encoded) => base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap_or_else(|_| secret.as_bytes().to_vec()),
        None => secret.as_bytes().to_vec(),
    }
}
