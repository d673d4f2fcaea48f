//! Reaching a scenario's typed fields by dotted path (`detention.stay_days.other`),
//! without writing the scenario out as a TOML table and reading it back
//! (docs/model.md 7.10).
//!
//! Every type a scenario is made of says what it holds as a [`Slot`]: a real number, a
//! whole number, a switch, a table of named slots, or a value of another kind (text, a
//! date, a list), which a path can name but not set to a number. A section declared
//! with [`section!`](crate::setup::declare) gets its [`Reach`] from the same
//! declaration as its fields; the few small tables beside them (`ByClass`, `Outcome`)
//! say theirs below. A table's slots are named as the scenario file names them, and
//! are listed in the order of their names, as a TOML table lists them, so a path
//! reaches here exactly what it names in the file ([`at`] and
//! [`crate::setup::paths::lookup`] agree; a test holds them to it).

use crate::setup::paths::PathError;
use crate::types::{ByAgency, ByClass, Date};

/// A value of a scenario, reached by its path, that can be read and set in place.
#[derive(Debug)]
pub enum Slot<'a> {
    /// A real number.
    Real(&'a mut f64),
    /// A whole number up to 2^32 - 1 (days, agents).
    Whole(&'a mut u32),
    /// A whole number up to 2^64 - 1 (persons, beds, the seed).
    Large(&'a mut u64),
    /// A true/false switch.
    Switch(&'a mut bool),
    /// Text, a date or a choice: written as a TOML string, set from one.
    Text(&'a mut dyn SetText),
    /// A value of another kind, by its kind in a TOML file (`array`): a path can name
    /// it, not set it.
    Other(&'static str),
    /// A table: its slots by name, in the order of their names.
    Table(Vec<(&'a str, Slot<'a>)>),
}

impl Slot<'_> {
    /// The kind of the value as a TOML file names it (`float`, `integer`, `table`).
    pub fn kind(&self) -> &'static str {
        match self {
            Slot::Real(_) => "float",
            Slot::Whole(_) | Slot::Large(_) => "integer",
            Slot::Switch(_) => "boolean",
            Slot::Text(_) => "string",
            Slot::Other(kind) => kind,
            Slot::Table(_) => "table",
        }
    }

    /// The value as a number: a switch reads as 1 (true) or 0 (false); text, dates and
    /// tables are not numbers.
    pub fn number(&self) -> Option<f64> {
        match self {
            Slot::Real(x) => Some(**x),
            Slot::Whole(i) => Some(f64::from(**i)),
            Slot::Large(i) => Some(**i as f64),
            Slot::Switch(b) => Some(f64::from(u8::from(**b))),
            Slot::Text(_) | Slot::Other(_) | Slot::Table(_) => None,
        }
    }
}

/// A type a scenario is made of, as a [`Slot`].
pub trait Reach {
    /// This value as a slot; `None` where a scenario file leaves it out (an option
    /// not given, an empty list of events).
    fn reach(&mut self) -> Option<Slot<'_>>;
}

/// Numbers and switches are slots of their own.
macro_rules! reach_leaf {
    ($($ty:ty => $slot:ident),*) => {$(
        impl Reach for $ty {
            fn reach(&mut self) -> Option<Slot<'_>> {
                Some(Slot::$slot(self))
            }
        }
    )*};
}
reach_leaf!(f64 => Real, u32 => Whole, u64 => Large, bool => Switch);

/// A value written as a TOML string (text, a date, a choice), set from its text.
pub trait SetText: std::fmt::Debug {
    /// Sets the value from `text`; false (the value unchanged) where `text` is not one
    /// (a date not written YYYY-MM-DD, a word not among the choices).
    fn set_text(&mut self, text: &str) -> bool;
}

impl SetText for String {
    fn set_text(&mut self, text: &str) -> bool {
        text.clone_into(self);
        true
    }
}

impl SetText for Date {
    fn set_text(&mut self, text: &str) -> bool {
        Date::parse(text).map(|d| *self = d).is_some()
    }
}

/// Text, dates and choices are written as TOML strings.
macro_rules! reach_as_text {
    ($($ty:ty),*) => {$(
        impl $crate::setup::reach::Reach for $ty {
            fn reach(&mut self) -> Option<$crate::setup::reach::Slot<'_>> {
                Some($crate::setup::reach::Slot::Text(self))
            }
        }
    )*};
}
pub(crate) use reach_as_text;
reach_as_text!(String, Date);

impl<T: Reach> Reach for Option<T> {
    fn reach(&mut self) -> Option<Slot<'_>> {
        self.as_mut().and_then(Reach::reach)
    }
}

impl<T: Reach> Reach for std::collections::BTreeMap<String, T> {
    /// A table keyed by name (offices, the factors of unit costs): a BTreeMap's keys
    /// are already in order.
    fn reach(&mut self) -> Option<Slot<'_>> {
        Some(Slot::Table(
            self.iter_mut()
                .filter_map(|(k, v)| Some((k.as_str(), v.reach()?)))
                .collect(),
        ))
    }
}

/// A table of the named fields of a value, in the order of their names.
pub fn table<'a>(mut members: Vec<(&'a str, Option<Slot<'a>>)>) -> Option<Slot<'a>> {
    members.sort_unstable_by_key(|(name, _)| *name);
    Some(Slot::Table(
        members
            .into_iter()
            .filter_map(|(name, slot)| Some((name, slot?)))
            .collect(),
    ))
}

/// [`Reach`] for a struct of named fields, each reached as its own type (a generic
/// struct: `reach_fields!(@T ByClass<T> { .. })`).
macro_rules! reach_fields {
    ($(@$t:ident)? $ty:ty { $($field:ident),* $(,)? }) => {
        impl<$($t: $crate::setup::reach::Reach)?> $crate::setup::reach::Reach for $ty {
            fn reach(&mut self) -> Option<$crate::setup::reach::Slot<'_>> {
                $crate::setup::reach::table(vec![
                    $((stringify!($field), $crate::setup::reach::Reach::reach(&mut self.$field)),)*
                ])
            }
        }
    };
}
pub(crate) use reach_fields;

reach_fields!(@T ByClass<T> {
    national_security_gang,
    violent,
    convicted_other,
    pending_charges,
    other,
});
reach_fields!(@T ByAgency<T> {
    ero,
    hsi,
    fbi,
    usms,
    dea,
    atf,
    bop,
    cbp,
});

/// The slot at a path of keys within a table already reached, found in place (so that
/// many paths cost one reach); `None` where the path names nothing there.
pub fn at_mut<'s, 'a>(root: &'s mut Slot<'a>, keys: &[String]) -> Option<&'s mut Slot<'a>> {
    keys.iter().try_fold(root, |cur, key| match cur {
        Slot::Table(members) => members
            .iter_mut()
            .find(|(name, _)| name == key)
            .map(|(_, v)| v),
        _ => None,
    })
}

/// The slot at a path of keys within `root`, which must already exist (a path changes
/// a value; it adds none). `allow_section`: whether the path may name a whole table.
/// The errors are those of [`crate::setup::paths::lookup`] on the scenario's table
/// ([`crate::Scenario::slot`] reaches a scenario's).
pub fn at<'a>(root: Slot<'a>, keys: &[String], allow_section: bool) -> Result<Slot<'a>, PathError> {
    let mut cur = root;
    for (i, key) in keys.iter().enumerate() {
        let Slot::Table(members) = cur else {
            return Err(PathError::NotSection {
                path: keys[..i].join("."),
            });
        };
        let Some(found) = members.iter().position(|(name, _)| name == key) else {
            return Err(PathError::Unknown {
                within: keys[..i].join("."),
                key: key.clone(),
                known: members.iter().map(|(name, _)| name.to_string()).collect(),
            });
        };
        let (_, v) = members.into_iter().nth(found).expect("found above");
        if i + 1 == keys.len() {
            if let (Slot::Table(t), false) = (&v, allow_section) {
                return Err(PathError::Section {
                    path: keys.join("."),
                    example: t.first().map(|(k, _)| k.to_string()).unwrap_or_default(),
                });
            }
            return Ok(v);
        }
        cur = v;
    }
    Err(PathError::Empty)
}
