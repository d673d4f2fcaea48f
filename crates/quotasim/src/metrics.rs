//! Observation: what is counted each day and the summary of a run (docs/model.md,
//! "Observation"; every column and key is documented in docs/outputs.md).
//!
//! One [`DailyRow`] per office per day; [`summarize`] folds them into a [`Summary`] of
//! named values. The column list ([`daily_columns`]) is the single definition of the
//! daily table used by every writer (CSV, Parquet, bindings).

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::channels::Arrest;
use crate::events::Plan;
use crate::scenario::Date;
use crate::types::{Agency, Channel, Class};

/// What happened in one office on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRow {
    pub rep: u32,
    pub day: u32,
    pub date: Date,
    /// Index of the office in [`Plan::offices`].
    pub office: usize,
    /// The office's daily target (arrests); 0 for none.
    pub quota: f64,
    /// Agents assigned, by agency (persons, fractional: shares of national counts).
    pub agents: [f64; Agency::COUNT],
    /// Agent-hours available, by agency.
    pub hours_available: [f64; Agency::COUNT],
    /// Agent-hours spent on arrests, by agency (each agency in proportion to its
    /// share of the office's working hours).
    pub hours_used: [f64; Agency::COUNT],
    /// Working hours available and used, in ERO-officer-hour equivalents.
    pub effective_hours_available: f64,
    pub effective_hours_used: f64,
    pub arrests_by_channel: [u32; Channel::COUNT],
    pub arrests_by_class: [u32; Class::COUNT],
    pub arrests_at_sensitive_places: u32,
    /// Each agency's own mission output forgone today (its own unit).
    pub own_output_forgone: [f64; Agency::COUNT],
    /// Docket members released from local jails and prisons today.
    pub jail_releases: u64,
    /// Of whom handed to ICE by a cooperating jail (available for custodial transfer).
    pub jail_handovers_offered: u64,
    /// Docket members booked into local jails today.
    pub jail_bookings: u64,
    /// At the end of the day: docket members at large, in jails, and arrested so far.
    pub docket_at_large: u64,
    pub docket_in_jail: u64,
    pub arrested_to_date: u64,
}

impl DailyRow {
    pub fn arrests(&self) -> u32 {
        self.arrests_by_class.iter().sum()
    }

    /// Counts one arrest.
    pub fn record(&mut self, a: Arrest) {
        self.arrests_by_channel[a.channel as usize] += 1;
        self.arrests_by_class[a.class as usize] += 1;
        self.arrests_at_sensitive_places += u32::from(a.at_sensitive_place);
    }
}

/// The type of a daily column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Float,
    Text,
}

/// One cell of the daily table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Int(i64),
    Float(f64),
    Text(String),
}

/// A daily column: its name, type, unit and meaning.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    pub unit: &'static str,
    pub doc: String,
}

type Getter = Box<dyn Fn(&DailyRow, &Plan) -> Cell + Send + Sync>;

fn columns_with_getters() -> Vec<(Column, Getter)> {
    let mut cols: Vec<(Column, Getter)> = Vec::new();
    let mut add = |name: String, kind: Kind, unit: &'static str, doc: String, f: Getter| {
        cols.push((
            Column {
                name,
                kind,
                unit,
                doc,
            },
            f,
        ));
    };
    use Cell::*;
    add(
        "rep".into(),
        Kind::Int,
        "index",
        "replication (0-based)".into(),
        Box::new(|r, _| Int(r.rep.into())),
    );
    add(
        "date".into(),
        Kind::Text,
        "YYYY-MM-DD",
        "simulated day".into(),
        Box::new(|r, _| Text(r.date.to_string())),
    );
    add(
        "office".into(),
        Kind::Text,
        "code",
        "field office code (data/field_offices.csv)".into(),
        Box::new(|r, p| Text(p.offices[r.office].code.clone())),
    );
    add(
        "quota".into(),
        Kind::Float,
        "arrests/day",
        "the office's daily target; 0 for none".into(),
        Box::new(|r, _| Float(r.quota)),
    );
    for a in Agency::ALL {
        let i = a as usize;
        add(
            format!("agents_{}", a.key()),
            Kind::Float,
            "persons",
            format!("{} agents assigned to the office", a.key().to_uppercase()),
            Box::new(move |r, _| Float(r.agents[i])),
        );
    }
    for a in Agency::ALL {
        let i = a as usize;
        add(
            format!("hours_available_{}", a.key()),
            Kind::Float,
            "agent-hours",
            format!(
                "hours {} agents give to immigration arrests",
                a.key().to_uppercase()
            ),
            Box::new(move |r, _| Float(r.hours_available[i])),
        );
    }
    for a in Agency::ALL {
        let i = a as usize;
        add(
            format!("hours_used_{}", a.key()),
            Kind::Float,
            "agent-hours",
            format!("hours of {} spent on arrests", a.key().to_uppercase()),
            Box::new(move |r, _| Float(r.hours_used[i])),
        );
    }
    add("hours_diverted".into(), Kind::Float, "agent-hours", "hours of agencies other than ERO taken from their own missions (all their available hours)".into(),
        Box::new(|r, _| Float(Agency::ALL.iter().filter(|a| a.is_diverted()).map(|a| r.hours_available[*a as usize]).sum())));
    add(
        "effective_hours_available".into(),
        Kind::Float,
        "ERO officer-hours",
        "working hours: sum of agency hours x efficiency".into(),
        Box::new(|r, _| Float(r.effective_hours_available)),
    );
    add(
        "effective_hours_used".into(),
        Kind::Float,
        "ERO officer-hours",
        "working hours spent on arrests".into(),
        Box::new(|r, _| Float(r.effective_hours_used)),
    );
    add(
        "arrests".into(),
        Kind::Int,
        "arrests",
        "arrests made".into(),
        Box::new(|r, _| Int(r.arrests().into())),
    );
    for ch in Channel::ALL {
        let i = ch as usize;
        add(
            format!("arrests_{}", ch.key()),
            Kind::Int,
            "arrests",
            format!("arrests through the {} channel", ch.key()),
            Box::new(move |r, _| Int(r.arrests_by_channel[i].into())),
        );
    }
    add(
        "arrests_convicted".into(),
        Kind::Int,
        "arrests",
        "arrests of people with a conviction (sum of the three convicted classes)".into(),
        Box::new(|r, _| {
            Int((r.arrests_by_class[0] + r.arrests_by_class[1] + r.arrests_by_class[2]).into())
        }),
    );
    for c in Class::ALL {
        let i = c as usize;
        add(
            format!("arrests_{}", c.key()),
            Kind::Int,
            "arrests",
            format!("arrests of class {}", c.key()),
            Box::new(move |r, _| Int(r.arrests_by_class[i].into())),
        );
    }
    add(
        "arrests_at_sensitive_places".into(),
        Kind::Int,
        "arrests",
        "arrests at schools, hospitals, places of worship".into(),
        Box::new(|r, _| Int(r.arrests_at_sensitive_places.into())),
    );
    for a in Agency::ALL.into_iter().filter(|a| a.is_diverted()) {
        let i = a as usize;
        add(
            format!("own_output_forgone_{}", a.key()),
            Kind::Float,
            "agency's unit",
            format!(
                "{} mission output forgone (unit: capacity.agencies.{}.own_output_unit)",
                a.key().to_uppercase(),
                a.key()
            ),
            Box::new(move |r, _| Float(r.own_output_forgone[i])),
        );
    }
    add(
        "jail_releases".into(),
        Kind::Int,
        "persons",
        "docket members released from local jails and prisons".into(),
        Box::new(|r, _| Int(r.jail_releases as i64)),
    );
    add(
        "jail_handovers_offered".into(),
        Kind::Int,
        "persons",
        "of whom handed to ICE by cooperating jails".into(),
        Box::new(|r, _| Int(r.jail_handovers_offered as i64)),
    );
    add(
        "jail_bookings".into(),
        Kind::Int,
        "persons",
        "docket members booked into local jails".into(),
        Box::new(|r, _| Int(r.jail_bookings as i64)),
    );
    add(
        "docket_at_large".into(),
        Kind::Int,
        "persons",
        "docket members at large at the end of the day".into(),
        Box::new(|r, _| Int(r.docket_at_large as i64)),
    );
    add(
        "docket_in_jail".into(),
        Kind::Int,
        "persons",
        "docket members in local jails and prisons at the end of the day".into(),
        Box::new(|r, _| Int(r.docket_in_jail as i64)),
    );
    add(
        "arrested_to_date".into(),
        Kind::Int,
        "persons",
        "docket members arrested by ICE since the start".into(),
        Box::new(|r, _| Int(r.arrested_to_date as i64)),
    );
    cols
}

/// The columns of the daily table, in order.
pub fn daily_columns() -> Vec<Column> {
    columns_with_getters().into_iter().map(|(c, _)| c).collect()
}

/// The daily table as columns of cells, one per [`daily_columns`] entry.
pub fn daily_table(rows: &[DailyRow], plan: &Plan) -> Vec<(Column, Vec<Cell>)> {
    columns_with_getters()
        .into_iter()
        .map(|(col, get)| {
            let cells = rows.iter().map(|r| get(r, plan)).collect();
            (col, cells)
        })
        .collect()
}

/// A summary value.
#[derive(Debug, Clone, PartialEq)]
pub enum Stat {
    Num(f64),
    /// An exact whole number (seeds, counts of days): kept apart from `Num` so a 64-bit
    /// seed is not rounded through a float.
    Int(u64),
    /// Not defined for this run (e.g. quota attainment with no quota).
    Null,
    Text(String),
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
    /// A numeric value, `None` if absent, null or not a number.
    pub fn num(&self, key: &str) -> Option<f64> {
        match self.get(key) {
            Some(Stat::Num(x)) => Some(*x),
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
                Stat::Int(x) => m.serialize_entry(k, x)?,
                Stat::Null => m.serialize_entry(k, &Option::<f64>::None)?,
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

/// The national target on each day (arrests/day): `quota.national_per_day` where set,
/// otherwise the sum of the office targets; 0 for none.
pub fn national_quota(plan: &Plan, day: u32) -> f64 {
    let s = &plan.segments[plan.segment_index(day)].scenario;
    if s.quota.national_per_day > 0.0 {
        s.quota.national_per_day
    } else {
        s.quota.per_office_per_day * plan.offices.len() as f64
    }
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
    let mut office_arrests = vec![0u64; n_off];
    let mut office_quota = vec![0.0; n_off];
    let mut office_days_with_quota = 0u64;
    let mut office_days_missing = 0u64;
    let mut first_miss: Vec<Option<u32>> = vec![None; n_off];
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
        office_arrests[r.office] += u64::from(r.arrests());
        office_quota[r.office] += r.quota;
        if r.quota > 0.0 {
            office_days_with_quota += 1;
            if f64::from(r.arrests()) < r.quota {
                office_days_missing += 1;
                first_miss[r.office].get_or_insert(r.day);
            }
        }
    }
    let total: u64 = by_class.iter().sum();
    let t = total as f64;
    let convicted = (by_class[0] + by_class[1] + by_class[2]) as f64;
    let national_target: f64 = (0..plan.days).map(|d| national_quota(plan, d)).sum();
    let mut s = Summary::default();
    s.put("scenario", Stat::Text(plan.scenario.run.name.clone()));
    s.put("seed", Stat::Int(seed));
    s.put(
        "start_date",
        Stat::Text(plan.scenario.run.start_date.to_string()),
    );
    s.put("days", Stat::Int(u64::from(plan.days)));
    s.put("docket_total", Stat::Int(plan.scenario.docket.total));
    s.put("arrests_total", Stat::Num(t));
    s.put("arrests_per_day_mean", Stat::Num(t / days));
    s.num_or_null("share_convicted", ratio(convicted, t));
    s.num_or_null("share_pending_charges", ratio(by_class[3] as f64, t));
    s.num_or_null("share_other", ratio(by_class[4] as f64, t));
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
    s.put("arrests_at_sensitive_places", Stat::Num(sensitive as f64));
    s.put(
        "quota_national_per_day_mean",
        Stat::Num(national_target / days),
    );
    s.num_or_null("quota_attainment", ratio(t, national_target));
    let with_quota: Vec<usize> = (0..n_off).filter(|&o| office_quota[o] > 0.0).collect();
    let missing = with_quota
        .iter()
        .filter(|&&o| (office_arrests[o] as f64) < office_quota[o])
        .count();
    s.num_or_null(
        "offices_missing_quota_share",
        ratio(missing as f64, with_quota.len() as f64),
    );
    s.num_or_null(
        "office_days_missing_quota_share",
        ratio(office_days_missing as f64, office_days_with_quota as f64),
    );
    // The office that first fell short of its daily target; ties go to the lower attainment.
    let first = (0..n_off)
        .filter_map(|o| first_miss[o].map(|d| (d, office_arrests[o] as f64 / office_quota[o], o)))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    match first {
        Some((day, _, o)) => {
            s.put(
                "first_office_missing_quota",
                Stat::Text(plan.offices[o].code.clone()),
            );
            s.put("first_miss_date", Stat::Text(plan.date(day).to_string()));
        }
        None => {
            s.put("first_office_missing_quota", Stat::Null);
            s.put("first_miss_date", Stat::Null);
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
            with_quota
                .iter()
                .map(|&o| {
                    (
                        plan.offices[o].code.clone(),
                        office_arrests[o] as f64 / office_quota[o],
                    )
                })
                .collect(),
        ),
    );
    let last_day: Vec<&DailyRow> = rows.iter().filter(|r| r.day + 1 == plan.days).collect();
    s.put(
        "docket_at_large_end",
        Stat::Num(last_day.iter().map(|r| r.docket_at_large as f64).sum()),
    );
    s.put(
        "docket_in_jail_end",
        Stat::Num(last_day.iter().map(|r| r.docket_in_jail as f64).sum()),
    );
    s
}
