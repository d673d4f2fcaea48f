//! Observation: what is counted each day and the summary of a run (docs/model.md 4,
//! "Observation"; every column and key is documented in docs/outputs.md).
//!
//! One [`DailyRow`] per office per day; [`summarize`] folds them into a [`Summary`] of
//! named values. The column list ([`daily_columns`]) is the single definition of the
//! daily table used by every writer (CSV, Parquet, bindings).

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::mechanisms::channels::Arrest;
use crate::mechanisms::detention::{National, OfficeFlows};
use crate::mechanisms::docket::OfficeDocket;
use crate::mechanisms::quota;
use crate::setup::plan::Plan;
use crate::setup::scenario::Date;
use crate::types::{Agency, Channel, Class};

/// What happened in one office on one day. Downstream counts (detention, removal)
/// are of the docket members this office arrested; `national_*` fields are the nation's,
/// repeated on every office's row of the day.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DailyRow {
    pub rep: u32,
    pub day: u32,
    pub date: Date,
    /// Index of the office in [`Plan::offices`].
    pub office: usize,
    /// The office's daily target (arrests); 0 for none.
    pub quota: f64,
    /// The accountability penalty the office's manager faced today (points/arrest),
    /// escalated by shortfall and rankings ([`crate::mechanisms::pressure`]).
    pub penalty: f64,
    /// Recruits assigned to the office still in training (agents, fractional).
    pub recruits_in_training: f64,
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
    /// People ICE did not know, identified at booking into a local jail today (they
    /// join the docket in jail).
    pub identified_at_booking: u64,
    /// Docket members brought into local custody for ICE by 287(g) task-force policing.
    pub task_force_referrals: u64,
    /// Immigration court decisions today: removal orders, and reliefs or closures.
    pub court_removal_orders: u64,
    pub court_closures: u64,
    /// People who left the docket by departure, and who joined it, today.
    pub departures: u64,
    pub joined: u64,
    /// Detention: book-ins, releases at the end of a stay, releases at book-in for
    /// lack of beds, relief granted in detention, removals.
    pub bookins: u64,
    pub detention_releases: u64,
    pub released_over_capacity: u64,
    pub released_at_processing: u64,
    pub detention_relief: u64,
    pub removals: u64,
    /// Of the removals, people present under two years; and book-ins placed in
    /// expedited removal.
    pub removals_recent: u64,
    pub expedited: u64,
    /// People arrested by other agencies who joined the office's docket today.
    pub others_joined: u64,
    /// At the end of the day: docket members at large, in jails, detained (and of whom
    /// convicted), removed since the start, gone another way since the start.
    pub docket_at_large: u64,
    pub docket_in_jail: u64,
    pub detained: u64,
    pub detained_convicted: u64,
    pub removed_to_date: u64,
    pub left_to_date: u64,
    /// Pending cases of the office's docket members (its share of the court backlog).
    pub court_backlog: u64,
    /// Arrests made since the start (a person arrested twice counts twice).
    pub arrests_to_date: u64,
    /// The nation at midnight: everyone detained (docket and others), of whom with a
    /// conviction, funded beds, detained beyond them, removals today, waiting for
    /// removal, detainees not on the docket.
    pub national_detained: u64,
    pub national_detained_convicted: u64,
    pub national_beds: u64,
    pub national_contracted_beds: u64,
    pub national_capacity: u64,
    pub national_over_capacity: u64,
    pub national_removals: u64,
    pub national_removals_without_detention: u64,
    pub national_removal_queue: u64,
    pub national_others_detained: u64,
    /// The nation's costs of the day by component, US dollars ([`crate::mechanisms::costs`]).
    pub national_costs: crate::mechanisms::costs::DayCosts,
    /// The nation's appropriations drawn down by the day's costs ([`crate::mechanisms::budget`]).
    pub national_budget: crate::mechanisms::budget::DayBudget,
}

impl DailyRow {
    /// An empty row for office `office` on `day`.
    pub fn new(rep: u32, day: u32, date: Date, office: usize) -> DailyRow {
        DailyRow {
            rep,
            day,
            date,
            office,
            ..DailyRow::default()
        }
    }

    /// Fills in the downstream counts at the end of the day.
    pub fn set_downstream(&mut self, f: &OfficeFlows, n: &National, doc: &OfficeDocket) {
        self.bookins = f.bookins;
        self.detention_releases = f.released;
        self.released_over_capacity = f.released_over_capacity;
        self.released_at_processing = f.released_at_processing;
        self.detention_relief = f.relief;
        self.removals = f.removals;
        self.removals_recent = f.removals_recent;
        self.expedited = f.expedited;
        self.others_joined = f.others_joined;
        self.detained = f.detained;
        self.detained_convicted = f.detained_convicted;
        self.docket_at_large = doc.at_large_total() as u64;
        self.docket_in_jail = (0..Class::COUNT).map(|c| doc.in_jail_count(c) as u64).sum();
        self.removed_to_date = doc.n_removed;
        self.left_to_date = doc.n_left;
        self.court_backlog = doc.n_case_pending;
        self.arrests_to_date = doc.arrests.iter().sum();
        self.national_detained = n.detained;
        self.national_detained_convicted = n.detained_convicted;
        self.national_beds = n.beds;
        self.national_contracted_beds = n.contracted_beds;
        self.national_capacity = n.capacity;
        self.national_over_capacity = n.over_capacity;
        self.national_removals = n.removals;
        self.national_removals_without_detention = n.removals_without_detention;
        self.national_removal_queue = n.removal_queue;
        self.national_others_detained = n.others_detained;
    }

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
    /// A calendar date, written YYYY-MM-DD (a date type in Parquet and pandas).
    Date,
    /// One of a few codes (the field office): categorical in Parquet and pandas.
    Category,
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
        Kind::Date,
        "YYYY-MM-DD",
        "simulated day".into(),
        Box::new(|r, _| Text(r.date.to_string())),
    );
    add(
        "office".into(),
        Kind::Category,
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
    add(
        "penalty".into(),
        Kind::Float,
        "points/arrest",
        "accountability penalty per arrest short faced today, after escalation and rankings (docs/model.md 7.14)".into(),
        Box::new(|r, _| Float(r.penalty)),
    );
    add(
        "recruits_in_training".into(),
        Kind::Float,
        "persons",
        "recruits assigned to the office still in academy or field training, all agencies (7.15)"
            .into(),
        Box::new(|r, _| Float(r.recruits_in_training)),
    );
    for a in Agency::ALL {
        let i = a as usize;
        add(
            format!("agents_{}", a.key()),
            Kind::Float,
            "persons",
            if a == Agency::Cbp {
                "Border Patrol agents in the office: a city operation's (docs/model.md 7.16)".into()
            } else {
                format!("{} agents assigned to the office", a.name())
            },
            Box::new(move |r, _| Float(r.agents[i])),
        );
    }
    for a in Agency::ALL {
        let i = a as usize;
        add(
            format!("hours_available_{}", a.key()),
            Kind::Float,
            "agent-hours",
            format!("hours {} agents give to immigration arrests", a.name()),
            Box::new(move |r, _| Float(r.hours_available[i])),
        );
    }
    for a in Agency::ALL {
        let i = a as usize;
        add(
            format!("hours_used_{}", a.key()),
            Kind::Float,
            "agent-hours",
            format!("hours of {} spent on arrests", a.name()),
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
                "{} mission output forgone (unit: capacity.agencies.{}.own_output_unit{})",
                a.name(),
                a.key(),
                if a == Agency::Cbp {
                    "; 0, no published rate"
                } else {
                    ""
                }
            ),
            Box::new(move |r, _| Float(r.own_output_forgone[i])),
        );
    }
    let mut int = |name: &str, unit: &'static str, doc: &str, f: fn(&DailyRow) -> u64| {
        add(
            name.into(),
            Kind::Int,
            unit,
            doc.into(),
            Box::new(move |r, _| Int(f(r) as i64)),
        );
    };
    int(
        "jail_releases",
        "persons",
        "docket members released from local jails and prisons",
        |r| r.jail_releases,
    );
    int(
        "jail_handovers_offered",
        "persons",
        "of whom handed to ICE by cooperating jails",
        |r| r.jail_handovers_offered,
    );
    int(
        "jail_bookings",
        "persons",
        "docket members booked into local jails",
        |r| r.jail_bookings,
    );
    int(
        "identified_at_booking",
        "persons",
        "people ICE did not know, identified at booking into a local jail; they join the docket in jail (7.2)",
        |r| r.identified_at_booking,
    );
    int(
        "task_force_referrals",
        "persons",
        "docket members brought into local custody for ICE by 287(g) task-force policing (7.11)",
        |r| r.task_force_referrals,
    );
    int(
        "court_removal_orders",
        "decisions",
        "court decisions ordering removal (the case becomes a final order)",
        |r| r.court_removal_orders,
    );
    int(
        "court_closures",
        "decisions",
        "court decisions granting relief or closing the case (the person leaves the docket)",
        |r| r.court_closures,
    );
    int(
        "departures",
        "persons",
        "people at large who left the docket by departure",
        |r| r.departures,
    );
    int(
        "joined",
        "persons",
        "new people who joined the docket",
        |r| r.joined,
    );
    int(
        "bookins",
        "persons",
        "the office's arrests booked into detention",
        |r| r.bookins,
    );
    int(
        "detention_releases",
        "persons",
        "released at the end of their stay (bond, parole, alternatives); at large again",
        |r| r.detention_releases,
    );
    int(
        "released_over_capacity",
        "persons",
        "released at book-in because detention was full (`detention.capacity`); with `over_capacity = \"release\"`, also docket members released down to the capacity when more were held (from the start, or after an event cut it)",
        |r| r.released_over_capacity,
    );
    int(
        "released_at_processing",
        "persons",
        "arrested, processed and released at once, never booked in (`detention.bookin_share`)",
        |r| r.released_at_processing,
    );
    int(
        "detention_relief",
        "persons",
        "relief granted or case closed in detention; leave the docket",
        |r| r.detention_relief,
    );
    int(
        "removals",
        "persons",
        "the office's docket members removed",
        |r| r.removals,
    );
    int(
        "removals_recent",
        "persons",
        "of the removals, people present under two years (7.13)",
        |r| r.removals_recent,
    );
    int(
        "expedited",
        "persons",
        "book-ins placed in expedited removal, removed without a court case (7.13)",
        |r| r.expedited,
    );
    int(
        "others_joined",
        "persons",
        "people arrested by other agencies (Border Patrol, ports) who joined the office's docket today: booked in, or released at once for lack of room (7.8)",
        |r| r.others_joined,
    );
    int(
        "docket_at_large",
        "persons",
        "docket members at large at the end of the day",
        |r| r.docket_at_large,
    );
    int(
        "docket_in_jail",
        "persons",
        "docket members in local jails and prisons at the end of the day",
        |r| r.docket_in_jail,
    );
    int(
        "detained",
        "persons",
        "people of the office's docket detained at midnight: its arrests, and people booked in by other agencies or held at the start and assigned to it (`national_others_detained` counts those nationally)",
        |r| r.detained,
    );
    int(
        "detained_convicted",
        "persons",
        "of whom with a conviction",
        |r| r.detained_convicted,
    );
    int(
        "removed_to_date",
        "persons",
        "the office's docket members removed since the start",
        |r| r.removed_to_date,
    );
    int(
        "left_to_date",
        "persons",
        "docket members gone another way since the start (relief, closure, departure)",
        |r| r.left_to_date,
    );
    int(
        "court_backlog",
        "cases",
        "pending cases of the office's docket members at the end of the day",
        |r| r.court_backlog,
    );
    int(
        "arrests_to_date",
        "arrests",
        "arrests since the start (a person arrested twice counts twice)",
        |r| r.arrests_to_date,
    );
    int(
        "national_detained",
        "persons",
        "national: everyone detained at midnight, docket members and others",
        |r| r.national_detained,
    );
    int(
        "national_detained_convicted",
        "persons",
        "national: of whom with a conviction",
        |r| r.national_detained_convicted,
    );
    int("national_beds", "beds", "national: funded beds", |r| {
        r.national_beds
    });
    int(
        "national_contracted_beds",
        "beds",
        "national: beds under contract (`detention.contracted_beds`; the funded beds where it is 0)",
        |r| r.national_contracted_beds,
    );
    int(
        "national_capacity",
        "persons",
        "national: people ICE can physically hold today (`detention.capacity`, the funded beds where it is 0, as far as it has opened: `detention.opening_days`)",
        |r| r.national_capacity,
    );
    int(
        "national_over_capacity",
        "persons",
        "national: detained beyond the funded beds",
        |r| r.national_over_capacity,
    );
    int(
        "national_removals",
        "persons",
        "national: removals today, docket members and others",
        |r| r.national_removals,
    );
    int(
        "national_removals_without_detention",
        "persons",
        "national: of the removals today, people never held in ICE detention (`removal.without_detention_per_day`)",
        |r| r.national_removals_without_detention,
    );
    int(
        "national_removal_queue",
        "persons",
        "national: detained and waiting for removal transport",
        |r| r.national_removal_queue,
    );
    int(
        "national_others_detained",
        "persons",
        "national: detainees booked in by other agencies or held at the start (people on the docket, with a class and a case)",
        |r| r.national_others_detained,
    );
    let docs: [&str; 7] = [
        "detained at midnight x costs.detention_per_bed_day",
        "ATD enrolment x costs.atd_per_person_day",
        "charter flights and removals beyond them",
        "ERO officers and recruits in training (overtime around the clock), signing bonuses",
        "deputized and redirected federal agents at their share of time, paid by their own agencies",
        "287(g) task-force officers' pay, overtime and awards reimbursed by ICE",
        "immigration-court decisions x costs.court_per_case",
    ];
    for (i, (name, doc)) in crate::mechanisms::costs::DayCosts::NAMES
        .iter()
        .zip(docs)
        .enumerate()
    {
        add(
            format!("national_cost_{name}"),
            Kind::Float,
            "USD",
            format!("national: cost of the day, {doc} (docs/model.md 7.17)"),
            Box::new(move |r, _| Float(r.national_costs.components()[i])),
        );
    }
    add(
        "national_cost_total".into(),
        Kind::Float,
        "USD",
        "national: cost of the day, every component".into(),
        Box::new(|r, _| Float(r.national_costs.total())),
    );
    for (k, name) in crate::mechanisms::budget::ACCOUNTS.iter().enumerate() {
        add(
            format!("national_budget_{name}_drawn"),
            Kind::Float,
            "USD",
            format!(
                "national: drawn today from the multi-year money for {name}, beyond the year's appropriation (docs/model.md 7.19)"
            ),
            Box::new(move |r, _| Float(r.national_budget.drawn[k])),
        );
        add(
            format!("national_budget_{name}_left"),
            Kind::Float,
            "USD",
            format!(
                "national: multi-year money for {name} left at the end of the day; below 0, spent beyond it (docs/model.md 7.19)"
            ),
            Box::new(move |r, _| Float(r.national_budget.left[k])),
        );
    }
    cols
}

/// The columns of the daily table, in order.
pub fn daily_columns() -> Vec<Column> {
    columns_with_getters().into_iter().map(|(c, _)| c).collect()
}

/// docs/outputs.md's table of daily columns, made from [`daily_columns`] (a test fails
/// when the file's table differs).
pub fn daily_columns_markdown() -> String {
    let mut s = String::from("| column | unit | meaning |\n|---|---|---|\n");
    for c in daily_columns() {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.name,
            c.unit,
            c.doc.replace('|', "\\|")
        ));
    }
    s
}

/// The table of replications: one row per replication, its index and every numeric
/// summary key of its own summary; a count (arrests, people, days) is a whole-number
/// column, everything else a real one. The command's reps.csv / reps.parquet and the
/// Python package's `Result.reps`.
pub fn reps_table(runs: &[(u32, &Summary)]) -> Vec<(Column, Vec<Cell>)> {
    let mut columns: Vec<(Column, Vec<Cell>)> = vec![(
        Column {
            name: "rep".into(),
            kind: Kind::Int,
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
                kind: if counts { Kind::Int } else { Kind::Float },
                unit: key_info(key).map_or("", |k| k.unit),
                doc: String::new(),
            },
            cells,
        ));
    }
    columns
}

/// The national table: one row per replication and day (rep, date and the `national_*`
/// columns), read from each day's first office row, where the office table repeats
/// them on every office's row (those columns there are kept for compatibility and are
/// deprecated: docs/outputs.md).
pub fn national_table(rows: &[DailyRow], plan: &Plan) -> Vec<(Column, Vec<Cell>)> {
    columns_with_getters()
        .into_iter()
        .filter(|(col, _)| {
            col.name == "rep" || col.name == "date" || col.name.starts_with("national_")
        })
        .map(|(col, get)| {
            let cells = rows
                .iter()
                .filter(|r| r.office == 0)
                .map(|r| get(r, plan))
                .collect();
            (col, cells)
        })
        .collect()
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
        (per_day > 0.0).then(|| 1e6 / per_day),
    );
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
    s
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
