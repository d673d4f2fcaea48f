//! # quotasim-observed — published figures beside the model
//!
//! Observations: published figures as statistics of a run's national daily series over
//! a date window, and how a run scores against them (docs/calibration.md,
//! "Observations"). Used by the fit (`quotasim-calibrate`), the backtest and the
//! dashboard; no I/O.
//!
//! An observations file is TOML, one `[[observation]]` per published figure:
//!
//! ```toml
//! [[observation]]
//! metric = "arrests_per_day"   # a statistic of the national daily series (below)
//! from = 2025-01-20            # the window, both days included; from = to for one day
//! to = 2025-06-10
//! value = 666.0                # the figure; or min and/or max for "over" / "under" / a range
//! sd = 60.0                    # how far the model may lie from it: definitional spread
//! source = "Deportation Data Project via the NYT, 2025-06-28"
//! ```
//!
//! | metric | statistic over the window |
//! |---|---|
//! | `arrests_per_day` | mean of the daily national arrests |
//! | `share_other` | arrests with neither conviction nor pending charge / arrests |
//! | `share_convicted` | arrests of people with a conviction / arrests |
//! | `share_custodial` | custodial arrests / arrests |
//! | `share_at_large` | 1 - share_custodial (targeted, collateral and community arrests) |
//! | `at_large_arrests_per_day` | mean of the daily national arrests not made in jails (targeted, collateral and community) |
//! | `detained` | mean of the national detained at midnight |
//! | `detained_convicted_share` | sum of the convicted detained / sum of the detained |
//! | `detained_no_record_share` | sum of the detained with neither conviction nor pending charge / sum of the detained |
//! | `others_detained` | mean of the national detained not arrested by the offices (booked in by Border Patrol and at ports, or held at the start) |
//! | `own_detained_convicted_share` | the same as `detained_convicted_share` for the people held after the offices' own arrests (ICE-arrested: the detained less the others) |
//! | `own_detained_no_record_share` | the same as `detained_no_record_share` for them |
//! | `own_detained_growth_no_record_share` | of the change in the people held after the offices' own arrests from the window's first day to its last, the share with neither conviction nor pending charge |
//! | `removals_per_day` | mean of the daily national removals (ICE removals: people never held in ICE detention too) |
//! | `removals_from_detention_per_day` | the same less removals of people never held (book-outs of ICE detention for removal) |
//! | `bookins_per_day` | mean of the daily book-ins of the offices' arrests |
//! | `all_bookins_per_day` | the same with the people arrested by Border Patrol and at ports who join detention (booked in, or released at once when it is full) |
//! | `summary` | the whole run's summary key `key` (no window) |
//!
//! A figure with a value scores z = (model - value) / sd; a range scores 0 inside and
//! the distance to the nearer bound over sd outside. The model's figure is the mean
//! over replications, with a 5-95 % band; an observation is inside when its value or
//! range meets the band. Windows must lie within the run.

pub mod model_error;
pub mod reference;

pub use model_error::ModelError;
pub use reference::Reference;

use quotasim::engine::Run;
use quotasim::plan::Plan;
use quotasim::scenario::Date;
use quotasim::source::{ScenarioError, ScenarioErrors, Source};
use serde::{Deserialize, Serialize};

/// The statistic an observation is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    ArrestsPerDay,
    ShareOther,
    ShareConvicted,
    ShareCustodial,
    ShareAtLarge,
    AtLargeArrestsPerDay,
    Detained,
    DetainedConvictedShare,
    DetainedNoRecordShare,
    OthersDetained,
    OwnDetainedConvictedShare,
    OwnDetainedNoRecordShare,
    OwnDetainedGrowthNoRecordShare,
    RemovalsPerDay,
    RemovalsFromDetentionPerDay,
    BookinsPerDay,
    AllBookinsPerDay,
    Summary,
}

impl Metric {
    /// The statistics of the national daily series over a window (every metric but
    /// `summary`).
    pub const DAILY: &[Metric] = &[
        Metric::ArrestsPerDay,
        Metric::ShareOther,
        Metric::ShareConvicted,
        Metric::ShareCustodial,
        Metric::ShareAtLarge,
        Metric::AtLargeArrestsPerDay,
        Metric::Detained,
        Metric::DetainedConvictedShare,
        Metric::DetainedNoRecordShare,
        Metric::OthersDetained,
        Metric::OwnDetainedConvictedShare,
        Metric::OwnDetainedNoRecordShare,
        Metric::OwnDetainedGrowthNoRecordShare,
        Metric::RemovalsPerDay,
        Metric::RemovalsFromDetentionPerDay,
        Metric::BookinsPerDay,
        Metric::AllBookinsPerDay,
    ];

    /// The statistic of the daily series named `key` (`removals_per_day`).
    pub fn daily(key: &str) -> Option<Metric> {
        Metric::DAILY.iter().copied().find(|m| m.key() == key)
    }

    pub fn key(self) -> &'static str {
        match self {
            Metric::ArrestsPerDay => "arrests_per_day",
            Metric::ShareOther => "share_other",
            Metric::ShareConvicted => "share_convicted",
            Metric::ShareCustodial => "share_custodial",
            Metric::ShareAtLarge => "share_at_large",
            Metric::AtLargeArrestsPerDay => "at_large_arrests_per_day",
            Metric::Detained => "detained",
            Metric::DetainedConvictedShare => "detained_convicted_share",
            Metric::DetainedNoRecordShare => "detained_no_record_share",
            Metric::OthersDetained => "others_detained",
            Metric::OwnDetainedConvictedShare => "own_detained_convicted_share",
            Metric::OwnDetainedNoRecordShare => "own_detained_no_record_share",
            Metric::OwnDetainedGrowthNoRecordShare => "own_detained_growth_no_record_share",
            Metric::RemovalsPerDay => "removals_per_day",
            Metric::RemovalsFromDetentionPerDay => "removals_from_detention_per_day",
            Metric::BookinsPerDay => "bookins_per_day",
            Metric::AllBookinsPerDay => "all_bookins_per_day",
            Metric::Summary => "summary",
        }
    }
}

/// One published figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub metric: Metric,
    /// The summary key, for `metric = "summary"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// First and last day of the window (both included); none for a summary key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    /// The figure, or the bounds of a range ("over": min; "under": max).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// How far the model may lie from it, in the metric's unit.
    pub sd: f64,
    pub source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A parsed, checked observations file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observations {
    #[serde(rename = "observation")]
    pub list: Vec<Observation>,
}

impl Observation {
    /// The observed figure as text: the value, or the range.
    pub fn observed_text(&self) -> String {
        match (self.value, self.min, self.max) {
            (Some(v), _, _) => format!("{v}"),
            (None, Some(lo), Some(hi)) => format!("{lo} .. {hi}"),
            (None, Some(lo), None) => format!("over {lo}"),
            (None, None, Some(hi)) => format!("under {hi}"),
            _ => String::new(),
        }
    }

    /// The window as text.
    pub fn window_text(&self) -> String {
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => a.to_string(),
            (Some(a), Some(b)) => format!("{a} .. {b}"),
            _ => "whole run".into(),
        }
    }

    /// The score of a model figure `x`: z for a value; 0 inside a range, else the
    /// distance to the nearer bound over sd.
    pub fn z(&self, x: f64) -> f64 {
        if let Some(v) = self.value {
            return (x - v) / self.sd;
        }
        if let Some(lo) = self.min
            && x < lo
        {
            return (x - lo) / self.sd;
        }
        if let Some(hi) = self.max
            && x > hi
        {
            return (x - hi) / self.sd;
        }
        0.0
    }

    /// Whether the observed value or range meets the band `lo..=hi`.
    pub fn meets(&self, lo: f64, hi: f64) -> bool {
        match self.value {
            Some(v) => lo <= v && v <= hi,
            None => self.min.is_none_or(|m| hi >= m) && self.max.is_none_or(|m| lo <= m),
        }
    }

    /// Whether the observation's window lies wholly within the plan's days (false for a
    /// summary key, which has no window).
    pub fn lies_within(&self, plan: &Plan) -> bool {
        let start = plan.scenario.run.start_date;
        let end = start.plus_days(plan.days.saturating_sub(1));
        matches!((self.from, self.to), (Some(a), Some(b)) if a >= start && b <= end)
    }

    /// The model's figure in one run, or `None` when the window holds no day of it.
    pub fn statistic(&self, plan: &Plan, run: &Run) -> Option<f64> {
        if self.metric == Metric::Summary {
            return run.summary.num(self.key.as_deref()?);
        }
        let (from, to) = (self.from?, self.to?);
        let start = plan.scenario.run.start_date;
        let first = start.days_until(from).max(0);
        let last = start.days_until(to).min(i64::from(plan.days) - 1);
        if last < first {
            return None;
        }
        let offices = plan.offices.len();
        let national = |day: i64| &run.daily[day as usize * offices];
        if self.metric == Metric::OwnDetainedGrowthNoRecordShare {
            // A change between two days, not a sum over the window: both must be run days.
            if start.days_until(from) != first || start.days_until(to) != last {
                return None;
            }
            let (a, b) = (own_held(national(first)), own_held(national(last)));
            let grown = b.0 - a.0;
            return (grown != 0.0).then(|| (b.2 - a.2) / grown);
        }
        let (mut num, mut den, mut days) = (0.0, 0.0, 0.0);
        for day in first..=last {
            let rows = &run.daily[day as usize * offices..(day as usize + 1) * offices];
            let sum =
                |f: &dyn Fn(&quotasim::daily::DailyRow) -> f64| rows.iter().map(f).sum::<f64>();
            let national = &rows[0];
            let arrests = sum(&|r| f64::from(r.arrests()));
            let outside_jails = || sum(&|r| f64::from(r.arrests_outside_jails()));
            let (n, d) = match self.metric {
                Metric::ArrestsPerDay => (arrests, 1.0),
                Metric::ShareOther => (sum(&|r| f64::from(r.arrests_by_class[4])), arrests),
                Metric::ShareConvicted => (
                    sum(&|r| f64::from(r.arrests_by_class[..3].iter().sum::<u32>())),
                    arrests,
                ),
                Metric::ShareCustodial => (arrests - outside_jails(), arrests),
                Metric::ShareAtLarge => (outside_jails(), arrests),
                Metric::AtLargeArrestsPerDay => (outside_jails(), 1.0),
                Metric::Detained => (national.national_detained as f64, 1.0),
                Metric::DetainedConvictedShare => (
                    national.national_detained_convicted as f64,
                    national.national_detained as f64,
                ),
                Metric::DetainedNoRecordShare => (
                    national.national_detained_no_record as f64,
                    national.national_detained as f64,
                ),
                Metric::OthersDetained => (national.national_others_detained as f64, 1.0),
                Metric::OwnDetainedConvictedShare => {
                    let (held, convicted, _) = own_held(national);
                    (convicted, held)
                }
                Metric::OwnDetainedNoRecordShare => {
                    let (held, _, no_record) = own_held(national);
                    (no_record, held)
                }
                Metric::RemovalsPerDay => (national.national_removals as f64, 1.0),
                Metric::RemovalsFromDetentionPerDay => (
                    (national.national_removals - national.national_removals_without_detention)
                        as f64,
                    1.0,
                ),
                Metric::BookinsPerDay => (sum(&|r| r.bookins as f64), 1.0),
                Metric::AllBookinsPerDay => (sum(&|r| (r.bookins + r.others_joined) as f64), 1.0),
                Metric::Summary | Metric::OwnDetainedGrowthNoRecordShare => {
                    unreachable!("handled above")
                }
            };
            num += n;
            den += d;
            days += 1.0;
        }
        (days > 0.0 && den > 0.0).then_some(num / den)
    }
}

/// The people held at midnight after the offices' own arrests (the detained less those
/// booked in by other agencies or held at the start): (all, with a conviction, with
/// neither conviction nor pending charge).
fn own_held(national: &quotasim::daily::DailyRow) -> (f64, f64, f64) {
    let n = national;
    (
        (n.national_detained - n.national_others_detained) as f64,
        (n.national_detained_convicted - n.national_others_detained_convicted) as f64,
        (n.national_detained_no_record - n.national_others_detained_no_record) as f64,
    )
}

/// The published figures of 2025-26 shipped with quotasim
/// (`scenarios/observed-2025.toml`): (name, text).
pub const SHIPPED: (&str, &str) = (
    "scenarios/observed-2025.toml",
    include_str!("../../../scenarios/observed-2025.toml"),
);

impl Observations {
    /// The shipped figures ([`SHIPPED`]) whose windows lie wholly within `plan`'s days:
    /// those a run can be set beside (a summary-key figure, which stands for a whole
    /// span, is left out).
    pub fn shipped_within(plan: &Plan) -> Observations {
        let all = Observations::from_toml(SHIPPED.0, SHIPPED.1)
            .expect("the shipped observations are checked by their tests");
        Observations {
            list: all
                .list
                .into_iter()
                .filter(|o| o.lies_within(plan))
                .collect(),
        }
    }

    /// Parses and checks an observations file; errors name the file, line, key and what
    /// is allowed.
    pub fn from_toml(origin: &str, text: &str) -> Result<Observations, ScenarioErrors> {
        let source = Source::new(origin, text);
        let o: Observations = toml::from_str(text).map_err(|e| {
            let mut err = source.toml_error(&e);
            if text.trim().is_empty() {
                err.message = "the file is empty; an observations file lists one or more [[observation]] (docs/calibration.md)".into();
            }
            ScenarioErrors(vec![err])
        })?;
        let mut errors: Vec<ScenarioError> = Vec::new();
        for (i, ob) in o.list.iter().enumerate() {
            let at = |k: &str| format!("observation[{i}].{k}");
            let mut fail = |k: &str, value: String, message: &str| {
                errors.push(source.error_at(&at(k), Some(value), message.to_string()));
            };
            if !(ob.sd.is_finite() && ob.sd > 0.0) {
                fail(
                    "sd",
                    ob.sd.to_string(),
                    "must be a positive number (the metric's unit)",
                );
            }
            let bounds = [ob.value, ob.min, ob.max];
            if bounds.iter().all(Option::is_none) {
                fail(
                    "value",
                    String::new(),
                    "give a value, or min and/or max for a range",
                );
            }
            if ob.value.is_some() && (ob.min.is_some() || ob.max.is_some()) {
                fail(
                    "value",
                    String::new(),
                    "give a value or a range (min, max), not both",
                );
            }
            if bounds.iter().flatten().any(|x| !x.is_finite()) {
                fail("value", String::new(), "must be a finite number");
            }
            if let (Some(lo), Some(hi)) = (ob.min, ob.max)
                && lo > hi
            {
                fail("min", lo.to_string(), "must not exceed max");
            }
            match ob.metric {
                Metric::Summary => {
                    if ob.key.is_none() {
                        fail(
                            "key",
                            String::new(),
                            "metric = \"summary\" needs the summary key (docs/outputs.md)",
                        );
                    }
                }
                _ => match (ob.from, ob.to) {
                    (Some(a), Some(b)) if a > b => {
                        fail("to", b.to_string(), "the window ends before it starts");
                    }
                    (Some(_), Some(_)) => {}
                    _ => fail(
                        "from",
                        String::new(),
                        "a metric of the daily series needs a window: from and to (YYYY-MM-DD)",
                    ),
                },
            }
        }
        if o.list.is_empty() {
            errors.push(source.error(None, None, None, "no [[observation]] in the file".into()));
        }
        if errors.is_empty() {
            Ok(o)
        } else {
            Err(ScenarioErrors(errors))
        }
    }

    /// Checks that every window lies within the plan's days and every summary key is a
    /// numeric key as declared ([`quotasim::summary::KEYS`]: no run needed).
    pub fn check_against(
        &self,
        origin: &str,
        text: &str,
        plan: &Plan,
    ) -> Result<(), ScenarioErrors> {
        let source = Source::new(origin, text);
        let start = plan.scenario.run.start_date;
        let end = start.plus_days(plan.days.saturating_sub(1));
        let mut errors = Vec::new();
        for (i, ob) in self.list.iter().enumerate() {
            if ob.metric == Metric::Summary {
                if let Some(k) = &ob.key
                    && !quotasim::summary::key_info(k).is_some_and(|i| i.kind.is_number())
                {
                    errors.push(source.error_at(
                        &format!("observation[{i}].key"),
                        Some(k.clone()),
                        "not a numeric key of summary.json (docs/outputs.md lists them)".into(),
                    ));
                }
                continue;
            }
            if let (Some(a), Some(b)) = (ob.from, ob.to)
                && !ob.lies_within(plan)
            {
                errors.push(source.error_at(
                    &format!("observation[{i}].from"),
                    Some(format!("{a} .. {b}")),
                    format!("the window must lie within the run, {start} .. {end}"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ScenarioErrors(errors))
        }
    }
}

/// Each published figure inside a run's dates with the model's figure for it in each
/// replication, gathered as replications finish (a few numbers a replication).
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub observations: Observations,
    /// `values[i]`: observation i's statistic in each replication so far.
    pub values: Vec<Vec<f64>>,
}

impl Figures {
    /// `observations`, with no replication's figures yet.
    pub fn new(observations: Observations) -> Figures {
        let values = vec![Vec::new(); observations.list.len()];
        Figures {
            observations,
            values,
        }
    }

    /// The shipped figures whose windows lie within `plan`'s days.
    pub fn shipped_within(plan: &Plan) -> Figures {
        Figures::new(Observations::shipped_within(plan))
    }

    /// Adds one replication's figures.
    pub fn add(&mut self, plan: &Plan, run: &Run) {
        for (o, v) in self.observations.list.iter().zip(&mut self.values) {
            v.extend(o.statistic(plan, run));
        }
    }

    /// Every figure the replications give a value for, scored.
    pub fn scores(&self) -> Vec<Score> {
        self.observations
            .list
            .iter()
            .zip(&self.values)
            .filter(|(_, v)| !v.is_empty())
            .map(|(o, v)| score(o, v))
            .collect()
    }

    /// The sum of squared z over the figures the replications give a value for, and its
    /// Monte Carlo standard error by the jackknife over the replications (leaving each
    /// out of every mean in turn; `None` with fewer than two, or where a replication
    /// lacks a figure another has). Two scenarios whose sums differ by less than about
    /// twice the larger error cannot be told apart by these replications.
    pub fn sum_of_squares(&self) -> (f64, Option<f64>) {
        let scored: Vec<(&Observation, &Vec<f64>)> = self
            .observations
            .list
            .iter()
            .zip(&self.values)
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let sum_without = |k: Option<usize>| -> f64 {
            scored
                .iter()
                .map(|(o, v)| o.z(mean_without(v, k)).powi(2))
                .sum()
        };
        let all = sum_without(None);
        let n = scored.first().map_or(0, |(_, v)| v.len());
        if n < 2 || scored.iter().any(|(_, v)| v.len() != n) {
            return (all, None);
        }
        let leave: Vec<f64> = (0..n).map(|k| sum_without(Some(k))).collect();
        (all, Some(jackknife_se(&leave)))
    }

    /// What a right model would score on the figures the replications give a value for
    /// ([`Reference`]).
    pub fn reference(&self) -> Reference {
        let scored = || {
            self.observations
                .list
                .iter()
                .zip(&self.values)
                .filter(|(_, v)| !v.is_empty())
        };
        let bounds = scored().filter(|(o, _)| o.value.is_none()).count();
        Reference::of(scored().count() - bounds, bounds)
    }

    /// The model's mean for each figure (NaN where no replication gives one).
    pub fn means(&self) -> Vec<f64> {
        self.values
            .iter()
            .map(|v| {
                if v.is_empty() {
                    f64::NAN
                } else {
                    v.iter().sum::<f64>() / v.len() as f64
                }
            })
            .collect()
    }
}

/// One observation scored against an ensemble.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub metric: String,
    pub window: String,
    pub observed: String,
    pub sd: f64,
    pub model_mean: f64,
    pub model_p05: f64,
    pub model_p95: f64,
    pub z: f64,
    pub inside: bool,
    pub source: String,
}

/// Scores observation `ob` against its statistic in each replication.
pub fn score(ob: &Observation, values: &[f64]) -> Score {
    let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
    let (p05, p95) = (
        quotasim::ensemble::quantile(values, 0.05),
        quotasim::ensemble::quantile(values, 0.95),
    );
    let metric = match (&ob.metric, &ob.key) {
        (Metric::Summary, Some(k)) => k.clone(),
        (m, _) => m.key().to_string(),
    };
    Score {
        metric,
        window: ob.window_text(),
        observed: ob.observed_text(),
        sd: ob.sd,
        model_mean: mean,
        model_p05: p05,
        model_p95: p95,
        z: ob.z(mean),
        inside: ob.meets(p05, p95),
        source: ob.source.clone(),
    }
}

/// Of each kind (metric) of scored figure, the latest (the one whose window ends last;
/// the first such for a tie), in the order the kinds first appear: what a table or a
/// headline sets beside the model.
pub fn latest_of_each(scores: &[Score]) -> Vec<&Score> {
    // ISO dates: a window's end sorts as text.
    let end = |w: &str| w.rsplit(' ').next().unwrap_or(w).to_string();
    let mut latest: Vec<&Score> = Vec::new();
    for sc in scores {
        match latest.iter_mut().find(|s| s.metric == sc.metric) {
            Some(s) if end(&s.window) < end(&sc.window) => *s = sc,
            Some(_) => {}
            None => latest.push(sc),
        }
    }
    latest
}

/// What both verdicts say: how many scores, how many lie within one and two stated sd
/// of the model's mean, how many meet its band, and the farthest.
struct Tally<'a> {
    n: usize,
    within: usize,
    within2: usize,
    inside: usize,
    worst: Option<&'a Score>,
}

fn tally(scores: &[Score]) -> Tally<'_> {
    Tally {
        n: scores.len(),
        within: scores.iter().filter(|s| s.z.abs() <= 1.0).count(),
        within2: scores.iter().filter(|s| s.z.abs() <= 2.0).count(),
        inside: scores.iter().filter(|s| s.inside).count(),
        worst: scores.iter().max_by(|a, b| a.z.abs().total_cmp(&b.z.abs())),
    }
}

/// The mean of `values` with the one at index `k` left out (`None`: all of them), for
/// a jackknife ([`jackknife_se`]).
pub fn mean_without(values: &[f64], k: Option<usize>) -> f64 {
    let kept = values.len() - usize::from(k.is_some());
    let total: f64 = values
        .iter()
        .enumerate()
        .filter(|(j, _)| Some(*j) != k)
        .map(|(_, x)| x)
        .sum();
    total / kept as f64
}

/// The jackknife's standard error of a statistic from its `n` leave-one-out values:
/// sqrt((n - 1) / n x sum (x_k - mean)²).
pub fn jackknife_se(leave_one_out: &[f64]) -> f64 {
    let n = leave_one_out.len() as f64;
    let mean = leave_one_out.iter().sum::<f64>() / n;
    let squares: f64 = leave_one_out.iter().map(|x| (x - mean).powi(2)).sum();
    (squares * (n - 1.0) / n).sqrt()
}

/// Scenario `b`'s sum of squared z less scenario `a`'s, on the figures both give a value
/// for, with its standard error by the jackknife over replications, leaving replication
/// k out of both at once (paired: with common random numbers, most of the replications'
/// noise is shared and cancels). `None` unless both hold the same observations and every
/// figure scored in either has the same two or more replications in both.
pub fn paired_difference(a: &Figures, b: &Figures) -> Option<(f64, f64)> {
    if a.observations != b.observations {
        return None;
    }
    let both: Vec<(&Observation, &Vec<f64>, &Vec<f64>)> = a
        .observations
        .list
        .iter()
        .zip(a.values.iter().zip(&b.values))
        .filter(|(_, (va, vb))| !va.is_empty() || !vb.is_empty())
        .map(|(o, (va, vb))| (o, va, vb))
        .collect();
    let n = both.first().map(|(_, va, _)| va.len())?;
    if n < 2
        || both
            .iter()
            .any(|(_, va, vb)| va.len() != n || vb.len() != n)
    {
        return None;
    }
    let difference = |k: Option<usize>| -> f64 {
        both.iter()
            .map(|(o, va, vb)| o.z(mean_without(vb, k)).powi(2) - o.z(mean_without(va, k)).powi(2))
            .sum()
    };
    let leave: Vec<f64> = (0..n).map(|k| difference(Some(k))).collect();
    Some((difference(None), jackknife_se(&leave)))
}

/// What [`paired_difference`] says of scenario `b` (named `name`) against `a`, in a
/// sentence for a verdict.
pub fn paired_sentence(a: &Figures, b: &Figures, name: &str) -> String {
    let (sa, sb) = (a.sum_of_squares().0, b.sum_of_squares().0);
    let Some((d, se)) = paired_difference(a, b) else {
        return format!(
            "Against {name}: the sum of squared z is {sa:.1} here and {sb:.1} there (not paired: the two score different figures or replications)."
        );
    };
    let reps = a.values.iter().map(Vec::len).max().unwrap_or(0);
    let said = if d < -2.0 * se {
        format!("{name} scores better beyond the replications' noise")
    } else if d > 2.0 * se {
        format!("{name} scores worse beyond the replications' noise")
    } else {
        "within twice its error: the replications cannot tell them apart".to_string()
    };
    format!(
        "Against {name}, on the same {reps} replications (common random numbers): the sum of squared z is {sa:.1} here and {sb:.1} there, a difference of {d:+.2} ± {se:.2} (paired jackknife), {said}. Beyond that noise, one parameter more fitted to these figures lowers a right model's sum by about 1 ± 1.4 (docs/calibration.md, \"What a right model scores\")."
    )
}

/// What [`Figures::sum_of_squares`] says, in a sentence for a verdict.
pub fn sum_of_squares_sentence(figures: &Figures) -> String {
    match figures.sum_of_squares() {
        (sum, Some(se)) => {
            let reps = figures.values.iter().map(Vec::len).max().unwrap_or(0);
            format!(
                "The sum of squared z is {sum:.1} ± {se:.1} (the jackknife's Monte Carlo error over the {reps} replications: between scenarios, a difference under about twice it is the replications' noise)."
            )
        }
        (sum, None) => format!("The sum of squared z is {sum:.1}."),
    }
}

/// A backtest's verdict on `figures`, as every front gives it: the counts within one and
/// two sd and the farthest ([`verdict`]), the sum of squared z with its Monte Carlo error
/// ([`sum_of_squares_sentence`]), and what a right model would score ([`Reference`]).
pub fn backtest_verdict(figures: &Figures) -> String {
    format!(
        "{} {} {}",
        verdict(&figures.scores()),
        sum_of_squares_sentence(figures),
        figures.reference().sentence()
    )
}

/// A plain-language verdict on a set of scores.
pub fn verdict(scores: &[Score]) -> String {
    let Tally {
        n,
        within,
        within2,
        inside,
        worst,
    } = tally(scores);
    let worst = worst
        .map(|s| {
            // A z past a million is written with an exponent, not 300 digits.
            let z = if s.z.abs() < 1e6 {
                format!("{:+.1}", s.z)
            } else {
                format!("{:+.2e}", s.z)
            };
            format!("; the farthest is {} over {} (z = {z})", s.metric, s.window)
        })
        .unwrap_or_default();
    format!(
        "{within} of {n} observations lie within one stated sd of the model's mean, {within2} within two, and {inside} meet the model's 5-95 % band{worst}."
    )
}

/// [`verdict`] in a reader's words, for the dashboard: "the stated uncertainty" for the
/// sd, "how many times it" for z, "the model's range over replications" for the band.
pub fn verdict_plain(scores: &[Score]) -> String {
    let Tally {
        n,
        within,
        within2,
        inside,
        worst,
    } = tally(scores);
    let worst = worst
        .filter(|s| s.z.abs() > 1.0)
        .map(|s| {
            let times = s.z.abs();
            let how = if times < 1e6 {
                format!("{times:.1}")
            } else {
                "over a million".to_string()
            };
            let side = if s.z > 0.0 { "above" } else { "below" };
            format!(
                " The farthest is {} over {}: the model lies {how} times its stated uncertainty {side} it.",
                s.metric.replace('_', " "),
                s.window
            )
        })
        .unwrap_or_default();
    format!(
        "Of the {n} published figures, the model's mean lies within the figure's stated uncertainty for {within} (within twice it for {within2}), and {inside} lie inside the model's range over its replications.{worst}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_verdict_says_what_the_z_says_without_it() {
        let score = |z: f64, inside: bool| Score {
            metric: "removals_per_day".into(),
            window: "2026-01-08 .. 2026-01-25".into(),
            observed: "1450".into(),
            sd: 50.0,
            model_mean: 1450.0 + 50.0 * z,
            model_p05: 0.0,
            model_p95: 0.0,
            z,
            inside,
            source: "test".into(),
        };
        let v = verdict_plain(&[score(0.5, true), score(-3.2, false)]);
        assert_eq!(
            v,
            "Of the 2 published figures, the model's mean lies within the figure's stated uncertainty for 1 (within twice it for 1), and 1 lie inside the model's range over its replications. The farthest is removals per day over 2026-01-08 .. 2026-01-25: the model lies 3.2 times its stated uncertainty below it."
        );
        assert!(!v.contains("z ") && !v.contains(" sd"));
    }

    const FILE: &str = r#"
[[observation]]
metric = "arrests_per_day"
from = 2025-01-20
to = 2025-01-29
value = 100.0
sd = 10.0
source = "test"

[[observation]]
metric = "share_other"
from = 2025-01-20
to = 2025-01-20
max = 0.5
sd = 0.05
source = "test"
"#;

    #[test]
    fn a_value_scores_z_and_a_range_scores_zero_inside() {
        let o = Observations::from_toml("o.toml", FILE).unwrap();
        assert_eq!(o.list[0].z(120.0), 2.0);
        assert_eq!(o.list[1].z(0.4), 0.0);
        assert!((o.list[1].z(0.6) - 2.0).abs() < 1e-12);
        assert!(o.list[0].meets(90.0, 110.0));
        assert!(!o.list[0].meets(101.0, 110.0));
        assert!(o.list[1].meets(0.3, 0.7));
        assert!(!o.list[1].meets(0.55, 0.7));
    }

    #[test]
    fn the_sum_of_squared_z_carries_its_jackknife_error_over_replications() {
        let o = Observations::from_toml("o.toml", FILE).unwrap();
        let mut f = Figures::new(o);
        // The first figure (100, sd 10) at 110 and 130: a mean of 120, z = 2. Leaving
        // out either gives z = 3 or 1, squares 9 and 1: a jackknife variance of
        // (1/2) x (4² + 4²) = 16. The second figure has no value and is not scored.
        f.values[0] = vec![110.0, 130.0];
        assert_eq!(f.sum_of_squares(), (4.0, Some(4.0)));
        let said = sum_of_squares_sentence(&f);
        assert!(
            said.starts_with("The sum of squared z is 4.0 ± 4.0"),
            "{said}"
        );
        assert!(said.contains("over the 2 replications"), "{said}");
        // One replication gives no error.
        f.values[0] = vec![120.0];
        assert_eq!(f.sum_of_squares(), (4.0, None));
        assert_eq!(sum_of_squares_sentence(&f), "The sum of squared z is 4.0.");
    }

    #[test]
    fn two_scenarios_on_the_same_replications_differ_by_a_paired_sum() {
        let o = Observations::from_toml("o.toml", FILE).unwrap();
        let (mut a, mut b) = (Figures::new(o.clone()), Figures::new(o));
        // The first figure (100, sd 10): a at 110 and 130 (mean 120, z = 2), b at 100
        // and 120 (mean 110, z = 1): b - a = 1 - 4 = -3. Leaving out replication 0:
        // a 130 (z 3), b 120 (z 2): 4 - 9 = -5; replication 1: a 110 (1), b 100 (0):
        // 0 - 1 = -1. Jackknife: (1/2) x ((-5 + 3)² + (-1 + 3)²) = 4, se 2.
        a.values[0] = vec![110.0, 130.0];
        b.values[0] = vec![100.0, 120.0];
        assert_eq!(paired_difference(&a, &b), Some((-3.0, 2.0)));
        let said = paired_sentence(&a, &b, "other.toml");
        assert!(
            said.contains("4.0 here and 1.0 there, a difference of -3.00 ± 2.00"),
            "{said}"
        );
        assert!(said.contains("cannot tell them apart"), "{said}");
        // The same figures: no difference, no error.
        assert_eq!(paired_difference(&a, &a), Some((0.0, 0.0)));
        // Replications that differ in number are not paired.
        b.values[0] = vec![100.0, 120.0, 140.0];
        assert_eq!(paired_difference(&a, &b), None);
        assert!(paired_sentence(&a, &b, "other.toml").contains("not paired"));
    }

    #[test]
    fn bad_observations_are_located() {
        let bad = FILE.replacen("sd = 10.0", "sd = -1.0", 1);
        let e = Observations::from_toml("o.toml", &bad).unwrap_err();
        assert_eq!(e.0[0].key.as_deref(), Some("observation[0].sd"));
        assert_eq!(e.0[0].line, Some(7));
        let bad = FILE.replacen("value = 100.0\n", "", 1);
        let e = Observations::from_toml("o.toml", &bad).unwrap_err();
        assert!(e.0[0].message.contains("give a value"), "{e}");
        let bad = FILE.replacen("metric = \"share_other\"", "metric = \"share_others\"", 1);
        let e = Observations::from_toml("o.toml", &bad).unwrap_err();
        assert!(e.0[0].message.contains("share_other"), "{e}");
    }

    #[test]
    fn statistics_are_taken_over_the_window_only() {
        let mut s = quotasim::Scenario::national_default();
        s.docket.total = 50_000;
        s.docket.convicted = 3_000;
        s.docket.pending_charges = 1_500;
        let plan = Plan::with_days(&s, Some(20)).unwrap();
        let run = quotasim::run(&plan, 1, 0);
        let o = Observations::from_toml("o.toml", FILE).unwrap();
        let daily: Vec<f64> = run
            .daily
            .chunks(25)
            .map(|d| d.iter().map(|r| f64::from(r.arrests())).sum())
            .collect();
        let want = daily[..10].iter().sum::<f64>() / 10.0;
        assert_eq!(o.list[0].statistic(&plan, &run), Some(want));
        let day0 = &run.daily[..25];
        let other: u32 = day0.iter().map(|r| r.arrests_by_class[4]).sum();
        let all: u32 = day0.iter().map(|r| r.arrests()).sum();
        assert_eq!(
            o.list[1].statistic(&plan, &run),
            Some(f64::from(other) / f64::from(all))
        );
        // A window outside the run is refused with the run's dates.
        let late = FILE.replacen("to = 2025-01-29", "to = 2025-03-01", 1);
        let o = Observations::from_toml("o.toml", &late).unwrap();
        let e = o.check_against("o.toml", &late, &plan).unwrap_err();
        assert!(e.0[0].message.contains("2025-01-20 .. 2025-02-08"), "{e}");
    }

    /// A ten-day run on a small docket from 2025-01-20, with `others_bookins_per_day`.
    fn ten_days(others_bookins_per_day: f64) -> (Plan, Run) {
        let mut s = quotasim::Scenario::national_default();
        s.docket.total = 50_000;
        s.docket.convicted = 3_000;
        s.docket.pending_charges = 1_500;
        s.detention.others_bookins_per_day = others_bookins_per_day;
        let plan = Plan::with_days(&s, Some(10)).unwrap();
        let run = quotasim::run(&plan, 1, 0);
        (plan, run)
    }

    /// The statistic `metric` over the whole of [`ten_days`]' run.
    fn over_the_ten_days(plan: &Plan, run: &Run, metric: &str) -> f64 {
        let text = format!(
            "[[observation]]\nmetric = \"{metric}\"\nfrom = 2025-01-20\nto = 2025-01-29\n\
             value = 1.0\nsd = 1.0\nsource = \"test\"\n"
        );
        let o = Observations::from_toml("o.toml", &text).unwrap();
        o.list[0].statistic(plan, run).unwrap()
    }

    #[test]
    fn all_bookins_add_the_people_other_agencies_book_in_to_the_offices_book_ins() {
        let (plan, run) = ten_days(40.0);
        let window = |metric: &str| over_the_ten_days(&plan, &run, metric);
        let others: u64 = run.daily.iter().map(|r| r.others_joined).sum();
        assert_eq!(others, 400, "40 a day over 10 days join");
        assert_eq!(
            window("all_bookins_per_day") - window("bookins_per_day"),
            40.0
        );
    }

    #[test]
    fn at_large_arrests_a_day_are_the_arrests_not_made_in_jails() {
        let (plan, run) = ten_days(0.0);
        let window = |metric: &str| over_the_ten_days(&plan, &run, metric);
        let jails: u32 = run.daily.iter().map(|r| r.arrests_by_channel[0]).sum();
        let all: u32 = run.daily.iter().map(|r| r.arrests()).sum();
        assert!(jails > 0 && jails < all, "{jails} of {all} in jails");
        assert_eq!(
            window("at_large_arrests_per_day"),
            f64::from(all - jails) / 10.0
        );
        let share = window("share_at_large");
        assert!(
            (window("at_large_arrests_per_day") - share * window("arrests_per_day")).abs() < 1e-9
        );
    }

    #[test]
    fn the_held_by_record_are_counted_for_everyone_and_for_the_offices_own_arrests() {
        let (plan, run) = ten_days(40.0);
        let window = |metric: &str| over_the_ten_days(&plan, &run, metric);
        let offices = plan.offices.len();
        let nat: Vec<&quotasim::daily::DailyRow> = run.daily.iter().step_by(offices).collect();
        let sum = |f: &dyn Fn(&quotasim::daily::DailyRow) -> u64| -> f64 {
            nat.iter().map(|r| f(r) as f64).sum()
        };
        let held = sum(&|r| r.national_detained);
        let own = held - sum(&|r| r.national_others_detained);
        let own_no_record = sum(&|r| r.national_detained_no_record)
            - sum(&|r| r.national_others_detained_no_record);
        let share = window("detained_no_record_share");
        assert!(share > 0.05 && share < 0.95, "{share}");
        assert_eq!(share, sum(&|r| r.national_detained_no_record) / held);
        assert_eq!(window("own_detained_no_record_share"), own_no_record / own);
        // The offices' own arrests and the others held partition everyone held.
        let own_convicted = sum(&|r| r.national_detained_convicted)
            - sum(&|r| r.national_others_detained_convicted);
        assert_eq!(window("own_detained_convicted_share"), own_convicted / own);
        // The growth share: the change in the no-record held over the change in the
        // held, between the window's first and last days (no sum over the days between).
        let own_at = |r: &quotasim::daily::DailyRow| {
            let all = (r.national_detained - r.national_others_detained) as f64;
            let none =
                (r.national_detained_no_record - r.national_others_detained_no_record) as f64;
            (all, none)
        };
        let ((a0, n0), (a1, n1)) = (own_at(nat[0]), own_at(nat[9]));
        assert!(
            a1 > a0,
            "the offices' arrests fill detention from {a0} to {a1}"
        );
        assert_eq!(
            window("own_detained_growth_no_record_share"),
            (n1 - n0) / (a1 - a0)
        );
    }

    #[test]
    fn the_shipped_2025_observations_parse_and_lie_within_the_default_run() {
        let text = include_str!("../../../scenarios/observed-2025.toml");
        let o = Observations::from_toml("scenarios/observed-2025.toml", text).unwrap();
        assert!(o.list.len() >= 30, "{} observations", o.list.len());
        let plan = Plan::new(&quotasim::Scenario::run_default()).unwrap();
        o.check_against("scenarios/observed-2025.toml", text, &plan)
            .unwrap();
        // Nothing after 2026-01-31.
        let end = Date::parse("2026-01-31").unwrap();
        assert!(o.list.iter().all(|ob| ob.to.is_none_or(|t| t <= end)));
    }

    #[test]
    fn the_verdict_counts_scores_within_one_and_two_sd() {
        let mk = |z: f64, inside: bool| Score {
            metric: "m".into(),
            window: "w".into(),
            observed: "1".into(),
            sd: 1.0,
            model_mean: 0.0,
            model_p05: 0.0,
            model_p95: 0.0,
            z,
            inside,
            source: String::new(),
        };
        let v = verdict(&[mk(0.5, true), mk(1.5, false), mk(-3.0, false)]);
        assert!(
            v.starts_with("1 of 3 observations lie within one stated sd"),
            "{v}"
        );
        assert!(v.contains("2 within two, and 1 meet"), "{v}");
        assert!(v.contains("z = -3.0"), "{v}");
    }
}
