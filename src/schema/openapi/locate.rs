//! The line and column of a node, named by its path of keys and indices, in the YAML or JSON
//! text it was parsed from. Used only to place an error, so the text is parsed a second time
//! (as events, with positions) instead of keeping positions for every value of every document.

use serde_saphyr::granit_parser::{Event, Parser, Span, StrInput};
use std::borrow::Cow;
use std::fmt;

/// One step of a path inside a document: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// A path as the user reads it: `paths./a.get.parameters[0].in`.
pub(crate) struct DisplayPath<'p, 'a>(pub &'p [Seg<'a>]);

impl fmt::Display for DisplayPath<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(key) if i == 0 => f.write_str(key)?,
                Seg::Key(key) => write!(f, ".{key}")?,
                Seg::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

type Events<'i> = Parser<'i, StrInput<'i>>;

/// 1-based line and column of the node at `path` (of its key when `at_key`). When the path
/// cannot be followed to its end (an alias, a merge key), the deepest node found on the way;
/// `None` when the text does not parse.
pub(crate) fn locate(text: &str, path: &[Seg<'_>], at_key: bool) -> Option<(u64, u64)> {
    let mut events = Parser::new_from_str(text);
    let (event, span) = next_node(&mut events)?;
    descend(&mut events, event, span, path, at_key)
}

fn position(span: Span) -> (u64, u64) {
    (span.start.line() as u64, span.start.col() as u64 + 1)
}

/// The next event that is part of the node structure (no stream, document, anchor or
/// comment events).
fn next_node<'i>(events: &mut Events<'i>) -> Option<(Event<'i>, Span)> {
    loop {
        let (event, span) = events.next()?.ok()?;
        match event {
            Event::Scalar(..)
            | Event::SequenceStart(..)
            | Event::SequenceEnd
            | Event::MappingStart(..)
            | Event::MappingEnd
            | Event::Alias(..)
            | Event::StreamEnd => return Some((event, span)),
            _ => continue,
        }
    }
}

/// Consumes the rest of the node that `event` starts.
fn skip(events: &mut Events<'_>, event: &Event<'_>) -> Option<()> {
    if !matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
        return Some(());
    }
    let mut depth = 1usize;
    while depth > 0 {
        match next_node(events)?.0 {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => depth -= 1,
            Event::StreamEnd => return None,
            _ => {}
        }
    }
    Some(())
}

fn descend(
    events: &mut Events<'_>,
    event: Event<'_>,
    span: Span,
    path: &[Seg<'_>],
    at_key: bool,
) -> Option<(u64, u64)> {
    let Some((seg, rest)) = path.split_first() else {
        return Some(position(span));
    };
    match (&event, seg) {
        (Event::MappingStart(..), Seg::Key(wanted)) => loop {
            let (key, key_span) = next_node(events)?;
            match key {
                Event::MappingEnd | Event::StreamEnd => return Some(position(span)),
                Event::Scalar(ref text, ..) if text == wanted => {
                    if rest.is_empty() && at_key {
                        return Some(position(key_span));
                    }
                    let (value, value_span) = next_node(events)?;
                    return descend(events, value, value_span, rest, at_key);
                }
                other => {
                    skip(events, &other)?;
                    let (value, _) = next_node(events)?;
                    skip(events, &value)?;
                }
            }
        },
        (Event::SequenceStart(..), Seg::Index(_) | Seg::Key(_)) => {
            // A JSON pointer names list items by keys: `/parameters/0`.
            let wanted = match seg {
                Seg::Index(index) => *index,
                Seg::Key(key) => match key.parse::<usize>() {
                    Ok(index) => index,
                    Err(_) => return Some(position(span)),
                },
            };
            for _ in 0..wanted {
                let (item, _) = next_node(events)?;
                if matches!(item, Event::SequenceEnd | Event::StreamEnd) {
                    return Some(position(span));
                }
                skip(events, &item)?;
            }
            let (item, item_span) = next_node(events)?;
            if matches!(item, Event::SequenceEnd | Event::StreamEnd) {
                return Some(position(span));
            }
            descend(events, item, item_span, rest, at_key)
        }
        // A scalar, an alias, or a path that does not match the text: this node is as deep
        // as the path can be followed.
        _ => Some(position(span)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Seg<'_> {
        Seg::Key(Cow::Borrowed(k))
    }

    #[test]
    fn finds_values_keys_and_list_items_in_yaml_and_json() {
        let yaml = "a:\n  b: [1, {c: x}]\n  'd': 2\n";
        assert_eq!(
            locate(yaml, &[key("a"), key("b"), Seg::Index(1), key("c")], false),
            Some((2, 14))
        );
        assert_eq!(locate(yaml, &[key("a"), key("d")], true), Some((3, 3)));
        assert_eq!(locate(yaml, &[key("a"), key("d")], false), Some((3, 8)));
        let json = "{\"a\": {\"b\": [1,\n  {\"c\": \"x\"}]}}";
        assert_eq!(
            locate(json, &[key("a"), key("b"), Seg::Index(1), key("c")], false),
            Some((2, 9))
        );
        // Not there: the deepest node found.
        assert_eq!(locate(yaml, &[key("a"), key("zz")], false), Some((2, 3)));
        assert_eq!(
            DisplayPath(&[key("paths"), key("/a"), key("parameters"), Seg::Index(0)]).to_string(),
            "paths./a.parameters[0]"
        );
    }
}
