//! The structural check of a loaded document: the parts the operation index and the diff
//! read (paths, path items, operations, parameters, request bodies, responses, headers,
//! media types, schemas) must have the shape OpenAPI gives them, or loading fails with a
//! located error instead of the diff reading a wrong shape as "absent".
//!
//! One walk from `paths`, following `$ref`s (each once per kind), over values already
//! parsed; positions are looked up only for the one node that is reported.

use super::locate::{locate, DisplayPath, Seg};
use super::{OpenApiDoc, SpecVersion, METHODS};
use crate::fast_hash::FastSet;
use crate::schema::SchemaError;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// Schemas nested deeper than this are not looked into (a guard for the stack, not a rule).
const MAX_DEPTH: usize = 256;

/// What a node is expected to be; with the reference, the key of a followed `$ref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    Schema,
}

type Check = Result<(), SchemaError>;

struct Checker<'a> {
    doc: &'a OpenApiDoc,
    swagger: bool,
    v31: bool,
    /// The file and the path (inside that file) of the node being checked.
    file: usize,
    path: Vec<Seg<'a>>,
    /// `$ref`s already followed: file written in, reference, what its target must be.
    followed: FastSet<(usize, &'a str, Kind)>,
    depth: usize,
}

/// Checks the shape of everything the diff and the operation index read; the first problem
/// is returned as [`SchemaError::NotOpenApi`] at the offending node.
pub(crate) fn check(doc: &OpenApiDoc) -> Check {
    let mut checker = Checker {
        doc,
        swagger: doc.version == SpecVersion::Swagger2,
        v31: doc.version == SpecVersion::OpenApi31,
        file: 0,
        path: Vec::new(),
        followed: FastSet::default(),
        depth: 0,
    };
    match doc.root().value.get("paths") {
        Some(paths) => checker.at("paths", |c| c.paths(paths)),
        None => Ok(()),
    }
}

/// "a string", "a list", … for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// `200`, `4XX` (or `4xx`), `default`.
fn is_status_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    key.eq_ignore_ascii_case("default")
        || (bytes.len() == 3
            && (b'1'..=b'5').contains(&bytes[0])
            && (bytes[1..].iter().all(u8::is_ascii_digit)
                || bytes[1..].iter().all(|b| b.eq_ignore_ascii_case(&b'x'))))
}

impl<'a> Checker<'a> {
    /// Runs `f` one key deeper.
    fn at(&mut self, key: &'a str, f: impl FnOnce(&mut Self) -> Check) -> Check {
        self.path.push(Seg::Key(Cow::Borrowed(key)));
        let result = f(self);
        self.path.pop();
        result
    }

    /// Runs `f` one list index deeper.
    fn at_index(&mut self, index: usize, f: impl FnOnce(&mut Self) -> Check) -> Check {
        self.path.push(Seg::Index(index));
        let result = f(self);
        self.path.pop();
        result
    }

    /// An error at the current node (or at its key, for a bad key).
    fn fail(&self, at_key: bool, message: impl fmt::Display) -> SchemaError {
        let file = &self.doc.files[self.file];
        let (line, column) = match locate(&file.text, &self.path, at_key) {
            Some((line, column)) => (Some(line), Some(column)),
            None => (None, None),
        };
        let message = if self.path.is_empty() {
            message.to_string()
        } else {
            format!("{}: {message}", DisplayPath(&self.path))
        };
        SchemaError::NotOpenApi {
            file: file.path.clone(),
            line,
            column,
            message,
        }
    }

    /// `expected …, found a string` at the current node.
    fn wrong(&self, expected: &str, found: &Value) -> SchemaError {
        self.fail(
            false,
            format!("expected {expected}, found {}", kind_of(found)),
        )
    }

    /// A mapping; `None` for a key written without a value (null), which the diff reads as
    /// empty (`responses:` with nothing under it); otherwise the error that it is not one.
    fn mapping(
        &self,
        value: &'a Value,
        expected: &str,
    ) -> Result<Option<&'a Map<String, Value>>, SchemaError> {
        match value {
            Value::Object(map) => Ok(Some(map)),
            Value::Null => Ok(None),
            other => Err(self.wrong(expected, other)),
        }
    }

    /// The mapping to check at `value`; `None` when it is a `$ref` (whose target is checked
    /// as `kind` at its own place instead) or null.
    fn own_mapping(
        &mut self,
        value: &'a Value,
        kind: Kind,
        f: fn(&mut Self, &'a Value) -> Check,
        expected: &str,
    ) -> Result<Option<&'a Map<String, Value>>, SchemaError> {
        if self.follow(value, kind, f)? {
            return Ok(None);
        }
        self.mapping(value, expected)
    }

    /// When `value` is a `$ref`, checks its target as `kind` (once per reference and kind) and
    /// returns true; the target is checked at its own place.
    fn follow(
        &mut self,
        value: &'a Value,
        kind: Kind,
        f: fn(&mut Self, &'a Value) -> Check,
    ) -> Result<bool, SchemaError> {
        let Some(reference) = reference_of(value) else {
            return Ok(false);
        };
        // Keyed by the reference as written: the same `$ref` repeats far more often than two
        // spellings name one target, and checking a target twice is only slower.
        if !self.followed.insert((self.file, reference, kind)) {
            return Ok(true);
        }
        let Some(((file, pointer), target)) = self.doc.lookup(self.file, reference) else {
            return Ok(true); // cannot happen after loading, which checks every `$ref`
        };
        let path = pointer_segments(pointer);
        let saved_path = std::mem::replace(&mut self.path, path);
        let saved_file = std::mem::replace(&mut self.file, file);
        f(self, target)?;
        self.path = saved_path;
        self.file = saved_file;
        Ok(true)
    }

    fn paths(&mut self, paths: &'a Value) -> Check {
        let Some(map) = self.mapping(paths, "a mapping of paths")? else {
            return Ok(());
        };
        for (key, item) in map {
            if key.starts_with("x-") {
                continue;
            }
            self.at(key, |c| {
                if !key.starts_with('/') {
                    return Err(c.fail(
                        true,
                        format!("expected a path starting with `/`, found `{key}`"),
                    ));
                }
                c.path_item(item)
            })?;
        }
        Ok(())
    }

    fn path_item(&mut self, item: &'a Value) -> Check {
        let Some(map) =
            self.own_mapping(item, Kind::PathItem, Self::path_item, "a path item mapping")?
        else {
            return Ok(());
        };
        for (key, value) in map {
            if METHODS.contains(&key.as_str()) {
                self.at(key, |c| c.operation(value))?;
            } else if key == "parameters" {
                self.at(key, |c| c.parameters(value))?;
            }
        }
        Ok(())
    }

    fn operation(&mut self, op: &'a Value) -> Check {
        let Some(map) =
            self.own_mapping(op, Kind::Operation, Self::operation, "an operation mapping")?
        else {
            return Ok(());
        };
        for (key, value) in map {
            match key.as_str() {
                "parameters" => self.at(key, |c| c.parameters(value))?,
                "requestBody" if !self.swagger => self.at(key, |c| c.request_body(value))?,
                "responses" => self.at(key, |c| c.responses(value))?,
                _ => {}
            }
        }
        Ok(())
    }

    fn parameters(&mut self, list: &'a Value) -> Check {
        let items = match list {
            Value::Array(items) => items,
            Value::Null => return Ok(()),
            other => return Err(self.wrong("a list of parameters", other)),
        };
        for (index, item) in items.iter().enumerate() {
            self.at_index(index, |c| c.parameter(item))?;
        }
        Ok(())
    }

    fn parameter(&mut self, param: &'a Value) -> Check {
        if self.follow(param, Kind::Parameter, Self::parameter)? {
            return Ok(());
        }
        let Some(map) = param.as_object() else {
            // Unlike an empty list, an empty parameter has no `in`.
            return Err(self.wrong("a parameter mapping", param));
        };
        let locations: &[&str] = if self.swagger {
            &["path", "query", "header", "body", "formData"]
        } else if self.v31 {
            // `querystring` is OpenAPI 3.2's, which loads as 3.1.
            &["path", "query", "header", "cookie", "querystring"]
        } else {
            &["path", "query", "header", "cookie"]
        };
        let expected = || format!("one of {}", locations.join(", "));
        let location = match map.get("in") {
            None => return Err(self.fail(false, format!("missing `in` (expected {})", expected()))),
            Some(Value::String(s)) if locations.contains(&s.as_str()) => s.as_str(),
            Some(other) => {
                let found = match other {
                    Value::String(s) => format!("`{s}`"),
                    other => kind_of(other).to_string(),
                };
                let message = format!("expected {}, found {found}", expected());
                return self.at("in", |c| Err(c.fail(false, message)));
            }
        };
        if let Some(name) = map.get("name") {
            if !name.is_string() {
                return self.at(
                    "name",
                    |c| Err(c.wrong("a parameter name (a string)", name)),
                );
            }
        }
        if self.swagger && location != "body" {
            // A Swagger 2.0 parameter other than `body` is itself the schema.
            return self.schema_keywords(map);
        }
        for (key, value) in map {
            match key.as_str() {
                "schema" => self.at(key, |c| c.schema(value))?,
                "content" if !self.swagger => self.at(key, |c| c.content(value))?,
                _ => {}
            }
        }
        Ok(())
    }

    fn request_body(&mut self, body: &'a Value) -> Check {
        let Some(map) = self.own_mapping(
            body,
            Kind::RequestBody,
            Self::request_body,
            "a request body mapping",
        )?
        else {
            return Ok(());
        };
        match map.get_key_value("content") {
            Some((key, content)) => self.at(key, |c| c.content(content)),
            None => Ok(()),
        }
    }

    fn content(&mut self, content: &'a Value) -> Check {
        let Some(map) = self.mapping(content, "a mapping of media types")? else {
            return Ok(());
        };
        for (media, value) in map {
            self.at(media, |c| {
                let Some(media_map) = c.mapping(value, "a media type mapping")? else {
                    return Ok(());
                };
                match media_map.get_key_value("schema") {
                    Some((key, schema)) => c.at(key, |c| c.schema(schema)),
                    None => Ok(()),
                }
            })?;
        }
        Ok(())
    }

    fn responses(&mut self, responses: &'a Value) -> Check {
        let Some(map) = self.mapping(responses, "a mapping of status codes")? else {
            return Ok(());
        };
        for (status, response) in map {
            if status.starts_with("x-") {
                continue;
            }
            self.at(status, |c| {
                if !is_status_key(status) {
                    return Err(c.fail(
                        true,
                        format!(
                            "expected a status code (`200`, `4XX` or `default`), found `{status}`"
                        ),
                    ));
                }
                c.response(response)
            })?;
        }
        Ok(())
    }

    fn response(&mut self, response: &'a Value) -> Check {
        let Some(map) = self.own_mapping(
            response,
            Kind::Response,
            Self::response,
            "a response mapping",
        )?
        else {
            return Ok(());
        };
        for (key, value) in map {
            match key.as_str() {
                "content" if !self.swagger => self.at(key, |c| c.content(value))?,
                "schema" if self.swagger => self.at(key, |c| c.schema(value))?,
                "headers" => self.at(key, |c| c.headers(value))?,
                _ => {}
            }
        }
        Ok(())
    }

    fn headers(&mut self, headers: &'a Value) -> Check {
        let Some(map) = self.mapping(headers, "a mapping of headers")? else {
            return Ok(());
        };
        for (name, header) in map {
            self.at(name, |c| c.header(header))?;
        }
        Ok(())
    }

    fn header(&mut self, header: &'a Value) -> Check {
        let Some(map) = self.own_mapping(header, Kind::Header, Self::header, "a header mapping")?
        else {
            return Ok(());
        };
        if self.swagger {
            // A Swagger 2.0 header is itself the schema.
            return self.schema_keywords(map);
        }
        for (key, value) in map {
            match key.as_str() {
                "schema" => self.at(key, |c| c.schema(value))?,
                "content" => self.at(key, |c| c.content(value))?,
                _ => {}
            }
        }
        Ok(())
    }

    fn schema(&mut self, schema: &'a Value) -> Check {
        if schema.is_boolean() && self.v31 {
            return Ok(());
        }
        if self.follow(schema, Kind::Schema, Self::schema)? {
            return Ok(());
        }
        let expected = if self.v31 {
            "a schema (a mapping or a boolean)"
        } else {
            "a schema mapping"
        };
        let Some(map) = self.mapping(schema, expected)? else {
            return Ok(());
        };
        if self.depth >= MAX_DEPTH {
            return Ok(());
        }
        self.depth += 1;
        let result = self.schema_keywords(map);
        self.depth -= 1;
        result
    }

    /// The keywords of a schema (or of a Swagger 2.0 parameter or header) the diff reads.
    fn schema_keywords(&mut self, map: &'a Map<String, Value>) -> Check {
        for (key, value) in map {
            match key.as_str() {
                "type" => self.at(key, |c| c.type_keyword(value))?,
                "properties" => self.at(key, |c| {
                    let Some(properties) = c.mapping(value, "a mapping of property schemas")?
                    else {
                        return Ok(());
                    };
                    for (name, property) in properties {
                        c.at(name, |c| c.schema(property))?;
                    }
                    Ok(())
                })?,
                "items" => self.at(key, |c| match value.as_array() {
                    Some(list) => c.schema_list(list),
                    None => c.schema(value),
                })?,
                "allOf" | "oneOf" | "anyOf" => self.at(key, |c| match value {
                    Value::Array(list) => c.schema_list(list),
                    Value::Null => Ok(()),
                    other => Err(c.wrong("a list of schemas", other)),
                })?,
                "not" => self.at(key, |c| c.schema(value))?,
                "additionalProperties" if !value.is_boolean() => {
                    self.at(key, |c| c.schema(value))?
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn schema_list(&mut self, list: &'a [Value]) -> Check {
        for (index, schema) in list.iter().enumerate() {
            self.at_index(index, |c| c.schema(schema))?;
        }
        Ok(())
    }

    fn type_keyword(&mut self, value: &'a Value) -> Check {
        match value {
            Value::String(_) => Ok(()),
            Value::Array(names) if self.v31 => {
                for (index, name) in names.iter().enumerate() {
                    if !name.is_string() {
                        return self
                            .at_index(index, |c| Err(c.wrong("a type name (a string)", name)));
                    }
                }
                Ok(())
            }
            other if self.v31 => Err(self.wrong("a type name or a list of type names", other)),
            other => Err(self.wrong("a type name (a string)", other)),
        }
    }
}

/// The `$ref` of a mapping. Mappings here have few keys: comparing them is cheaper than
/// hashing `$ref` for the map's index, and this runs for every node the walk visits.
fn reference_of(value: &Value) -> Option<&str> {
    let Value::Object(map) = value else {
        return None;
    };
    map.iter().find_map(|(key, value)| match value {
        Value::String(reference) if key == "$ref" => Some(reference.as_str()),
        _ => None,
    })
}

/// The keys and indices of a JSON pointer (`/components/schemas/A~1B` → components, schemas,
/// A/B), as keys: the locator matches a key against a list index too.
fn pointer_segments(pointer: &str) -> Vec<Seg<'static>> {
    let pointer = if pointer.contains('%') {
        Cow::Owned(super::percent_decode(pointer))
    } else {
        Cow::Borrowed(pointer)
    };
    pointer
        .split('/')
        .skip(1)
        .map(|part| Seg::Key(Cow::Owned(part.replace("~1", "/").replace("~0", "~"))))
        .collect()
}

#[cfg(test)]
#[path = "structure_tests.rs"]
mod tests;
