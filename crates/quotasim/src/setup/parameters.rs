//! The parameter registry: every leaf parameter of a scenario, declared once, with its
//! unit, allowed range, kind and meaning (docs/model.md 7.10; the generated
//! `docs/parameters.md` lists them).
//!
//! Validation ([`crate::setup::scenario::Scenario::validate`]), the dashboard's levers, the
//! Python package (`quotasim.parameters()`), `quotasim scenario params` and
//! `docs/parameters.md` all read this table; none declares a range or unit of its own.
//! Sources stay beside the values in scenario files, as OpenFisca keeps references
//! beside parameters.
//!
//! A path may hold a placeholder that stands for every key of a family: `{class}` for
//! the five priority classes ([`crate::Class`]), `{agency}` for the seven agencies
//! ([`crate::Agency`]), `{office}` for the 25 field offices. The range check of a value
//! is `min <= x <= max` (`x < max` where `max_open`), and a number must be finite.

use crate::setup::paths::parameter_path_keys;
use crate::setup::source::Problem;
use crate::types::{Agency, Class};

/// What kind of quantity a parameter is. The kind says how a value is checked and
/// shown; the unit says what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
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

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Share => "share",
            Kind::Count => "count",
            Kind::Hours => "hours",
            Kind::Days => "days",
            Kind::Rate => "rate",
            Kind::Factor => "factor",
            Kind::Points => "points",
            Kind::Output => "output",
            Kind::Money => "money",
            Kind::Switch => "switch",
            Kind::Date => "date",
            Kind::Text => "text",
            Kind::Choice => "choice",
        }
    }

    /// Whether values of this kind are numbers with a range.
    pub fn is_number(self) -> bool {
        !matches!(self, Kind::Switch | Kind::Date | Kind::Text | Kind::Choice)
    }
}

/// One leaf parameter (or one family of them, with a placeholder in its path).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Param {
    /// Dotted path, as in events: `capacity.agencies.{agency}.agents` (serialized as
    /// `pattern`, beside a concrete `path` where values are listed).
    #[serde(rename = "pattern")]
    pub path: &'static str,
    pub kind: Kind,
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

const fn p(
    path: &'static str,
    kind: Kind,
    unit: &'static str,
    min: f64,
    max: f64,
    meaning: &'static str,
) -> Param {
    Param {
        path,
        kind,
        unit,
        min,
        max,
        max_open: false,
        meaning,
        in_events: true,
    }
}

const fn share(path: &'static str, meaning: &'static str) -> Param {
    p(path, Kind::Share, "share", 0.0, 1.0, meaning)
}

/// A share that must stay below 1.
const fn share_below_one(path: &'static str, meaning: &'static str) -> Param {
    Param {
        max_open: true,
        ..share(path, meaning)
    }
}

const fn switch(path: &'static str, meaning: &'static str) -> Param {
    p(path, Kind::Switch, "true/false", 0.0, 1.0, meaning)
}

/// A parameter of the start of the run, which events cannot change.
const fn start_only(param: Param) -> Param {
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

/// Every parameter, in the order of the scenario file.
pub const PARAMETERS: &[Param] = &[
    // [run]
    start_only(p(
        "run.name",
        Kind::Text,
        "characters",
        1.0,
        100.0,
        "Short name of the scenario, used for the default output folder.",
    )),
    start_only(p(
        "run.title",
        Kind::Text,
        "characters",
        1.0,
        100.0,
        "The scenario's name for readers, in plain words: the dashboard's list and the report's heading (the name where absent).",
    )),
    start_only(p(
        "run.start_date",
        Kind::Date,
        "date",
        0.0,
        0.0,
        "First simulated day.",
    )),
    start_only(p(
        "run.days",
        Kind::Count,
        "days",
        1.0,
        MAX_DAYS as f64,
        "Number of simulated days.",
    )),
    start_only(p(
        "run.seed",
        Kind::Count,
        "seed",
        0.0,
        MAX_SEED as f64,
        "Seed of the random streams when the command line gives none.",
    )),
    start_only(p(
        "run.fitted_through",
        Kind::Date,
        "date",
        0.0,
        0.0,
        "Last day of the outcomes the parameters were fitted to; later days are a prediction (none when nothing is fitted).",
    )),
    // [docket]
    start_only(p(
        "docket.total",
        Kind::Count,
        "persons",
        1.0,
        MAX_DOCKET as f64,
        "People on the non-detained docket at the start.",
    )),
    start_only(p(
        "docket.convicted",
        Kind::Count,
        "persons",
        0.0,
        MAX_DOCKET as f64,
        "Of whom with a criminal conviction.",
    )),
    start_only(p(
        "docket.pending_charges",
        Kind::Count,
        "persons",
        0.0,
        MAX_DOCKET as f64,
        "Of whom with criminal charges pending and no conviction.",
    )),
    start_only(share(
        "docket.share_convicted_national_security_gang",
        "Share of the convicted who are a national-security concern or gang members.",
    )),
    start_only(share(
        "docket.share_convicted_violent",
        "Share of the convicted with a violent offence.",
    )),
    start_only(share(
        "docket.share_final_order",
        "Share of the docket with a final order of removal.",
    )),
    start_only(share(
        "docket.share_protected",
        "Share of the docket with protection or a pending claim (asylum, TPS, parole).",
    )),
    start_only(share_below_one(
        "docket.share_in_custody.{class}",
        "Share of the class held in a local jail or prison at the start (held steady by jail bookings).",
    )),
    start_only(p(
        "docket.difficulty_log_sd",
        Kind::Factor,
        "sd of log difficulty",
        0.0,
        3.0,
        "Spread of individual arrest difficulty: standard deviation of its logarithm.",
    )),
    // [jails]
    p(
        "jails.stay_days.{class}",
        Kind::Days,
        "days",
        1.0,
        36_500.0,
        "Mean stay of a docket member in a local jail or prison, by class.",
    ),
    p(
        "jails.unknown_bookings_per_day",
        Kind::Rate,
        "persons/day",
        0.0,
        1e6,
        "People ICE did not know, booked into local jails nationwide and identified at booking; they join the docket in jail (split by docket share).",
    ),
    share(
        "jails.unknown_class_share.{class}",
        "Class of the people identified at booking (the five shares add up to 1).",
    ),
    start_only(share(
        "docket.share_recent",
        "Share of the docket present under two years at the start (open to expedited removal while it is in force); everyone who joins is.",
    )),
    // [capacity]
    p(
        "capacity.hours_per_shift",
        Kind::Hours,
        "hours/shift",
        1.0,
        24.0,
        "Paid hours in one shift (at least one: with none, no arrest can be made).",
    ),
    p(
        "capacity.shifts_per_week",
        Kind::Rate,
        "shifts/week",
        1.0,
        7.0,
        "Shifts an agent works in a week (at least one: with none, no arrest can be made).",
    ),
    share_below_one(
        "capacity.leave_share",
        "Share of shifts lost to leave and training.",
    ),
    switch(
        "capacity.around_the_clock",
        "Around-the-clock operations for ICE staff (lever).",
    ),
    p(
        "capacity.around_the_clock_hours_factor",
        Kind::Factor,
        "factor on hours",
        1.0,
        3.0,
        "Factor on ICE staff's hours while operations run around the clock.",
    ),
    switch(
        "capacity.leave_cancelled",
        "Personal leave cancelled for ICE staff (lever).",
    ),
    share_below_one(
        "capacity.leave_share_when_cancelled",
        "Share of shifts still lost (training, sickness) with leave cancelled.",
    ),
    p(
        "capacity.training_days",
        Kind::Days,
        "days",
        0.0,
        3650.0,
        "Days from a recruit's joining to their first day as a trained officer (academy and field training).",
    ),
    p(
        "capacity.agencies.{agency}.agents",
        Kind::Count,
        "agents",
        0.0,
        MAX_AGENTS as f64,
        "Agents of the agency working on immigration arrests nationwide.",
    ),
    share(
        "capacity.agencies.{agency}.share_of_time",
        "Share of their working hours the agency's agents spend on immigration arrests.",
    ),
    p(
        "capacity.agencies.{agency}.efficiency",
        Kind::Factor,
        "ERO officer-hours per hour",
        0.0,
        5.0,
        "Arrest work an agent does in an hour, relative to an ERO officer's hour.",
    ),
    switch(
        "capacity.agencies.{agency}.ice_schedule",
        "Whether the ICE-wide levers (around the clock, leave cancelled) apply to the agency.",
    ),
    p(
        "capacity.agencies.{agency}.recruits",
        Kind::Count,
        "agents",
        0.0,
        MAX_AGENTS as f64,
        "Agents hired since the start (cumulative); each counts in `agents` only `capacity.training_days` after joining.",
    ),
    p(
        "capacity.agencies.{agency}.own_output_per_agent_year",
        Kind::Output,
        "units/agent-year",
        0.0,
        1e6,
        "The agency's own output per agent-year of its own mission, to convert diverted hours into work forgone (0: no published rate).",
    ),
    p(
        "capacity.agencies.{agency}.own_output_unit",
        Kind::Text,
        "characters",
        0.0,
        100.0,
        "What that output counts (e.g. \"criminal arrests\").",
    ),
    // [channels]
    p(
        "channels.custodial.hours_per_arrest",
        Kind::Hours,
        "hours/arrest",
        0.01,
        1_000.0,
        "Officer-hours for one transfer from a cooperating jail or prison.",
    ),
    p(
        "channels.at_large.hours_per_arrest.{class}",
        Kind::Hours,
        "hours/arrest",
        0.01,
        10_000.0,
        "Officer-hours for a targeted arrest of a person of median difficulty, by class; an individual's cost is this times their difficulty.",
    ),
    p(
        "channels.collateral.encounters_per_targeted_arrest",
        Kind::Rate,
        "persons/targeted arrest",
        0.0,
        50.0,
        "Other docket members present, on average, at one targeted arrest.",
    ),
    p(
        "channels.collateral.hours_per_arrest",
        Kind::Hours,
        "hours/arrest",
        0.01,
        1_000.0,
        "Officer-hours to process one collateral arrest.",
    ),
    p(
        "channels.community.hours_per_arrest",
        Kind::Hours,
        "hours/arrest",
        0.01,
        1_000.0,
        "Officer-hours per arrest in community or worksite operations.",
    ),
    p(
        "channels.community.reach_per_office_per_day",
        Kind::Rate,
        "arrests/office/day",
        0.0,
        100_000.0,
        "Most arrests community operations can make in one office in one day.",
    ),
    p(
        "channels.community.reach_per_operation_agent_day",
        Kind::Rate,
        "arrests/agent/day",
        0.0,
        100.0,
        "Community arrests a day that each agent of a city operation adds to its office's reach (docs/model.md 7.16).",
    ),
    switch(
        "channels.community.broadened",
        "Whether offices are told to look beyond people with a record, in public places (from the directive of 2025-05-21; docs/model.md 7.16).",
    ),
    p(
        "channels.community.broadened_reach_gain",
        Kind::Factor,
        "relative gain",
        0.0,
        20.0,
        "Extra reach of community operations while `broadened` is on (1 = twice the reach).",
    ),
    switch(
        "channels.sensitive_places.protected",
        "Whether arrests at schools, hospitals and places of worship are kept off-limits.",
    ),
    p(
        "channels.sensitive_places.reach_gain",
        Kind::Factor,
        "relative gain",
        0.0,
        10.0,
        "Extra reach of community operations when sensitive places are not protected (0.15 = +15 %).",
    ),
    share(
        "channels.sensitive_places.share_of_arrests",
        "Share of at-large, collateral and community arrests made at sensitive places when not protected.",
    ),
    p(
        "channels.findability.{class}",
        Kind::Factor,
        "relative ease of finding",
        0.01,
        100.0,
        "How findable people of the class are (known address, check-ins, prior contact), relative to 1: targeted hours are divided by it and community and collateral arrests draw the class in proportion to it.",
    ),
    p(
        "channels.findability_case.final_order",
        Kind::Factor,
        "relative ease of finding",
        0.01,
        100.0,
        "How findable people with a final order are, relative to 1 (a final order, check-ins and a known address make people easier to find): weighs whom targeted, community and collateral arrests find, and the hours of a targeted arrest.",
    ),
    p(
        "channels.findability_case.pending",
        Kind::Factor,
        "relative ease of finding",
        0.01,
        100.0,
        "How findable people with a case pending are, relative to 1 (a final order, check-ins and a known address make people easier to find): weighs whom targeted, community and collateral arrests find, and the hours of a targeted arrest.",
    ),
    p(
        "channels.findability_case.protected",
        Kind::Factor,
        "relative ease of finding",
        0.01,
        100.0,
        "How findable people with protection or a pending claim are, relative to 1 (a final order, check-ins and a known address make people easier to find): weighs whom targeted, community and collateral arrests find, and the hours of a targeted arrest.",
    ),
    // [manager]
    p(
        "manager.priority_weight.{class}",
        Kind::Points,
        "points/arrest",
        0.0,
        1e6,
        "Priority value of one arrest, by class.",
    ),
    p(
        "manager.hour_value",
        Kind::Points,
        "points/hour",
        0.0,
        1e6,
        "Value of an officer-hour spent on other duties: arrests worth less per hour are not made unless the quota pays for them.",
    ),
    // [quota]
    p(
        "quota.national_per_day",
        Kind::Rate,
        "arrests/day",
        0.0,
        1e6,
        "National arrest target; 0 for none. Attainment is measured against it.",
    ),
    p(
        "quota.per_office_per_day",
        Kind::Rate,
        "arrests/office/day",
        0.0,
        1e5,
        "Each field office's daily target; 0 to cascade the national target by docket share.",
    ),
    p(
        "quota.penalty_per_missed_arrest",
        Kind::Points,
        "points/arrest",
        0.0,
        1e9,
        "Penalty on a manager for each arrest short of the office's daily target (the accountability rule).",
    ),
    p(
        "quota.escalation",
        Kind::Factor,
        "factor per unit shortfall",
        0.0,
        100.0,
        "Growth of the penalty with an office's recent shortfall: the penalty is multiplied by 1 + escalation x (arrests short over the window / target over the window).",
    ),
    p(
        "quota.window_days",
        Kind::Days,
        "days",
        1.0,
        366.0,
        "Trailing window over which shortfall and rankings are counted.",
    ),
    switch(
        "quota.ranking",
        "Offices ranked by attainment over the window, the bottom ones under threat (lever).",
    ),
    share(
        "quota.ranking_bottom_share",
        "Share of offices, lowest attainment first, under threat while ranking is on.",
    ),
    p(
        "quota.ranking_penalty_factor",
        Kind::Factor,
        "factor on the penalty",
        1.0,
        100.0,
        "Factor on the penalty of an office under threat.",
    ),
    // [flows]
    p(
        "flows.inflow_per_day",
        Kind::Rate,
        "persons/day",
        0.0,
        1e6,
        "New people joining the docket nationwide, at large with a pending case; split over offices by docket share.",
    ),
    share(
        "flows.inflow_class_share.{class}",
        "Class of the people who join (the five shares add up to 1).",
    ),
    share(
        "flows.departure_share_per_year",
        "Share of the people at large who leave the docket in a year by other ways (departure, status gained outside court).",
    ),
    p(
        "flows.stipend_usd",
        Kind::Money,
        "USD/person",
        0.0,
        1e6,
        "Stipend paid to a person who leaves on their own (self-deportation); 0 for none.",
    ),
    p(
        "flows.departure_gain_per_1000_usd",
        Kind::Factor,
        "relative gain per 1,000 USD",
        0.0,
        100.0,
        "Relative rise in departures for each 1,000 USD of stipend (0.1 = +10 %).",
    ),
    p(
        "flows.departure_response_to_arrest_risk",
        Kind::Factor,
        "departures per unit arrest risk",
        0.0,
        1000.0,
        "Extra daily probability of leaving per unit of the daily arrest risk in the office (arrests yesterday / people at large).",
    ),
    // [detention]
    p(
        "detention.beds",
        Kind::Count,
        "beds",
        0.0,
        10_000_000.0,
        "Funded detention beds.",
    ),
    p(
        "detention.contracted_beds",
        Kind::Count,
        "beds",
        0.0,
        10_000_000.0,
        "Beds under contract in ICE's facilities (reported beside funded beds and capacity; what is paid for). 0: the funded beds.",
    ),
    p(
        "detention.capacity",
        Kind::Count,
        "persons",
        0.0,
        10_000_000.0,
        "People ICE can physically hold (facilities hold people above their contracts); with \"release\", book-ins are released only when it is full. 0: the funded beds.",
    ),
    p(
        "detention.over_capacity",
        Kind::Choice,
        "release | hold",
        0.0,
        0.0,
        "What a book-in does when the beds are full: \"release\" at once, or \"hold\" over capacity.",
    ),
    share(
        "detention.bookin_share.{class}",
        "Share of the class's arrests booked into detention; the rest are released at once (notice to appear, recognizance, alternatives).",
    ),
    p(
        "detention.stay_days.{class}",
        Kind::Days,
        "days",
        1.0,
        3_650.0,
        "Mean stay of a docket member in detention, by class; stays are gamma distributed.",
    ),
    p(
        "detention.stay_shape",
        Kind::Factor,
        "gamma shape",
        0.1,
        100.0,
        "Shape of the gamma distribution of stays (1 = exponential).",
    ),
    p(
        "detention.stay_factor.final_order",
        Kind::Factor,
        "factor on the mean stay",
        0.01,
        100.0,
        "Factor on the mean stay of a person with a final order.",
    ),
    p(
        "detention.stay_factor.pending",
        Kind::Factor,
        "factor on the mean stay",
        0.01,
        100.0,
        "Factor on the mean stay of a person with a case pending.",
    ),
    p(
        "detention.stay_factor.protected",
        Kind::Factor,
        "factor on the mean stay",
        0.01,
        100.0,
        "Factor on the mean stay of a person with protection or a pending claim.",
    ),
    share(
        "detention.outcome_final_order.removal",
        "Share of stays of people with a final order that end in removal.",
    ),
    share(
        "detention.outcome_final_order.release",
        "Share of stays of people with a final order that end in release (bond, parole, alternatives).",
    ),
    share(
        "detention.outcome_final_order.relief",
        "Share of stays of people with a final order that end in relief (leaving the docket).",
    ),
    share(
        "detention.outcome_pending.removal",
        "Share of stays of people with a case pending that end in removal.",
    ),
    share(
        "detention.outcome_pending.release",
        "Share of stays of people with a case pending that end in release.",
    ),
    share(
        "detention.outcome_pending.relief",
        "Share of stays of people with a case pending that end in relief.",
    ),
    share(
        "detention.outcome_protected.removal",
        "Share of stays of people with protection or a claim that end in removal.",
    ),
    share(
        "detention.outcome_protected.release",
        "Share of stays of people with protection or a claim that end in release.",
    ),
    share(
        "detention.outcome_protected.relief",
        "Share of stays of people with protection or a claim that end in relief.",
    ),
    start_only(p(
        "detention.initial_detained",
        Kind::Count,
        "persons",
        0.0,
        10_000_000.0,
        "People held at the start; each joins an office's docket, detained (office drawn by docket share, pending case).",
    )),
    start_only(share(
        "detention.initial_convicted_share",
        "Share of them with a conviction.",
    )),
    start_only(share(
        "detention.initial_pending_share",
        "Share of the people detained at the start with pending charges and no conviction.",
    )),
    start_only(p(
        "detention.initial_remaining_days",
        Kind::Days,
        "days",
        1.0,
        3_650.0,
        "Mean stay left for them (geometric: a constant daily rate of leaving).",
    )),
    p(
        "detention.others_bookins_per_day",
        Kind::Rate,
        "persons/day",
        0.0,
        1e6,
        "Book-ins of people arrested by others (Border Patrol, ports of entry); they join an office's docket, detained (office drawn by docket share).",
    ),
    p(
        "detention.others_stay_days",
        Kind::Days,
        "days",
        1.0,
        3_650.0,
        "Their mean stay (geometric: a constant daily rate of leaving).",
    ),
    share(
        "detention.others_convicted_share",
        "Share of them with a conviction.",
    ),
    share(
        "detention.others_pending_share",
        "Share of the people booked in by other agencies with pending charges and no conviction.",
    ),
    share(
        "detention.others_removal_share",
        "Share of the people held who are not on the docket whose stay ends in removal; the rest are released.",
    ),
    p(
        "detention.opening_days",
        Kind::Days,
        "days",
        0.0,
        365.0,
        "Days over which a rise in `detention.capacity` opens, in equal steps (beds fill as a facility opens and is staffed); a cut applies at once. 0: at once.",
    ),
    // [removal]
    p(
        "removal.capacity_per_day",
        Kind::Rate,
        "persons/day",
        0.0,
        1e6,
        "Most removals transport can carry out in a day.",
    ),
    p(
        "removal.flights_per_day",
        Kind::Rate,
        "flights/day",
        0.0,
        1000.0,
        "Removal flights a day; each carries `seats_per_flight` people, on top of `capacity_per_day`.",
    ),
    p(
        "removal.seats_per_flight",
        Kind::Count,
        "persons/flight",
        0.0,
        1000.0,
        "People carried by one removal flight.",
    ),
    p(
        "removal.third_country_per_day",
        Kind::Rate,
        "persons/day",
        0.0,
        1e6,
        "Removals a day to third countries, on top of the rest.",
    ),
    switch(
        "removal.expedited",
        "Expedited removal in force in the interior for people present under two years (lever).",
    ),
    share(
        "removal.expedited_share",
        "Share of arrested recent arrivals placed in expedited removal while it is in force (the rest claim fear or have a case): booked in and removed without a court case.",
    ),
    p(
        "removal.expedited_stay_days",
        Kind::Days,
        "days",
        1.0,
        3650.0,
        "Mean stay in detention before an expedited removal.",
    ),
    p(
        "removal.without_detention_per_day",
        Kind::Rate,
        "persons/day",
        0.0,
        1e6,
        "ICE removals of people never booked into ICE detention (removed from Border Patrol custody or straight from a prison); they take transport first and count among removals.",
    ),
    // [pathways]
    switch(
        "pathways.detained_docket",
        "A pending case leaves detention by competing pathways (a judge's decision, release, acceptance of removal); false: by `detention.outcome_pending`.",
    ),
    p(
        "pathways.case_days",
        Kind::Days,
        "days",
        1.0,
        3_650.0,
        "Mean days for a judge to decide a case on the detained docket (the judge's clock).",
    ),
    share(
        "pathways.order_share.pending",
        "Share of the judge's decisions on the detained docket that are removal orders (voluntary departure included) for a case pending; relief otherwise.",
    ),
    share(
        "pathways.order_share.protected",
        "As `order_share.pending`, for people with protection or a claim pending.",
    ),
    p(
        "pathways.release_days.pending",
        Kind::Days,
        "days",
        1.0,
        3_650.0,
        "Mean days to release (bond, parole, alternatives) of a case pending where bond hearings are held (the release clock).",
    ),
    p(
        "pathways.release_days.protected",
        Kind::Days,
        "days",
        1.0,
        3_650.0,
        "As `release_days.pending`, for people with protection or a claim pending.",
    ),
    share(
        "pathways.bond_share",
        "Share of detained people with an open case who can get a bond hearing.",
    ),
    share(
        "pathways.no_bond_release_factor",
        "Without a bond hearing, the release clock runs at this share of its speed (parole, humanitarian release).",
    ),
    p(
        "pathways.no_bond_acceptance_factor",
        Kind::Factor,
        "factor on the acceptance clock",
        1.0,
        100.0,
        "Without a bond hearing, the acceptance clock runs this many times faster (a person facing months held without a hearing accepts removal sooner).",
    ),
    p(
        "pathways.acceptance_days.pending",
        Kind::Days,
        "days",
        1.0,
        36_500.0,
        "Mean days until a detained person with a case pending accepts removal (stipulated removal, voluntary departure): the acceptance clock.",
    ),
    p(
        "pathways.acceptance_days.protected",
        Kind::Days,
        "days",
        1.0,
        36_500.0,
        "As `acceptance_days.pending`, for people with protection or a claim pending (a claim withdrawn).",
    ),
    // [court]
    p(
        "court.decisions_per_day",
        Kind::Rate,
        "decisions/day",
        0.0,
        1e6,
        "Cases of people at large decided nationwide, split over offices by their backlog.",
    ),
    share(
        "court.share_removal_order",
        "Share of decisions that are removal orders (the case becomes a final order); the rest grant relief or close the case.",
    ),
    // [cooperation]
    share(
        "cooperation.covered_handover_share",
        "Share of docket members released from a jail under a 287(g) jail agreement (jail enforcement or warrant service) who are handed to ICE.",
    ),
    p(
        "cooperation.jail_agreements_per_million",
        Kind::Factor,
        "agreements per million noncitizens",
        0.01,
        1e4,
        "Jail agreements per million noncitizens of an office that cover 63 % of its jail releases: coverage = 1 - exp(-agreements / (this x millions)).",
    ),
    p(
        "cooperation.task_force_officers_per_agreement",
        Kind::Factor,
        "officers/agreement",
        0.0,
        1e4,
        "Local officers trained under one task-force agreement.",
    ),
    p(
        "cooperation.task_force_referrals_per_officer_day",
        Kind::Rate,
        "persons/officer/day",
        0.0,
        100.0,
        "Docket members a task-force officer's own policing (stops, calls) brings into local custody for ICE, a day.",
    ),
    share(
        "cooperation.task_force_class_share.{class}",
        "Class of the people task-force policing refers (the five shares add up to 1).",
    ),
    share(
        "cooperation.reimbursement_share",
        "Share of a trained task-force officer's salary and benefits that ICE reimburses to the local agency (an input; 0 for none).",
    ),
    p(
        "cooperation.referral_gain_at_full_reimbursement",
        Kind::Factor,
        "relative gain",
        0.0,
        10.0,
        "Relative rise in task-force referrals when officers are fully reimbursed (0.25 = +25 %).",
    ),
    // [costs] (docs/model.md 7.17)
    p(
        "costs.detention_per_bed_day",
        Kind::Money,
        "USD/person-day",
        0.0,
        10_000.0,
        "Cost of holding one person in detention for a day.",
    ),
    p(
        "costs.atd_enrolled",
        Kind::Count,
        "persons",
        0.0,
        10_000_000.0,
        "People enrolled in alternatives to detention (an input: ATD is not simulated).",
    ),
    p(
        "costs.atd_per_person_day",
        Kind::Money,
        "USD/person-day",
        0.0,
        1_000.0,
        "Cost of one person's day in alternatives to detention.",
    ),
    p(
        "costs.flight_hours_per_flight",
        Kind::Hours,
        "hours/flight",
        0.0,
        100.0,
        "Flight hours billed for one removal charter flight (out and back).",
    ),
    p(
        "costs.flight_hour",
        Kind::Money,
        "USD/flight hour",
        0.0,
        1_000_000.0,
        "Cost of one charter flight hour.",
    ),
    p(
        "costs.removal_per_person",
        Kind::Money,
        "USD/removal",
        0.0,
        1_000_000.0,
        "Cost of a removal beyond the charter flights: ground transport, commercial tickets, escorts.",
    ),
    p(
        "costs.officer_per_year",
        Kind::Money,
        "USD/officer-year",
        0.0,
        10_000_000.0,
        "Pay and benefits of an ERO officer for a year (recruits in training included); overtime is added while ICE works around the clock.",
    ),
    p(
        "costs.signing_bonus",
        Kind::Money,
        "USD/recruit",
        0.0,
        1_000_000.0,
        "Signing bonus of a recruit, paid on joining.",
    ),
    p(
        "costs.federal_agent_per_year",
        Kind::Money,
        "USD/agent-year",
        0.0,
        10_000_000.0,
        "Pay and benefits of a deputized or redirected federal agent for a year, paid by their own agency, at the share of time detailed.",
    ),
    p(
        "costs.local_officer_per_year",
        Kind::Money,
        "USD/officer-year",
        0.0,
        10_000_000.0,
        "Salary and benefits of a local 287(g) task-force officer for a year (ICE pays cooperation.reimbursement_share of it).",
    ),
    share(
        "costs.task_force_overtime_share",
        "Overtime reimbursed to a task-force officer, as a share of salary.",
    ),
    p(
        "costs.task_force_award_per_year",
        Kind::Money,
        "USD/officer-year",
        0.0,
        1_000_000.0,
        "Performance awards paid to a task-force officer in a year.",
    ),
    p(
        "costs.court_per_case",
        Kind::Money,
        "USD/decision",
        0.0,
        1_000_000.0,
        "Cost of one immigration-court decision.",
    ),
    p(
        "costs.low.{cost}",
        Kind::Factor,
        "factor",
        0.0,
        1.0,
        "Lowest factor on the unit cost an ensemble replication draws (uniformly, up to `costs.high`); 1 if not given.",
    ),
    p(
        "costs.high.{cost}",
        Kind::Factor,
        "factor",
        1.0,
        100.0,
        "Highest factor on the unit cost an ensemble replication draws; 1 if not given.",
    ),
    // [budget] (docs/model.md 7.19)
    p(
        "budget.detention_per_year",
        Kind::Money,
        "USD/year",
        0.0,
        1e12,
        "Regular yearly appropriation for detention (beds); spent as it comes, before any multi-year money.",
    ),
    p(
        "budget.enforcement_per_year",
        Kind::Money,
        "USD/year",
        0.0,
        1e12,
        "Regular yearly appropriation for enforcement (officers, removals, 287(g) reimbursement); spent as it comes.",
    ),
    p(
        "budget.detention_multiyear",
        Kind::Money,
        "USD",
        0.0,
        1e13,
        "Multi-year money for detention appropriated to date (events raise it as acts are signed); drawn down by detention's cost beyond the yearly money.",
    ),
    p(
        "budget.enforcement_multiyear",
        Kind::Money,
        "USD",
        0.0,
        1e13,
        "Multi-year money for enforcement appropriated to date; drawn down by the cost of officers, removals and 287(g) reimbursement beyond the yearly money.",
    ),
    // [offices.X]
    share(
        "offices.{office}.jail_cooperation",
        "Share of docket members released from the area's jails and prisons who are handed to ICE (detainers, 287(g)).",
    ),
    p(
        "offices.{office}.surge_officers",
        Kind::Count,
        "officers",
        0.0,
        MAX_AGENTS as f64,
        "ERO officers moved into this office from the others, in proportion to their staff; 0 normally, set by events for surges.",
    ),
    p(
        "offices.{office}.operation_agents",
        Kind::Count,
        "agents",
        0.0,
        MAX_AGENTS as f64,
        "Border Patrol agents detailed to a city operation in this office, beyond ERO's own (docs/model.md 7.16); 0 normally, set by events.",
    ),
    p(
        "offices.{office}.agreements_jail",
        Kind::Count,
        "agreements",
        0.0,
        100_000.0,
        "287(g) jail enforcement and warrant service officer agreements in force in the office's area.",
    ),
    p(
        "offices.{office}.agreements_task_force",
        Kind::Count,
        "agreements",
        0.0,
        100_000.0,
        "287(g) task force agreements in force in the office's area.",
    ),
];

/// The registry entry whose path (with placeholders) matches a concrete dotted path.
pub fn find(path: &str) -> Option<&'static Param> {
    let keys = parameter_path_keys(path);
    PARAMETERS.iter().find(|p| matches(p.path, &keys))
}

/// Whether a concrete dotted path is a switch (true or false): fronts read `true` and
/// `false` as 1 and 0 for these alone.
pub fn is_switch(path: &str) -> bool {
    find(path).is_some_and(|p| p.kind == Kind::Switch)
}

fn matches(pattern: &str, keys: &[String]) -> bool {
    // Segment by segment, with no list made (`find` runs through the whole registry for
    // every key an event sets): each key takes the next segment, and none is left over.
    let mut segments = pattern.split('.');
    keys.iter().all(|k| {
        segments.next().is_some_and(|p| match p {
            "{class}" => Class::ALL.iter().any(|c| c.key() == k),
            "{agency}" => Agency::ALL.iter().any(|a| a.key() == k),
            "{cost}" => crate::types::COST_KEYS.contains(&k.as_str()),
            // Office codes are checked against the data when offices are resolved.
            "{office}" => !k.is_empty(),
            lit => lit == k,
        })
    }) && segments.next().is_none()
}

/// The concrete paths of an entry: its placeholders expanded over the classes and
/// agencies, and over the offices given.
pub fn expand(pattern: &str, offices: &[String]) -> Vec<String> {
    let mut out = vec![String::new()];
    for seg in pattern.split('.') {
        let options: Vec<String> = match seg {
            "{class}" => Class::ALL.iter().map(|c| c.key().to_string()).collect(),
            "{agency}" => Agency::ALL.iter().map(|a| a.key().to_string()).collect(),
            "{cost}" => crate::types::COST_KEYS
                .iter()
                .map(|k| k.to_string())
                .collect(),
            "{office}" => offices.to_vec(),
            lit => vec![lit.to_string()],
        };
        out = out
            .iter()
            .flat_map(|prefix| {
                options.iter().map(move |o| {
                    if prefix.is_empty() {
                        o.clone()
                    } else {
                        format!("{prefix}.{o}")
                    }
                })
            })
            .collect();
    }
    out
}

/// The value at a dotted path of a scenario's table.
pub fn value_at<'t>(table: &'t toml::Table, path: &str) -> Option<&'t toml::Value> {
    let keys = parameter_path_keys(path);
    let (first, rest) = keys.split_first()?;
    rest.iter()
        .try_fold(table.get(first)?, |v, k| v.as_table()?.get(k))
}

/// Every leaf of a scenario's table (events left out), as (dotted path, value), in
/// the table's order.
pub fn leaves(table: &toml::Table) -> Vec<(String, &toml::Value)> {
    fn walk<'t>(prefix: &str, t: &'t toml::Table, out: &mut Vec<(String, &'t toml::Value)>) {
        for (k, v) in t {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::Table(inner) => walk(&path, inner, out),
                _ => out.push((path, v)),
            }
        }
    }
    let mut out = Vec::new();
    for (k, v) in table
        .iter()
        .filter(|(k, _)| *k != "events" && *k != "assumptions")
    {
        match v {
            toml::Value::Table(inner) => walk(k, inner, &mut out),
            _ => out.push((k.clone(), v)),
        }
    }
    out
}

/// Checks one value against its entry's range. `None` when it lies within.
pub fn check(param: &Param, path: &str, value: &toml::Value) -> Option<Problem> {
    let problem = |shown: String, message: String| {
        Some(Problem {
            path: path.to_string(),
            value: shown,
            message,
            related: Vec::new(),
        })
    };
    let (lo, hi, unit) = (param.min, param.max, param.unit);
    match (param.kind, value) {
        (Kind::Text, toml::Value::String(s)) => {
            let n = s.trim().chars().count() as f64;
            let ok = if lo > 0.0 {
                n >= lo && s.chars().count() as f64 <= hi
            } else {
                s.chars().count() as f64 <= hi
            };
            (!ok).then(|| Problem {
                path: path.to_string(),
                value: format!("{s:?}"),
                message: format!("a name of {lo} to {hi} characters is required"),
                related: Vec::new(),
            })
        }
        (kind, toml::Value::Float(_) | toml::Value::Integer(_)) if kind.is_number() => {
            let x = match value {
                toml::Value::Float(x) => *x,
                toml::Value::Integer(i) => *i as f64,
                _ => unreachable!("matched a number"),
            };
            let above = if param.max_open { x >= hi } else { x > hi };
            if kind == Kind::Share {
                let close = if param.max_open { ")" } else { "]" };
                if !x.is_finite() || x < lo || above {
                    return problem(
                        value_text(value),
                        format!("a share must lie in [{lo}, {hi}{close}"),
                    );
                }
                return None;
            }
            if !x.is_finite() {
                problem(
                    value_text(value),
                    format!("a finite number is required ({unit}, in [{lo}, {hi}])"),
                )
            } else if x < lo || above {
                problem(
                    value_text(value),
                    format!("must lie in [{lo}, {hi}] ({unit})"),
                )
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A value as the reader wrote it, near enough: very large or small numbers in
/// exponent form (1e99, not a hundred digits).
fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::Float(x)
            if x.is_finite() && (x.abs() >= 1e15 || (*x != 0.0 && x.abs() < 1e-6)) =>
        {
            format!("{x:e}")
        }
        toml::Value::Float(x) => x.to_string(),
        other => other.to_string(),
    }
}

/// Checks every leaf of a scenario's table that the registry knows against its range,
/// in the registry's order. Unknown keys and wrong types are refused when the table is
/// read into a scenario, before this.
pub fn check_table(table: &toml::Table) -> Vec<Problem> {
    let offices: Vec<String> = table
        .get("offices")
        .and_then(|o| o.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    let mut problems = Vec::new();
    // The paths of `expand`, in its order, followed key by key through the table with no
    // path written out; a path is written only for a problem.
    fn visit<'t>(
        at: &'t toml::Table,
        pattern: &[&str],
        offices: &[String],
        keys: &mut Vec<&'t str>,
        found: &mut dyn FnMut(&[&str], &toml::Value),
    ) {
        let Some((seg, rest)) = pattern.split_first() else {
            return;
        };
        let mut each = |key: &str| {
            let Some((k, v)) = at.get_key_value(key) else {
                return;
            };
            keys.push(k.as_str());
            if rest.is_empty() {
                found(keys, v);
            } else if let Some(inner) = v.as_table() {
                visit(inner, rest, offices, keys, found);
            }
            keys.pop();
        };
        match *seg {
            "{class}" => Class::ALL.iter().for_each(|c| each(c.key())),
            "{agency}" => Agency::ALL.iter().for_each(|a| each(a.key())),
            "{cost}" => crate::types::COST_KEYS.iter().for_each(|k| each(k)),
            "{office}" => offices.iter().for_each(|o| each(o)),
            lit => each(lit),
        }
    }
    for param in PARAMETERS {
        let pattern: Vec<&str> = param.path.split('.').collect();
        visit(
            table,
            &pattern,
            &offices,
            &mut Vec::new(),
            &mut |keys, v| {
                if let Some(mut problem) = check(param, "", v) {
                    problem.path = keys.join(".");
                    problems.push(problem);
                }
            },
        );
    }
    problems
}

/// One parameter of a scenario with its value.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Value {
    /// The concrete dotted path (`capacity.agencies.hsi.agents`).
    pub path: String,
    /// Its registry entry.
    #[serde(flatten)]
    pub param: Param,
    /// The allowed range as text.
    pub range: String,
    /// The value at the start of the run, as TOML writes it.
    pub value: String,
}

/// Every parameter of a scenario's table with its value at the start, in the
/// registry's order.
pub fn values(table: &toml::Table) -> Vec<Value> {
    let offices: Vec<String> = table
        .get("offices")
        .and_then(|o| o.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default();
    PARAMETERS
        .iter()
        .flat_map(|param| {
            expand(param.path, &offices)
                .into_iter()
                .filter_map(move |path| {
                    let v = value_at(table, &path)?;
                    Some(Value {
                        range: range_text(param),
                        value: match v {
                            toml::Value::String(s) => s.clone(),
                            other => value_text(other),
                        },
                        path,
                        param: *param,
                    })
                })
        })
        .collect()
}

/// The allowed range as text: `[0, 1]`, `[0, 1)`, `true/false`, `1 to 100 characters`.
pub fn range_text(p: &Param) -> String {
    match p.kind {
        Kind::Switch => "true or false".into(),
        Kind::Date => "YYYY-MM-DD".into(),
        Kind::Choice => p.unit.replace(" | ", " or "),
        Kind::Text => format!("{} to {} characters", p.min, p.max),
        // A whole number as a whole number; the largest seed, exactly.
        Kind::Count if p.max >= MAX_SEED as f64 => format!("[{}, 2^63 - 1]", p.min),
        _ => format!(
            "[{}, {}{}",
            p.min,
            p.max,
            if p.max_open { ")" } else { "]" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leaf_of_the_default_has_one_entry_with_unit_and_meaning() {
        // The fronts' default: it has every table, the fit's last day among them.
        let s = crate::Scenario::run_default();
        let toml::Value::Table(t) = toml::Value::try_from(&s).unwrap() else {
            panic!("a scenario is a table")
        };
        let leaves = leaves(&t);
        assert!(leaves.len() > 150, "{} leaves", leaves.len());
        for (path, _) in &leaves {
            let n = PARAMETERS
                .iter()
                .filter(|p| matches(p.path, &parameter_path_keys(path)))
                .count();
            assert_eq!(n, 1, "{path} matches {n} registry entries");
        }
        for p in PARAMETERS {
            assert!(!p.unit.trim().is_empty(), "{} has no unit", p.path);
            assert!(p.meaning.trim().len() > 10, "{} has no meaning", p.path);
            assert!(
                leaves
                    .iter()
                    .any(|(path, _)| matches(p.path, &parameter_path_keys(path))),
                "{} names no parameter of a scenario",
                p.path
            );
        }
    }

    #[test]
    fn placeholders_expand_over_classes_agencies_and_offices() {
        assert_eq!(expand("jails.stay_days.{class}", &[]).len(), 5);
        assert_eq!(expand("capacity.agencies.{agency}.agents", &[]).len(), 8);
        let offices = ["CHI".to_string(), "NYC".to_string()];
        assert_eq!(
            expand("offices.{office}.jail_cooperation", &offices),
            vec![
                "offices.CHI.jail_cooperation",
                "offices.NYC.jail_cooperation"
            ]
        );
        assert_eq!(find("capacity.agencies.hsi.agents").unwrap().unit, "agents");
        assert!(find("capacity.agencies.cia.agents").is_none());
    }

    #[test]
    fn huge_values_are_shown_in_exponent_form() {
        let p = find("quota.penalty_per_missed_arrest").unwrap();
        let e = check(
            p,
            "quota.penalty_per_missed_arrest",
            &toml::Value::Float(1e99),
        )
        .unwrap();
        assert_eq!(e.value, "1e99");
        assert_eq!(e.message, "must lie in [0, 1000000000] (points/arrest)");
    }

    #[test]
    fn open_share_refuses_one_and_closed_share_takes_it() {
        let open = find("capacity.leave_share").unwrap();
        let closed = find("court.share_removal_order").unwrap();
        let one = toml::Value::Float(1.0);
        assert!(check(open, "capacity.leave_share", &one).is_some());
        assert!(check(closed, "court.share_removal_order", &one).is_none());
        let e = check(open, "capacity.leave_share", &one).unwrap();
        assert_eq!(e.message, "a share must lie in [0, 1)");
    }
}
