//! Where a scenario's problems are: located errors (file, line, dotted key, value, what
//! is allowed) and the source text they are located in.

use std::fmt;
use std::ops::Range;

use crate::setup::paths::{Seg, join_key, split_path};

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
        let (span, value) = self.walk_path(path);
        (span, value.is_some())
    }

    /// The span of the deepest part of a dotted path the text sets, and the value at
    /// the whole path where the text sets it.
    fn walk_path(&self, path: &str) -> (Option<Range<usize>>, Option<&toml::de::DeValue<'a>>) {
        let Some(table) = self.table.as_ref() else {
            return (None, None);
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
                None => return (span, None),
            }
        }
        (span, cur)
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
        // An unknown field's span is its name: show the value written for it, unless
        // that is a table (its header would be shown as its value).
        let unknown = e.message().contains("unknown field");
        let at = if unknown {
            key.as_deref()
                .and_then(|k| self.span_of(k))
                .or(span.clone())
        } else {
            span.clone()
        };
        let table = unknown
            && key
                .as_deref()
                .and_then(|k| self.walk_path(k).1)
                .is_some_and(|v| v.as_table().is_some());
        let value = at.filter(|_| !table).and_then(|s| self.written(s));
        self.error(key, value, line, plain_words(e.message().trim()))
    }

    /// An error at a known dotted path (its line looked up in the text).
    /// The value is shown as the file writes it where the file sets the whole path on
    /// one short line (`1e-3` stays `1e-3`; a sum worked out from several keys is not
    /// shown as one key's value); else as given.
    pub fn error_at(&self, path: &str, value: Option<String>, message: String) -> ScenarioError {
        let (span, at) = self.walk_path(path);
        let line = span.as_ref().map(|s| self.line_of(s.start));
        // A table has no value to show: its span is its header (`[quota]`).
        let table = at.is_some_and(|v| v.as_table().is_some());
        let written = span
            .filter(|_| at.is_some() && !table)
            .and_then(|s| self.written(s))
            .or(value.filter(|_| !table));
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

/// A TOML reader's message in a reader's words: the Rust type it names (`expected
/// u32`, `string "x"`) as the kind of value a scenario writes.
pub fn plain_words(message: &str) -> String {
    let mut out = message.to_string();
    for (rust, plain) in [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a whole number of at least 0"),
        ("expected usize", "expected a whole number of at least 0"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f32", "expected a number"),
        ("expected f64", "expected a number"),
        ("expected a string", "expected text in quotes"),
        ("floating point `", "number `"),
        ("invalid type: string ", "invalid type: text "),
        ("unknown field", "unknown key"),
    ] {
        out = out.replace(rust, plain);
    }
    out
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
    fn a_toml_type_error_names_the_kind_of_value_not_the_rust_type() {
        assert_eq!(
            plain_words("invalid type: floating point `1.5`, expected u32"),
            "invalid type: number `1.5`, expected a whole number from 0 to 4294967295"
        );
        assert_eq!(
            plain_words(r#"invalid type: string "x", expected f64"#),
            r#"invalid type: text "x", expected a number"#
        );
    }

    #[test]
    fn an_unknown_table_is_named_without_its_header_as_value() {
        let src = Source::new("x.toml", "[quoat]\nx = 1\n");
        let e: toml::de::Error = toml::from_str::<Strict>("[quoat]\nx = 1\n").unwrap_err();
        let err = src.toml_error(&e);
        assert_eq!(err.key.as_deref(), Some("quoat"));
        assert_eq!(err.value, None);
        assert!(
            err.message.starts_with("unknown key `quoat`"),
            "{}",
            err.message
        );
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        run: Option<u32>,
    }

    #[test]
    fn line_of_an_offset_inside_a_character_is_safe() {
        let src = Source::new("x.toml", "a = \"é\"\nb = 1\n");
        assert_eq!(src.line_of(6), 1);
        assert_eq!(src.line_of(9), 2);
        assert_eq!(src.line_of(1000), 3);
    }
}
