//! The summary of a run (docs/model.md 4, "Observation"; every key is documented in
//! docs/outputs.md).
//!
//! [`summarize`] folds a run's [`DailyRow`]s into a [`Summary`] of named values. Every
//! key is declared once, in [`KEYS`] (label, unit, kind, meaning, in summary.json's
//! order); the table of replications ([`reps_table`]) is made from a run's summaries.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::mechanisms::quota;
use crate::observe::daily::{Cell, Column, ColumnKind, DailyRow};
use crate::setup::plan::Plan;
use crate::types::{Agency, Channel, Class};

/// The table of replications: one row per replication, its index and every numeric
/// summary key of its own summary; a count (arrests, people, days) is a whole-number
/// column, everything else a real one. The command's reps.csv / reps.parquet and the
/// Python package's `Result.reps`.
pub fn reps_table(runs: &[(u32, &Summary)]) -> Vec<(Column, Vec<Cell>)> {
    let mut columns: Vec<(Column, Vec<Cell>)> = vec![(
        Column {
            name: "rep".into(),
            kind: ColumnKind::Int,
            unit: "index",
            doc: "replication".into(),
        },
        runs.iter()
            .map(|(rep, _)| Cell::Int((*rep).into()))
            .collect(),
    )];
    let Some((_, first)) = runs.first() else {
        return columns;
    };
    for key in first.numeric_keys() {
        let counts = runs
            .iter()
            .all(|(_, s)| matches!(s.get(key), Some(Stat::Count(_))));
        let cells = runs
            .iter()
            .map(|(_, s)| match s.get(key) {
                Some(Stat::Count(n)) if counts => Cell::Int(*n as i64),
                _ => Cell::Float(s.num(key).unwrap_or(f64::NAN)),
            })
            .collect();
        columns.push((
            Column {
                name: key.to_string(),
                kind: if counts {
                    ColumnKind::Int
                } else {
                    ColumnKind::Float
                },
                unit: key_info(key).map_or("", |k| k.unit),
                doc: String::new(),
            },
            cells,
        ));
    }
    columns
}

/// A summary value.
#[derive(Debug, Clone, PartialEq)]
pub enum Stat {
    Num(f64),
    /// An exact whole number that describes the run and is the same in every
    /// replication (seed, days): kept apart from `Num` so a 64-bit seed is not rounded
    /// through a float.
    Int(u64),
    /// A count of one replication (arrests, people, days): a whole number, written as
    /// one; over replications its mean and band are numbers.
    Count(u64),
    /// Not defined for this run (e.g. quota attainment with no quota).
    Null,
    Text(String),
    /// A text key not defined for this run (no office missed its target): null, like
    /// `Null`, but never a numeric column, so a table's columns do not depend on the run.
    NoText,
    /// Values keyed by office code or agency, in a fixed order.
    Map(Vec<(String, f64)>),
}

/// A run's summary: named values in a fixed order (docs/outputs.md).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub entries: Vec<(String, Stat)>,
}

impl Summary {
    pub fn get(&self, key: &str) -> Option<&Stat> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    /// The keys whose value is a number or undefined (null): the columns a table of
    /// replications or sweep points carries, in summary order.
    pub fn numeric_keys(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|(_, s)| matches!(s, Stat::Num(_) | Stat::Count(_) | Stat::Null))
            .map(|(k, _)| k.as_str())
    }

    /// A key's value as a number: a figure, a count, or a whole number that describes
    /// the run (such as `docket_total`); None where it is text, undefined or absent.
    pub fn num(&self, key: &str) -> Option<f64> {
        match self.get(key) {
            Some(Stat::Num(x)) => Some(*x),
            Some(Stat::Count(n) | Stat::Int(n)) => Some(*n as f64),
            _ => None,
        }
    }
    fn put(&mut self, key: &str, v: Stat) {
        self.entries.push((key.to_string(), v));
    }
    fn num_or_null(&mut self, key: &str, v: Option<f64>) {
        self.put(
            key,
            v.filter(|x| x.is_finite()).map_or(Stat::Null, Stat::Num),
        );
    }
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Obj<'a>(&'a [(String, f64)]);
        impl Serialize for Obj<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in self.0 {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            match v {
                Stat::Num(x) => m.serialize_entry(k, x)?,
                Stat::Int(x) | Stat::Count(x) => m.serialize_entry(k, x)?,
                Stat::Null | Stat::NoText => m.serialize_entry(k, &Option::<f64>::None)?,
                Stat::Text(t) => m.serialize_entry(k, t)?,
                Stat::Map(o) => m.serialize_entry(k, &Obj(o))?,
            }
        }
        m.end()
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// The summary keys every run reports as numbers (docs/outputs.md); fronts and users
/// may rely on these names.
pub const HEADLINE_KEYS: [&str; 22] = [
    "arrests_per_day_mean",
    "share_convicted",
    "share_pending_charges",
    "share_other",
    "share_custodial",
    "share_at_large",
    "share_collateral",
    "share_community",
    "quota_attainment",
    "offices_missing_quota_share",
    "hsi_hours_diverted",
    "detained_at_end",
    "detained_convicted_share_at_end",
    "removals_total",
    "removals_per_day_mean",
    "removals_per_year",
    "days_to_one_million_removals",
    "peak_detained",
    "over_capacity_days",
    "cost_per_year",
    "cost_per_removal",
    "cost_per_detained_day",
];

/// How a summary key's number reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// A share, shown as a percentage.
    Share,
    /// A count or total, shown whole.
    Count,
    /// A ratio, shown with two decimals.
    Ratio,
    /// An exact whole number that describes the run (the seed, the days, the docket,
    /// the replications): the same in every replication, no band.
    Whole,
    /// Text: a name, a date, a fingerprint (no band).
    Text,
    /// One number per office or per agency.
    Map,
}

impl KeyKind {
    /// Whether a key of this kind is one number (a target, a metric to split).
    pub fn is_number(self) -> bool {
        matches!(
            self,
            KeyKind::Share | KeyKind::Count | KeyKind::Ratio | KeyKind::Whole
        )
    }
}

/// What a summary key means to a reader: its label, unit and kind. Declared once, here
/// beside the headline keys; the command's table, the reports and the dashboard's cards
/// all take their labels from it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct KeyInfo {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub kind: KeyKind,
    /// What it is, for docs/outputs.md.
    pub meaning: &'static str,
}

const fn key(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    kind: KeyKind,
    meaning: &'static str,
) -> KeyInfo {
    KeyInfo {
        key,
        label,
        unit,
        kind,
        meaning,
    }
}

/// Every summary key, in the order of `summary.json`: its label, unit, kind and
/// meaning. Declared once, here: the command's table, the reports, the dashboard's cards,
/// the units of the Python results, the keys that targets, solve and attribution may
/// name, and the table of docs/outputs.md ([`outputs_markdown`]) all read it.
pub const KEYS: &[KeyInfo] = &[
    key(
        "scenario",
        "Scenario",
        "text",
        KeyKind::Text,
        "`run.name` of the scenario",
    ),
    key(
        "seed",
        "Seed",
        "seed",
        KeyKind::Whole,
        "seed of the random streams",
    ),
    key(
        "quotasim_version",
        "quotasim version",
        "text",
        KeyKind::Text,
        "the version of quotasim that made the run",
    ),
    key(
        "scenario_sha256",
        "Scenario fingerprint (SHA-256)",
        "text",
        KeyKind::Text,
        "the SHA-256 (hex) of the scenario as run (`scenario.toml`): the same scenario, days and seed give the same fingerprint",
    ),
    key(
        "replications",
        "Replications",
        "replications",
        KeyKind::Whole,
        "the replications, when more than one ran",
    ),
    key(
        "posterior_fit",
        "Fit the parameters were drawn from",
        "text",
        KeyKind::Text,
        "the fit file each replication drew its parameters from, when one was given",
    ),
    key(
        "bands_carry",
        "What the bands carry",
        "text",
        KeyKind::Text,
        "what an ensemble's bands carry: chance, unit costs (7.17), the fit's posterior, the assumptions' ranges (7.20), the model's own error with its size for each kind of figure; \"none (a single run)\" for one replication without a posterior",
    ),
    key(
        "start_date",
        "First day",
        "date",
        KeyKind::Text,
        "first simulated day",
    ),
    key(
        "days",
        "Days simulated",
        "days",
        KeyKind::Whole,
        "days simulated",
    ),
    key(
        "docket_total",
        "People on the docket at the start",
        "persons",
        KeyKind::Whole,
        "people on the docket at the start",
    ),
    key(
        "arrests_total",
        "Arrests over the run",
        "arrests",
        KeyKind::Count,
        "arrests over the run",
    ),
    key(
        "arrests_per_day_mean",
        "Arrests a day",
        "arrests/day",
        KeyKind::Count,
        "arrests over the run / days",
    ),
    key(
        "share_convicted",
        "Arrested with a conviction",
        "share of arrests",
        KeyKind::Share,
        "of arrests, people with a conviction (three convicted classes)",
    ),
    key(
        "share_pending_charges",
        "Arrested with charges pending",
        "share of arrests",
        KeyKind::Share,
        "of arrests, people with charges pending and no conviction",
    ),
    key(
        "share_other",
        "Arrested with no record",
        "share of arrests",
        KeyKind::Share,
        "of arrests, people with neither conviction nor charge",
    ),
    key(
        "arrests_other_per_day",
        "Arrests a day of people with no record",
        "arrests/day",
        KeyKind::Count,
        "arrests of people with neither conviction nor charge, a day over the run",
    ),
    key(
        "share_national_security_gang",
        "Share convicted of national-security or gang offences",
        "share",
        KeyKind::Share,
        "of arrests, convicted national-security or gang",
    ),
    key(
        "share_violent",
        "Share convicted of a violent offence",
        "share",
        KeyKind::Share,
        "of arrests, convicted of a violent offence",
    ),
    key(
        "share_convicted_other",
        "Share convicted of another offence",
        "share",
        KeyKind::Share,
        "of arrests, convicted of another offence",
    ),
    key(
        "share_custodial",
        "Custodial (jail transfer)",
        "share of arrests",
        KeyKind::Share,
        "of arrests, custodial transfers from jails and prisons",
    ),
    key(
        "share_at_large",
        "At large (targeted)",
        "share of arrests",
        KeyKind::Share,
        "of arrests, targeted at-large arrests",
    ),
    key(
        "share_collateral",
        "Collateral",
        "share of arrests",
        KeyKind::Share,
        "of arrests, collateral arrests at targeted operations",
    ),
    key(
        "share_community",
        "Community or worksite operations",
        "share of arrests",
        KeyKind::Share,
        "of arrests, community or worksite operations",
    ),
    key(
        "other_per_convicted",
        "No-record arrests per convicted person",
        "arrests/arrest",
        KeyKind::Ratio,
        "arrests of people with no record per arrest of a convicted person",
    ),
    key(
        "arrests_at_sensitive_places",
        "Arrests at sensitive places",
        "arrests",
        KeyKind::Count,
        "arrests at schools, hospitals, places of worship",
    ),
    key(
        "quota_national_per_day_mean",
        "National target a day (mean)",
        "arrests/day",
        KeyKind::Count,
        "mean national target: `quota.national_per_day`, or the sum of office targets where that is 0",
    ),
    key(
        "quota_attainment",
        "Share of the national target met",
        "share",
        KeyKind::Share,
        "arrests over the run / national target over the run (null with no quota)",
    ),
    key(
        "quota_national_per_day_in_force",
        "National target a day, in force at the end",
        "arrests/day",
        KeyKind::Count,
        "the national target of the last day (the target in force at the end); null with no target then",
    ),
    key(
        "quota_in_force_since",
        "Target in force since",
        "date",
        KeyKind::Text,
        "the first day of the last run of days at that target; null with no target",
    ),
    key(
        "arrests_per_day_under_target_in_force",
        "Arrests a day under the target in force",
        "arrests/day",
        KeyKind::Count,
        "national arrests a day over those days; null with no target",
    ),
    key(
        "quota_attainment_in_force",
        "Share of the target in force met",
        "share",
        KeyKind::Share,
        "arrests over those days / the target over those days (the attainment a reader sets beside the target in force); null with no target",
    ),
    key(
        "offices_missing_quota_share",
        "Offices missing their quota",
        "share of offices",
        KeyKind::Share,
        "of offices with a quota, those whose arrests over the run fell short of their target over the run",
    ),
    key(
        "office_days_missing_quota_share",
        "Office-days short of the day's target",
        "share",
        KeyKind::Share,
        "of office-days with a quota, those short of the day's target",
    ),
    key(
        "first_office_missing_quota",
        "First office to miss its quota",
        "office code",
        KeyKind::Text,
        "the office first short of its daily target (ties: lowest attainment); null if none",
    ),
    key(
        "first_miss_date",
        "Date of the first miss",
        "date",
        KeyKind::Text,
        "the day it first fell short",
    ),
    key(
        "hours_available_total",
        "Agent-hours available, all agencies",
        "agent-hours",
        KeyKind::Count,
        "all agencies' hours available over the run",
    ),
    key(
        "hours_used_total",
        "Agent-hours spent on arrests, all agencies",
        "agent-hours",
        KeyKind::Count,
        "all agencies' hours spent on arrests",
    ),
    key(
        "hours_used_share",
        "Hours used of hours available",
        "share",
        KeyKind::Share,
        "used / available",
    ),
    key(
        "hours_diverted_total",
        "Agent-hours taken from other agencies",
        "hours",
        KeyKind::Count,
        "hours of agencies other than ERO (HSI and deputized), all taken from their own missions",
    ),
    key(
        "hsi_hours_diverted",
        "HSI hours diverted",
        "hours",
        KeyKind::Count,
        "of which HSI's",
    ),
    key(
        "hours_diverted_per_arrest",
        "Hours diverted per arrest",
        "hours/arrest",
        KeyKind::Ratio,
        "hours_diverted_total / arrests_total",
    ),
    key(
        "hsi_own_output_forgone",
        "HSI criminal arrests forgone",
        "arrests",
        KeyKind::Count,
        "HSI's own work forgone: agent-years diverted x criminal arrests per agent-year",
    ),
    key(
        "hours_available_by_agency",
        "Hours available, by agency",
        "agent-hours",
        KeyKind::Map,
        "object keyed by agency (`ero`, `hsi`, `fbi`, `usms`, `dea`, `atf`, `bop`, `cbp`)",
    ),
    key(
        "hours_diverted_by_agency",
        "Hours diverted, by agency",
        "agent-hours",
        KeyKind::Map,
        "object keyed by agency other than ERO",
    ),
    key(
        "own_output_forgone_by_agency",
        "Own-mission output forgone, by agency",
        "agency output unit",
        KeyKind::Map,
        "object: each agency's own output forgone (0 where no rate is published)",
    ),
    key(
        "arrests_by_office",
        "Arrests, by office",
        "arrests",
        KeyKind::Map,
        "object keyed by office code: arrests over the run",
    ),
    key(
        "quota_attainment_by_office",
        "Quota attainment, by office",
        "share",
        KeyKind::Map,
        "object keyed by office code: arrests / the office's target over the run",
    ),
    key(
        "arrests_per_10k_noncitizens_by_office",
        "Arrests per 10,000 noncitizens, by office",
        "arrests per 10,000 noncitizens",
        KeyKind::Map,
        "object keyed by office code: arrests over the run per 10,000 noncitizens in the office's area (ACS, `data/field_offices.csv`)",
    ),
    key(
        "share_other_by_office",
        "Share with no record, by office",
        "share of arrests",
        KeyKind::Map,
        "object keyed by office code: share of the office's arrests with neither conviction nor pending charge (offices with no arrest are left out)",
    ),
    key(
        "docket_at_large_end",
        "Docket at large at the end",
        "persons",
        KeyKind::Count,
        "docket members at large at the end",
    ),
    key(
        "docket_in_jail_end",
        "Docket in jails and prisons at the end",
        "persons",
        KeyKind::Count,
        "docket members in jails and prisons at the end",
    ),
    key(
        "court_backlog_end",
        "Court backlog at the end",
        "cases",
        KeyKind::Count,
        "pending cases of docket members at the end (starts as the docket's pending cases)",
    ),
    key(
        "docket_joined_total",
        "People who joined the docket",
        "persons",
        KeyKind::Count,
        "new people who joined the docket over the run",
    ),
    key(
        "docket_departures_total",
        "People who left the docket by departure",
        "persons",
        KeyKind::Count,
        "people who left the docket by departure",
    ),
    key(
        "court_removal_orders_total",
        "Court removal orders for people at large",
        "decisions",
        KeyKind::Count,
        "court removal orders for people at large",
    ),
    key(
        "court_closures_total",
        "Court decisions granting relief or closing a case",
        "decisions",
        KeyKind::Count,
        "court decisions granting relief or closing a case (the person leaves the docket)",
    ),
    key(
        "bookins_total",
        "Arrests booked into detention",
        "persons",
        KeyKind::Count,
        "arrests booked into detention",
    ),
    key(
        "released_over_capacity_total",
        "Released at book-in, beds full",
        "persons",
        KeyKind::Count,
        "arrests released at book-in because every bed was full",
    ),
    key(
        "released_at_processing_total",
        "Arrests released at processing, never booked in",
        "persons",
        KeyKind::Count,
        "arrests processed and released at once, never booked in",
    ),
    key(
        "detention_releases_total",
        "Released at the end of their stay",
        "persons",
        KeyKind::Count,
        "docket members released at the end of their stay",
    ),
    key(
        "detained_at_end",
        "Detained on the last day",
        "persons",
        KeyKind::Count,
        "everyone detained at midnight on the last day (docket members and others)",
    ),
    key(
        "detained_convicted_share_at_end",
        "Detained with a conviction, last day",
        "share of detained",
        KeyKind::Share,
        "of whom with a conviction",
    ),
    key(
        "detained_mean",
        "Detained at midnight (mean)",
        "persons",
        KeyKind::Count,
        "everyone detained at midnight, mean over the days (the average daily population)",
    ),
    key(
        "detained_convicted_share_mean",
        "Share of the detained with a conviction (mean)",
        "share",
        KeyKind::Share,
        "of the detained, those with a conviction: the sum over days of the convicted / the sum of the detained",
    ),
    key(
        "peak_detained",
        "Peak detained",
        "persons",
        KeyKind::Count,
        "most detained at any midnight",
    ),
    key(
        "beds_at_end",
        "Funded beds on the last day",
        "beds",
        KeyKind::Count,
        "funded beds on the last day",
    ),
    key(
        "contracted_beds_at_end",
        "Contracted beds on the last day",
        "beds",
        KeyKind::Count,
        "beds under contract on the last day (the funded beds where none are contracted)",
    ),
    key(
        "capacity_at_end",
        "People ICE can hold, last day",
        "persons",
        KeyKind::Count,
        "people ICE can physically hold on the last day (`detention.capacity`, the funded beds where it is 0, as far as it has opened): the limit that binds detention",
    ),
    key(
        "over_capacity_days",
        "Days over funded beds",
        "days",
        KeyKind::Count,
        "days ending with more detained than funded beds: with `over_capacity = \"hold\"`; with \"release\" only while people waiting for removal transport alone exceed the beds",
    ),
    key(
        "removals_total",
        "Removals",
        "persons",
        KeyKind::Count,
        "removals over the run, docket members and others (people booked in by other agencies, or held at the start)",
    ),
    key(
        "docket_removals_total",
        "Removals of docket members",
        "persons",
        KeyKind::Count,
        "of which docket members",
    ),
    key(
        "removals_per_day_mean",
        "Removals a day",
        "persons/day",
        KeyKind::Count,
        "removals_total / days",
    ),
    key(
        "removals_per_year",
        "Removals a year",
        "persons/year",
        KeyKind::Count,
        "removals_per_day_mean x 365.25",
    ),
    key(
        "removals_last_year",
        "Removals in the run's last year",
        "persons",
        KeyKind::Count,
        "removals over the run's last 365 days (all of them in a shorter run): a run ending on 2028-09-30 gives FY2028's (for a fiscal year inside a longer run, a solve target over a window: `removals_per_day[2027-10-01..2028-09-30]`)",
    ),
    key(
        "days_to_one_million_removals",
        "Days to one million removals",
        "days",
        KeyKind::Count,
        "1,000,000 / removals_per_day_mean: days from the start to a million removals at the run's mean pace; null if none",
    ),
    key(
        "one_million_removals_day",
        "The millionth removal",
        "days from the start",
        KeyKind::Count,
        "the day (from the start) the run's removals reach 1,000,000: that day when the run gets there, otherwise the end plus what is left at the pace of the run's last 365 days; null if none then",
    ),
    key(
        "cost_per_year",
        "Cost a year",
        "USD/year",
        KeyKind::Count,
        "the run's mean daily cost x 365.25, every component (docs/costs.md)",
    ),
    key(
        "cost_detention_per_year",
        "Detention",
        "USD/year",
        KeyKind::Count,
        "the component detention, likewise",
    ),
    key(
        "cost_atd_per_year",
        "Alternatives to detention",
        "USD/year",
        KeyKind::Count,
        "the component atd, likewise",
    ),
    key(
        "cost_removal_per_year",
        "Removal",
        "USD/year",
        KeyKind::Count,
        "the component removal, likewise",
    ),
    key(
        "cost_officers_per_year",
        "ICE officers",
        "USD/year",
        KeyKind::Count,
        "the component officers, likewise",
    ),
    key(
        "cost_deputized_per_year",
        "Deputized federal agents",
        "USD/year",
        KeyKind::Count,
        "the component deputized, likewise",
    ),
    key(
        "cost_task_force_per_year",
        "287(g) reimbursement",
        "USD/year",
        KeyKind::Count,
        "the component task_force, likewise",
    ),
    key(
        "cost_court_per_year",
        "Immigration courts",
        "USD/year",
        KeyKind::Count,
        "the component court, likewise",
    ),
    key(
        "cost_per_arrest",
        "Cost per arrest",
        "USD/arrest",
        KeyKind::Count,
        "the run's cost over its arrests; null if none",
    ),
    key(
        "cost_per_removal",
        "Cost per removal",
        "USD/removal",
        KeyKind::Count,
        "the run's cost over its removals; null if none",
    ),
    key(
        "cost_per_detained_day",
        "Cost per detained day",
        "USD/person-day",
        KeyKind::Count,
        "the run's cost over the days people spent detained; null if none",
    ),
    key(
        "budget_detention_left_end",
        "Detention money left at the end",
        "USD",
        KeyKind::Count,
        "multi-year money for detention left on the run's last day (docs/model.md 7.19); below 0, spent beyond it",
    ),
    key(
        "budget_detention_drawn_total",
        "Detention money drawn",
        "USD",
        KeyKind::Count,
        "drawn from it over the run: detention's cost beyond the yearly appropriation",
    ),
    key(
        "budget_detention_beyond_total",
        "Detention spending beyond appropriations",
        "USD",
        KeyKind::Count,
        "detention's cost beyond the yearly appropriation on days before any multi-year money existed (a shortfall)",
    ),
    key(
        "budget_detention_runs_out_day",
        "Detention money runs out",
        "days from the start",
        KeyKind::Count,
        "the first day its money is spent, or, with money left at the end, the end plus what is left over the mean draw of the run's last 90 days (beyond the run: a projection at that pace); null when nothing is drawn then",
    ),
    key(
        "budget_enforcement_left_end",
        "Enforcement money left at the end",
        "USD",
        KeyKind::Count,
        "likewise for enforcement (officers, removals, 287(g) reimbursement)",
    ),
    key(
        "budget_enforcement_drawn_total",
        "Enforcement money drawn",
        "USD",
        KeyKind::Count,
        "likewise",
    ),
    key(
        "budget_enforcement_beyond_total",
        "Enforcement spending beyond appropriations",
        "USD",
        KeyKind::Count,
        "likewise",
    ),
    key(
        "budget_enforcement_runs_out_day",
        "Enforcement money runs out",
        "days from the start",
        KeyKind::Count,
        "likewise",
    ),
    key(
        "budget_bed_days_bought",
        "Bed-days the multi-year money paid for",
        "person-days",
        KeyKind::Count,
        "days detained times the share of each day's detention cost that the multi-year money paid",
    ),
    key(
        "budget_removals_bought",
        "Removals the multi-year money paid for",
        "persons",
        KeyKind::Count,
        "removals times the share of each day's enforcement cost that the multi-year money paid",
    ),
    key(
        "budget_arrests_bought",
        "Arrests the multi-year money paid for",
        "persons",
        KeyKind::Count,
        "arrests likewise",
    ),
    key(
        "days_by_fiscal_year",
        "Days in the run, by fiscal year",
        "days",
        KeyKind::Map,
        "object keyed by fiscal year (`FY2026`: 2025-10-01 .. 2026-09-30): the year's days in the run; a year the run covers in part counts only those, and so do the keys by fiscal year below",
    ),
    key(
        "arrests_per_day_by_fiscal_year",
        "Arrests a day, by fiscal year",
        "arrests/day",
        KeyKind::Map,
        "object keyed by fiscal year: arrests over its days in the run / those days",
    ),
    key(
        "share_other_by_fiscal_year",
        "Share with no record, by fiscal year",
        "share of arrests",
        KeyKind::Map,
        "object keyed by fiscal year: share of its arrests with neither conviction nor pending charge (a year with no arrest is left out)",
    ),
    key(
        "removals_by_fiscal_year",
        "Removals, by fiscal year",
        "persons",
        KeyKind::Map,
        "object keyed by fiscal year: removals over its days in the run (they sum to removals_total)",
    ),
    key(
        "detained_mean_by_fiscal_year",
        "Detained (mean), by fiscal year",
        "persons",
        KeyKind::Map,
        "object keyed by fiscal year: mean detained at midnight over its days in the run",
    ),
    key(
        "budget_detention_left_by_fiscal_year",
        "Detention money left, by fiscal year",
        "USD",
        KeyKind::Map,
        "object keyed by fiscal year: multi-year money for detention left at its last day in the run (docs/model.md 7.19)",
    ),
    key(
        "budget_enforcement_left_by_fiscal_year",
        "Enforcement money left, by fiscal year",
        "USD",
        KeyKind::Map,
        "object keyed by fiscal year: likewise for enforcement",
    ),
];

/// The label, unit and kind of a summary key, where it is one of [`KEYS`].
pub fn key_info(key: &str) -> Option<&'static KeyInfo> {
    KEYS.iter().find(|k| k.key == key)
}

/// The summary keys a run's replications give one number each (the statistics of the
/// run, not what describes it): the columns of a sweep's results, in [`KEYS`]' order.
pub fn run_number_keys() -> impl Iterator<Item = &'static str> {
    KEYS.iter()
        .filter(|k| matches!(k.kind, KeyKind::Share | KeyKind::Count | KeyKind::Ratio))
        .map(|k| k.key)
}

/// The table of summary keys in docs/outputs.md, made from [`KEYS`] (a test holds the
/// two together).
pub fn outputs_markdown() -> String {
    let mut s = String::from("| key | unit | meaning |\n|---|---|---|\n");
    for k in KEYS {
        s.push_str(&format!("| `{}` | {} | {} |\n", k.key, k.unit, k.meaning));
    }
    s
}

/// Folds one run's daily rows (all offices, all days of one replication) into its summary.
pub fn summarize(plan: &Plan, rows: &[DailyRow], seed: u64) -> Summary {
    let n_off = plan.offices.len();
    let days = plan.days as f64;
    let mut by_channel = [0u64; Channel::COUNT];
    let mut by_class = [0u64; Class::COUNT];
    let mut sensitive = 0u64;
    let mut avail = [0.0; Agency::COUNT];
    let mut used = [0.0; Agency::COUNT];
    let mut forgone = [0.0; Agency::COUNT];
    let mut office_other = vec![0u64; n_off];
    let mut tally = quota::Tally::new(n_off);
    for r in rows {
        for (total, n) in by_channel.iter_mut().zip(r.arrests_by_channel) {
            *total += u64::from(n);
        }
        for (total, n) in by_class.iter_mut().zip(r.arrests_by_class) {
            *total += u64::from(n);
        }
        sensitive += u64::from(r.arrests_at_sensitive_places);
        for a in 0..Agency::COUNT {
            avail[a] += r.hours_available[a];
            used[a] += r.hours_used[a];
            forgone[a] += r.own_output_forgone[a];
        }
        office_other[r.office] += u64::from(r.arrests_by_class[Class::Other as usize]);
        tally.add(r.office, r.day, r.arrests(), r.quota);
    }
    let office_arrests = &tally.office_arrests;
    let total: u64 = by_class.iter().sum();
    let t = total as f64;
    let convicted = (by_class[0] + by_class[1] + by_class[2]) as f64;
    let national_target: f64 = (0..plan.days)
        .map(|d| quota::national_target(plan, d))
        .sum();
    let mut s = Summary::default();
    s.put("scenario", Stat::Text(plan.scenario.run.name.clone()));
    s.put("seed", Stat::Int(seed));
    s.put(
        "quotasim_version",
        Stat::Text(env!("CARGO_PKG_VERSION").to_string()),
    );
    s.put("scenario_sha256", Stat::Text(plan.fingerprint(seed)));
    s.put(
        "start_date",
        Stat::Text(plan.scenario.run.start_date.to_string()),
    );
    s.put("days", Stat::Int(u64::from(plan.days)));
    s.put("docket_total", Stat::Int(plan.scenario.docket.total));
    s.put("arrests_total", Stat::Count(total));
    s.put("arrests_per_day_mean", Stat::Num(t / days));
    s.num_or_null("share_convicted", ratio(convicted, t));
    s.num_or_null("share_pending_charges", ratio(by_class[3] as f64, t));
    s.num_or_null("share_other", ratio(by_class[4] as f64, t));
    s.put(
        "arrests_other_per_day",
        Stat::Num(by_class[4] as f64 / days),
    );
    for c in [
        Class::NationalSecurityGang,
        Class::Violent,
        Class::ConvictedOther,
    ] {
        s.num_or_null(
            &format!("share_{}", c.key()),
            ratio(by_class[c as usize] as f64, t),
        );
    }
    for ch in Channel::ALL {
        s.num_or_null(
            &format!("share_{}", ch.key()),
            ratio(by_channel[ch as usize] as f64, t),
        );
    }
    s.num_or_null("other_per_convicted", ratio(by_class[4] as f64, convicted));
    s.put("arrests_at_sensitive_places", Stat::Count(sensitive));
    s.put(
        "quota_national_per_day_mean",
        Stat::Num(national_target / days),
    );
    s.num_or_null("quota_attainment", ratio(t, national_target));
    // The target in force: the national target of the last day, since the day it took
    // that value; attainment over those days only.
    let target_on = |d: u32| quota::national_target(plan, d);
    let in_force = plan.days.checked_sub(1).map_or(0.0, target_on);
    let since = (0..plan.days)
        .rev()
        .find(|&d| target_on(d) != in_force)
        .map_or(0, |d| d + 1);
    let arrests_since: u64 = rows
        .iter()
        .filter(|r| r.day >= since)
        .map(|r| u64::from(r.arrests()))
        .sum();
    let days_since = f64::from(plan.days - since);
    s.num_or_null(
        "quota_national_per_day_in_force",
        (in_force > 0.0).then_some(in_force),
    );
    if in_force > 0.0 {
        s.put(
            "quota_in_force_since",
            Stat::Text(plan.date(since).to_string()),
        );
    } else {
        s.put("quota_in_force_since", Stat::NoText);
    }
    s.num_or_null(
        "arrests_per_day_under_target_in_force",
        (in_force > 0.0).then(|| arrests_since as f64 / days_since),
    );
    s.num_or_null(
        "quota_attainment_in_force",
        ratio(arrests_since as f64, in_force * days_since),
    );
    let (missing, with_target) = tally.offices_missing();
    s.num_or_null(
        "offices_missing_quota_share",
        ratio(missing as f64, with_target as f64),
    );
    s.num_or_null(
        "office_days_missing_quota_share",
        ratio(
            tally.office_days_missing as f64,
            tally.office_days_with_target as f64,
        ),
    );
    match tally.first_office_missing() {
        Some((day, o)) => {
            s.put(
                "first_office_missing_quota",
                Stat::Text(plan.offices[o].code.clone()),
            );
            s.put("first_miss_date", Stat::Text(plan.date(day).to_string()));
        }
        None => {
            s.put("first_office_missing_quota", Stat::NoText);
            s.put("first_miss_date", Stat::NoText);
        }
    }
    let diverted: f64 = Agency::ALL
        .iter()
        .filter(|a| a.is_diverted())
        .map(|a| avail[*a as usize])
        .sum();
    s.put("hours_available_total", Stat::Num(avail.iter().sum()));
    s.put("hours_used_total", Stat::Num(used.iter().sum()));
    s.num_or_null(
        "hours_used_share",
        ratio(used.iter().sum(), avail.iter().sum()),
    );
    s.put("hours_diverted_total", Stat::Num(diverted));
    s.put("hsi_hours_diverted", Stat::Num(avail[Agency::Hsi as usize]));
    s.num_or_null("hours_diverted_per_arrest", ratio(diverted, t));
    s.put(
        "hsi_own_output_forgone",
        Stat::Num(forgone[Agency::Hsi as usize]),
    );
    s.put(
        "hours_available_by_agency",
        Stat::Map(
            Agency::ALL
                .iter()
                .map(|a| (a.key().to_string(), avail[*a as usize]))
                .collect(),
        ),
    );
    s.put(
        "hours_diverted_by_agency",
        Stat::Map(
            Agency::ALL
                .iter()
                .filter(|a| a.is_diverted())
                .map(|a| (a.key().to_string(), avail[*a as usize]))
                .collect(),
        ),
    );
    s.put(
        "own_output_forgone_by_agency",
        Stat::Map(
            Agency::ALL
                .iter()
                .filter(|a| a.is_diverted())
                .map(|a| (a.key().to_string(), forgone[*a as usize]))
                .collect(),
        ),
    );
    s.put(
        "arrests_by_office",
        Stat::Map(
            (0..n_off)
                .map(|o| (plan.offices[o].code.clone(), office_arrests[o] as f64))
                .collect(),
        ),
    );
    s.put(
        "quota_attainment_by_office",
        Stat::Map(
            tally
                .attainment_by_office()
                .into_iter()
                .map(|(o, a)| (plan.offices[o].code.clone(), a))
                .collect(),
        ),
    );
    s.put(
        "arrests_per_10k_noncitizens_by_office",
        Stat::Map(
            (0..n_off)
                .filter(|&o| plan.offices[o].noncitizen_population > 0)
                .map(|o| {
                    let people = plan.offices[o].noncitizen_population as f64;
                    (
                        plan.offices[o].code.clone(),
                        office_arrests[o] as f64 / people * 10_000.0,
                    )
                })
                .collect(),
        ),
    );
    s.put(
        "share_other_by_office",
        Stat::Map(
            (0..n_off)
                .filter(|&o| office_arrests[o] > 0)
                .map(|o| {
                    (
                        plan.offices[o].code.clone(),
                        office_other[o] as f64 / office_arrests[o] as f64,
                    )
                })
                .collect(),
        ),
    );
    let last_day: Vec<&DailyRow> = rows.iter().filter(|r| r.day + 1 == plan.days).collect();
    let end = |f: fn(&DailyRow) -> u64| Stat::Count(last_day.iter().map(|r| f(r)).sum::<u64>());
    s.put("docket_at_large_end", end(|r| r.docket_at_large));
    s.put("docket_in_jail_end", end(|r| r.docket_in_jail));
    s.put("court_backlog_end", end(|r| r.court_backlog));
    let count = |f: fn(&DailyRow) -> u64| Stat::Count(rows.iter().map(f).sum::<u64>());
    s.put("docket_joined_total", count(|r| r.joined));
    s.put("docket_departures_total", count(|r| r.departures));
    s.put(
        "court_removal_orders_total",
        count(|r| r.court_removal_orders),
    );
    s.put("court_closures_total", count(|r| r.court_closures));
    s.put("bookins_total", count(|r| r.bookins));
    s.put(
        "released_over_capacity_total",
        count(|r| r.released_over_capacity),
    );
    s.put(
        "released_at_processing_total",
        count(|r| r.released_at_processing),
    );
    s.put("detention_releases_total", count(|r| r.detention_releases));
    // National values are repeated on each office's row: read them from one office.
    let national: Vec<&DailyRow> = rows.iter().filter(|r| r.office == 0).collect();
    let detained_end = last_day.first().map_or(0.0, |r| r.national_detained as f64);
    let convicted_end = last_day
        .first()
        .map_or(0.0, |r| r.national_detained_convicted as f64);
    s.put("detained_at_end", Stat::Count(detained_end as u64));
    s.num_or_null(
        "detained_convicted_share_at_end",
        ratio(convicted_end, detained_end),
    );
    let detained_sum: f64 = national.iter().map(|r| r.national_detained as f64).sum();
    let convicted_sum: f64 = national
        .iter()
        .map(|r| r.national_detained_convicted as f64)
        .sum();
    s.put("detained_mean", Stat::Num(detained_sum / days));
    s.num_or_null(
        "detained_convicted_share_mean",
        ratio(convicted_sum, detained_sum),
    );
    s.put(
        "peak_detained",
        Stat::Count(
            national
                .iter()
                .map(|r| r.national_detained)
                .max()
                .unwrap_or(0),
        ),
    );
    // The beds of the last day, beside the detained of the last day.
    let last = national.last();
    s.put(
        "beds_at_end",
        Stat::Count(last.map_or(0, |r| r.national_beds)),
    );
    s.put(
        "contracted_beds_at_end",
        Stat::Count(last.map_or(0, |r| r.national_contracted_beds)),
    );
    s.put(
        "capacity_at_end",
        Stat::Count(last.map_or(0, |r| r.national_capacity)),
    );
    s.put(
        "over_capacity_days",
        Stat::Count(
            national
                .iter()
                .filter(|r| r.national_over_capacity > 0)
                .count() as u64,
        ),
    );
    let removals: f64 = national.iter().map(|r| r.national_removals as f64).sum();
    let per_day = removals / days;
    s.put("removals_total", Stat::Count(removals as u64));
    s.put("docket_removals_total", count(|r| r.removals));
    s.put("removals_per_day_mean", Stat::Num(per_day));
    s.put("removals_per_year", Stat::Num(per_day * 365.25));
    // The pace at the end: removals over the run's last 365 days (all of them in a
    // shorter run), so that a run ending on 2028-09-30 gives FY2028's.
    let last_year: u64 = national
        .iter()
        .rev()
        .take(365)
        .map(|r| r.national_removals)
        .sum();
    s.put("removals_last_year", Stat::Num(last_year as f64));
    // At the run's mean pace, from the start; null if nobody was removed.
    s.num_or_null(
        "days_to_one_million_removals",
        (per_day > 0.0).then(|| ONE_MILLION / per_day),
    );
    s.num_or_null("one_million_removals_day", millionth_removal_day(&national));
    // Costs (docs/model.md 7.17): a year at the run's mean daily cost, by component.
    let mut by_component = [0.0; 7];
    for r in &national {
        for (b, c) in by_component.iter_mut().zip(r.national_costs.components()) {
            *b += c;
        }
    }
    let total: f64 = by_component.iter().sum();
    let per_year = |x: f64| x / days * crate::mechanisms::costs::DAYS_PER_YEAR;
    s.put("cost_per_year", Stat::Num(per_year(total)));
    for (name, c) in crate::mechanisms::costs::DayCosts::NAMES
        .iter()
        .zip(by_component)
    {
        s.put(&format!("cost_{name}_per_year"), Stat::Num(per_year(c)));
    }
    let arrests: u64 = rows.iter().map(|r| u64::from(r.arrests())).sum();
    s.num_or_null(
        "cost_per_arrest",
        (arrests > 0).then(|| total / arrests as f64),
    );
    s.num_or_null(
        "cost_per_removal",
        (removals > 0.0).then(|| total / removals),
    );
    s.num_or_null(
        "cost_per_detained_day",
        (detained_sum > 0.0).then(|| total / detained_sum),
    );
    summarize_budget(&mut s, &national, rows);
    summarize_fiscal_years(&mut s, plan, &national, rows);
    s
}

/// The US federal fiscal year a date falls in: October to September, named by the year
/// it ends in (2025-10-01 is in FY2026).
pub fn fiscal_year(date: crate::types::Date) -> i32 {
    use chrono::Datelike;
    date.0.year() + i32::from(date.0.month() >= 10)
}

/// The keys by fiscal year (`FY2026`, ...): for each fiscal year the run reaches, its
/// days in the run, arrests a day, the share with no record, removals, the mean
/// detained and the multi-year money left at its last day in the run. A year the run
/// covers in part counts only its days in the run.
fn summarize_fiscal_years(s: &mut Summary, plan: &Plan, national: &[&DailyRow], rows: &[DailyRow]) {
    #[derive(Default, Clone, Copy)]
    struct Year {
        days: f64,
        arrests: f64,
        other: f64,
        removals: f64,
        detained: f64,
        left: [f64; crate::mechanisms::budget::ACCOUNTS.len()],
    }
    let first = fiscal_year(plan.date(0));
    // Each day's fiscal year, counted from the run's first.
    let year_of: Vec<usize> = (0..plan.days)
        .map(|d| (fiscal_year(plan.date(d)) - first) as usize)
        .collect();
    let mut years = vec![Year::default(); year_of.last().map_or(0, |y| y + 1)];
    for r in rows {
        let y = &mut years[year_of[r.day as usize]];
        y.arrests += f64::from(r.arrests());
        y.other += f64::from(r.arrests_by_class[Class::Other as usize]);
    }
    for r in national {
        let y = &mut years[year_of[r.day as usize]];
        y.days += 1.0;
        y.removals += r.national_removals as f64;
        y.detained += r.national_detained as f64;
        y.left = r.national_budget.left;
    }
    let map = |f: &dyn Fn(&Year) -> Option<f64>| {
        Stat::Map(
            years
                .iter()
                .enumerate()
                .filter_map(|(i, y)| f(y).map(|v| (format!("FY{}", first + i as i32), v)))
                .collect(),
        )
    };
    s.put("days_by_fiscal_year", map(&|y| Some(y.days)));
    s.put(
        "arrests_per_day_by_fiscal_year",
        map(&|y| Some(y.arrests / y.days)),
    );
    s.put(
        "share_other_by_fiscal_year",
        map(&|y| ratio(y.other, y.arrests)),
    );
    s.put("removals_by_fiscal_year", map(&|y| Some(y.removals)));
    s.put(
        "detained_mean_by_fiscal_year",
        map(&|y| Some(y.detained / y.days)),
    );
    for (k, name) in crate::mechanisms::budget::ACCOUNTS.iter().enumerate() {
        s.put(
            &format!("budget_{name}_left_by_fiscal_year"),
            map(&|y| Some(y.left[k])),
        );
    }
}

/// Removals the question "how far is millions" counts to.
pub const ONE_MILLION: f64 = 1e6;

/// The day (from the start) the run's removals reach [`ONE_MILLION`]: the day they do,
/// when the run gets there; otherwise the end plus what is left at the pace of the
/// run's last 365 days (all of them in a shorter run); `None` when nobody is removed
/// then.
fn millionth_removal_day(national: &[&DailyRow]) -> Option<f64> {
    let mut removed = 0.0;
    for (d, r) in national.iter().enumerate() {
        removed += r.national_removals as f64;
        if removed >= ONE_MILLION {
            return Some(d as f64);
        }
    }
    let recent = &national[national.len().saturating_sub(365)..];
    let pace = recent
        .iter()
        .map(|r| r.national_removals as f64)
        .sum::<f64>()
        / recent.len().max(1) as f64;
    (pace > 0.0).then(|| national.len() as f64 + (ONE_MILLION - removed) / pace)
}

/// Days over which the pace of the draw at the end of a run is taken, to say when an
/// account that has money left would run out.
pub const BUDGET_PACE_DAYS: usize = 90;

/// The budget's keys (docs/model.md 7.19): for each account, what is left at the end,
/// what was drawn, what was spent before any multi-year money existed, and the day
/// (from the start) its money runs out: the first day left falls below 0 after it was
/// positive, or, with money left at the end, the end plus what is left over the mean
/// draw of the last [`BUDGET_PACE_DAYS`] days (null when nothing is drawn then). Then
/// what the multi-year money bought: each day's detained, removals and arrests times
/// the share of that day's spending it paid.
fn summarize_budget(s: &mut Summary, national: &[&DailyRow], rows: &[DailyRow]) {
    let days = national.len();
    for (k, name) in crate::mechanisms::budget::ACCOUNTS.iter().enumerate() {
        let b = |r: &&DailyRow| r.national_budget;
        let left_end = national.last().map_or(0.0, |r| b(r).left[k]);
        s.put(&format!("budget_{name}_left_end"), Stat::Num(left_end));
        let drawn: f64 = national.iter().map(|r| b(r).drawn[k]).sum();
        s.put(&format!("budget_{name}_drawn_total"), Stat::Num(drawn));
        let beyond: f64 = national.iter().map(|r| b(r).beyond[k]).sum();
        s.put(&format!("budget_{name}_beyond_total"), Stat::Num(beyond));
        let mut had_money = false;
        let mut out = None;
        for (d, r) in national.iter().enumerate() {
            let left = b(r).left[k];
            if left > 0.0 {
                had_money = true;
            } else if had_money {
                out = Some(d as f64);
                break;
            }
        }
        if out.is_none() && left_end > 0.0 {
            let recent = &national[days.saturating_sub(BUDGET_PACE_DAYS)..];
            let pace = recent.iter().map(|r| b(r).drawn[k]).sum::<f64>() / recent.len() as f64;
            out = (pace > 0.0).then(|| days as f64 + left_end / pace);
        }
        s.num_or_null(&format!("budget_{name}_runs_out_day"), out);
    }
    let share = |r: &DailyRow, k: usize| r.national_budget.drawn_share(k);
    let bed_days: f64 = national
        .iter()
        .map(|r| r.national_detained as f64 * share(r, 0))
        .sum();
    let removals: f64 = national
        .iter()
        .map(|r| r.national_removals as f64 * share(r, 1))
        .sum();
    let arrests: f64 = rows
        .iter()
        .map(|r| f64::from(r.arrests()) * share(r, 1))
        .sum();
    s.put("budget_bed_days_bought", Stat::Num(bed_days));
    s.put("budget_removals_bought", Stat::Num(removals));
    s.put("budget_arrests_bought", Stat::Num(arrests));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days_removing(per_day: &[u64]) -> Vec<DailyRow> {
        per_day
            .iter()
            .enumerate()
            .map(|(d, &n)| DailyRow {
                day: d as u32,
                national_removals: n,
                ..DailyRow::default()
            })
            .collect()
    }

    #[test]
    fn the_millionth_removal_is_the_day_the_run_reaches_it_or_the_pace_of_its_last_year_beyond() {
        // 400,000 a day: the millionth on day 2 (1.2 million by its end).
        let rows = days_removing(&[400_000; 5]);
        let refs: Vec<&DailyRow> = rows.iter().collect();
        assert_eq!(millionth_removal_day(&refs), Some(2.0));
        // 100 days at 1,000 then 100 at 3,000: 400,000 in the run, 600,000 to go at the
        // pace of the whole (shorter than a year) run, 2,000 a day: 200 + 300 days.
        let per_day: Vec<u64> = (0..200)
            .map(|d| if d < 100 { 1_000 } else { 3_000 })
            .collect();
        let rows = days_removing(&per_day);
        let refs: Vec<&DailyRow> = rows.iter().collect();
        assert_eq!(millionth_removal_day(&refs), Some(500.0));
        // Past a year, only the last 365 days set the pace: 400 days at 0 then 365 at
        // 1,000 leave 635,000 to go at 1,000 a day.
        let per_day: Vec<u64> = (0..765).map(|d| if d < 400 { 0 } else { 1_000 }).collect();
        let rows = days_removing(&per_day);
        let refs: Vec<&DailyRow> = rows.iter().collect();
        assert_eq!(millionth_removal_day(&refs), Some(765.0 + 635.0));
        // Nobody removed at the end: never.
        let rows = days_removing(&[10; 3].iter().chain(&[0; 400]).copied().collect::<Vec<_>>());
        let refs: Vec<&DailyRow> = rows.iter().collect();
        assert_eq!(millionth_removal_day(&refs), None);
    }
}
