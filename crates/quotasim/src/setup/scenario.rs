//! What a user can set: the scenario, its units, ranges and validation
//! (docs/model.md 7.10, "Scenario, parameters and events").
//!
//! A scenario is a TOML file deserialized into [`Scenario`]. The types here give a
//! scenario its shape; each field's unit, allowed range, kind and meaning are declared
//! once, in the registry ([`crate::setup::parameters`], listed in docs/parameters.md), and the
//! shipped scenario files cite a source beside each value.
//! Parsing and validation never panic: every problem becomes a
//! [`ScenarioError`](crate::setup::source::ScenarioError) naming
//! the file, the line, the dotted key, the value and what is allowed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::setup::data::{self, FieldOffice};
use crate::setup::parameters;
use crate::setup::paths::PathError;
use crate::setup::reach::{self, Reach, Slot, table};
use crate::setup::source::Problem;

/// The built-in national scenario: the blind 2025 prediction, from 2025-01-20 for 365
/// days. Tests and examples start from it; its numbers use no 2025 outcome.
pub const NATIONAL_DEFAULT_TOML: &str = include_str!("../../../../scenarios/quota-2025.toml");
/// The file name the built-in national scenario is reported under.
pub const NATIONAL_DEFAULT_NAME: &str = "scenarios/quota-2025.toml";
/// The national scenario with the 2025 response fitted to the outcomes of 2025-01-20 ..
/// 2026-01-31, over that window: the scenario of the 2025 fit.
pub const FITTED_2025_TOML: &str = include_str!("../../../../scenarios/quota-2025-fitted.toml");
/// The file name the 2025 fit's scenario is reported under.
pub const FITTED_2025_NAME: &str = "scenarios/quota-2025-fitted.toml";
/// What the fronts run when no scenario is given: the fitted 2025 scenario run on to
/// 2026-12-31 with the policy inputs of 2026 (a prediction after 2026-01-31).
pub const RUN_DEFAULT_TOML: &str = include_str!("../../../../scenarios/quota-2026.toml");
/// The file name the fronts' default is reported under.
pub const RUN_DEFAULT_NAME: &str = "scenarios/quota-2026.toml";

pub use crate::setup::parameters::{
    AgencyParams, AtLargeParams, BudgetParams, CapacityParams, CaseFactors, ChannelParams,
    CollateralParams, CommunityParams, CooperationParams, CostParams, CourtParams, CustodialParams,
    DetentionParams, DocketParams, FlowParams, JailParams, MAX_AGENTS, MAX_DAYS, MAX_DOCKET,
    MAX_SEED, ManagerParams, OfficeParams, OpenCases, Outcome, OverCapacity, PathwayParams,
    QuotaParams, RemovalParams, RunSettings, SensitivePlacesParams,
};
pub use crate::types::Date;

/// A complete scenario. See `scenarios/quota-2025.toml` for every key with its
/// unit and source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub run: RunSettings,
    pub docket: DocketParams,
    pub jails: JailParams,
    pub capacity: CapacityParams,
    pub channels: ChannelParams,
    pub manager: ManagerParams,
    pub quota: QuotaParams,
    pub flows: FlowParams,
    pub detention: DetentionParams,
    pub removal: RemovalParams,
    /// How detained people leave detention (docs/model.md 7.18); a file without them
    /// ends pending cases by `detention.outcome_pending`.
    #[serde(default)]
    pub pathways: PathwayParams,
    pub court: CourtParams,
    #[serde(default)]
    pub cooperation: CooperationParams,
    /// Unit costs (docs/model.md 7.17); a file without them costs nothing.
    #[serde(default)]
    pub costs: CostParams,
    /// Appropriations drawn down by the costs (docs/model.md 7.19); a file without
    /// them has none.
    #[serde(default)]
    pub budget: BudgetParams,
    /// Per-office settings keyed by office code (`CHI`); offices left out take defaults.
    #[serde(default)]
    pub offices: BTreeMap<String, OfficeParams>,
    /// Dated policy events, in date order.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Inputs beyond what is known, each with the range an ensemble's replications
    /// draw it from (docs/model.md 7.20).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<Assumption>,
}

impl Reach for Scenario {
    /// The scenario as its file's table: its sections, the offices it names, and its
    /// events and assumptions (lists: a path can name them, not set them).
    fn reach(&mut self) -> Option<Slot<'_>> {
        let list = |empty: bool| (!empty).then_some(Slot::Other("array"));
        let (events, assumptions) = (
            list(self.events.is_empty()),
            list(self.assumptions.is_empty()),
        );
        table(vec![
            ("run", self.run.reach()),
            ("docket", self.docket.reach()),
            ("jails", self.jails.reach()),
            ("capacity", self.capacity.reach()),
            ("channels", self.channels.reach()),
            ("manager", self.manager.reach()),
            ("quota", self.quota.reach()),
            ("flows", self.flows.reach()),
            ("detention", self.detention.reach()),
            ("removal", self.removal.reach()),
            ("pathways", self.pathways.reach()),
            ("court", self.court.reach()),
            ("cooperation", self.cooperation.reach()),
            ("costs", self.costs.reach()),
            ("budget", self.budget.reach()),
            ("offices", self.offices.reach()),
            ("events", events),
            ("assumptions", assumptions),
        ])
    }
}

/// A dated policy event: from `date` on, each dotted path in `set` takes its value;
/// with `until`, the paths return to their values from the day before `date` on `until`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    pub set: BTreeMap<String, toml::Value>,
}

/// An input beyond what is known: the values events give `path` from `from` on are
/// drawn by each replication of an ensemble from a range (docs/model.md 7.20,
/// [`crate::setup::assumptions`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    /// Dotted path the events set; `*` stands for one segment (an office).
    pub path: String,
    /// Events dated on or after this day are drawn.
    pub from: Date,
    /// Events dated on or after this day are not (none: to the end of the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// "change" (default: a factor on what the events add), "scale" (a factor on their
    /// values) or "value" (the value itself).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub mode: String,
    pub low: f64,
    pub high: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl Scenario {
    /// The typed field at a path of keys (`["quota", "window_days"]`), to read or set
    /// in place; `allow_section`: whether the path may name a whole table
    /// ([`crate::setup::reach`]).
    pub fn slot(&mut self, keys: &[String], allow_section: bool) -> Result<Slot<'_>, PathError> {
        reach::at(
            self.reach().expect("a scenario is a table"),
            keys,
            allow_section,
        )
    }

    /// The scenario with a docket of `total` people, its classes in the same
    /// proportions: the same system at another scale (tests and benchmarks run a small
    /// docket fast).
    pub fn with_docket(&self, total: u64) -> Scenario {
        let mut s = self.clone();
        let scale = total as f64 / s.docket.total.max(1) as f64;
        s.docket.convicted = (s.docket.convicted as f64 * scale) as u64;
        s.docket.pending_charges = (s.docket.pending_charges as f64 * scale) as u64;
        s.docket.total = total;
        s
    }

    /// Renders the scenario as TOML (without the comments of a shipped file).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot render scenario: {e}\n"))
    }

    /// Fills `offices` with every field office of `data/field_offices.csv`, taking the
    /// default jail cooperation from the office's states' stances; reports unknown codes.
    pub fn resolve_offices(&mut self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let known = data::field_offices();
        for code in self.offices.keys() {
            if !known.iter().any(|o| &o.code == code) {
                problems.push(Problem {
                    path: format!("offices.{code}"),
                    value: String::new(),
                    message: format!(
                        "unknown key office {code:?}; the offices are: {}",
                        known
                            .iter()
                            .map(|o| o.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    related: Vec::new(),
                });
            }
        }
        for (code, stances) in data::office_state_stances() {
            self.offices
                .entry(code.clone())
                .or_insert_with(|| OfficeParams {
                    jail_cooperation: data::default_jail_cooperation(stances),
                    surge_officers: 0,
                    agreements_jail: 0,
                    agreements_task_force: 0,
                    operation_agents: 0,
                });
        }
        problems
    }

    /// The field offices this scenario simulates, in the fixed order of the data file.
    pub fn field_offices(&self) -> Vec<FieldOffice> {
        data::field_offices()
    }

    /// Checks every value against its allowed range in the registry
    /// ([`crate::setup::parameters`]), then the combinations that must hold. Returns the
    /// problems found (empty when valid). Dates of events are checked when the plan is
    /// built ([`crate::setup::events::schedule`]).
    pub fn validate(&self) -> Vec<Problem> {
        match toml::Value::try_from(self) {
            Ok(toml::Value::Table(t)) => {
                let mut problems = parameters::check_table(&t);
                problems.extend(self.combinations());
                problems
            }
            _ => std::iter::once(Problem {
                path: "run.seed".into(),
                value: self.run.seed.to_string(),
                message: format!(
                    "the scenario cannot be written as TOML; a seed must lie in [0, {}]",
                    parameters::MAX_SEED
                ),
                related: Vec::new(),
            })
            .chain(self.combinations())
            .collect(),
        }
    }

    /// Every parameter with its unit, range, meaning and value here at the start
    /// ([`parameters::values`]).
    pub fn parameter_values(&self) -> Vec<parameters::Value> {
        match toml::Value::try_from(self) {
            Ok(toml::Value::Table(t)) => parameters::values(&t),
            _ => Vec::new(),
        }
    }

    /// The rules that tie parameters together: parts within their whole, shares that
    /// add up to 1, hours within a week, surges within the staff.
    pub(crate) fn combinations(&self) -> Vec<Problem> {
        let mut c = Check::default();
        let s = self;
        let name = &s.run.name;
        if name.contains(['/', '\\']) || name.starts_with('.') {
            c.fail(
                "run.name",
                name.clone(),
                "a name is one folder name: no path separator (/ or \\), and no leading dot (`..` among them); the default output folder is runs/<name>-<seed>",
            );
        } else if name.chars().any(char::is_control) {
            c.fail(
                "run.name",
                name.clone(),
                "a name holds no control characters (such as a line break or tab)",
            );
        }
        if let Some(title) = &s.run.title
            && title.chars().any(char::is_control)
        {
            c.fail(
                "run.title",
                title.clone(),
                "a title holds no control characters (such as a line break or tab)",
            );
        }
        let d = &s.docket;
        if d.convicted.saturating_add(d.pending_charges) > d.total {
            c.fail_with(
                "docket.pending_charges",
                &["docket.convicted", "docket.total"],
                d.pending_charges.to_string(),
                &format!(
                    "convicted ({}) + pending_charges ({}) must not exceed docket.total ({})",
                    d.convicted, d.pending_charges, d.total
                ),
            );
        }
        if d.share_convicted_national_security_gang + d.share_convicted_violent > 1.0 {
            c.fail_with(
                "docket.share_convicted_violent",
                &["docket.share_convicted_national_security_gang"],
                d.share_convicted_violent.to_string(),
                "share_convicted_national_security_gang + share_convicted_violent must not exceed 1",
            );
        }
        if d.share_final_order + d.share_protected > 1.0 {
            c.fail_with(
                "docket.share_protected",
                &["docket.share_final_order"],
                d.share_protected.to_string(),
                "share_final_order + share_protected must not exceed 1 (the rest have a case pending)",
            );
        }
        let k = &s.capacity;
        let factor = if k.around_the_clock {
            k.around_the_clock_hours_factor
        } else {
            1.0
        };
        if k.hours_per_shift * k.shifts_per_week * factor > 168.0 {
            c.fail_with(
                "capacity.hours_per_shift",
                &[
                    "capacity.shifts_per_week",
                    "capacity.around_the_clock_hours_factor",
                    "capacity.around_the_clock",
                ],
                k.hours_per_shift.to_string(),
                "hours_per_shift x shifts_per_week (x around_the_clock_hours_factor) must not exceed the 168 hours of a week",
            );
        }
        let ero = &k.agencies.ero;
        let surged: u64 = s.offices.values().map(|o| o.surge_officers as u64).sum();
        if surged > ero.agents as u64 / 2 {
            // Named at the office with the largest surge, so that an event setting it
            // is where the problem is shown.
            let (code, _) = s
                .offices
                .iter()
                .max_by_key(|(code, o)| (o.surge_officers, std::cmp::Reverse(code.as_str())))
                .expect("a surge is set in some office");
            c.fail_with(
                &format!("offices.{code}.surge_officers"),
                &["capacity.agencies.ero.agents"],
                s.offices[code].surge_officers.to_string(),
                &format!("surge_officers over all offices ({surged}) must not exceed half of capacity.agencies.ero.agents ({})", ero.agents),
            );
        }
        for (side, map) in [("low", &s.costs.low), ("high", &s.costs.high)] {
            for (k, v) in map {
                if !crate::types::COST_KEYS.contains(&k.as_str()) {
                    c.fail(
                        &format!("costs.{side}.{k}"),
                        v.to_string(),
                        &format!(
                            "not a unit cost; the unit costs: {}",
                            crate::types::COST_KEYS.join(", ")
                        ),
                    );
                }
            }
        }
        c.sums_to_one(
            "flows.inflow_class_share",
            &s.flows.inflow_class_share.to_array(),
        );
        c.sums_to_one(
            "jails.unknown_class_share",
            &s.jails.unknown_class_share.to_array(),
        );
        c.sums_to_one(
            "cooperation.task_force_class_share",
            &s.cooperation.task_force_class_share.to_array(),
        );
        let dt = &s.detention;
        for (who, conv, pend) in [
            ("others", dt.others_convicted_share, dt.others_pending_share),
            (
                "initial",
                dt.initial_convicted_share,
                dt.initial_pending_share,
            ),
        ] {
            if conv + pend > 1.0 + 1e-9 {
                c.fail_with(
                    &format!("detention.{who}_pending_share"),
                    &[&format!("detention.{who}_convicted_share")],
                    format!("{pend}"),
                    &format!("detention.{who}_convicted_share ({conv}) + {who}_pending_share ({pend}) must not exceed 1"),
                );
            }
        }
        for (name, o) in [
            ("outcome_final_order", dt.outcome_final_order),
            ("outcome_pending", dt.outcome_pending),
            ("outcome_protected", dt.outcome_protected),
        ] {
            c.sums_to_one(&format!("detention.{name}"), &o.to_array());
        }
        c.problems
    }
}

#[derive(Default)]
struct Check {
    problems: Vec<Problem>,
}

impl Check {
    /// A cross-key rule broken: `path` with the `related` keys that share the rule.
    fn fail_with(&mut self, path: &str, related: &[&str], value: String, message: &str) {
        self.problems.push(Problem {
            path: path.into(),
            value,
            message: message.into(),
            related: related.iter().map(|r| r.to_string()).collect(),
        });
    }

    fn fail(&mut self, path: &str, value: String, message: &str) {
        self.fail_with(path, &[], value, message);
    }
    /// Shares that must add up to 1 (within rounding).
    fn sums_to_one(&mut self, path: &str, v: &[f64]) {
        let sum: f64 = v.iter().sum();
        if v.iter().all(|x| x.is_finite()) && (sum - 1.0).abs() > 1e-6 {
            self.fail(path, format!("{sum}"), "these shares must add up to 1");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_shares_of_the_2025_mechanisms_must_add_up() {
        let mut s = Scenario::national_default();
        s.cooperation.task_force_class_share.other = 0.9;
        s.detention.others_pending_share = 0.9;
        let problems = s.validate();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"cooperation.task_force_class_share"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"detention.others_pending_share"),
            "{paths:?}"
        );
    }

    #[test]
    fn default_scenario_parses_and_has_25_offices() {
        let s = Scenario::national_default();
        assert_eq!(s.offices.len(), 25);
        assert_eq!(s.run.start_date, Date::parse("2025-01-20").unwrap());
    }

    /// The built-in default, merged onto its base: a whole scenario to edit.
    fn default_text() -> String {
        crate::setup::overlay::national_default().text
    }

    fn with(old: &str, new: &str) -> String {
        assert!(default_text().contains(old), "default has no {old:?}");
        default_text().replacen(old, new, 1)
    }

    fn line_of(text: &str, needle: &str) -> usize {
        text[..text.find(needle).unwrap()].matches('\n').count() + 1
    }

    #[test]
    fn share_out_of_range_names_file_line_key_and_range() {
        let text = with("share_final_order = ", "share_final_order = 1.4 #");
        let e = Scenario::from_toml("my.toml", &text).unwrap_err();
        let e = &e.0[0];
        assert_eq!(e.key.as_deref(), Some("docket.share_final_order"));
        assert_eq!(e.line, Some(line_of(&text, "share_final_order = 1.4")));
        assert_eq!(e.value.as_deref(), Some("1.4"));
        assert!(e.to_string().contains("a share must lie in [0, 1]"), "{e}");
        assert!(e.to_string().starts_with("error: my.toml:"), "{e}");
    }

    #[test]
    fn unknown_key_is_located() {
        let text = with("[quota]\n", "[quota]\nnational_per_dya = 3\n");
        let e = Scenario::from_toml("x.toml", &text).unwrap_err();
        assert_eq!(e.0[0].line, Some(line_of(&text, "national_per_dya")));
        assert!(e.0[0].message.contains("unknown key"), "{}", e.0[0].message);
    }

    #[test]
    fn wrong_type_is_located() {
        let text = with("days = 365", "days = \"a year\"");
        let e = Scenario::from_toml("x.toml", &text).unwrap_err();
        assert_eq!(e.0[0].line, Some(line_of(&text, "days = \"a year\"")));
        assert_eq!(e.0[0].key.as_deref(), Some("run.days"));
    }

    #[test]
    fn nan_is_refused() {
        let text = with("\nhour_value = ", "\nhour_value = nan #");
        let e = Scenario::from_toml("x.toml", &text).unwrap_err();
        assert_eq!(e.0[0].key.as_deref(), Some("manager.hour_value"));
        assert!(e.0[0].message.contains("finite"));
    }

    #[test]
    fn impossible_docket_combination_is_refused() {
        let text = with("total = 7_800_000", "total = 500_000");
        let e = Scenario::from_toml("x.toml", &text).unwrap_err();
        assert!(
            e.to_string().contains("must not exceed docket.total"),
            "{e}"
        );
    }

    #[test]
    fn huge_docket_is_refused_without_allocating() {
        let text = with("total = 7_800_000", "total = 1_000_000_000_000");
        let e = Scenario::from_toml("x.toml", &text).unwrap_err();
        assert_eq!(e.0[0].key.as_deref(), Some("docket.total"));
    }

    #[test]
    fn unknown_office_is_refused() {
        let text = format!(
            "{}\n[offices.XYZ]\njail_cooperation = 0.5\n",
            default_text()
        );
        let e = Scenario::from_toml("x.toml", &text).unwrap_err();
        assert!(e.to_string().contains("unknown key office \"XYZ\""), "{e}");
    }
}
