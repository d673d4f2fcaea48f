//! What is counted each day (docs/model.md 4, "Observation"; every column is
//! documented in docs/outputs.md).
//!
//! One [`DailyRow`] per office per day. The column list ([`daily_columns`]) is the
//! single definition of the daily table used by every writer (CSV, Parquet, bindings):
//! each column's name, unit, kind and meaning, and how it is read off a row.

use crate::mechanisms::channels::Arrest;
use crate::mechanisms::detention::{National, OfficeFlows};
use crate::mechanisms::docket::OfficeDocket;
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
    /// conviction and with neither conviction nor pending charge, funded beds, detained
    /// beyond them, removals today, waiting for removal, detainees not on the docket
    /// (and of them with a conviction, with neither).
    pub national_detained: u64,
    pub national_detained_convicted: u64,
    pub national_detained_no_record: u64,
    pub national_beds: u64,
    pub national_contracted_beds: u64,
    pub national_capacity: u64,
    pub national_over_capacity: u64,
    pub national_removals: u64,
    pub national_removals_without_detention: u64,
    pub national_removal_queue: u64,
    pub national_others_detained: u64,
    pub national_others_detained_convicted: u64,
    pub national_others_detained_no_record: u64,
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
        self.national_detained_no_record = n.detained_no_record;
        self.national_beds = n.beds;
        self.national_contracted_beds = n.contracted_beds;
        self.national_capacity = n.capacity;
        self.national_over_capacity = n.over_capacity;
        self.national_removals = n.removals;
        self.national_removals_without_detention = n.removals_without_detention;
        self.national_removal_queue = n.removal_queue;
        self.national_others_detained = n.others_detained;
        self.national_others_detained_convicted = n.others_detained_convicted;
        self.national_others_detained_no_record = n.others_detained_no_record;
    }

    pub fn arrests(&self) -> u32 {
        self.arrests_by_class.iter().sum()
    }

    /// The day's arrests not made in jails: targeted, collateral and community (what
    /// published figures call at-large arrests).
    pub fn arrests_outside_jails(&self) -> u32 {
        self.arrests() - self.arrests_by_channel[Channel::Custodial as usize]
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
pub enum ColumnKind {
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
    pub kind: ColumnKind,
    pub unit: &'static str,
    pub doc: String,
}

type Getter = Box<dyn Fn(&DailyRow, &Plan) -> Cell + Send + Sync>;

fn columns_with_getters() -> Vec<(Column, Getter)> {
    let mut cols: Vec<(Column, Getter)> = Vec::new();
    let mut add = |name: String, kind: ColumnKind, unit: &'static str, doc: String, f: Getter| {
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
        ColumnKind::Int,
        "index",
        "replication (0-based)".into(),
        Box::new(|r, _| Int(r.rep.into())),
    );
    add(
        "date".into(),
        ColumnKind::Date,
        "YYYY-MM-DD",
        "simulated day".into(),
        Box::new(|r, _| Text(r.date.to_string())),
    );
    add(
        "office".into(),
        ColumnKind::Category,
        "code",
        "field office code (data/field_offices.csv)".into(),
        Box::new(|r, p| Text(p.offices[r.office].code.clone())),
    );
    add(
        "quota".into(),
        ColumnKind::Float,
        "arrests/day",
        "the office's daily target; 0 for none".into(),
        Box::new(|r, _| Float(r.quota)),
    );
    add(
        "penalty".into(),
        ColumnKind::Float,
        "points/arrest",
        "accountability penalty per arrest short faced today, after escalation and rankings (docs/model.md 7.14)".into(),
        Box::new(|r, _| Float(r.penalty)),
    );
    add(
        "recruits_in_training".into(),
        ColumnKind::Float,
        "persons",
        "recruits assigned to the office still in academy or field training, all agencies (7.15)"
            .into(),
        Box::new(|r, _| Float(r.recruits_in_training)),
    );
    for a in Agency::ALL {
        let i = a as usize;
        add(
            format!("agents_{}", a.key()),
            ColumnKind::Float,
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
            ColumnKind::Float,
            "agent-hours",
            format!("hours {} agents give to immigration arrests", a.name()),
            Box::new(move |r, _| Float(r.hours_available[i])),
        );
    }
    for a in Agency::ALL {
        let i = a as usize;
        add(
            format!("hours_used_{}", a.key()),
            ColumnKind::Float,
            "agent-hours",
            format!("hours of {} spent on arrests", a.name()),
            Box::new(move |r, _| Float(r.hours_used[i])),
        );
    }
    add("hours_diverted".into(), ColumnKind::Float, "agent-hours", "hours of agencies other than ERO taken from their own missions (all their available hours)".into(),
        Box::new(|r, _| Float(Agency::ALL.iter().filter(|a| a.is_diverted()).map(|a| r.hours_available[*a as usize]).sum())));
    add(
        "effective_hours_available".into(),
        ColumnKind::Float,
        "ERO officer-hours",
        "working hours: sum of agency hours x efficiency".into(),
        Box::new(|r, _| Float(r.effective_hours_available)),
    );
    add(
        "effective_hours_used".into(),
        ColumnKind::Float,
        "ERO officer-hours",
        "working hours spent on arrests".into(),
        Box::new(|r, _| Float(r.effective_hours_used)),
    );
    add(
        "arrests".into(),
        ColumnKind::Int,
        "arrests",
        "arrests made".into(),
        Box::new(|r, _| Int(r.arrests().into())),
    );
    for ch in Channel::ALL {
        let i = ch as usize;
        add(
            format!("arrests_{}", ch.key()),
            ColumnKind::Int,
            "arrests",
            format!("arrests through the {} channel", ch.key()),
            Box::new(move |r, _| Int(r.arrests_by_channel[i].into())),
        );
    }
    add(
        "arrests_convicted".into(),
        ColumnKind::Int,
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
            ColumnKind::Int,
            "arrests",
            format!("arrests of class {}", c.key()),
            Box::new(move |r, _| Int(r.arrests_by_class[i].into())),
        );
    }
    add(
        "arrests_at_sensitive_places".into(),
        ColumnKind::Int,
        "arrests",
        "arrests at schools, hospitals, places of worship".into(),
        Box::new(|r, _| Int(r.arrests_at_sensitive_places.into())),
    );
    for a in Agency::ALL.into_iter().filter(|a| a.is_diverted()) {
        let i = a as usize;
        add(
            format!("own_output_forgone_{}", a.key()),
            ColumnKind::Float,
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
            ColumnKind::Int,
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
    int(
        "national_detained_no_record",
        "persons",
        "national: of whom with neither conviction nor pending charge",
        |r| r.national_detained_no_record,
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
    int(
        "national_others_detained_convicted",
        "persons",
        "national: of the others detained, with a conviction",
        |r| r.national_others_detained_convicted,
    );
    int(
        "national_others_detained_no_record",
        "persons",
        "national: of the others detained, with neither conviction nor pending charge",
        |r| r.national_others_detained_no_record,
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
            ColumnKind::Float,
            "USD",
            format!("national: cost of the day, {doc} (docs/model.md 7.17)"),
            Box::new(move |r, _| Float(r.national_costs.components()[i])),
        );
    }
    add(
        "national_cost_total".into(),
        ColumnKind::Float,
        "USD",
        "national: cost of the day, every component".into(),
        Box::new(|r, _| Float(r.national_costs.total())),
    );
    for (k, name) in crate::mechanisms::budget::ACCOUNTS.iter().enumerate() {
        add(
            format!("national_budget_{name}_drawn"),
            ColumnKind::Float,
            "USD",
            format!(
                "national: drawn today from the multi-year money for {name}, beyond the year's appropriation (docs/model.md 7.19)"
            ),
            Box::new(move |r, _| Float(r.national_budget.drawn[k])),
        );
        add(
            format!("national_budget_{name}_left"),
            ColumnKind::Float,
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
