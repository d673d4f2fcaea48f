//! How a parameter is declared: its kind, unit, allowed range and meaning
//! ([`Param`]), and the [`section!`] macro that declares a section of a scenario, its
//! fields and their registry entries in one place (docs/model.md 7.10).
//!
//! A section is written once:
//!
//! ```text
//! section! {
//!     pub struct QuotaParams at "quota" {
//!         #[serde(default = "thirty")]
//!         pub window_days: u32 => p(ParamKind::Days, "days", 1.0, 366.0, "Trailing window ..."),
//!     }
//! }
//! ```
//!
//! which gives the struct (its attributes, serde's among them: a default lives there
//! and nowhere else, docs/parameters.md reads it off the type) and
//! `QuotaParams::parameters()`, the entry of each field with its dotted path
//! (`quota.window_days`) made from the section's path and the field's name, and the
//! section's [`Reach`](crate::setup::reach::Reach), by which that path reaches the
//! typed field. A field
//! that holds one value per class or unit cost is an [`Each`] (`docket.share_in_custody.{class}`);
//! one that holds a few named values with their own meanings a [`Group`]
//! (`detention.stay_factor.final_order`); one that holds another section a [`Nested`]
//! (`capacity.agencies.{agency}` is [`AgencyParams`](crate::setup::parameters::AgencyParams)).

/// What kind of quantity a parameter is. The kind says how a value is checked and
/// shown; the unit says what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// A share or probability, in [0, 1].
    Share,
    /// A whole number of persons, agents, beds or days.
    Count,
    /// Hours.
    Hours,
    /// Days (a duration).
    Days,
    /// A rate per day or per week.
    Rate,
    /// A dimensionless factor or shape.
    Factor,
    /// Points of the manager's objective.
    Points,
    /// Output of another agency's own mission.
    Output,
    /// An amount of money.
    Money,
    /// A true/false switch.
    Switch,
    /// A date, YYYY-MM-DD.
    Date,
    /// Text; `min`..`max` bound its length in characters.
    Text,
    /// One of a few words, listed in the meaning.
    Choice,
}

impl ParamKind {
    pub fn key(self) -> &'static str {
        match self {
            ParamKind::Share => "share",
            ParamKind::Count => "count",
            ParamKind::Hours => "hours",
            ParamKind::Days => "days",
            ParamKind::Rate => "rate",
            ParamKind::Factor => "factor",
            ParamKind::Points => "points",
            ParamKind::Output => "output",
            ParamKind::Money => "money",
            ParamKind::Switch => "switch",
            ParamKind::Date => "date",
            ParamKind::Text => "text",
            ParamKind::Choice => "choice",
        }
    }

    /// Whether values of this kind are numbers with a range.
    pub fn is_number(self) -> bool {
        !matches!(
            self,
            ParamKind::Switch | ParamKind::Date | ParamKind::Text | ParamKind::Choice
        )
    }
}

/// One leaf parameter (or one family of them, with a placeholder in its path).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Param {
    /// Dotted path, as in events: `capacity.agencies.{agency}.agents` (serialized as
    /// `pattern`, beside a concrete `path` where values are listed).
    #[serde(rename = "pattern")]
    pub path: &'static str,
    pub kind: ParamKind,
    /// What one unit of the value is: `persons`, `hours/arrest`, `share`...
    pub unit: &'static str,
    /// Smallest allowed value (for text, the shortest length).
    pub min: f64,
    /// Largest allowed value (for text, the longest length).
    pub max: f64,
    /// Whether `max` itself is excluded (a share of time lost must stay below 1).
    pub max_open: bool,
    /// One line on what the parameter means in the model.
    pub meaning: &'static str,
    /// Whether events may change it during a run (false: it describes the start).
    pub in_events: bool,
}

pub const fn p(
    kind: ParamKind,
    unit: &'static str,
    min: f64,
    max: f64,
    meaning: &'static str,
) -> Param {
    Param {
        path: "",
        kind,
        unit,
        min,
        max,
        max_open: false,
        meaning,
        in_events: true,
    }
}

pub const fn share(meaning: &'static str) -> Param {
    p(ParamKind::Share, "share", 0.0, 1.0, meaning)
}

/// A share that must stay below 1.
pub const fn share_below_one(meaning: &'static str) -> Param {
    Param {
        max_open: true,
        ..share(meaning)
    }
}

pub const fn switch(meaning: &'static str) -> Param {
    p(ParamKind::Switch, "true/false", 0.0, 1.0, meaning)
}

/// A parameter of the start of the run, which events cannot change.
pub const fn start_only(param: Param) -> Param {
    Param {
        in_events: false,
        ..param
    }
}

/// Largest docket the engine accepts (persons). At about 10 bytes a person this bounds
/// the population's memory near 500 MB; the real docket is about 7.8 million.
pub const MAX_DOCKET: u64 = 50_000_000;
/// Longest run accepted (days): ten years.
pub const MAX_DAYS: u32 = 3_650;
/// Largest count of agents accepted for one agency.
pub const MAX_AGENTS: u32 = 1_000_000;
/// Largest seed accepted: seeds are stored in scenario files as TOML integers, which
/// are signed 64-bit, so a seed above 2^63 - 1 could not be written back.
pub const MAX_SEED: u64 = i64::MAX as u64;

/// What a field of a section declares: its registry entries, given the field's dotted
/// path.
pub trait Entries {
    fn entries(self, path: &'static str) -> Vec<Param>;
}

impl Entries for Param {
    /// One value: one entry at the field's path.
    fn entries(self, path: &'static str) -> Vec<Param> {
        vec![Param { path, ..self }]
    }
}

/// A value per key of a family: one entry whose path ends in the placeholder
/// (`{class}`, `{cost}`).
pub struct Each(pub Param, pub &'static str);

impl Entries for Each {
    fn entries(self, path: &'static str) -> Vec<Param> {
        vec![Param {
            path: leak(format!("{path}.{}", self.1)),
            ..self.0
        }]
    }
}

/// A few named values, each with its own meaning (`stay_factor.final_order`, `.pending`,
/// `.protected`).
pub struct Group<const N: usize>(pub [(&'static str, Param); N]);

impl<const N: usize> Entries for Group<N> {
    fn entries(self, path: &'static str) -> Vec<Param> {
        self.0
            .into_iter()
            .map(|(member, param)| Param {
                path: leak(format!("{path}.{member}")),
                ..param
            })
            .collect()
    }
}

/// Another section, which declares its own entries under its own path.
pub struct Nested(pub fn() -> Vec<Param>);

impl Entries for Nested {
    fn entries(self, _: &'static str) -> Vec<Param> {
        (self.0)()
    }
}

/// A path made once, when the registry is built ([`crate::setup::parameters::PARAMETERS`]
/// is built once per process), kept for the process's life as the registry is.
fn leak(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}

/// Declares a section of a scenario: the struct with its fields, and `parameters()`,
/// the registry entry of each field (module doc).
macro_rules! section {
    (
        $(#[$meta:meta])*
        pub struct $name:ident at $prefix:literal {
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty => $spec:expr
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        impl $name {
            /// The section's parameters, in the order of its fields, each with its dotted
            /// path (docs/parameters.md). Built once, for the registry
            /// ([`crate::setup::parameters::PARAMETERS`]): read that.
            pub(crate) fn parameters() -> Vec<$crate::setup::declare::Param> {
                let mut out = Vec::new();
                $(
                    out.extend($crate::setup::declare::Entries::entries(
                        $spec,
                        concat!($prefix, ".", stringify!($field)),
                    ));
                )*
                out
            }
        }

        // The section as a table of its fields, for paths (crate::setup::reach).
        $crate::setup::reach::reach_fields!($name { $($field),* });
    };
}

pub(crate) use section;
