//! A PostgreSQL connection's cache of interned names (routes and labels → ids): committed
//! names are never deleted, so a writer may keep their ids. A leaf: the connection holds
//! one, and the bulk insert fills and reads it.

use crate::exchange::Exchange;
use crate::fast_hash::FastMap;

/// Names cached before the cache starts over.
pub(super) const CACHE_LIMIT: usize = 1 << 18;

/// A connection's cache of name → id, and whether its last batch met duplicates.
#[derive(Default)]
pub(crate) struct NameCache {
    pub(super) routes: FastMap<Box<[u8]>, i64>,
    pub(super) labels: FastMap<String, i64>,
    pub(super) key: Vec<u8>,
    /// The last batch held exchanges already stored: stage the next one directly.
    pub(super) met_duplicates: bool,
}

impl NameCache {
    /// The cached id of `x`'s route.
    pub(super) fn route(&mut self, x: &Exchange) -> Option<i64> {
        fill_key(&mut self.key, x);
        self.routes.get(self.key.as_slice()).copied()
    }

    /// The cache key of `x`'s route.
    pub(super) fn route_key(&mut self, x: &Exchange) -> Box<[u8]> {
        fill_key(&mut self.key, x);
        self.key.as_slice().into()
    }
}

/// `x`'s route as a key: each part length-prefixed, so no texts run together.
fn fill_key(key: &mut Vec<u8>, x: &Exchange) {
    {
        key.clear();
        key.push(u8::from(x.answered_by_gateway));
        match &x.service {
            Some(service) => {
                key.push(b'S');
                push_part(key, service);
            }
            None => key.push(b'N'),
        }
        push_part(key, &x.method);
        push_part(key, &x.path);
    }
}

fn push_part(key: &mut Vec<u8>, part: &str) {
    key.extend_from_slice(&(part.len() as u64).to_le_bytes());
    key.extend_from_slice(part.as_bytes());
}
