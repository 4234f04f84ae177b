//! The in-process, synchronous FIFO dispatch queue and its guards: chain depth,
//! events per dispatch, and loops (a pipeline re-run on an identical ancestor event).

use super::Event;
use std::collections::{BTreeSet, HashMap, VecDeque};

/// Why the queue stopped a chain.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueueError {
    #[error("event chain too deep (limits.max_event_depth = {limit}): {chain}")]
    TooDeep { limit: u32, chain: String },
    #[error("too many events in one dispatch (limits.max_events_per_dispatch = {limit}); stopped at: {chain}")]
    TooMany { limit: u32, chain: String },
}

struct Node {
    parent: Option<String>,
    event_type: String,
    payload_key: String,
    ran: BTreeSet<String>,
}

/// A FIFO of events to dispatch, remembering each event's ancestry within this dispatch.
pub struct Queue {
    pending: VecDeque<Event>,
    nodes: HashMap<String, Node>,
    accepted: u32,
    max_depth: u32,
    max_events: u32,
}

impl Queue {
    pub fn new(max_depth: u32, max_events: u32) -> Queue {
        Queue {
            pending: VecDeque::new(),
            nodes: HashMap::new(),
            accepted: 0,
            max_depth,
            max_events,
        }
    }

    /// Checks the guards for an event about to be created under `parent` (None for a root).
    pub fn admit(&self, event_type: &str, parent: Option<&Event>) -> Result<(), QueueError> {
        let depth = parent.map(|p| p.depth + 1).unwrap_or(0);
        let chain = || {
            let mut c = parent.map(|p| self.chain_of(&p.id)).unwrap_or_default();
            c.push(event_type.to_string());
            c.join(" → ")
        };
        if depth > self.max_depth {
            return Err(QueueError::TooDeep {
                limit: self.max_depth,
                chain: chain(),
            });
        }
        if self.accepted >= self.max_events {
            return Err(QueueError::TooMany {
                limit: self.max_events,
                chain: chain(),
            });
        }
        Ok(())
    }

    /// Adds an event (already admitted and stored) at the back of the queue.
    pub fn push(&mut self, event: Event) {
        self.accepted += 1;
        self.nodes.insert(
            event.id.clone(),
            Node {
                parent: event.parent_id.clone(),
                event_type: event.event_type.clone(),
                payload_key: canonical(&event.payload),
                ran: BTreeSet::new(),
            },
        );
        self.pending.push_back(event);
    }

    pub fn pop(&mut self) -> Option<Event> {
        self.pending.pop_front()
    }

    /// Events accepted so far in this dispatch.
    pub fn accepted(&self) -> u32 {
        self.accepted
    }

    /// Records that `pipeline` ran for `event_id`.
    pub fn mark_ran(&mut self, event_id: &str, pipeline: &str) {
        if let Some(node) = self.nodes.get_mut(event_id) {
            node.ran.insert(pipeline.to_string());
        }
    }

    /// When running `pipeline` on `event` would repeat a run on an identical ancestor
    /// (same type and payload), the chain that makes the loop.
    pub fn loop_chain(&self, event: &Event, pipeline: &str) -> Option<String> {
        let key = canonical(&event.payload);
        let mut cursor = event.parent_id.clone();
        while let Some(id) = cursor {
            let node = self.nodes.get(&id)?;
            if node.ran.contains(pipeline)
                && node.event_type == event.event_type
                && node.payload_key == key
            {
                let mut chain = self.chain_of(&id);
                let tail = self.chain_of(&event.id);
                chain.extend(tail.into_iter().skip(chain.len()));
                return Some(format!(
                    "{} (pipeline `{pipeline}` already ran for this event)",
                    chain.join(" → ")
                ));
            }
            cursor = node.parent.clone();
        }
        None
    }

    /// Event types from the root of the chain to `event_id`.
    pub fn chain_of(&self, event_id: &str) -> Vec<String> {
        let mut types = Vec::new();
        let mut cursor = Some(event_id.to_string());
        while let Some(id) = cursor {
            match self.nodes.get(&id) {
                Some(node) => {
                    types.push(node.event_type.clone());
                    cursor = node.parent.clone();
                }
                None => break,
            }
        }
        types.reverse();
        types
    }
}

fn canonical(payload: &serde_json::Map<String, serde_json::Value>) -> String {
    // serde_json with preserve_order keeps insertion order; sort for a canonical key.
    let sorted: std::collections::BTreeMap<_, _> = payload.iter().collect();
    serde_json::to_string(&sorted).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use serde_json::{json, Map, Value};

    fn map(v: Value) -> Map<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn depth_guard_names_the_chain() {
        let mut q = Queue::new(1, 100);
        let root = Event::new("custom.a", "w", "t", Map::new(), Utc::now());
        q.admit("custom.a", None).unwrap();
        q.push(root.clone());
        let kid = root.child("custom.b", "t", Map::new(), Utc::now());
        q.admit("custom.b", Some(&root)).unwrap();
        q.push(kid.clone());
        let err = q.admit("custom.c", Some(&kid)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "event chain too deep (limits.max_event_depth = 1): custom.a → custom.b → custom.c"
        );
    }

    #[test]
    fn count_guard() {
        let mut q = Queue::new(10, 2);
        for _ in 0..2 {
            q.admit("custom.a", None).unwrap();
            q.push(Event::new("custom.a", "w", "t", Map::new(), Utc::now()));
        }
        assert!(matches!(
            q.admit("custom.a", None),
            Err(QueueError::TooMany { .. })
        ));
    }

    #[test]
    fn loop_detected_only_for_same_type_and_payload() {
        let mut q = Queue::new(10, 100);
        let root = Event::new("custom.ping", "w", "t", map(json!({"n": 1})), Utc::now());
        q.push(root.clone());
        q.mark_ran(&root.id, "p");
        let same = root.child("custom.ping", "t", map(json!({"n": 1})), Utc::now());
        q.push(same.clone());
        assert!(q.loop_chain(&same, "p").is_some());
        assert!(q.loop_chain(&same, "other").is_none());
        let different = root.child("custom.ping", "t", map(json!({"n": 2})), Utc::now());
        q.push(different.clone());
        assert!(q.loop_chain(&different, "p").is_none());
    }
}
