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

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::setup::declare::section;
pub use crate::setup::declare::{
    Each, Group, MAX_AGENTS, MAX_DAYS, MAX_DOCKET, MAX_SEED, Nested, Param, ParamKind, p, share,
    share_below_one, start_only, switch,
};
use crate::setup::paths::parameter_path_keys;
use crate::setup::reach::{SetText, reach_as_text, reach_fields};
use crate::setup::source::Problem;
use crate::types::{Agency, ByAgency, ByClass, Class, Date};

section! {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RunSettings at "run" {
        pub name: String => start_only(p(ParamKind::Text, "characters", 1.0, 100.0, "Short name of the scenario, used for the default output folder.")),
        /// The scenario's name for readers ("2025-26 as it happened, fitted"): the page's
        /// list of scenarios and the report's heading show it; the name where absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String> => start_only(p(ParamKind::Text, "characters", 1.0, 100.0, "The scenario's name for readers, in plain words: the dashboard's list and the report's heading (the name where absent).")),
        pub start_date: Date => start_only(p(ParamKind::Date, "date", 0.0, 0.0, "First simulated day.")),
        pub days: u32 => start_only(p(ParamKind::Count, "days", 1.0, MAX_DAYS as f64, "Number of simulated days.")),
        #[serde(default)]
        pub seed: u64 => start_only(p(ParamKind::Count, "seed", 0.0, MAX_SEED as f64, "Seed of the random streams when the command line gives none.")),
        /// The last day of the outcomes the scenario's parameters were fitted to: later
        /// days are a prediction. None when nothing was fitted to outcomes of the run.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fitted_through: Option<Date> => start_only(p(ParamKind::Date, "date", 0.0, 0.0, "Last day of the outcomes the parameters were fitted to; later days are a prediction (none when nothing is fitted).")),
    }
}

impl RunSettings {
    /// The scenario's name for readers: its title, or its name where it has none.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }
}

section! {
    /// The synthetic docket at the start of the run (docs/model.md 5). Start-only: events
    /// cannot change these.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct DocketParams at "docket" {
        pub total: u64 => start_only(p(ParamKind::Count, "persons", 1.0, MAX_DOCKET as f64, "People on the non-detained docket at the start.")),
        pub convicted: u64 => start_only(p(ParamKind::Count, "persons", 0.0, MAX_DOCKET as f64, "Of whom with a criminal conviction.")),
        pub pending_charges: u64 => start_only(p(ParamKind::Count, "persons", 0.0, MAX_DOCKET as f64, "Of whom with criminal charges pending and no conviction.")),
        pub share_convicted_national_security_gang: f64 => start_only(share("Share of the convicted who are a national-security concern or gang members.")),
        pub share_convicted_violent: f64 => start_only(share("Share of the convicted with a violent offence.")),
        pub share_final_order: f64 => start_only(share("Share of the docket with a final order of removal.")),
        pub share_protected: f64 => start_only(share("Share of the docket with protection or a pending claim (asylum, TPS, parole).")),
        pub share_in_custody: ByClass<f64> => Each(start_only(share_below_one("Share of the class held in a local jail or prison at the start (held steady by jail bookings).")), "{class}"),
        pub difficulty_log_sd: f64 => start_only(p(ParamKind::Factor, "sd of log difficulty", 0.0, 3.0, "Spread of individual arrest difficulty: standard deviation of its logarithm.")),
        #[serde(default)]
        pub share_recent: f64 => start_only(share("Share of the docket present under two years at the start (open to expedited removal while it is in force); everyone who joins is.")),
    }
}

section! {
    /// Local jails and prisons: how long docket members stay once booked (docs/model.md 7.2).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct JailParams at "jails" {
        pub stay_days: ByClass<f64> => Each(p(ParamKind::Days, "days", 1.0, 36_500.0, "Mean stay of a docket member in a local jail or prison, by class."), "{class}"),
        #[serde(default)]
        pub unknown_bookings_per_day: f64 => p(ParamKind::Rate, "persons/day", 0.0, 1e6, "People ICE did not know, booked into local jails nationwide and identified at booking; they join the docket in jail (split by docket share)."),
        #[serde(default = "only_other")]
        pub unknown_class_share: ByClass<f64> => Each(share("Class of the people identified at booking (the five shares add up to 1)."), "{class}"),
    }
}

fn only_other() -> ByClass<f64> {
    ByClass {
        other: 1.0,
        ..ByClass::default()
    }
}

fn ones() -> ByClass<f64> {
    ByClass {
        national_security_gang: 1.0,
        violent: 1.0,
        convicted_other: 1.0,
        pending_charges: 1.0,
        other: 1.0,
    }
}

section! {
    /// Officer-hours (docs/model.md 7.3).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CapacityParams at "capacity" {
        pub hours_per_shift: f64 => p(ParamKind::Hours, "hours/shift", 1.0, 24.0, "Paid hours in one shift (at least one: with none, no arrest can be made)."),
        pub shifts_per_week: f64 => p(ParamKind::Rate, "shifts/week", 1.0, 7.0, "Shifts an agent works in a week (at least one: with none, no arrest can be made)."),
        pub leave_share: f64 => share_below_one("Share of shifts lost to leave and training."),
        pub around_the_clock: bool => switch("Around-the-clock operations for ICE staff (lever)."),
        pub around_the_clock_hours_factor: f64 => p(ParamKind::Factor, "factor on hours", 1.0, 3.0, "Factor on ICE staff's hours while operations run around the clock."),
        pub leave_cancelled: bool => switch("Personal leave cancelled for ICE staff (lever)."),
        pub leave_share_when_cancelled: f64 => share_below_one("Share of shifts still lost (training, sickness) with leave cancelled."),
        #[serde(default)]
        pub training_days: u32 => p(ParamKind::Days, "days", 0.0, 3650.0, "Days from a recruit's joining to their first day as a trained officer (academy and field training)."),
        pub agencies: ByAgency<AgencyParams> => Nested(AgencyParams::parameters),
    }
}

section! {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AgencyParams at "capacity.agencies.{agency}" {
        pub agents: u32 => p(ParamKind::Count, "agents", 0.0, MAX_AGENTS as f64, "Agents of the agency working on immigration arrests nationwide."),
        pub share_of_time: f64 => share("Share of their working hours the agency's agents spend on immigration arrests."),
        pub efficiency: f64 => p(ParamKind::Factor, "ERO officer-hours per hour", 0.0, 5.0, "Arrest work an agent does in an hour, relative to an ERO officer's hour."),
        pub ice_schedule: bool => switch("Whether the ICE-wide levers (around the clock, leave cancelled) apply to the agency."),
        #[serde(default)]
        pub recruits: u32 => p(ParamKind::Count, "agents", 0.0, MAX_AGENTS as f64, "Agents hired since the start (cumulative); each counts in `agents` only `capacity.training_days` after joining."),
        #[serde(default)]
        pub own_output_per_agent_year: f64 => p(ParamKind::Output, "units/agent-year", 0.0, 1e6, "The agency's own output per agent-year of its own mission, to convert diverted hours into work forgone (0: no published rate)."),
        #[serde(default)]
        pub own_output_unit: String => p(ParamKind::Text, "characters", 0.0, 100.0, "What that output counts (e.g. \"criminal arrests\")."),
    }
}

impl crate::types::NewAgency for AgencyParams {
    /// Border Patrol as `scenarios/baseline-fy2024.toml` has it: no agents until a city
    /// operation places some, full time on it, as efficient as ERO, no published rate of
    /// its own work.
    fn added() -> Self {
        AgencyParams {
            agents: 0,
            share_of_time: 1.0,
            efficiency: 1.0,
            ice_schedule: false,
            recruits: 0,
            own_output_per_agent_year: 0.0,
            own_output_unit: "not published".into(),
        }
    }
}

section! {
    /// Arrest channels (docs/model.md 7.5).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ChannelParams at "channels" {
        pub custodial: CustodialParams => Nested(CustodialParams::parameters),
        pub at_large: AtLargeParams => Nested(AtLargeParams::parameters),
        pub collateral: CollateralParams => Nested(CollateralParams::parameters),
        pub community: CommunityParams => Nested(CommunityParams::parameters),
        pub sensitive_places: SensitivePlacesParams => Nested(SensitivePlacesParams::parameters),
        #[serde(default = "ones")]
        pub findability: ByClass<f64> => Each(p(ParamKind::Factor, "relative ease of finding", 0.01, 100.0, "How findable people of the class are (known address, check-ins, prior contact), relative to 1: targeted hours are divided by it and community and collateral arrests draw the class in proportion to it."), "{class}"),
        #[serde(default = "case_ones")]
        pub findability_case: CaseFactors => Group([
                ("final_order", p(ParamKind::Factor, "relative ease of finding", 0.01, 100.0, "How findable people with a final order are, relative to 1 (a final order, check-ins and a known address make people easier to find): weighs whom targeted, community and collateral arrests find, and the hours of a targeted arrest.")),
                ("pending", p(ParamKind::Factor, "relative ease of finding", 0.01, 100.0, "How findable people with a case pending are, relative to 1 (a final order, check-ins and a known address make people easier to find): weighs whom targeted, community and collateral arrests find, and the hours of a targeted arrest.")),
                ("protected", p(ParamKind::Factor, "relative ease of finding", 0.01, 100.0, "How findable people with protection or a pending claim are, relative to 1 (a final order, check-ins and a known address make people easier to find): weighs whom targeted, community and collateral arrests find, and the hours of a targeted arrest.")),
            ]),
    }
}

fn case_ones() -> CaseFactors {
    CaseFactors {
        final_order: 1.0,
        pending: 1.0,
        protected: 1.0,
    }
}

section! {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CustodialParams at "channels.custodial" {
        pub hours_per_arrest: f64 => p(ParamKind::Hours, "hours/arrest", 0.01, 1_000.0, "Officer-hours for one transfer from a cooperating jail or prison."),
    }
}

section! {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct AtLargeParams at "channels.at_large" {
        pub hours_per_arrest: ByClass<f64> => Each(p(ParamKind::Hours, "hours/arrest", 0.01, 10_000.0, "Officer-hours for a targeted arrest of a person of median difficulty, by class; an individual's cost is this times their difficulty."), "{class}"),
    }
}

section! {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CollateralParams at "channels.collateral" {
        pub encounters_per_targeted_arrest: f64 => p(ParamKind::Rate, "persons/targeted arrest", 0.0, 50.0, "Other docket members present, on average, at one targeted arrest."),
        pub hours_per_arrest: f64 => p(ParamKind::Hours, "hours/arrest", 0.01, 1_000.0, "Officer-hours to process one collateral arrest."),
    }
}

section! {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CommunityParams at "channels.community" {
        pub hours_per_arrest: f64 => p(ParamKind::Hours, "hours/arrest", 0.01, 1_000.0, "Officer-hours per arrest in community or worksite operations."),
        pub reach_per_office_per_day: f64 => p(ParamKind::Rate, "arrests/office/day", 0.0, 100_000.0, "Most arrests community operations can make in one office in one day, whatever its officers (added to `reach_per_officer_hour`'s)."),
        #[serde(default)]
        pub reach_per_officer_hour: f64 => p(ParamKind::Rate, "arrests/officer-hour", 0.0, 1.0, "Community arrests an office can reach for each officer-hour it has that day (ERO-officer-hour equivalents: deputized agents, operation agents and trained recruits included): operations grow with the officers who staff them (docs/model.md 7.16)."),
        #[serde(default)]
        pub reach_per_operation_agent_day: f64 => p(ParamKind::Rate, "arrests/agent/day", 0.0, 100.0, "Community arrests a day that each agent of a city operation adds to its office's reach (docs/model.md 7.16)."),
        #[serde(default)]
        pub broadened: bool => switch("Whether offices are told to look beyond people with a record, in public places (from the directive of 2025-05-21; docs/model.md 7.16)."),
        #[serde(default)]
        pub broadened_reach_gain: f64 => p(ParamKind::Factor, "relative gain", 0.0, 20.0, "Extra reach of community operations while `broadened` is on (1 = twice the reach)."),
    }
}

section! {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct SensitivePlacesParams at "channels.sensitive_places" {
        pub protected: bool => switch("Whether arrests at schools, hospitals and places of worship are kept off-limits."),
        pub reach_gain: f64 => p(ParamKind::Factor, "relative gain", 0.0, 10.0, "Extra reach of community operations when sensitive places are not protected (0.15 = +15 %)."),
        pub share_of_arrests: f64 => share("Share of at-large, collateral and community arrests made at sensitive places when not protected."),
    }
}

section! {
    /// The manager's objective (docs/model.md 7.6).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ManagerParams at "manager" {
        pub priority_weight: ByClass<f64> => Each(p(ParamKind::Points, "points/arrest", 0.0, 1e6, "Priority value of one arrest, by class."), "{class}"),
        pub hour_value: f64 => p(ParamKind::Points, "points/hour", 0.0, 1e6, "Value of an officer-hour spent on other duties: arrests worth less per hour are not made unless the quota pays for them."),
    }
}

section! {
    /// The quota and the accountability rule (docs/model.md 7.4).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct QuotaParams at "quota" {
        pub national_per_day: f64 => p(ParamKind::Rate, "arrests/day", 0.0, 1e6, "National arrest target; 0 for none. Attainment is measured against it."),
        pub per_office_per_day: f64 => p(ParamKind::Rate, "arrests/office/day", 0.0, 1e5, "Each field office's daily target; 0 to cascade the national target by docket share."),
        pub penalty_per_missed_arrest: f64 => p(ParamKind::Points, "points/arrest", 0.0, 1e9, "Penalty on a manager for each arrest short of the office's daily target (the accountability rule)."),
        #[serde(default)]
        pub escalation: f64 => p(ParamKind::Factor, "factor per unit shortfall", 0.0, 100.0, "Growth of the penalty with an office's recent shortfall: the penalty is multiplied by 1 + escalation x (arrests short over the window / target over the window)."),
        #[serde(default = "thirty")]
        pub window_days: u32 => p(ParamKind::Days, "days", 1.0, 366.0, "Trailing window over which shortfall and rankings are counted."),
        #[serde(default)]
        pub ranking: bool => switch("Offices ranked by attainment over the window, the bottom ones under threat (lever)."),
        #[serde(default = "tenth")]
        pub ranking_bottom_share: f64 => share("Share of offices, lowest attainment first, under threat while ranking is on."),
        #[serde(default = "one")]
        pub ranking_penalty_factor: f64 => p(ParamKind::Factor, "factor on the penalty", 1.0, 100.0, "Factor on the penalty of an office under threat."),
    }
}

fn thirty() -> u32 {
    30
}

fn tenth() -> f64 {
    0.1
}

fn one() -> f64 {
    1.0
}

section! {
    /// The docket's own flows (docs/model.md 7.1).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct FlowParams at "flows" {
        pub inflow_per_day: f64 => p(ParamKind::Rate, "persons/day", 0.0, 1e6, "New people joining the docket nationwide, at large with a pending case; split over offices by docket share."),
        pub inflow_class_share: ByClass<f64> => Each(share("Class of the people who join (the five shares add up to 1)."), "{class}"),
        pub departure_share_per_year: f64 => share("Share of the people at large who leave the docket in a year by other ways (departure, status gained outside court)."),
        #[serde(default)]
        pub stipend_usd: f64 => p(ParamKind::Money, "USD/person", 0.0, 1e6, "Stipend paid to a person who leaves on their own (self-deportation); 0 for none."),
        #[serde(default)]
        pub departure_gain_per_1000_usd: f64 => p(ParamKind::Factor, "relative gain per 1,000 USD", 0.0, 100.0, "Relative rise in departures for each 1,000 USD of stipend (0.1 = +10 %)."),
        #[serde(default)]
        pub departure_response_to_arrest_risk: f64 => p(ParamKind::Factor, "departures per unit arrest risk", 0.0, 1000.0, "Extra daily probability of leaving per unit of the daily arrest risk in the office (arrests yesterday / people at large)."),
    }
}

/// How detention ends for a docket member, by case state: shares summing to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub removal: f64,
    pub release: f64,
    pub relief: f64,
}

impl Outcome {
    pub fn to_array(self) -> [f64; 3] {
        [self.removal, self.release, self.relief]
    }
}

/// One factor per immigration-case state.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFactors {
    pub final_order: f64,
    pub pending: f64,
    pub protected: f64,
}

impl CaseFactors {
    /// In the order of [`crate::mechanisms::docket::CaseState`]: final order, pending, protected.
    pub fn to_array(self) -> [f64; 3] {
        [self.final_order, self.pending, self.protected]
    }
}

/// What happens when a book-in finds every funded bed full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OverCapacity {
    /// Released at once (bond, alternatives to detention).
    Release,
    /// Held anyway; the excess over funded beds is counted.
    Hold,
}

fn all_booked_in() -> ByClass<f64> {
    ones()
}

section! {
    /// Detention: beds, stays, outcomes (docs/model.md 7.8).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct DetentionParams at "detention" {
        pub beds: u64 => p(ParamKind::Count, "beds", 0.0, 10_000_000.0, "Funded detention beds."),
        #[serde(default)]
        pub contracted_beds: u64 => p(ParamKind::Count, "beds", 0.0, 10_000_000.0, "Beds under contract in ICE's facilities (reported beside funded beds and capacity; what is paid for). 0: the funded beds."),
        #[serde(default)]
        pub capacity: u64 => p(ParamKind::Count, "persons", 0.0, 10_000_000.0, "People ICE can physically hold (facilities hold people above their contracts); with \"release\", book-ins are released only when it is full. 0: the funded beds."),
        pub over_capacity: OverCapacity => p(ParamKind::Choice, "release | hold", 0.0, 0.0, "What a book-in does when the beds are full: \"release\" at once, or \"hold\" over capacity."),
        #[serde(default = "all_booked_in")]
        pub bookin_share: ByClass<f64> => Each(share("Share of the class's arrests booked into detention; the rest are released at once (notice to appear, recognizance, alternatives)."), "{class}"),
        pub stay_days: ByClass<f64> => Each(p(ParamKind::Days, "days", 1.0, 3_650.0, "Mean stay of a docket member in detention, by class; stays are gamma distributed."), "{class}"),
        pub stay_shape: f64 => p(ParamKind::Factor, "gamma shape", 0.1, 100.0, "Shape of the gamma distribution of stays (1 = exponential)."),
        pub stay_factor: CaseFactors => Group([
                ("final_order", p(ParamKind::Factor, "factor on the mean stay", 0.01, 100.0, "Factor on the mean stay of a person with a final order.")),
                ("pending", p(ParamKind::Factor, "factor on the mean stay", 0.01, 100.0, "Factor on the mean stay of a person with a case pending.")),
                ("protected", p(ParamKind::Factor, "factor on the mean stay", 0.01, 100.0, "Factor on the mean stay of a person with protection or a pending claim.")),
            ]),
        pub outcome_final_order: Outcome => Group([
                ("removal", share("Share of stays of people with a final order that end in removal.")),
                ("release", share("Share of stays of people with a final order that end in release (bond, parole, alternatives).")),
                ("relief", share("Share of stays of people with a final order that end in relief (leaving the docket).")),
            ]),
        pub outcome_pending: Outcome => Group([
                ("removal", share("Share of stays of people with a case pending that end in removal.")),
                ("release", share("Share of stays of people with a case pending that end in release.")),
                ("relief", share("Share of stays of people with a case pending that end in relief.")),
            ]),
        pub outcome_protected: Outcome => Group([
                ("removal", share("Share of stays of people with protection or a claim that end in removal.")),
                ("release", share("Share of stays of people with protection or a claim that end in release.")),
                ("relief", share("Share of stays of people with protection or a claim that end in relief.")),
            ]),
        pub initial_detained: u64 => start_only(p(ParamKind::Count, "persons", 0.0, 10_000_000.0, "People held at the start; each joins an office's docket, detained (office drawn by docket share, pending case).")),
        pub initial_convicted_share: f64 => start_only(share("Share of them with a conviction.")),
        #[serde(default)]
        pub initial_pending_share: f64 => start_only(share("Share of the people detained at the start with pending charges and no conviction.")),
        pub initial_remaining_days: f64 => start_only(p(ParamKind::Days, "days", 1.0, 3_650.0, "Mean stay left for them (geometric: a constant daily rate of leaving).")),
        pub others_bookins_per_day: f64 => p(ParamKind::Rate, "persons/day", 0.0, 1e6, "Book-ins of people arrested by others (Border Patrol, ports of entry); they join an office's docket, detained (office drawn by docket share)."),
        pub others_stay_days: f64 => p(ParamKind::Days, "days", 1.0, 3_650.0, "Their mean stay with bond hearings for everyone (geometric: a constant daily rate of leaving); without them release slows and stays lengthen (docs/model.md 7.18)."),
        pub others_convicted_share: f64 => share("Share of them with a conviction."),
        #[serde(default)]
        pub others_pending_share: f64 => share("Share of the people booked in by other agencies with pending charges and no conviction."),
        pub others_removal_share: f64 => share("Share of the people held who are not on the docket whose stay ends in removal with bond hearings for everyone; the rest are released (without bond hearings fewer: docs/model.md 7.18)."),
        /// Days over which a rise in `capacity` opens (linearly); 0: at once.
        #[serde(default)]
        pub opening_days: f64 => p(ParamKind::Days, "days", 0.0, 365.0, "Days over which a rise in `detention.capacity` opens, in equal steps (beds fill as a facility opens and is staffed); a cut applies at once. 0: at once."),
    }
}

section! {
    /// Removal pathways of a case on the detained docket (docs/model.md 7.18,
    /// [`crate::mechanisms::pathways`]).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct PathwayParams at "pathways" {
        pub detained_docket: bool => switch("A pending case leaves detention by competing pathways (a judge's decision, release, acceptance of removal); false: by `detention.outcome_pending`."),
        pub case_days: f64 => p(ParamKind::Days, "days", 1.0, 3_650.0, "Mean days for a judge to decide a case on the detained docket (the judge's clock)."),
        pub order_share: OpenCases => Group([
                ("pending", share("Share of the judge's decisions on the detained docket that are removal orders (voluntary departure included) for a case pending; relief otherwise.")),
                ("protected", share("As `order_share.pending`, for people with protection or a claim pending.")),
            ]),
        pub release_days: OpenCases => Group([
                ("pending", p(ParamKind::Days, "days", 1.0, 3_650.0, "Mean days to release (bond, parole, alternatives) of a case pending where bond hearings are held (the release clock).")),
                ("protected", p(ParamKind::Days, "days", 1.0, 3_650.0, "As `release_days.pending`, for people with protection or a claim pending.")),
            ]),
        pub bond_share: f64 => share("Share of detained people with an open case who can get a bond hearing."),
        pub no_bond_release_factor: f64 => share("Without a bond hearing, the release clock runs at this share of its speed (parole, humanitarian release)."),
        pub release_restricted: bool => switch("ICE restricts releases (EO 14165 s. 5, 2025-01-20: detain until removal, end catch-and-release): bond hearings that release are cut to `restricted_bond_factor` of `bond_share`, and ICE's own releases (parole, release on recognizance, alternatives to detention) run at `restricted_release_factor` of their speed."),
        pub restricted_bond_factor: f64 => share("While `release_restricted` holds, the share of `bond_share` whose bond hearings still release (the rest are held as without bond: ICE appeals a grant and keeps the person, or the judge finds no jurisdiction)."),
        pub restricted_release_factor: f64 => share("While `release_restricted` holds, the release clock runs at this share of its speed (with bond or without)."),
        pub convicted_bond_reach: f64 => share("Share of the no-bond rule's effect that reaches people with a conviction: their bond share is `bond_share + (1 - convicted_bond_reach) x (1 - bond_share)`. Most people with a conviction were held without bond before 2025 (mandatory detention), so a rule against bond may change less for them. 1: the rule reaches every record."),
        pub no_bond_acceptance_factor: f64 => p(ParamKind::Factor, "factor on the acceptance clock", 1.0, 100.0, "Without a bond hearing, the acceptance clock runs this many times faster (a person facing months held without a hearing accepts removal sooner)."),
        pub acceptance_days: OpenCases => Group([
                ("pending", p(ParamKind::Days, "days", 1.0, 36_500.0, "Mean days until a detained person with a case pending accepts removal (stipulated removal, voluntary departure): the acceptance clock.")),
                ("protected", p(ParamKind::Days, "days", 1.0, 36_500.0, "As `acceptance_days.pending`, for people with protection or a claim pending (a claim withdrawn).")),
            ]),
    }
}

/// One value for each case state that is still open before a judge: a case pending,
/// and protection or a claim pending.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenCases {
    pub pending: f64,
    pub protected: f64,
}

// The small tables beside the sections, and a choice, as a path reaches them
// (crate::setup::reach; a section gets its own from `section!`).
reach_fields!(Outcome {
    removal,
    release,
    relief
});
reach_fields!(CaseFactors {
    final_order,
    pending,
    protected
});
reach_fields!(OpenCases { pending, protected });

impl SetText for OverCapacity {
    /// "release" or "hold", as a scenario file writes it.
    fn set_text(&mut self, text: &str) -> bool {
        match text {
            "release" => *self = OverCapacity::Release,
            "hold" => *self = OverCapacity::Hold,
            _ => return false,
        }
        true
    }
}
reach_as_text!(OverCapacity);

impl Default for PathwayParams {
    /// Off: open cases end by `detention.outcome_pending` and `outcome_protected`. The
    /// other values are only read with the detained docket on, and are those of
    /// baseline-fy2024.toml.
    fn default() -> PathwayParams {
        PathwayParams {
            detained_docket: false,
            case_days: 45.0,
            order_share: OpenCases {
                pending: 0.8,
                protected: 0.5,
            },
            release_days: OpenCases {
                pending: 25.0,
                protected: 5.294,
            },
            bond_share: 1.0,
            no_bond_release_factor: 0.2,
            convicted_bond_reach: 1.0,
            release_restricted: false,
            restricted_bond_factor: 1.0,
            restricted_release_factor: 1.0,
            no_bond_acceptance_factor: 1.0,
            acceptance_days: OpenCases {
                pending: 37.5,
                protected: 90.0,
            },
        }
    }
}

section! {
    /// Removal transport and expedited removal (docs/model.md 7.13).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct RemovalParams at "removal" {
        pub capacity_per_day: f64 => p(ParamKind::Rate, "persons/day", 0.0, 1e6, "Most removals transport can carry out in a day."),
        #[serde(default)]
        pub flights_per_day: f64 => p(ParamKind::Rate, "flights/day", 0.0, 1000.0, "Removal flights a day; each carries `seats_per_flight` people, on top of `capacity_per_day`."),
        #[serde(default)]
        pub seats_per_flight: f64 => p(ParamKind::Count, "persons/flight", 0.0, 1000.0, "People carried by one removal flight."),
        #[serde(default)]
        pub third_country_per_day: f64 => p(ParamKind::Rate, "persons/day", 0.0, 1e6, "Removals a day to third countries, on top of the rest."),
        #[serde(default)]
        pub expedited: bool => switch("Expedited removal in force in the interior for people present under two years (lever)."),
        #[serde(default)]
        pub expedited_share: f64 => share("Share of arrested recent arrivals placed in expedited removal while it is in force (the rest claim fear or have a case): booked in and removed without a court case."),
        #[serde(default = "fourteen")]
        pub expedited_stay_days: f64 => p(ParamKind::Days, "days", 1.0, 3650.0, "Mean stay in detention before an expedited removal."),
        /// ICE removals of people never booked into ICE detention (a day).
        #[serde(default)]
        pub without_detention_per_day: f64 => p(ParamKind::Rate, "persons/day", 0.0, 1e6, "ICE removals of people never booked into ICE detention (removed from Border Patrol custody or straight from a prison); they take transport first and count among removals."),
    }
}

fn fourteen() -> f64 {
    14.0
}

section! {
    /// Unit costs in US dollars (docs/model.md 7.17). They are counted from the day's
    /// state and do not act on it.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct CostParams at "costs" {
        pub detention_per_bed_day: f64 => p(ParamKind::Money, "USD/person-day", 0.0, 10_000.0, "Cost of holding one person in detention for a day."),
        pub atd_enrolled: f64 => p(ParamKind::Count, "persons", 0.0, 10_000_000.0, "People enrolled in alternatives to detention (an input: ATD is not simulated)."),
        pub atd_per_person_day: f64 => p(ParamKind::Money, "USD/person-day", 0.0, 1_000.0, "Cost of one person's day in alternatives to detention."),
        pub flight_hours_per_flight: f64 => p(ParamKind::Hours, "hours/flight", 0.0, 100.0, "Flight hours billed for one removal charter flight (out and back)."),
        pub flight_hour: f64 => p(ParamKind::Money, "USD/flight hour", 0.0, 1_000_000.0, "Cost of one charter flight hour."),
        pub removal_per_person: f64 => p(ParamKind::Money, "USD/removal", 0.0, 1_000_000.0, "Cost of a removal beyond the charter flights: ground transport, commercial tickets, escorts."),
        pub officer_per_year: f64 => p(ParamKind::Money, "USD/officer-year", 0.0, 10_000_000.0, "Pay and benefits of an ERO officer for a year (recruits in training included); overtime is added while ICE works around the clock."),
        pub signing_bonus: f64 => p(ParamKind::Money, "USD/recruit", 0.0, 1_000_000.0, "Signing bonus of a recruit, paid on joining."),
        pub federal_agent_per_year: f64 => p(ParamKind::Money, "USD/agent-year", 0.0, 10_000_000.0, "Pay and benefits of a deputized or redirected federal agent for a year, paid by their own agency, at the share of time detailed."),
        pub local_officer_per_year: f64 => p(ParamKind::Money, "USD/officer-year", 0.0, 10_000_000.0, "Salary and benefits of a local 287(g) task-force officer for a year (ICE pays cooperation.reimbursement_share of it)."),
        pub task_force_overtime_share: f64 => share("Overtime reimbursed to a task-force officer, as a share of salary."),
        pub task_force_award_per_year: f64 => p(ParamKind::Money, "USD/officer-year", 0.0, 1_000_000.0, "Performance awards paid to a task-force officer in a year."),
        pub court_per_case: f64 => p(ParamKind::Money, "USD/decision", 0.0, 1_000_000.0, "Cost of one immigration-court decision."),
        /// Lowest and highest factor on each unit cost (by name) drawn by an ensemble
        /// replication; a cost left out is not drawn.
        pub low: BTreeMap<String, f64> => Each(p(ParamKind::Factor, "factor", 0.0, 1.0, "Lowest factor on the unit cost an ensemble replication draws (uniformly, up to `costs.high`); 1 if not given."), "{cost}"),
        pub high: BTreeMap<String, f64> => Each(p(ParamKind::Factor, "factor", 1.0, 100.0, "Highest factor on the unit cost an ensemble replication draws; 1 if not given."), "{cost}"),
    }
}

section! {
    /// ICE's appropriations in US dollars (docs/model.md 7.19): drawn down by the daily
    /// costs, they do not act on the run.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct BudgetParams at "budget" {
        pub detention_per_year: f64 => p(ParamKind::Money, "USD/year", 0.0, 1e12, "Regular yearly appropriation for detention (beds); spent as it comes, before any multi-year money."),
        pub enforcement_per_year: f64 => p(ParamKind::Money, "USD/year", 0.0, 1e12, "Regular yearly appropriation for enforcement (officers, removals, 287(g) reimbursement); spent as it comes."),
        pub detention_multiyear: f64 => p(ParamKind::Money, "USD", 0.0, 1e13, "Multi-year money for detention appropriated to date (events raise it as acts are signed); drawn down by detention's cost beyond the yearly money."),
        pub enforcement_multiyear: f64 => p(ParamKind::Money, "USD", 0.0, 1e13, "Multi-year money for enforcement appropriated to date; drawn down by the cost of officers, removals and 287(g) reimbursement beyond the yearly money."),
    }
}

section! {
    /// Local cooperation beyond the state's stance: 287(g) agreements (docs/model.md 7.11).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CooperationParams at "cooperation" {
        pub covered_handover_share: f64 => share("Share of docket members released from a jail under a 287(g) jail agreement (jail enforcement or warrant service) who are handed to ICE."),
        pub jail_agreements_per_million: f64 => p(ParamKind::Factor, "agreements per million noncitizens", 0.01, 1e4, "Jail agreements per million noncitizens of an office that cover 63 % of its jail releases: coverage = 1 - exp(-agreements / (this x millions))."),
        pub task_force_officers_per_agreement: f64 => p(ParamKind::Factor, "officers/agreement", 0.0, 1e4, "Local officers trained under one task-force agreement."),
        pub task_force_referrals_per_officer_day: f64 => p(ParamKind::Rate, "persons/officer/day", 0.0, 100.0, "Docket members a task-force officer's own policing (stops, calls) brings into local custody for ICE, a day."),
        #[serde(default)]
        pub task_force_agreements_per_million: f64 => p(ParamKind::Factor, "agreements per million noncitizens", 0.0, 1e5, "Task-force agreements per million noncitizens of an office at which its agreements refer 63 % of what its whole area could: agreements count as this x millions x (1 - exp(-agreements / (this x millions))); 0 counts every agreement in full, however many."),
        pub task_force_class_share: ByClass<f64> => Each(share("Class of the people task-force policing refers (the five shares add up to 1)."), "{class}"),
        #[serde(default)]
        pub reimbursement_share: f64 => share("Share of a trained task-force officer's salary and benefits that ICE reimburses to the local agency (an input; 0 for none)."),
        #[serde(default)]
        pub referral_gain_at_full_reimbursement: f64 => p(ParamKind::Factor, "relative gain", 0.0, 10.0, "Relative rise in task-force referrals when officers are fully reimbursed (0.25 = +25 %)."),
    }
}

impl Default for CooperationParams {
    /// Agreements have no effect: every value that would carry one is 0.
    fn default() -> Self {
        CooperationParams {
            covered_handover_share: 0.0,
            jail_agreements_per_million: 1.0,
            task_force_officers_per_agreement: 0.0,
            task_force_referrals_per_officer_day: 0.0,
            task_force_agreements_per_million: 0.0,
            task_force_class_share: only_other(),
            reimbursement_share: 0.0,
            referral_gain_at_full_reimbursement: 0.0,
        }
    }
}

section! {
    /// The immigration court for people at large with a pending case (docs/model.md 7.7).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct CourtParams at "court" {
        pub decisions_per_day: f64 => p(ParamKind::Rate, "decisions/day", 0.0, 1e6, "Cases of people at large decided nationwide, split over offices by their backlog."),
        pub share_removal_order: f64 => share("Share of decisions that are removal orders (the case becomes a final order); the rest grant relief or close the case."),
    }
}

section! {
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct OfficeParams at "offices.{office}" {
        pub jail_cooperation: f64 => share("Share of docket members released from the area's jails and prisons who are handed to ICE (detainers, 287(g))."),
        #[serde(default)]
        pub surge_officers: u32 => p(ParamKind::Count, "officers", 0.0, MAX_AGENTS as f64, "ERO officers moved into this office from the others, in proportion to their staff; 0 normally, set by events for surges."),
        #[serde(default)]
        pub agreements_jail: u32 => p(ParamKind::Count, "agreements", 0.0, 100_000.0, "287(g) jail enforcement and warrant service officer agreements in force in the office's area."),
        #[serde(default)]
        pub agreements_task_force: u32 => p(ParamKind::Count, "agreements", 0.0, 100_000.0, "287(g) task force agreements in force in the office's area."),
        #[serde(default)]
        pub operation_agents: u32 => p(ParamKind::Count, "agents", 0.0, MAX_AGENTS as f64, "Border Patrol agents detailed to a city operation in this office, beyond ERO's own (docs/model.md 7.16); 0 normally, set by events."),
    }
}

/// Every parameter, in the order of the scenario file: each section's entries, as its
/// declaration above gives them.
pub static PARAMETERS: LazyLock<Vec<Param>> = LazyLock::new(|| {
    [
        RunSettings::parameters,
        DocketParams::parameters,
        JailParams::parameters,
        CapacityParams::parameters,
        ChannelParams::parameters,
        ManagerParams::parameters,
        QuotaParams::parameters,
        FlowParams::parameters,
        DetentionParams::parameters,
        RemovalParams::parameters,
        PathwayParams::parameters,
        CourtParams::parameters,
        CooperationParams::parameters,
        CostParams::parameters,
        BudgetParams::parameters,
        OfficeParams::parameters,
    ]
    .iter()
    .flat_map(|section| section())
    .collect()
});

/// The registry entry whose path (with placeholders) matches a concrete dotted path.
pub fn find(path: &str) -> Option<&'static Param> {
    find_indexed(path).map(|(_, p)| p)
}

/// [`find`], with the entry's place in the registry.
pub fn find_indexed(path: &str) -> Option<(usize, &'static Param)> {
    let keys = parameter_path_keys(path);
    // A path's first key is always written out (no placeholder): a quick test of the
    // entry's start before the segment-by-segment match.
    let first = keys.first()?;
    PARAMETERS.iter().enumerate().find(|(_, p)| {
        p.path.starts_with(first.as_str())
            && p.path.as_bytes().get(first.len()) == Some(&b'.')
            && matches(p.path, &keys)
    })
}

/// Whether a concrete dotted path is a switch (true or false): fronts read `true` and
/// `false` as 1 and 0 for these alone.
pub fn is_switch(path: &str) -> bool {
    find(path).is_some_and(|p| p.kind == ParamKind::Switch)
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

/// The keys a path segment stands for: a placeholder's (`{class}`, `{agency}`,
/// `{cost}`, and `{office}` over the offices given), or the segment itself.
pub fn segment_keys(segment: &str, offices: &[String]) -> Vec<String> {
    match segment {
        "{class}" => Class::ALL.iter().map(|c| c.key().to_string()).collect(),
        "{agency}" => Agency::ALL.iter().map(|a| a.key().to_string()).collect(),
        "{cost}" => crate::types::COST_KEYS
            .iter()
            .map(|k| k.to_string())
            .collect(),
        "{office}" => offices.to_vec(),
        lit => vec![lit.to_string()],
    }
}

/// The concrete paths of an entry: its placeholders expanded over the classes and
/// agencies, and over the offices given.
pub fn expand(pattern: &str, offices: &[String]) -> Vec<String> {
    let mut out = vec![String::new()];
    for seg in pattern.split('.') {
        let options = segment_keys(seg, offices);
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
        (ParamKind::Text, toml::Value::String(s)) => {
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
            if kind == ParamKind::Share {
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
    for param in PARAMETERS.iter() {
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
        ParamKind::Switch => "true or false".into(),
        ParamKind::Date => "YYYY-MM-DD".into(),
        ParamKind::Choice => p.unit.replace(" | ", " or "),
        ParamKind::Text => format!("{} to {} characters", p.min, p.max),
        // A whole number as a whole number; the largest seed, exactly.
        ParamKind::Count if p.max >= MAX_SEED as f64 => format!("[{}, 2^63 - 1]", p.min),
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
        for p in PARAMETERS.iter() {
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
