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

/// The value at a path of keys, which must already exist (events change parameters;
/// they do not add new ones).
pub fn lookup<'t>(
    table: &'t mut toml::Table,
    keys: &[String],
    allow_section: bool,
) -> Result<&'t mut toml::Value, String> {
    let mut cur = table;
    for (i, key) in keys.iter().enumerate() {
        let here = keys[..i].join(".");
        let names = || cur_keys(cur_table_keys(cur));
        if !cur.contains_key(key) {
            let place = if here.is_empty() {
                "the scenario".to_string()
            } else {
                format!("`{here}`")
            };
            return Err(format!(
                "unknown parameter path: {place} has no `{key}`; it has {}",
                names()
            ));
        }
        let v = cur.get_mut(key).expect("checked above");
        if i + 1 == keys.len() {
            if v.is_table() && !allow_section {
                return Err(format!(
                    "`{}` is a section; an event sets single values such as `{}.{}`",
                    keys.join("."),
                    keys.join("."),
                    v.as_table()
                        .and_then(|t| t.keys().next())
                        .cloned()
                        .unwrap_or_default()
                ));
            }
            return Ok(v);
        }
        match v {
            toml::Value::Table(t) => cur = t,
            _ => {
                return Err(format!(
                    "`{}` is a value, not a section",
                    keys[..=i].join(".")
                ));
            }
        }
    }
    Err("an empty parameter path".into())
}

fn cur_table_keys(t: &toml::Table) -> Vec<String> {
    t.keys().cloned().collect()
}

fn cur_keys(keys: Vec<String>) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a new value against the type of the one it replaces; a whole number may
/// stand for a real one.
pub fn coerce(old: &toml::Value, new: &toml::Value) -> Result<toml::Value, String> {
    use toml::Value as V;
    match (old, new) {
        (V::Float(_), V::Integer(i)) => Ok(V::Float(*i as f64)),
        (V::Integer(_), V::Float(f)) if f.fract() == 0.0 && f.is_finite() && f.abs() < 9e15 => {
            Ok(V::Integer(*f as i64))
        }
        (a, b) if a.same_type(b) => Ok(new.clone()),
        _ => Err(format!(
            "expected {}, found {}",
            old.type_str(),
            new.type_str()
        )),
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
