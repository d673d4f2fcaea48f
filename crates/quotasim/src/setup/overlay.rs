//! Scenarios as overlays (docs/model.md 7.10): a scenario file may start with `base = "other.toml"` (a path
//! relative to the file) and hold only what differs from its base, as a reform in
//! OpenFisca or PolicyEngine holds only what it changes.
//!
//! The rules, applied from the deepest base up:
//!
//! - a table of the overlay merges key by key into the base's table (also where the
//!   base writes it inline, `stay_days = { ... }`); a value replaces the base's value,
//!   with the overlay's comments;
//! - `[[events]]`: an overlay that lists events replaces the base's events whole (events
//!   are dated within their own scenario's run); one that lists none keeps the base's;
//!   one that says `add_events = true` (above its first table) adds its events to the
//!   base's, in date order (on one date, the base's first), as a scenario that runs on
//!   past its base's end adds what happens then;
//! - bases chain (a base may have a base); a cycle, a missing or unreadable base, or a
//!   `base` that is not a file name is a located error at the `base` line;
//! - a value the overlay sets that an event of its base sets again later would hold
//!   only until that event's date, which an analyst rarely means: it is refused, at
//!   its line, naming the event, unless the overlay says which it means. `hold =
//!   ["path", ...]` holds the value for the whole run (the base's events no longer set
//!   it: their settings of it are dropped, and an event left with nothing to set goes);
//!   `keep = ["path", ...]` keeps the base's events (the overlay's value holds until
//!   the first of them, as a fit of the values before an event does). A path in either
//!   list covers everything under it (`hold = ["quota"]`), and must be one the overlay
//!   sets;
//! - an overlay that moves the run (`run.days`, `run.start_date`) and lists no events
//!   keeps the base's events within the new run; those outside it do not happen, as
//!   with `--days`.
//!
//! The result is one TOML text with every comment and source kept
//! (`quotasim scenario show --resolved FILE`), and the list of files it came from, so
//! that a problem found in the merged scenario is reported at the line of the file that
//! set the value. The model reads no file: a front hands in a reader.

use std::path::{Component, Path, PathBuf};

use toml_edit::{DocumentMut, Item, TableLike};

use crate::setup::source::{Problem, ScenarioError, ScenarioErrors, Source};

/// Deepest chain of bases followed.
pub const MAX_DEPTH: usize = 16;

/// The scenarios shipped with quotasim, by their path in the repository. The built-in
/// default's base is found here without reading a file.
pub const SHIPPED: &[(&str, &str)] = &[
    (
        crate::setup::scenario::RUN_DEFAULT_NAME,
        crate::setup::scenario::RUN_DEFAULT_TOML,
    ),
    (
        crate::setup::scenario::FITTED_2025_NAME,
        crate::setup::scenario::FITTED_2025_TOML,
    ),
    (
        crate::setup::scenario::NATIONAL_DEFAULT_NAME,
        crate::setup::scenario::NATIONAL_DEFAULT_TOML,
    ),
    (
        "scenarios/baseline-fy2024.toml",
        include_str!("../../../../scenarios/baseline-fy2024.toml"),
    ),
];

/// A scenario's text with its bases merged in.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Where the scenario came from (the overlay's file).
    pub origin: String,
    /// The merged scenario as TOML, comments kept, with no `base`.
    pub text: String,
    /// The files it was merged from, the overlay first, then each base in turn:
    /// (origin, text).
    pub files: Vec<(String, String)>,
    /// Events added to a base's (`add_events = true`): (merged index, the index in
    /// `files` of the file that wrote it, its index there).
    added: Vec<(usize, usize, usize)>,
}

impl Resolved {
    /// A scenario with no base: the text as it is.
    pub fn plain(origin: &str, text: &str) -> Resolved {
        Resolved {
            origin: origin.to_string(),
            text: text.to_string(),
            files: vec![(origin.to_string(), text.to_string())],
            added: Vec::new(),
        }
    }

    /// Event `i` of the merged scenario as the file that wrote it: that file's index
    /// in `files` and the event's index there, for events a file added to its base's
    /// (`add_events`); None for the others, found by their path as before.
    fn added_event(&self, i: usize) -> Option<(usize, usize)> {
        self.added
            .iter()
            .find(|(at, _, _)| *at == i)
            .map(|&(_, file, j)| (file, j))
    }

    /// Whether the scenario had a base.
    pub fn has_base(&self) -> bool {
        self.files.len() > 1
    }

    /// The error for a problem at a dotted path: located at the line of the first file
    /// in the chain (the overlay, then its bases) that sets the path; where none does,
    /// at the nearest part of the path in the overlay.
    pub fn error_at(&self, path: &str, value: Option<String>, message: String) -> ScenarioError {
        let problem = Problem {
            path: path.into(),
            value: value.unwrap_or_default(),
            message,
            related: Vec::new(),
        };
        self.errors(vec![problem]).0.remove(0)
    }

    /// Every problem located, each file of the chain parsed once: at the first file in
    /// the chain (the overlay, then its bases) that sets the problem's path or, for a
    /// cross-key rule, one of its related keys (the value the user changed is shown
    /// where the user changed it); where none does, at the nearest part of the path in
    /// the overlay. At most [`MAX_REPORTED`] are given, then one that counts the rest.
    pub fn errors(&self, problems: Vec<Problem>) -> ScenarioErrors {
        let sources: Vec<Source> = self.files.iter().map(|(o, t)| Source::new(o, t)).collect();
        let total = problems.len();
        let mut errors: Vec<ScenarioError> = problems
            .into_iter()
            .take(MAX_REPORTED)
            .map(|p| {
                let value = (!p.value.is_empty()).then_some(p.value);
                // An event a file added to its base's: at its own index in that file.
                if let Some((i, rest)) = event_index(&p.path)
                    && let Some((file, local)) = self.added_event(i)
                {
                    return sources[file].error_at(
                        &format!("events[{local}]{rest}"),
                        value,
                        p.message,
                    );
                }
                for source in &sources {
                    if source.sets(&p.path) {
                        return source.error_at(&p.path, value, p.message);
                    }
                    if let Some(r) = p.related.iter().find(|r| source.sets(r)) {
                        // Where the key the rule is about is set, in a base.
                        let at = sources
                            .iter()
                            .find(|s| s.sets(&p.path))
                            .and_then(|s| {
                                let line = s.line_of(s.span_of(&p.path)?.start);
                                Some(format!(" (set at {}:{line})", s.origin))
                            })
                            .unwrap_or_default();
                        let message = format!("with it, {}{at}: {}", p.path, p.message);
                        return source.error_at(r, None, message);
                    }
                }
                sources[0].error_at(&p.path, value, p.message)
            })
            .collect();
        if total > MAX_REPORTED {
            errors.push(ScenarioError {
                origin: self.origin.clone(),
                line: None,
                key: None,
                value: None,
                message: format!(
                    "and {} more problems (the first {MAX_REPORTED} are shown; mend them and check again)",
                    total - MAX_REPORTED
                ),
            });
        }
        ScenarioErrors(errors)
    }
}

/// Most problems reported for one scenario: past a few dozen they are the same
/// mistake repeated, and each costs a look-up in the text.
pub const MAX_REPORTED: usize = 50;

/// A reader of base files: given the base's path (joined to the directory of the file
/// that names it), its text, or why it cannot be read (the reader's own words, shown
/// after the path).
pub type Reader<'a> = &'a dyn Fn(&str) -> std::io::Result<String>;

/// A reader of the shipped scenarios only (the model's own, and the browser's).
pub fn shipped_reader(path: &str) -> std::io::Result<String> {
    SHIPPED
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, text)| text.to_string())
        .ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "not a shipped scenario (the shipped ones: {})",
                    SHIPPED
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

/// What the fronts run when given no scenario (the fitted 2025 scenario run on to
/// 2026-12-31), its bases merged in.
pub fn run_default() -> Resolved {
    resolve(
        crate::setup::scenario::RUN_DEFAULT_NAME,
        crate::setup::scenario::RUN_DEFAULT_TOML,
        &shipped_reader,
    )
    .expect("the fronts' default scenario resolves")
}

/// The scenario of the 2025 fit (2025-01-20 .. 2026-01-31), its bases merged in.
pub fn fitted_2025() -> Resolved {
    resolve(
        crate::setup::scenario::FITTED_2025_NAME,
        crate::setup::scenario::FITTED_2025_TOML,
        &shipped_reader,
    )
    .expect("the 2025 fit's scenario resolves")
}

/// The built-in national scenario (the blind 2025 prediction) with its base merged in.
pub fn national_default() -> Resolved {
    resolve(
        crate::setup::scenario::NATIONAL_DEFAULT_NAME,
        crate::setup::scenario::NATIONAL_DEFAULT_TOML,
        &shipped_reader,
    )
    .expect("the built-in default scenario resolves")
}

/// Merges `text` (from `origin`) onto its chain of bases, read by `read`. A text with
/// no `base` comes back as it is.
pub fn resolve(origin: &str, text: &str, read: Reader) -> Result<Resolved, ScenarioErrors> {
    let mut files = vec![(origin.to_string(), text.to_string())];
    let mut chain = vec![normalize(origin)];
    let mut docs: Vec<DocumentMut> = Vec::new();
    loop {
        let (here, here_text) = files.last().cloned().expect("at least the overlay");
        // A text that is not TOML is reported by the parse that follows; here it only
        // ends the chain.
        let Ok(doc) = here_text.parse::<DocumentMut>() else {
            if docs.is_empty() {
                return Ok(Resolved::plain(origin, text));
            }
            let source = Source::new(&files[files.len() - 2].0, &files[files.len() - 2].1);
            return Err(one(source.error_at(
                "base",
                None,
                format!("the base scenario {here} is not valid TOML; check it with `quotasim scenario check {here}`"),
            )));
        };
        let base = doc.get("base").cloned();
        docs.push(doc);
        let Some(base) = base else { break };
        let source = Source::new(&here, &here_text);
        let Some(name) = base.as_str().filter(|s| !s.trim().is_empty()) else {
            return Err(one(source.error_at(
                "base",
                Some(base.to_string().trim().to_string()),
                "`base` names the scenario this one overlays: a file name in quotes, relative to this file, such as base = \"baseline-fy2024.toml\"".into(),
            )));
        };
        let path = join(&here, name);
        if chain.contains(&normalize(&path)) {
            let cycle: Vec<String> = files.iter().map(|(o, _)| o.clone()).collect();
            return Err(one(source.error_at(
                "base",
                Some(format!("{name:?}")),
                format!("a cycle of bases: {} -> {path}", cycle.join(" -> ")),
            )));
        }
        if files.len() > MAX_DEPTH {
            return Err(one(source.error_at(
                "base",
                Some(format!("{name:?}")),
                format!("bases chain deeper than {MAX_DEPTH} files"),
            )));
        }
        let base_text = read(&path).map_err(|e| {
            one(source.error_at(
                "base",
                Some(format!("{name:?}")),
                format!("cannot read the base scenario {path}: {e}"),
            ))
        })?;
        chain.push(normalize(&path));
        files.push((path, base_text));
    }
    if docs.len() == 1 {
        return Ok(Resolved::plain(origin, text));
    }
    // The overlay's own opening comments (above its `base`) say what it is: they open
    // the merged text, before the base's.
    let lead = docs[0]
        .as_table()
        .get_key_value("base")
        .and_then(|(k, _)| k.leaf_decor().prefix().and_then(|p| p.as_str()))
        .unwrap_or("")
        .trim_end()
        .to_string();
    // Merge from the deepest base up; an overlay that lists no events is checked
    // against its base's.
    let mut merged = docs.pop().expect("a base");
    while let Some(mut over) = docs.pop() {
        let (origin, over_text) = &files[docs.len()];
        let source = Source::new(origin, over_text);
        let lists = take_lists(&mut over, &source)?;
        // Events added to the base's: the overlay is merged as one without events, then
        // its events go after the base's.
        let adding = if lists.add_events {
            over.remove("events")
        } else {
            None
        };
        if over.get("events").is_none() {
            // The base's events stay as they are in the merge; those outside a run the
            // overlay moved go first, then the rest are checked against its values.
            merge_top(&mut merged, &over);
            if over
                .get("run")
                .and_then(Item::as_table_like)
                .is_some_and(|r| r.contains_key("days") || r.contains_key("start_date"))
            {
                drop_events_outside_the_run(&mut merged);
            }
            events_against(&mut merged, &lists, &source)?;
            if let Some(events) = adding {
                add_events(&mut merged, &events, docs.len());
            }
            continue;
        } else if let Some(path) = lists.hold.iter().chain(&lists.keep).next() {
            return Err(one(source.error_at(
                if lists.hold.contains(path) { "hold" } else { "keep" },
                Some(format!("{path:?}")),
                "this scenario lists its own events, which replace its base's whole: there are no base events to hold against or keep".into(),
            )));
        }
        merge_top(&mut merged, &over);
    }
    merged.remove("base");
    let added = take_origins(&mut merged);
    let names: Vec<&str> = files.iter().map(|(o, _)| o.as_str()).collect();
    let mut header = format!(
        "# Resolved: {} merged onto {} (quotasim scenario show --resolved).\n",
        names[0],
        names[1..].join(", then ")
    );
    if !lead.is_empty() {
        header.push_str(&format!(
            "#\n{lead}\n#\n# What follows is the merged whole; its first comments are its base's.\n\n"
        ));
    }
    Ok(Resolved {
        origin: origin.to_string(),
        text: format!("{header}{merged}"),
        files,
        added,
    })
}

/// `events[12].set."x"` as (12, `.set."x"`).
fn event_index(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("events[")?;
    let close = rest.find(']')?;
    Some((rest[..close].parse().ok()?, &rest[close + 1..]))
}

fn one(e: ScenarioError) -> ScenarioErrors {
    ScenarioErrors(vec![e])
}

/// After an overlay that moved the run (its `run.days` or `run.start_date`) onto a
/// base's events: the events dated outside the new run do not happen, as with `--days`
/// (an overlay that shortens the run keeps the events within it).
/// A date as a scenario writes it (a TOML date, or one in quotes), its comment aside.
fn date_of(item: Option<&Item>) -> Option<crate::setup::scenario::Date> {
    let text = match item?.as_value()? {
        toml_edit::Value::Datetime(d) => d.value().to_string(),
        toml_edit::Value::String(t) => t.value().clone(),
        _ => return None,
    };
    crate::setup::scenario::Date::parse(text.trim())
}

fn drop_events_outside_the_run(merged: &mut DocumentMut) {
    let run = merged.get("run").and_then(Item::as_table_like);
    let start = date_of(run.and_then(|r| r.get("start_date")));
    let days = run
        .and_then(|r| r.get("days"))
        .and_then(Item::as_integer)
        .and_then(|d| u32::try_from(d).ok())
        .filter(|&d| d > 0);
    let (Some(start), Some(days)) = (start, days) else {
        // A run the scenario's own checks will refuse: nothing to drop by.
        return;
    };
    let end = start.plus_days(days - 1);
    if let Some(events) = merged
        .get_mut("events")
        .and_then(Item::as_array_of_tables_mut)
    {
        events.retain(|e| date_of(e.get("date")).is_none_or(|d| start <= d && d <= end));
    }
}

/// An overlay's `hold` and `keep` lists (taken out of it: they are not parameters),
/// and the dotted paths of the values it sets.
#[derive(Debug, Default)]
struct Lists {
    hold: Vec<String>,
    keep: Vec<String>,
    sets: Vec<String>,
    /// `add_events = true`: the overlay's events go after its base's.
    add_events: bool,
}

/// The key an added event carries through the merge, naming the file and index it
/// came from; taken out before the merged text is made ([`take_origins`]).
const ORIGIN: &str = "__quotasim_origin";

fn tables_of(item: &Item) -> toml_edit::ArrayOfTables {
    match item {
        Item::ArrayOfTables(a) => a.clone(),
        // `events = [...]` written inline: its tables, in order.
        other => other
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_inline_table().map(|t| t.clone().into_table()))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Puts `events` (the `[[events]]` of file `file` in the chain) among the base's in
/// `merged`, in date order (on one date, the base's first), each marked with where it
/// came from, so that a problem in it is reported at its line.
fn add_events(merged: &mut DocumentMut, events: &Item, file: usize) {
    let mut all: Vec<toml_edit::Table> = merged
        .get("events")
        .map(tables_of)
        .unwrap_or_default()
        .into_iter()
        .collect();
    for (j, t) in tables_of(events).into_iter().enumerate() {
        let mut t = t;
        t.insert(ORIGIN, toml_edit::value(format!("{file}:{j}")));
        all.push(t);
    }
    // A stable sort: events without a readable date keep their place after the dated
    // ones before them (they are refused later, at their line).
    let dates: Vec<Option<crate::setup::scenario::Date>> =
        all.iter().map(|t| date_of(t.get("date"))).collect();
    let mut order: Vec<usize> = (0..all.len()).collect();
    let mut last = None;
    let keys: Vec<_> = dates
        .iter()
        .map(|d| {
            if d.is_some() {
                last = *d;
            }
            last
        })
        .collect();
    order.sort_by_key(|&i| keys[i]);
    // Tables are written in the order of their positions: the events (and their
    // `[events.set]`) are numbered on from the last other table of the merged text.
    merged.remove("events");
    let mut next = last_position(merged.as_table()) + 1;
    let mut list = toml_edit::ArrayOfTables::new();
    for i in order {
        let mut t = all[i].clone();
        renumber(&mut t, &mut next);
        list.push(t);
    }
    merged.insert("events", Item::ArrayOfTables(list));
}

/// Takes the origin marks out of the merged events: (merged index, file, index there)
/// for each added event.
fn take_origins(merged: &mut DocumentMut) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let Some(list) = merged
        .get_mut("events")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return out;
    };
    for (i, t) in list.iter_mut().enumerate() {
        if let Some(mark) = t.remove(ORIGIN)
            && let Some((f, j)) = mark.as_str().and_then(|m| m.split_once(':'))
            && let (Ok(f), Ok(j)) = (f.parse(), j.parse())
        {
            out.push((i, f, j));
        }
    }
    out
}

/// The largest position of a table in `t` or under it.
fn last_position(t: &toml_edit::Table) -> isize {
    let mut last = t.position().unwrap_or(0);
    for (_, item) in t.iter() {
        match item {
            Item::Table(sub) => last = last.max(last_position(sub)),
            Item::ArrayOfTables(a) => {
                for sub in a.iter() {
                    last = last.max(last_position(sub));
                }
            }
            _ => {}
        }
    }
    last
}

/// Gives `t` and the tables under it positions from `next` on, in order.
fn renumber(t: &mut toml_edit::Table, next: &mut isize) {
    t.set_position(Some(*next));
    *next += 1;
    for (_, item) in t.iter_mut() {
        if let Item::Table(sub) = item {
            renumber(sub, next);
        }
    }
}

/// Whether `key` lies at or under `path` (`quota` covers `quota.national_per_day`).
fn covers(path: &str, key: &str) -> bool {
    key == path || (key.starts_with(path) && key.as_bytes().get(path.len()) == Some(&b'.'))
}

/// The dotted paths of the values a table sets, `prefix` before each.
fn leaf_paths(table: &dyn TableLike, prefix: &str, out: &mut Vec<String>) {
    for (k, item) in table.iter() {
        let path = if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        };
        match item.as_table_like() {
            Some(t) => leaf_paths(t, &path, out),
            None => out.push(path),
        }
    }
}

fn take_lists(over: &mut DocumentMut, source: &Source) -> Result<Lists, ScenarioErrors> {
    let mut sets = Vec::new();
    for (k, item) in over.iter() {
        if !matches!(k, "base" | "events" | "hold" | "keep" | "add_events") {
            match item.as_table_like() {
                Some(t) => leaf_paths(t, k, &mut sets),
                None => sets.push(k.to_string()),
            }
        }
    }
    let mut lists = Lists {
        sets,
        ..Lists::default()
    };
    if let Some(item) = over.remove("add_events") {
        lists.add_events = item.as_bool().ok_or_else(|| {
            one(source.error_at(
                "add_events",
                Some(item.to_string().trim().to_string()),
                "`add_events` is true (this file's events go after its base's) or false (they replace its base's)".into(),
            ))
        })?;
    }
    let sets = &lists.sets;
    let (mut hold, mut keep) = (Vec::new(), Vec::new());
    for (name, list) in [("hold", &mut hold), ("keep", &mut keep)] {
        let Some(item) = over.remove(name) else {
            continue;
        };
        let wrong = || {
            one(source.error_at(
                name,
                Some(item.to_string().trim().to_string()),
                format!("`{name}` lists the dotted paths of values this scenario sets, in quotes: {name} = [\"quota.national_per_day\"]"),
            ))
        };
        let array = item.as_array().ok_or_else(wrong)?;
        for v in array.iter() {
            let path = v.as_str().ok_or_else(wrong)?.trim().to_string();
            if !sets.iter().any(|s| covers(&path, s)) {
                return Err(one(source.error_at(
                    name,
                    Some(format!("{path:?}")),
                    format!("`{name}` lists `{path}`, which this scenario does not set: list the paths of the values it sets"),
                )));
            }
            list.push(path);
        }
    }
    (lists.hold, lists.keep) = (hold, keep);
    if let Some(path) = lists.hold.iter().find(|p| lists.keep.contains(p)) {
        return Err(one(source.error_at(
            "keep",
            Some(format!("{path:?}")),
            format!("`{path}` is in both `hold` and `keep`: a value is held for the run or left to the events, not both"),
        )));
    }
    Ok(lists)
}

/// Checks an overlay that lists no events against its base's events (`base`, merged
/// so far): a value it sets that an event sets again must be held (the events'
/// settings of it dropped here) or kept; otherwise the first such value is refused,
/// naming the event.
fn events_against(
    base: &mut DocumentMut,
    lists: &Lists,
    source: &Source,
) -> Result<(), ScenarioErrors> {
    let Some(events) = base
        .get_mut("events")
        .and_then(Item::as_array_of_tables_mut)
    else {
        return Ok(());
    };
    let held = |key: &str| lists.hold.iter().any(|h| covers(h, key));
    let kept = |key: &str| lists.keep.iter().any(|h| covers(h, key));
    for (i, event) in events.iter().enumerate() {
        let Some(set) = event.get("set").and_then(Item::as_table_like) else {
            continue;
        };
        for (key, _) in set.iter() {
            let Some(path) = lists.sets.iter().find(|p| covers(p, key) || covers(key, p)) else {
                continue;
            };
            if held(path) || held(key) || kept(path) || kept(key) {
                continue;
            }
            let date = date_of(event.get("date")).map_or_else(String::new, |d| d.to_string());
            return Err(one(source.error_at(
                path,
                None,
                format!(
                    "the base's events[{i}] sets `{key}` again on {date}, so this value would hold only until then; to hold it for the whole run add hold = [\"{path}\"] to this file (above its first table), or to keep the base's events from that date add keep = [\"{path}\"]"
                ),
            )));
        }
    }
    // Held: the events no longer set it; an event left with nothing to set goes.
    if !lists.hold.is_empty() {
        crate::setup::edit::drop_event_settings(events, held);
    }
    Ok(())
}

/// Merges an overlay document onto its base: tables key by key, `events` whole.
fn merge_top(base: &mut DocumentMut, over: &DocumentMut) {
    for (key, item) in over.iter() {
        match key {
            "base" => {}
            "events" => {
                base.insert("events", item.clone());
            }
            _ => merge_item(base.as_table_mut(), false, key, item, over.as_table()),
        }
    }
}

/// `inline`: `base` is an inline table, where a comment would end the line inside the
/// braces, so the overlay's comments are not carried in.
fn merge_item(
    base: &mut dyn TableLike,
    inline: bool,
    key: &str,
    item: &Item,
    over: &dyn TableLike,
) {
    if let (Some(b), Some(o)) = (base.get_mut(key), item.as_table_like()) {
        let b_inline = inline || b.is_value();
        if let Some(bt) = b.as_table_like_mut() {
            for (k, v) in o.iter() {
                merge_item(bt, b_inline, k, v, o);
            }
            return;
        }
    }
    // A value (or a table the base lacks): replace, keeping the base's place and
    // taking the overlay's comment above the key where it has one.
    let mut new = item.clone();
    if inline && let Item::Value(v) = &mut new {
        v.decor_mut().clear();
        v.decor_mut().set_prefix(" ");
    }
    match base.get_mut(key) {
        Some(slot) => {
            let replacement = match (slot.is_value(), new) {
                // The base writes it as a value (inline table): keep it a value.
                (true, Item::Table(t)) => {
                    Item::Value(toml_edit::Value::InlineTable(t.into_inline_table()))
                }
                (_, n) => n,
            };
            *slot = replacement;
        }
        None => {
            base.insert(key, new);
        }
    }
    if inline {
        return;
    }
    if let (Some((ok, _)), Some(mut bk)) = (over.get_key_value(key), base.key_mut(key)) {
        let prefix = ok
            .leaf_decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("");
        if prefix.contains('#') {
            bk.leaf_decor_mut().set_prefix(prefix.to_string());
        }
    }
}

/// `name` relative to the directory of the file `from`.
///
/// Only `.` is dropped: a `..` is left for the system to resolve, since after a
/// symbolic link to a folder it names the parent of the folder linked to, not of the
/// link (dropping `x/..` as text would read a file beside the link).
fn join(from: &str, name: &str) -> String {
    let dir = Path::new(from).parent().unwrap_or(Path::new(""));
    let joined: PathBuf = dir
        .join(name)
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    joined.to_string_lossy().into_owned()
}

/// A path with `.` and `x/..` removed, as text (no file is read).
fn normalize(path: &str) -> String {
    let mut out = PathBuf::new();
    for c in Path::new(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                // `..` cancels a name before it, not another `..` (or a root).
                let last = out.components().next_back();
                if matches!(last, Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(
        files: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> std::io::Result<String> {
        move |p: &str| {
            files
                .iter()
                .find(|(n, _)| *n == p)
                .map(|(_, t)| t.to_string())
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
        }
    }

    const EVENTFUL: &[(&str, &str)] = &[(
        "d/base.toml",
        "[q]\nn = 10\nm = 1\n\n[[events]]\ndate = 2025-02-01\nset = { \"q.n\" = 20 }\n\n[[events]]\ndate = 2025-03-01\nset = { \"q.n\" = 30, \"q.m\" = 2 }\n",
    )];

    #[test]
    fn added_events_join_the_base_events_in_date_order() {
        let r = resolve(
            "d/over.toml",
            "base = \"base.toml\"\nadd_events = true\n\n[[events]]\ndate = 2025-04-01\nset = { \"q.m\" = 4 }\n\n[[events]]\ndate = 2025-02-15\n[events.set]\n\"q.m\" = 3\n",
            &reader(EVENTFUL),
        )
        .unwrap();
        let doc: DocumentMut = r.text.parse().unwrap();
        let events = doc["events"].as_array_of_tables().unwrap();
        let dates: Vec<String> = events
            .iter()
            .map(|t| t["date"].as_value().unwrap().to_string().trim().to_string())
            .collect();
        assert_eq!(
            dates,
            ["2025-02-01", "2025-02-15", "2025-03-01", "2025-04-01"]
        );
        // The set table of the added event stays under it; no mark is left behind.
        assert_eq!(events.get(1).unwrap()["set"]["q.m"].as_integer(), Some(3));
        assert!(!r.text.contains(ORIGIN));
        // A problem in an added event is shown at its line in the overlay: the merged
        // events[3] is the overlay's events[0], on line 5.
        let e = r.error_at("events[3].set.\"q.m\"", None, "wrong".into());
        assert_eq!((e.origin.as_str(), e.line), ("d/over.toml", Some(6)));
        // Without add_events the overlay's events replace the base's.
        let r = resolve(
            "d/over.toml",
            "base = \"base.toml\"\n\n[[events]]\ndate = 2025-04-01\nset = { \"q.m\" = 4 }\n",
            &reader(EVENTFUL),
        )
        .unwrap();
        let doc: DocumentMut = r.text.parse().unwrap();
        assert_eq!(doc["events"].as_array_of_tables().unwrap().len(), 1);
    }

    #[test]
    fn add_events_must_be_true_or_false() {
        let e = resolve(
            "d/over.toml",
            "base = \"base.toml\"\nadd_events = \"yes\"\n",
            &reader(EVENTFUL),
        )
        .unwrap_err();
        assert_eq!(e.0[0].line, Some(2));
        assert!(e.0[0].message.contains("true"), "{}", e.0[0].message);
    }

    #[test]
    fn an_overlay_value_an_event_sets_again_is_refused_naming_the_event() {
        let e = resolve(
            "d/over.toml",
            "base = \"base.toml\"\n[q]\nn = 0\n",
            &reader(EVENTFUL),
        )
        .unwrap_err();
        let e = &e.0[0];
        assert_eq!((e.origin.as_str(), e.line), ("d/over.toml", Some(3)));
        assert!(
            e.message
                .contains("events[0] sets `q.n` again on 2025-02-01")
                && e.message.contains("hold = [\"q.n\"]")
                && e.message.contains("keep = [\"q.n\"]"),
            "{}",
            e.message
        );
        // A value no event sets is taken as before.
        assert!(
            resolve(
                "d/over.toml",
                "base = \"base.toml\"\n[q]\nm2 = 0\n",
                &reader(EVENTFUL)
            )
            .is_ok()
        );
    }

    #[test]
    fn an_overlay_that_shortens_the_run_keeps_only_the_events_within_it() {
        let files: &[(&str, &str)] = &[(
            "d/base.toml",
            "[run]\nstart_date = 2025-01-20 # the start\ndays = 100\n[q]\nn = 10\n\n[[events]]\ndate = 2025-01-25\nset = { \"q.n\" = 20 }\n\n[[events]]\ndate = 2025-03-01 # later\nset = { \"q.n\" = 30 }\n",
        )];
        let short = resolve(
            "d/over.toml",
            "base = \"base.toml\"\n[run]\ndays = 30\n",
            &reader(files),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&short.text).unwrap();
        let events = doc["events"].as_array().unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["date"].to_string(), "2025-01-25");
        // An overlay that leaves the run alone keeps every event.
        let same = resolve(
            "d/over.toml",
            "base = \"base.toml\"\n[q]\nm = 1\n",
            &reader(files),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&same.text).unwrap();
        assert_eq!(doc["events"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn hold_drops_the_events_settings_and_keep_leaves_them() {
        let held = resolve(
            "d/over.toml",
            "base = \"base.toml\"\nhold = [\"q\"]\n[q]\nn = 0\n",
            &reader(EVENTFUL),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&held.text).unwrap();
        assert!(doc.get("hold").is_none());
        // Both events set only what "q" covers (everything under a held path is held):
        // both go.
        assert!(doc.get("events").is_none(), "{:?}", doc.get("events"));
        let kept = resolve(
            "d/over.toml",
            "base = \"base.toml\"\nkeep = [\"q.n\"]\n[q]\nn = 0\n",
            &reader(EVENTFUL),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&kept.text).unwrap();
        assert_eq!(doc["events"].as_array().unwrap().len(), 2);
        assert_eq!(doc["q"]["n"].as_integer(), Some(0));
    }

    #[test]
    fn hold_and_keep_name_only_what_the_overlay_sets() {
        for (text, says, line) in [
            ("hold = [\"q.m\"]\n[q]\nn = 0\n", "does not set", 2),
            ("hold = \"q.n\"\n[q]\nn = 0\n", "dotted paths", 2),
            (
                "hold = [\"q.n\"]\nkeep = [\"q.n\"]\n[q]\nn = 0\n",
                "both",
                3,
            ),
        ] {
            let e = resolve(
                "d/over.toml",
                &format!("base = \"base.toml\"\n{text}"),
                &reader(EVENTFUL),
            )
            .unwrap_err();
            assert!(e.0[0].message.contains(says), "{}", e.0[0].message);
            assert_eq!(e.0[0].line, Some(line), "{}", e.0[0].message);
        }
    }

    #[test]
    fn overlay_values_replace_and_tables_merge_key_by_key() {
        let files: &[(&str, &str)] = &[(
            "d/base.toml",
            "[a]\nx = 1 # base x\ny = 2\nz = { p = 1, q = 2 }\n\n[[events]]\nwhen = 1\n",
        )];
        let r = resolve(
            "d/over.toml",
            "base = \"base.toml\"\n[a]\ny = 3 # over y\nz.q = 5\n",
            &reader(files),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&r.text).unwrap();
        assert_eq!(doc["a"]["x"].as_integer(), Some(1));
        assert_eq!(doc["a"]["y"].as_integer(), Some(3));
        assert_eq!(doc["a"]["z"]["p"].as_integer(), Some(1));
        assert_eq!(doc["a"]["z"]["q"].as_integer(), Some(5));
        assert!(doc.get("base").is_none());
        // The base's events stand when the overlay lists none; comments are kept.
        assert_eq!(doc["events"].as_array().unwrap().len(), 1);
        assert!(
            r.text.contains("# base x") && r.text.contains("# over y"),
            "{}",
            r.text
        );
        assert_eq!(r.files.len(), 2);
    }

    #[test]
    fn commented_overlay_value_merges_into_an_inline_table_of_the_base() {
        let files: &[(&str, &str)] = &[("b.toml", "[a]\nz = { p = 1, q = 2 }  # base\n")];
        let r = resolve(
            "o.toml",
            "base = \"b.toml\"\n[a.z]\nq = 5   # fitted\n",
            &reader(files),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&r.text).unwrap();
        assert_eq!(doc["a"]["z"]["p"].as_integer(), Some(1));
        assert_eq!(doc["a"]["z"]["q"].as_integer(), Some(5));
    }

    #[test]
    fn overlay_events_replace_the_bases() {
        let files: &[(&str, &str)] = &[("b.toml", "[[events]]\nwhen = 1\n[[events]]\nwhen = 2\n")];
        let r = resolve(
            "o.toml",
            "base = \"b.toml\"\n[[events]]\nwhen = 9\n",
            &reader(files),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&r.text).unwrap();
        let ev = doc["events"].as_array().unwrap();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0]["when"].as_integer(), Some(9));
    }

    #[test]
    fn cycle_of_bases_is_a_located_error() {
        let files: &[(&str, &str)] = &[
            ("b.toml", "# b\nbase = \"c.toml\"\n"),
            ("c.toml", "base = \"./b.toml\"\n"),
        ];
        let e = resolve("b.toml", "# b\nbase = \"c.toml\"\n", &reader(files)).unwrap_err();
        let e = &e.0[0];
        assert!(
            e.message
                .contains("a cycle of bases: b.toml -> c.toml -> b.toml"),
            "{e}"
        );
        assert_eq!(e.origin, "c.toml");
        assert_eq!(e.line, Some(1));
    }

    #[test]
    fn missing_base_names_the_file_and_line() {
        let e = resolve("x/o.toml", "\n\nbase = \"../gone.toml\"\n", &reader(&[])).unwrap_err();
        let e = &e.0[0];
        assert_eq!(e.origin, "x/o.toml");
        assert_eq!(e.line, Some(3));
        assert!(
            e.message
                .contains("cannot read the base scenario x/../gone.toml"),
            "{e}"
        );
    }

    #[test]
    fn mixed_inline_and_header_tables_merge_without_loss() {
        let files: &[(&str, &str)] = &[("b.toml", "x = { p = 1 }\ny = 3\n[z]\nk = 1\n")];
        let r = resolve(
            "o.toml",
            "base = \"b.toml\"\n[x.q]\nr = 2\n[y]\ns = 1\n[z.w]\nv = 4\n",
            &reader(files),
        )
        .unwrap();
        let doc: toml::Table = toml::from_str(&r.text).unwrap();
        assert_eq!(doc["x"]["p"].as_integer(), Some(1));
        assert_eq!(doc["x"]["q"]["r"].as_integer(), Some(2));
        assert_eq!(doc["y"]["s"].as_integer(), Some(1));
        assert_eq!(doc["z"]["w"]["v"].as_integer(), Some(4));
    }

    #[test]
    fn base_paths_leave_parent_steps_for_the_system_to_resolve() {
        assert_eq!(join("c.toml", "../../w/q.toml"), "../../w/q.toml");
        // After a link to a folder, `b/..` is the parent of the folder linked to.
        assert_eq!(join("a/b/c.toml", "../d.toml"), "a/b/../d.toml");
        assert_eq!(join("scenarios/x.toml", "./y.toml"), "scenarios/y.toml");
    }

    #[test]
    fn shipped_default_resolves_onto_the_fy2024_baseline() {
        let r = national_default();
        assert!(r.has_base());
        assert_eq!(r.files[1].0, "scenarios/baseline-fy2024.toml");
        let doc: toml::Table = toml::from_str(&r.text).unwrap();
        assert_eq!(doc["run"]["name"].as_str(), Some("quota-2025"));
        // The overlay's own description opens the merged text.
        let head: String = r.text.lines().take(4).collect::<Vec<_>>().join("\n");
        assert!(head.contains("the 2025 quota scenario"), "{head}");
    }
}
