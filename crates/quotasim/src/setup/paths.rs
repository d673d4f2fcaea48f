//! Dotted parameter paths (`capacity.agencies.ero.agents`,
//! `events[2].set."quota.x"`): their syntax, and finding and replacing the value a path
//! names in a scenario's table. Used by events, adjustments, overlays and locating
//! errors; knows nothing of the model.

pub fn join_key(prefix: &str, key: &str) -> String {
    let key = if key.is_empty()
        || key.contains(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    {
        format!("{key:?}")
    } else {
        key.to_string()
    };
    if prefix.is_empty() {
        key
    } else {
        format!("{prefix}.{key}")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Splits `a.b[2]."c.d"` into segments.
pub fn split_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => {
                if !cur.is_empty() {
                    out.push(Seg::Key(std::mem::take(&mut cur)));
                }
            }
            '[' if !quoted => {
                if !cur.is_empty() {
                    out.push(Seg::Key(std::mem::take(&mut cur)));
                }
                let mut n = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    n.push(d);
                }
                if let Ok(i) = n.parse() {
                    out.push(Seg::Index(i));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(Seg::Key(cur));
    }
    out
}

/// Splits a dotted parameter path of an event (`offices.CHI.surge_officers`) into keys.
pub fn parameter_path_keys(path: &str) -> Vec<String> {
    split_path(path)
        .into_iter()
        .map(|s| match s {
            Seg::Key(k) => k,
            Seg::Index(i) => i.to_string(),
        })
        .collect()
}

/// Why a dotted path reaches no value, or a value is not of the type it replaces.
#[derive(Debug, Clone, PartialEq)]
pub enum PathError {
    /// `within` (a dotted path; empty: the scenario's top) has no `key`; it has `known`.
    Unknown {
        within: String,
        key: String,
        known: Vec<String>,
    },
    /// The path names a section where a single value is wanted; `example` is one of
    /// its values.
    Section { path: String, example: String },
    /// A key of the path names a single value, with more keys after it.
    NotSection { path: String },
    /// No key at all.
    Empty,
    /// A value of type `found` where the scenario holds a `expected`.
    Type {
        expected: &'static str,
        found: &'static str,
    },
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathError::Unknown { within, key, known } => {
                let place = if within.is_empty() {
                    "the scenario".to_string()
                } else {
                    format!("`{within}`")
                };
                write!(
                    f,
                    "unknown parameter path: {place} has no `{key}`; it has {}",
                    cur_keys(known)
                )
            }
            PathError::Section { path, example } => write!(
                f,
                "`{path}` is a section; an event sets single values such as `{path}.{example}`"
            ),
            PathError::NotSection { path } => write!(f, "`{path}` is a value, not a section"),
            PathError::Empty => write!(f, "an empty parameter path"),
            PathError::Type { expected, found } => write!(f, "expected {expected}, found {found}"),
        }
    }
}

impl std::error::Error for PathError {}

/// The value at a path of keys, which must already exist (events change parameters;
/// they do not add new ones).
pub fn lookup<'t>(
    table: &'t mut toml::Table,
    keys: &[String],
    allow_section: bool,
) -> Result<&'t mut toml::Value, PathError> {
    let mut cur = table;
    for (i, key) in keys.iter().enumerate() {
        if !cur.contains_key(key) {
            return Err(PathError::Unknown {
                within: keys[..i].join("."),
                key: key.clone(),
                known: cur.keys().cloned().collect(),
            });
        }
        let v = cur.get_mut(key).expect("checked above");
        if i + 1 == keys.len() {
            if v.is_table() && !allow_section {
                return Err(PathError::Section {
                    path: keys.join("."),
                    example: v
                        .as_table()
                        .and_then(|t| t.keys().next())
                        .cloned()
                        .unwrap_or_default(),
                });
            }
            return Ok(v);
        }
        match v {
            toml::Value::Table(t) => cur = t,
            _ => {
                return Err(PathError::NotSection {
                    path: keys[..=i].join("."),
                });
            }
        }
    }
    Err(PathError::Empty)
}

fn cur_keys(keys: &[String]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a new value against the type of the one it replaces; a whole number may
/// stand for a real one.
pub fn coerce(old: &toml::Value, new: &toml::Value) -> Result<toml::Value, PathError> {
    use toml::Value as V;
    match (old, new) {
        (V::Float(_), V::Integer(i)) => Ok(V::Float(*i as f64)),
        (V::Integer(_), V::Float(f)) if f.fract() == 0.0 && f.is_finite() && f.abs() < 9e15 => {
            Ok(V::Integer(*f as i64))
        }
        (a, b) if a.same_type(b) => Ok(new.clone()),
        _ => Err(PathError::Type {
            expected: old.type_str(),
            found: new.type_str(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_path_reads_quotes_and_indices() {
        assert_eq!(
            split_path("events[2].set.\"quota.x\""),
            vec![
                Seg::Key("events".into()),
                Seg::Index(2),
                Seg::Key("set".into()),
                Seg::Key("quota.x".into())
            ]
        );
    }
}
