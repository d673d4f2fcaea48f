//! Attribution: how much of a scenario's change each group of its events caused, by
//! exact Shapley values over counterfactual runs (docs/attribution.md).
//!
//! A scenario's dated events are grouped into named causes by the keys they set (a
//! [`Grouping`]: each group lists key patterns, `*` standing for one segment, a pattern
//! covering the keys under it). For a set S of groups, the scenario *with S on* keeps
//! the settings of S's groups and drops the others' (an event left with nothing to set
//! goes); with none on it is the counterfactual, the system as it stood at the start,
//! continued. With k groups and v(S) a metric of the run with S on (all runs with the
//! same seeds: common random numbers), group i's contribution is
//!
//! ```text
//! phi_i = sum over S not holding i of |S|! (k - |S| - 1)! / k! x (v(S + i) - v(S))
//! ```
//!
//! and the contributions add up to v(all) - v(none) (efficiency). A group that changes
//! nothing gets 0; two groups that do the same get the same. It needs 2^k runs a
//! replication; contributions are computed per replication and banded over them.

use serde::Deserialize;

use crate::setup::scenario::Scenario;
use crate::setup::source::{Problem, ScenarioErrors, Source};

/// The grouping shipped for the default scenario (`scenarios/groups-2025-26.toml`).
pub const DEFAULT_GROUPING_TOML: &str = include_str!("../../../../scenarios/groups-2025-26.toml");
/// The name the shipped grouping is reported under.
pub const DEFAULT_GROUPING_NAME: &str = "scenarios/groups-2025-26.toml";
/// The quota against everything else (`scenarios/groups-quota-vs-rest.toml`): the
/// dashboard's live split, four runs a replication.
pub const QUOTA_SPLIT_TOML: &str = include_str!("../../../../scenarios/groups-quota-vs-rest.toml");
/// The name the two-group split is reported under.
pub const QUOTA_SPLIT_NAME: &str = "scenarios/groups-quota-vs-rest.toml";

/// Most groups: 2^12 runs a replication.
pub const MAX_GROUPS: usize = 12;

/// One cause: the event keys it owns, and why.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Short name (attribution.csv).
    pub name: String,
    /// What it is, for a reader.
    pub label: String,
    /// Why these keys belong to it.
    #[serde(default)]
    pub reason: String,
    /// Key patterns: `quota` covers every `quota.*` key; `offices.*.agreements_jail`
    /// every office's.
    pub keys: Vec<String>,
}

/// Groups of events, as a grouping file holds them (`[[group]]` tables).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grouping {
    #[serde(rename = "group")]
    pub groups: Vec<Group>,
}

/// Whether event key `key` lies under `pattern` (segment by segment, `*` any one).
pub fn covers(pattern: &str, key: &str) -> bool {
    let p: Vec<&str> = pattern.split('.').collect();
    let k: Vec<&str> = key.split('.').collect();
    p.len() <= k.len() && p.iter().zip(&k).all(|(a, b)| *a == "*" || a == b)
}

impl Grouping {
    /// Parses a grouping file's text; `origin` names it in errors.
    pub fn from_toml(origin: &str, text: &str) -> Result<Grouping, ScenarioErrors> {
        let source = Source::new(origin, text);
        let g: Grouping =
            toml::from_str(text).map_err(|e| ScenarioErrors(vec![source.toml_error(&e)]))?;
        let fail = |key: &str, value: String, message: String| {
            ScenarioErrors(vec![source.error_at(key, Some(value), message)])
        };
        if g.groups.is_empty() || g.groups.len() > MAX_GROUPS {
            return Err(fail(
                "group",
                g.groups.len().to_string(),
                format!(
                    "a grouping has 1 to {MAX_GROUPS} [[group]] tables (2^k runs a replication)"
                ),
            ));
        }
        for (i, group) in g.groups.iter().enumerate() {
            if g.groups[..i].iter().any(|o| o.name == group.name) {
                return Err(fail(
                    &format!("group[{i}].name"),
                    format!("{:?}", group.name),
                    "two groups have this name".into(),
                ));
            }
            if group.keys.is_empty() {
                return Err(fail(
                    &format!("group[{i}].keys"),
                    "[]".into(),
                    "a group names at least one key pattern".into(),
                ));
            }
        }
        Ok(g)
    }

    /// The group of each setting of `s`'s events (event index, key, group), each key
    /// owned by the group with its longest matching pattern. A setting no group owns,
    /// or two groups own equally, is a problem: every change must belong to one cause.
    pub fn assign(&self, s: &Scenario) -> Result<Vec<(usize, String, usize)>, Vec<Problem>> {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for (i, e) in s.events.iter().enumerate() {
            for key in e.set.keys() {
                let mut best: Vec<(usize, usize)> = Vec::new();
                for (g, group) in self.groups.iter().enumerate() {
                    for p in group.keys.iter().filter(|p| covers(p, key)) {
                        let len = p.split('.').count();
                        match best.first() {
                            Some(&(_, l)) if l > len => {}
                            Some(&(_, l)) if l == len => best.push((g, len)),
                            _ => best = vec![(g, len)],
                        }
                    }
                }
                best.dedup_by_key(|b| b.0);
                match best.as_slice() {
                    [(g, _)] => out.push((i, key.clone(), *g)),
                    [] => problems.push(Problem {
                        path: format!("events[{i}].set.{key:?}"),
                        value: e.date.to_string(),
                        message: format!("no group of the grouping owns `{key}`: add a pattern for it to one group"),
                        related: Vec::new(),
                    }),
                    many => problems.push(Problem {
                        path: format!("events[{i}].set.{key:?}"),
                        value: e.date.to_string(),
                        message: format!(
                            "`{key}` is owned equally by the groups {}: make one pattern longer",
                            many.iter()
                                .map(|(g, _)| self.groups[*g].name.as_str())
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                        related: Vec::new(),
                    }),
                }
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        }
    }
}

/// `s` with only the settings of the groups in `on` (bit g: group g), from an
/// assignment of [`Grouping::assign`]; an event left with nothing to set goes.
pub fn with_groups(s: &Scenario, assignment: &[(usize, String, usize)], on: u32) -> Scenario {
    let mut out = s.clone();
    for (i, key, g) in assignment {
        if on & (1 << g) == 0 {
            out.events[*i].set.remove(key);
        }
    }
    out.events.retain(|e| !e.set.is_empty());
    out
}

/// Exact Shapley values of `k` players from `v`, the value of every coalition (index:
/// the bit mask of its players, so `v.len() == 2^k`).
pub fn shapley(v: &[f64], k: usize) -> Vec<f64> {
    assert_eq!(v.len(), 1 << k, "one value per coalition");
    let fact = |n: usize| (1..=n).map(|x| x as f64).product::<f64>();
    let total = fact(k);
    (0..k)
        .map(|i| {
            let bit = 1usize << i;
            (0..v.len())
                .filter(|s| s & bit == 0)
                .map(|s| {
                    let size = s.count_ones() as usize;
                    fact(size) * fact(k - size - 1) / total * (v[s | bit] - v[s])
                })
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contributions_add_up_to_the_whole_change() {
        // v(S) = 3 a + 5 b + 2 a b: the interaction is split evenly.
        let v = [0.0, 3.0, 5.0, 10.0];
        let phi = shapley(&v, 2);
        assert_eq!(phi, vec![4.0, 6.0]);
        assert_eq!(phi.iter().sum::<f64>(), v[3] - v[0]);
    }

    #[test]
    fn a_group_that_changes_nothing_gets_nothing_and_twins_share_equally() {
        // Players 0 and 1 do the same; player 2 does nothing.
        let v: Vec<f64> = (0..8u32)
            .map(|s| if s & 0b011 != 0 { 7.0 } else { 0.0 })
            .collect();
        let phi = shapley(&v, 3);
        assert_eq!(phi[2], 0.0);
        assert_eq!(phi[0], phi[1]);
        assert!((phi[0] - 3.5).abs() < 1e-12);
    }

    #[test]
    fn a_key_is_owned_by_its_longest_pattern() {
        assert!(covers("quota", "quota.national_per_day"));
        assert!(covers(
            "offices.*.agreements_jail",
            "offices.CHI.agreements_jail"
        ));
        assert!(!covers(
            "offices.*.agreements_jail",
            "offices.CHI.surge_officers"
        ));
        let g = Grouping::from_toml(
            "g.toml",
            "[[group]]\nname = \"a\"\nlabel = \"A\"\nkeys = [\"detention\"]\n\n[[group]]\nname = \"b\"\nlabel = \"B\"\nkeys = [\"detention.capacity\"]\n",
        )
        .unwrap();
        let mut s = Scenario::national_default();
        s.events
            .retain(|e| e.set.keys().all(|k| k.starts_with("detention.")));
        let a = g.assign(&s).unwrap();
        assert!(
            a.iter()
                .any(|(_, k, g)| k == "detention.capacity" && *g == 1)
        );
        assert!(a.iter().any(|(_, k, g)| k == "detention.beds" && *g == 0));
        // With neither group on, no event is left.
        assert!(with_groups(&s, &a, 0).events.is_empty());
        assert_eq!(with_groups(&s, &a, 0b11).events, s.events);
    }

    #[test]
    fn the_shipped_grouping_owns_every_setting_of_the_default_once() {
        let g = Grouping::from_toml(DEFAULT_GROUPING_NAME, DEFAULT_GROUPING_TOML).unwrap();
        assert_eq!(g.groups.len(), 8);
        assert!(g.groups.iter().all(|g| g.reason.len() > 40));
        let s = Scenario::run_default();
        let a = g.assign(&s).unwrap();
        assert_eq!(a.len(), s.events.iter().map(|e| e.set.len()).sum::<usize>());
        assert!(
            (0..8).all(|i| a.iter().any(|(_, _, g)| *g == i)),
            "a group owns nothing"
        );
    }

    #[test]
    fn a_setting_no_group_owns_is_refused_naming_it() {
        let g = Grouping::from_toml(
            "g.toml",
            "[[group]]\nname = \"q\"\nlabel = \"Q\"\nkeys = [\"quota\"]\n",
        )
        .unwrap();
        let p = g.assign(&Scenario::national_default()).unwrap_err();
        assert!(
            p.iter()
                .any(|p| p.message.contains("`removal.flights_per_day`")),
            "{p:?}"
        );
    }
}
