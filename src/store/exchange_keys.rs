//! What is computed from an exchange to store it (its fingerprint and response-body hash)
//! and what a batch insert reports: shared by the SQLite and PostgreSQL inserts, below both.

use crate::exchange::Exchange;
use sha2::{Digest, Sha256};

/// What a batch insert did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InsertCounts {
    pub inserted: u64,
    pub duplicates: u64,
}

/// The first 8 bytes of the SHA-256 of a body, as stored in `response_hash`.
pub fn body_hash(body: &str) -> i64 {
    let digest = Sha256::digest(body.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(first)
}

/// What is computed from an exchange's content to store it: its fingerprint and the hash
/// of its response body.
#[derive(Clone, Copy)]
pub(super) struct Keys {
    pub(super) fingerprint: [u8; 8],
    pub(super) response_hash: Option<i64>,
}

impl Keys {
    pub(super) fn of(x: &Exchange) -> Keys {
        Keys {
            fingerprint: fingerprint_bytes(x),
            response_hash: x.response_body.as_deref().map(body_hash),
        }
    }
}

/// The stored fingerprint: the first 8 bytes of `Exchange::fingerprint`.
fn fingerprint_bytes(x: &Exchange) -> [u8; 8] {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&x.fingerprint_bytes()[..8]);
    bytes
}
