//! HAR (1.1, 1.2, 1.3) files, streamed: `log.entries` is visited one entry at a time
//! with serde's `DeserializeSeed`, so a large file is never held in memory whole.
//!
//! Only `request.method` and `request.url` are required of an entry; everything else
//! (`headersSize`, `timings`) may be missing. An entry that got no response (status 0,
//! as browsers and MockForge's export write it, or no `response`) is skipped with a
//! reason. Base64 response bodies are decoded when they are UTF-8 text; binary bodies
//! are not kept. A URL without a query takes it from `queryString` (MockForge's export
//! writes it only there).

use super::{body_text, json_kind, parse_timestamp, Sink};
use crate::coverage::CoverageError;
use crate::exchange::Exchange;
use crate::store::StoreError;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::BufRead;
use std::path::Path;

/// Reads a HAR file into the sink.
pub(super) fn read(
    reader: &mut impl BufRead,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<(), CoverageError> {
    let mut walker = EntryWalker {
        sink,
        entries: 0,
        saw_entries: false,
        failure: None,
    };
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let outcome = HarRoot {
        walker: &mut walker,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end());
    if let Some(store_error) = walker.failure.take() {
        return Err(store_error.into());
    }
    match outcome {
        Ok(()) if walker.saw_entries => Ok(()),
        Ok(()) => Err(CoverageError::BadFile {
            path: path.to_path_buf(),
            message: "not a HAR file: there is no log.entries array".into(),
        }),
        Err(error) if walker.entries == 0 => Err(CoverageError::Parse {
            path: path.to_path_buf(),
            line: error.line() as u64,
            column: error.column() as u64,
            message: format!("not a valid HAR file: {}", strip_location(&error)),
        }),
        Err(error) => {
            // Entries before the damage are kept; the rest of the file cannot be read.
            let entry = walker.entries + 1;
            walker.sink.reject(
                entry,
                format!(
                    "invalid JSON at line {} column {}: {}; the rest of the file was not read",
                    error.line(),
                    error.column(),
                    strip_location(&error)
                ),
            );
            Ok(())
        }
    }
}

/// serde_json's message without its " at line L column C" tail (we say it ourselves).
fn strip_location(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

struct EntryWalker<'s, 'a> {
    sink: &'s mut Sink<'a>,
    /// Entries seen so far (1-based number of the last one).
    entries: u64,
    saw_entries: bool,
    failure: Option<StoreError>,
}

impl EntryWalker<'_, '_> {
    fn entry(&mut self, value: Value) -> Result<(), StoreError> {
        self.entries += 1;
        self.sink.count_read();
        match to_exchange(&value, self.sink.now()) {
            Ok(exchange) => self.sink.accept(exchange),
            Err(reason) => {
                self.sink.reject(self.entries, reason);
                Ok(())
            }
        }
    }
}

struct HarRoot<'w, 's, 'a> {
    walker: &'w mut EntryWalker<'s, 'a>,
}

impl<'de> DeserializeSeed<'de> for HarRoot<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(KeyedVisitor {
            walker: self.walker,
            key: "log",
        })
    }
}

/// Visits an object, descending into one key (`log`, then `entries`) and skipping the rest.
struct KeyedVisitor<'w, 's, 'a> {
    walker: &'w mut EntryWalker<'s, 'a>,
    key: &'static str,
}

impl<'de> Visitor<'de> for KeyedVisitor<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with a {:?} key", self.key)
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key != self.key {
                map.next_value::<IgnoredAny>()?;
            } else if self.key == "log" {
                map.next_value_seed(LogSeed {
                    walker: self.walker,
                })?;
            } else {
                map.next_value_seed(EntriesSeed {
                    walker: self.walker,
                })?;
            }
        }
        Ok(())
    }
}

struct LogSeed<'w, 's, 'a> {
    walker: &'w mut EntryWalker<'s, 'a>,
}

impl<'de> DeserializeSeed<'de> for LogSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(KeyedVisitor {
            walker: self.walker,
            key: "entries",
        })
    }
}

struct EntriesSeed<'w, 's, 'a> {
    walker: &'w mut EntryWalker<'s, 'a>,
}

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("log.entries to be an array")
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        self.walker.saw_entries = true;
        while let Some(entry) = seq.next_element::<Value>()? {
            if let Err(failure) = self.walker.entry(entry) {
                self.walker.failure = Some(failure);
                return Err(de::Error::custom("the state file could not be written"));
            }
        }
        Ok(())
    }
}

fn text_at<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    value.pointer(pointer).and_then(Value::as_str)
}

/// One HAR entry as an exchange, or the reason it is bad.
fn to_exchange(entry: &Value, now: chrono::DateTime<chrono::Utc>) -> Result<Exchange, String> {
    if !entry.is_object() {
        return Err(format!("entry is {}, not an object", json_kind(entry)));
    }
    let method = text_at(entry, "/request/method")
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let url = text_at(entry, "/request/url")
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let (method, url) = match (method, url) {
        (Some(method), Some(url)) => (method, url),
        (None, Some(_)) => return Err("entry has no request.method".into()),
        (Some(_), None) => return Err("entry has no request.url".into()),
        (None, None) => return Err("entry has no request method and URL".into()),
    };
    if url.contains(char::is_whitespace) || !(url.contains("://") || url.starts_with('/')) {
        return Err(format!("request.url `{url}` is not a URL"));
    }
    let (path, query) = split_url(url);
    let query = query.or_else(|| query_string(entry));
    let timestamp = match entry.get("startedDateTime") {
        None | Some(Value::Null) => now,
        Some(value) => {
            parse_timestamp(value).map_err(|reason| format!("startedDateTime: {reason}"))?
        }
    };
    // HAR writes 0 (or nothing) for a request that got no answer.
    let status = match entry.pointer("/response/status") {
        None | Some(Value::Null) => 0,
        Some(value) => match value.as_u64() {
            Some(status) if status <= 999 => status as u16,
            _ => return Err(format!("response.status {value} is not an HTTP status")),
        },
    };
    if status == 0 {
        return Err("no response (status 0): the request got no answer".into());
    }
    let header = |name: &str| request_header(entry, name);
    Ok(Exchange {
        timestamp,
        method: method.to_ascii_uppercase(),
        path,
        query,
        status,
        service: None,
        workspace_id: None,
        reality_level: None,
        scenario: header("x-mockops-scenario"),
        persona: header("x-mockops-persona"),
        ci_run: header("x-mockops-ci-run"),
        duration_ms: entry
            .get("time")
            .and_then(Value::as_f64)
            .filter(|t| *t >= 0.0),
        request_body: text_at(entry, "/request/postData/text").map(str::to_string),
        response_body: response_body(entry),
        source: "har".into(),
        gateway_path: None,
        answered_by_gateway: false,
    })
}

/// `request.queryString` (`[{name, value}]`) as a query string.
fn query_string(entry: &Value) -> Option<String> {
    let pairs: Vec<String> = entry
        .pointer("/request/queryString")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(|pair| {
            let name = pair.get("name").and_then(Value::as_str)?;
            let value = pair.get("value").and_then(Value::as_str).unwrap_or("");
            Some(format!("{name}={value}"))
        })
        .collect();
    (!pairs.is_empty()).then(|| pairs.join("&"))
}

fn request_header(entry: &Value, name: &str) -> Option<String> {
    entry
        .pointer("/request/headers")
        .and_then(Value::as_array)?
        .iter()
        .find(|h| {
            h.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .and_then(|h| h.get("value").and_then(Value::as_str))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn response_body(entry: &Value) -> Option<String> {
    let content = entry.pointer("/response/content")?;
    let text = content.get("text").and_then(Value::as_str)?;
    body_text(text, content.get("encoding").and_then(Value::as_str))
}

/// `https://host:8080/v1/pets?limit=2#x` → (`/v1/pets`, `Some("limit=2")`); a relative
/// URL keeps its path.
pub(crate) fn split_url(url: &str) -> (String, Option<String>) {
    let without_fragment = url.split('#').next().unwrap_or(url);
    let after_scheme = match without_fragment.find("://") {
        Some(at) => {
            let rest = &without_fragment[at + 3..];
            match rest.find(['/', '?']) {
                Some(slash) => &rest[slash..],
                None => "",
            }
        }
        None => without_fragment,
    };
    let (path, query) = match after_scheme.split_once('?') {
        Some((path, query)) => (path, Some(query.to_string())),
        None => (after_scheme, None),
    };
    let path = if path.is_empty() {
        "/".to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    (path, query.filter(|q| !q.is_empty()))
}
