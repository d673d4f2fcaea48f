//! Writing values into a scenario's text with every comment and source kept: the one
//! editor that calibration (`fitted.toml`), the dashboard (the downloaded scenario) and
//! any other front use.
//!
//! An edit sets a number or a switch at a dotted path (an integer where the file has
//! one, the value's comment kept), scales every number of a table, holds a parameter
//! for the whole run (the events' settings of it are removed, and events left with
//! nothing to set go), or drops the events after a day. The edited text starts with a
//! header that lists the changes; a header written by an earlier edit of the same kind
//! is replaced, not stacked.

use toml_edit::{DocumentMut, Item, Value};

use crate::setup::paths::parameter_path_keys;

/// Why an edit cannot be made, with the path it is about.
#[derive(Debug, Clone, PartialEq)]
pub enum EditError {
    /// The text is not TOML (the parser's message).
    NotToml(String),
    /// The path is not written in the file (only in the defaults it leaves out).
    NotInFile { path: String },
    /// The path names a table where a number is wanted.
    Table { path: String },
    /// The value at the path is not a number.
    NotANumber { path: String },
    /// The path names no table of numbers.
    NotNumbers { path: String },
    /// Something on the way to the path is not a table.
    NotInTable { path: String },
    /// No key at all.
    EmptyPath,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::NotToml(message) => write!(f, "not valid TOML: {message}"),
            EditError::NotInFile { path } => {
                write!(
                    f,
                    "{path} is not in the scenario file (only in its defaults)"
                )
            }
            EditError::Table { path } => write!(f, "{path} is a table, not a number"),
            EditError::NotANumber { path } => write!(f, "{path} is not a number"),
            EditError::NotNumbers { path } => write!(f, "{path} is not a table of numbers"),
            EditError::NotInTable { path } => write!(f, "{path}: not inside a table"),
            EditError::EmptyPath => write!(f, "an empty path"),
        }
    }
}

impl std::error::Error for EditError {}

impl From<EditError> for String {
    fn from(e: EditError) -> String {
        e.to_string()
    }
}

/// A scenario's text being edited.
#[derive(Debug, Clone)]
pub struct Editor {
    doc: DocumentMut,
    /// The first line of the header, which also marks a header to replace.
    marker: String,
    changes: Vec<String>,
}

impl Editor {
    /// Opens `text` for editing. A header of an earlier edit that starts with `marker`
    /// (up to the first blank line) is dropped.
    pub fn open(text: &str, marker: &str) -> Result<Editor, EditError> {
        let body = strip_header(text, marker);
        let doc: DocumentMut = body
            .parse()
            .map_err(|e: toml_edit::TomlError| EditError::NotToml(e.to_string()))?;
        Ok(Editor {
            doc,
            marker: marker.to_string(),
            changes: Vec::new(),
        })
    }

    /// Whether any change was made.
    pub fn is_changed(&self) -> bool {
        !self.changes.is_empty()
    }

    /// Adds a line to the header (without the leading `#   `).
    pub fn note(&mut self, line: impl Into<String>) {
        self.changes.push(line.into());
    }

    /// Replaces the number at `path` by `f(old)`, keeping its comment, as an integer
    /// where the file writes one. Returns the old value.
    pub fn set_number(&mut self, path: &str, f: impl Fn(f64) -> f64) -> Result<f64, EditError> {
        let item = self.item_mut(path)?;
        let v = item.as_value_mut().ok_or_else(|| EditError::Table {
            path: path.to_string(),
        })?;
        replace_number(v, &f).ok_or_else(|| EditError::NotANumber {
            path: path.to_string(),
        })
    }

    /// Replaces every number of the table at `path` by `f(old)`, comments kept.
    pub fn scale_each(&mut self, path: &str, f: impl Fn(f64) -> f64) -> Result<(), EditError> {
        let not_numbers = || EditError::NotNumbers {
            path: path.to_string(),
        };
        let item = self.item_mut(path)?;
        let t = item.as_table_like_mut().ok_or_else(not_numbers)?;
        for (_, v) in t.iter_mut() {
            let v = v.as_value_mut().ok_or_else(not_numbers)?;
            replace_number(v, &f).ok_or_else(not_numbers)?;
        }
        Ok(())
    }

    /// Writes `value` at `path`, keeping the comment of the value it replaces; a key
    /// missing from its table is added, and so is a table missing on the way (a
    /// `[section]` of the file, or an inline table inside one).
    pub fn set_value(&mut self, path: &str, value: Value) -> Result<(), EditError> {
        let keys = parameter_path_keys(path);
        let (last, parents) = keys.split_last().ok_or(EditError::EmptyPath)?;
        let not_in_table = || EditError::NotInTable {
            path: path.to_string(),
        };
        let mut item = self.doc.as_item_mut();
        for k in parents {
            let inline = item.is_inline_table();
            let table = item.as_table_like_mut().ok_or_else(not_in_table)?;
            if !table.contains_key(k) {
                let new = if inline {
                    Item::Value(Value::InlineTable(toml_edit::InlineTable::new()))
                } else {
                    Item::Table(toml_edit::Table::new())
                };
                table.insert(k, new);
            }
            item = table.get_mut(k).ok_or_else(not_in_table)?;
        }
        let table = item.as_table_like_mut().ok_or_else(not_in_table)?;
        match table.get_mut(last).and_then(Item::as_value_mut) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = value;
                *old.decor_mut() = decor;
            }
            None => {
                table.insert(last, Item::Value(value));
            }
        }
        Ok(())
    }

    /// Writes a text value (a choice, such as `"hold"`) at `path`.
    pub fn set_text(&mut self, path: &str, value: &str) -> Result<(), EditError> {
        self.set_value(path, Value::from(value))
    }

    /// Writes a number at `path`: an integer where the file has one.
    pub fn put_number(&mut self, path: &str, x: f64) -> Result<(), EditError> {
        let integer = self.item(path).is_some_and(|i| i.as_integer().is_some());
        let value = if integer {
            Value::from(x.round() as i64)
        } else {
            Value::from(x)
        };
        self.set_value(path, value)
    }

    /// Holds `paths` at their base values for the whole run: the events' settings of
    /// them are removed, and events left with nothing to set are dropped (the text's
    /// twin of [`crate::setup::adjust::hold_paths`]).
    pub fn hold(&mut self, paths: &[String]) {
        // An assumption range on a held path goes: a held value is not drawn.
        if let Some(ranges) = self
            .doc
            .get_mut("assumptions")
            .and_then(Item::as_array_of_tables_mut)
        {
            ranges.retain(|t| {
                t.get("path")
                    .and_then(|p| p.as_str())
                    .is_none_or(|p| !crate::setup::adjust::is_held(p, paths))
            });
        }
        let Some(events) = self
            .doc
            .get_mut("events")
            .and_then(Item::as_array_of_tables_mut)
        else {
            return;
        };
        drop_event_settings(events, |k| crate::setup::adjust::is_held(k, paths));
    }

    /// Removes the events at the given positions of the list.
    pub fn remove_events(&mut self, positions: &[usize]) {
        if let Some(events) = self
            .doc
            .get_mut("events")
            .and_then(Item::as_array_of_tables_mut)
        {
            let mut sorted = positions.to_vec();
            sorted.sort_unstable();
            for &i in sorted.iter().rev() {
                if i < events.len() {
                    events.remove(i);
                }
            }
        }
    }

    /// The edited text: the header (its first line `marker` and `first`, then each
    /// change), a blank line, and the document. With no change, the text as opened.
    pub fn finish(self, first: &str) -> String {
        if self.changes.is_empty() {
            return self.doc.to_string();
        }
        let mut header = format!("{} {first}\n", self.marker);
        for c in &self.changes {
            header.push_str(&format!("#   {c}\n"));
        }
        format!("{header}\n{}", self.doc)
    }

    fn item(&self, path: &str) -> Option<&Item> {
        let mut item = self.doc.as_item();
        for k in parameter_path_keys(path) {
            item = item.as_table_like()?.get(k.as_str())?;
        }
        Some(item)
    }

    /// The item at `path`, found without adding anything (`Item::get_mut` would add a
    /// missing key).
    fn item_mut(&mut self, path: &str) -> Result<&mut Item, EditError> {
        let mut item = self.doc.as_item_mut();
        for k in parameter_path_keys(path) {
            item = item
                .as_table_like_mut()
                .and_then(|t| t.get_mut(k.as_str()))
                .ok_or_else(|| EditError::NotInFile {
                    path: path.to_string(),
                })?;
        }
        Ok(item)
    }
}

/// Drops the settings of the events in `events` whose key `held` says, and the events
/// left with nothing to set: how a value is held for the whole run, in a scenario's
/// text ([`Editor::hold`]) and in an overlay's `hold` list.
pub(crate) fn drop_event_settings(
    events: &mut toml_edit::ArrayOfTables,
    held: impl Fn(&str) -> bool,
) {
    for e in events.iter_mut() {
        if let Some(set) = e.get_mut("set").and_then(|i| i.as_table_like_mut()) {
            let gone: Vec<String> = set
                .iter()
                .map(|(k, _)| k.to_string())
                .filter(|k| held(k))
                .collect();
            for k in gone {
                set.remove(&k);
            }
        }
    }
    events.retain(|e| {
        e.get("set")
            .and_then(Item::as_table_like)
            .is_none_or(|t| !t.is_empty())
    });
}

/// The text without a header that starts with `marker` (up to its first blank line).
pub fn strip_header<'t>(text: &'t str, marker: &str) -> &'t str {
    match text.strip_prefix(marker) {
        Some(rest) => rest.split_once("\n\n").map_or(text, |(_, body)| body),
        None => text,
    }
}

/// Replaces a number by `f(old)`, keeping its decor; integers stay integers.
fn replace_number(v: &mut Value, f: &impl Fn(f64) -> f64) -> Option<f64> {
    let decor = v.decor().clone();
    let (old, new) = match v {
        Value::Integer(i) => {
            let old = *i.value() as f64;
            (old, Value::from(f(old).round() as i64))
        }
        Value::Float(x) => {
            let old = *x.value();
            (old, Value::from(f(old)))
        }
        _ => return None,
    };
    *v = new;
    *v.decor_mut() = decor;
    Some(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[a]\nn = 5 # five\nx = 0.5 # half\nt = { p = 1.0, q = 2 }\n\n[[events]]\nset = { \"a.n\" = 7, \"a.x\" = 0.1 }\n\n[[events]]\nset = { \"a.n\" = 8 }\n";

    #[test]
    fn set_keeps_comments_and_integers() {
        let mut e = Editor::open(TEXT, "# Edited").unwrap();
        assert_eq!(e.set_number("a.n", |_| 6.4).unwrap(), 5.0);
        e.put_number("a.x", 0.25).unwrap();
        e.scale_each("a.t", |v| v * 2.0).unwrap();
        e.note("a.n = 6");
        let out = e.finish("by a test");
        assert!(
            out.starts_with("# Edited by a test\n#   a.n = 6\n\n"),
            "{out}"
        );
        assert!(out.contains("n = 6 # five"), "{out}");
        assert!(out.contains("x = 0.25 # half"), "{out}");
        let t: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(t["a"]["t"]["q"].as_integer(), Some(4));
        assert_eq!(t["a"]["t"]["p"].as_float(), Some(2.0));
    }

    #[test]
    fn a_path_the_file_leaves_out_is_refused_by_set_and_added_by_put() {
        let mut e = Editor::open(TEXT, "# Edited").unwrap();
        assert_eq!(
            e.set_number("b.c.d", |_| 1.0),
            Err(EditError::NotInFile {
                path: "b.c.d".into()
            })
        );
        assert_eq!(
            e.set_number("a.m", |_| 1.0),
            Err(EditError::NotInFile { path: "a.m".into() })
        );
        // A refused edit leaves the text as it was.
        assert_eq!(e.clone().finish("x"), TEXT);
        e.put_number("b.c.d", 0.25).unwrap();
        e.put_number("a.t.r", 3.0).unwrap();
        let t: toml::Table = toml::from_str(&e.finish("x")).unwrap();
        assert_eq!(t["b"]["c"]["d"].as_float(), Some(0.25));
        assert_eq!(t["a"]["t"]["r"].as_float(), Some(3.0));
        assert_eq!(t["a"]["n"].as_integer(), Some(5));
        assert_eq!(t["events"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn hold_drops_the_events_settings_and_empty_events() {
        let mut e = Editor::open(TEXT, "# Edited").unwrap();
        e.hold(&["a.n".to_string()]);
        let t: toml::Table = toml::from_str(&e.finish("x")).unwrap();
        let events = t["events"].as_array().unwrap();
        assert_eq!(events.len(), 1);
        assert!(events[0]["set"].get("a.n").is_none());
    }

    #[test]
    fn an_earlier_header_is_replaced_not_stacked() {
        let mut e = Editor::open(TEXT, "# Edited").unwrap();
        e.note("one");
        let once = e.finish("first");
        let mut e = Editor::open(&once, "# Edited").unwrap();
        e.note("two");
        let twice = e.finish("second");
        assert_eq!(twice.matches("# Edited").count(), 1, "{twice}");
        assert!(!twice.contains("one"));
    }
}
