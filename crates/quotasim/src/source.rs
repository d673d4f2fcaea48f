//! Where a scenario's problems are: located errors (file, line, dotted key, value, what
//! is allowed) and the source text they are located in.

use std::fmt;
use std::ops::Range;

use crate::paths::{Seg, join_key, split_path};

/// One located problem with a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The file (or name) the scenario came from.
    pub origin: String,
    /// 1-based line, where one is known.
    pub line: Option<usize>,
    /// Dotted key, where one is known.
    pub key: Option<String>,
    /// The offending value as written, where one is known.
    pub value: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        match (&self.key, &self.value) {
            (Some(k), Some(v)) => write!(f, ": {k} = {v}")?,
            (Some(k), None) => write!(f, ": {k}")?,
            _ => {}
        }
        write!(f, "\n       {}", self.message)
    }
}

/// All problems found in one scenario (at least one).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// A problem found by validation, before it is located in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: String,
    pub value: String,
    pub message: String,
    /// Other keys whose values broke the rule with `path`'s (a cross-key rule): the
    /// problem is shown where the user's own file sets any of them, if it does not
    /// set `path` itself.
    pub related: Vec<String>,
}

/// The text a scenario came from, kept to locate problems by line.
pub struct Source<'a> {
    pub origin: &'a str,
    pub text: &'a str,
    table: Option<toml::Spanned<toml::de::DeTable<'a>>>,
}

impl<'a> Source<'a> {
    pub fn new(origin: &'a str, text: &'a str) -> Source<'a> {
        Source {
            origin,
            text,
            table: toml::de::DeTable::parse(text).ok(),
        }
    }

    /// Whether the text parses to a table with nothing in it (only blanks or comments).
    pub fn is_empty_table(&self) -> bool {
        self.table.as_ref().is_some_and(|t| t.get_ref().is_empty())
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, byte: usize) -> usize {
        // Bytes, not a str slice: an offset inside a multi-byte character must not panic.
        self.text.as_bytes()[..byte.min(self.text.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    /// Follows a dotted path as far as the text sets it: the span of the deepest part
    /// found, and whether the whole path was found.
    fn follow(&self, path: &str) -> (Option<Range<usize>>, bool) {
        let Some(table) = self.table.as_ref() else {
            return (None, false);
        };
        let mut span = None;
        let mut cur: Option<&toml::de::DeValue> = None;
        for (i, seg) in split_path(path).iter().enumerate() {
            let next = match (i, seg) {
                (0, Seg::Key(k)) => table.get_ref().get(k.as_str()),
                (_, Seg::Key(k)) => cur
                    .and_then(|v| v.as_table())
                    .and_then(|t| t.get(k.as_str())),
                (_, Seg::Index(n)) => cur.and_then(|v| v.as_array()).and_then(|a| a.get(*n)),
            };
            match next {
                Some(v) => {
                    span = Some(v.span());
                    cur = Some(v.get_ref());
                }
                None => return (span, false),
            }
        }
        (span, cur.is_some())
    }

    /// Span of the value at a dotted path (`a.b`, `events[2].set."quota.x"`); where the
    /// whole path is not in the text, the deepest part of it that is still says where
    /// to look.
    pub fn span_of(&self, path: &str) -> Option<Range<usize>> {
        self.follow(path).0
    }

    /// Whether the text sets the whole of a dotted path.
    pub fn sets(&self, path: &str) -> bool {
        self.follow(path).1
    }

    /// The dotted path of the key whose key or value contains `at`: every key is
    /// searched, since a `[section]` header's span does not cover its body.
    pub fn path_at(&self, at: &Range<usize>) -> Option<String> {
        fn inside(s: &Range<usize>, at: &Range<usize>) -> bool {
            s.start <= at.start && at.start < s.end.max(s.start + 1)
        }
        fn walk(v: &toml::de::DeValue, at: &Range<usize>, path: &str) -> Option<String> {
            if let Some(t) = v.as_table() {
                for (k, item) in t.iter() {
                    let p = join_key(path, k.get_ref());
                    if let Some(found) = walk(item.get_ref(), at, &p) {
                        return Some(found);
                    }
                    if inside(&k.span(), at) || inside(&item.span(), at) {
                        return Some(p);
                    }
                }
            } else if let Some(a) = v.as_array() {
                for (i, item) in a.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    if let Some(found) = walk(item.get_ref(), at, &p) {
                        return Some(found);
                    }
                    if inside(&item.span(), at) {
                        return Some(p);
                    }
                }
            }
            None
        }
        let table = self.table.as_ref()?;
        walk(&toml::de::DeValue::Table(table.get_ref().clone()), at, "")
    }

    /// A TOML syntax or type error, located at its line and key.
    pub fn toml_error(&self, e: &toml::de::Error) -> ScenarioError {
        let span = e.span();
        let line = span.as_ref().map(|s| self.line_of(s.start));
        let key = span.as_ref().and_then(|s| self.path_at(s));
        // An unknown field's span is its name: show the value written for it.
        let at = if e.message().contains("unknown field") {
            key.as_deref()
                .and_then(|k| self.span_of(k))
                .or(span.clone())
        } else {
            span.clone()
        };
        let value = at.and_then(|s| self.written(s));
        self.error(key, value, line, e.message().trim().to_string())
    }

    /// An error at a known dotted path (its line looked up in the text).
    /// The value is shown as the file writes it where the file sets the whole path on
    /// one short line (`1e-3` stays `1e-3`; a sum worked out from several keys is not
    /// shown as one key's value); else as given.
    pub fn error_at(&self, path: &str, value: Option<String>, message: String) -> ScenarioError {
        let (span, whole) = self.follow(path);
        let line = span.as_ref().map(|s| self.line_of(s.start));
        let written = span
            .filter(|_| whole)
            .and_then(|s| self.written(s))
            .or(value);
        self.error(Some(path.to_string()), written, line, message)
    }

    /// The text at `span`, where it is one line of at most 80 characters.
    fn written(&self, span: Range<usize>) -> Option<String> {
        let v = self.text.get(span)?.trim();
        (!v.is_empty() && v.len() <= 80 && !v.contains('\n')).then(|| v.to_string())
    }

    pub fn error(
        &self,
        key: Option<String>,
        value: Option<String>,
        line: Option<usize>,
        message: String,
    ) -> ScenarioError {
        ScenarioError {
            origin: self.origin.to_string(),
            line,
            key,
            value,
            message,
        }
    }
}

/// Turns a validation problem into a located error.
pub fn locate(source: &Source, p: Problem) -> ScenarioError {
    let line = source.span_of(&p.path).map(|s| source.line_of(s.start));
    let value = (!p.value.is_empty()).then_some(p.value);
    source.error(Some(p.path), value, line, p.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_an_offset_inside_a_character_is_safe() {
        let src = Source::new("x.toml", "a = \"é\"\nb = 1\n");
        assert_eq!(src.line_of(6), 1);
        assert_eq!(src.line_of(9), 2);
        assert_eq!(src.line_of(1000), 3);
    }
}
