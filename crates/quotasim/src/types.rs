//! The model's small vocabulary: priority classes, agencies and arrest channels, and
//! fixed-size tables keyed by them. Fixed arrays (not hash maps) keep every loop over
//! classes or agencies in one documented order, so sums are reproducible.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A person's priority class: ICE's three criminality categories, with "convicted"
/// split by threat level (docs/model.md 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Class {
    /// Convicted; national-security concern or gang member.
    NationalSecurityGang = 0,
    /// Convicted of a violent offence.
    Violent = 1,
    /// Convicted of another offence.
    ConvictedOther = 2,
    /// Criminal charges pending, no conviction.
    PendingCharges = 3,
    /// Neither conviction nor pending charge ("other immigration violator").
    Other = 4,
}

impl Class {
    pub const COUNT: usize = 5;
    pub const ALL: [Class; 5] = [
        Class::NationalSecurityGang,
        Class::Violent,
        Class::ConvictedOther,
        Class::PendingCharges,
        Class::Other,
    ];
    /// The key used in scenario files and output columns.
    pub const fn key(self) -> &'static str {
        match self {
            Class::NationalSecurityGang => "national_security_gang",
            Class::Violent => "violent",
            Class::ConvictedOther => "convicted_other",
            Class::PendingCharges => "pending_charges",
            Class::Other => "other",
        }
    }
    pub const fn from_index(i: usize) -> Class {
        Class::ALL[i]
    }
    /// True for the three "convicted" classes.
    pub const fn is_convicted(self) -> bool {
        (self as u8) <= 2
    }
}

/// Who supplies enforcement hours. ERO is ICE's own removal force; HSI agents are
/// redirected from their own investigations; the rest are deputized from other agencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Agency {
    Ero = 0,
    Hsi = 1,
    Fbi = 2,
    Usms = 3,
    Dea = 4,
    Atf = 5,
    Bop = 6,
    /// U.S. Border Patrol agents detailed to interior city operations.
    Cbp = 7,
}

impl Agency {
    pub const COUNT: usize = 8;
    pub const ALL: [Agency; 8] = [
        Agency::Ero,
        Agency::Hsi,
        Agency::Fbi,
        Agency::Usms,
        Agency::Dea,
        Agency::Atf,
        Agency::Bop,
        Agency::Cbp,
    ];
    pub const fn key(self) -> &'static str {
        match self {
            Agency::Ero => "ero",
            Agency::Hsi => "hsi",
            Agency::Fbi => "fbi",
            Agency::Usms => "usms",
            Agency::Dea => "dea",
            Agency::Atf => "atf",
            Agency::Bop => "bop",
            Agency::Cbp => "cbp",
        }
    }
    /// The agency's name in outputs: its initials, Border Patrol by name.
    pub const fn name(self) -> &'static str {
        match self {
            Agency::Ero => "ERO",
            Agency::Hsi => "HSI",
            Agency::Fbi => "FBI",
            Agency::Usms => "USMS",
            Agency::Dea => "DEA",
            Agency::Atf => "ATF",
            Agency::Bop => "BOP",
            Agency::Cbp => "Border Patrol",
        }
    }
    /// Hours of every agency but ERO are taken from that agency's own mission.
    pub const fn is_diverted(self) -> bool {
        !matches!(self, Agency::Ero)
    }
}

/// The four arrest channels (docs/model.md 7.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Channel {
    Custodial = 0,
    AtLarge = 1,
    Collateral = 2,
    Community = 3,
}

impl Channel {
    pub const COUNT: usize = 4;
    pub const ALL: [Channel; 4] = [
        Channel::Custodial,
        Channel::AtLarge,
        Channel::Collateral,
        Channel::Community,
    ];
    pub const fn key(self) -> &'static str {
        match self {
            Channel::Custodial => "custodial",
            Channel::AtLarge => "at_large",
            Channel::Collateral => "collateral",
            Channel::Community => "community",
        }
    }
}

/// One value per priority class, named in scenario files by the class keys.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ByClass<T> {
    pub national_security_gang: T,
    pub violent: T,
    pub convicted_other: T,
    pub pending_charges: T,
    pub other: T,
}

impl<T: Copy> ByClass<T> {
    pub fn to_array(&self) -> [T; Class::COUNT] {
        [
            self.national_security_gang,
            self.violent,
            self.convicted_other,
            self.pending_charges,
            self.other,
        ]
    }
}

/// One value per agency, named in scenario files by the agency keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    bound(deserialize = "T: Deserialize<'de> + NewAgency")
)]
pub struct ByAgency<T> {
    pub ero: T,
    pub hsi: T,
    pub fbi: T,
    pub usms: T,
    pub dea: T,
    pub atf: T,
    pub bop: T,
    /// Absent from scenario files written before city operations (docs/model.md 7.16):
    /// then [`NewAgency::added`].
    #[serde(default = "NewAgency::added")]
    pub cbp: T,
}

/// The value an agency added after scenario files were first written takes when a file
/// does not name it.
pub trait NewAgency {
    fn added() -> Self;
}

impl<T> ByAgency<T> {
    pub fn get(&self, a: Agency) -> &T {
        match a {
            Agency::Ero => &self.ero,
            Agency::Hsi => &self.hsi,
            Agency::Fbi => &self.fbi,
            Agency::Usms => &self.usms,
            Agency::Dea => &self.dea,
            Agency::Atf => &self.atf,
            Agency::Bop => &self.bop,
            Agency::Cbp => &self.cbp,
        }
    }
}

/// The unit costs of `[costs]` by name (docs/model.md 7.17), in the order of
/// `costs::Factors`.
pub const COST_KEYS: [&str; 13] = [
    "detention_per_bed_day",
    "atd_enrolled",
    "atd_per_person_day",
    "flight_hours_per_flight",
    "flight_hour",
    "removal_per_person",
    "officer_per_year",
    "signing_bonus",
    "federal_agent_per_year",
    "local_officer_per_year",
    "task_force_overtime_share",
    "task_force_award_per_year",
    "court_per_case",
];

/// A calendar date, written `2025-01-20` in scenario files (TOML date or string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .ok()
            .map(Date)
    }
    /// The date `days` after this one.
    pub fn plus_days(self, days: u32) -> Date {
        Date(self.0 + chrono::Duration::days(days as i64))
    }
    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).num_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse(s)
                    .ok_or_else(|| E::custom(format!("{s:?} is not a date written YYYY-MM-DD")))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Date, A::Error> {
                // TOML's native date type arrives as a map; read it as a TOML datetime.
                let dt = toml::value::Datetime::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                if dt.time.is_some() || dt.offset.is_some() {
                    return Err(serde::de::Error::custom(format!(
                        "{dt} has a time of day; a date YYYY-MM-DD is required"
                    )));
                }
                self.visit_str(&dt.to_string())
            }
        }
        d.deserialize_any(V)
    }
}
