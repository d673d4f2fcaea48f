//! Attribution by exact Shapley values (docs/attribution.md): its contributions add up,
//! one group is the paired difference `quotasim compare` gives, a group that changes
//! nothing gets nothing, and the result does not depend on the threads.

use proptest::prelude::*;
use quotasim::attribution::{Group, Grouping};
use quotasim::{Plan, Scenario};
use quotasim_request::attribute::Attribution;

/// The default scenario with a docket of 30,000, for runs of days.
fn small() -> Scenario {
    Scenario::run_default().with_docket(30_000)
}

fn group(name: &str, keys: &[&str]) -> Group {
    Group {
        name: name.into(),
        label: name.into(),
        reason: String::new(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
    }
}

/// Every top-level section an event of the default sets, for dealing into groups.
const SECTIONS: [&str; 11] = [
    "quota",
    "capacity",
    "channels",
    "offices",
    "cooperation",
    "detention",
    "pathways",
    "removal",
    "flows",
    "costs",
    "budget",
];

const METRICS: [&str; 3] = ["arrests_per_day_mean", "share_other", "cost_per_year"];

fn metrics() -> Vec<String> {
    METRICS.iter().map(|m| m.to_string()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn contributions_add_up_to_the_change_for_any_grouping(
        owner in proptest::collection::vec(0usize..3, SECTIONS.len()),
        days in 100u32..260,
        reps in 1u32..3,
        seed in 0u64..1000,
    ) {
        // The sections dealt into up to three groups; a group that gets none is left out.
        let groups: Vec<Group> = (0..3)
            .filter_map(|g| {
                let keys: Vec<&str> = SECTIONS.iter().zip(&owner).filter(|(_, o)| **o == g).map(|(s, _)| *s).collect();
                (!keys.is_empty()).then(|| group(&format!("g{g}"), &keys))
            })
            .collect();
        let a = Attribution::new(small(), Some(days), Grouping { groups }, metrics(), Some(seed), Some(reps)).unwrap();
        for r in a.run(&|_| {}).unwrap() {
            let sum: f64 = r.contributions.iter().map(|c| c.0).sum();
            let scale = r.change.0.abs().max(r.scenario.0.abs()).max(1e-12);
            prop_assert!((sum - r.change.0).abs() <= 1e-9 * scale, "{}: {sum} against {}", r.metric, r.change.0);
            // A group's share in each replication lies in its band, and with one
            // replication it is the share of the means.
            for (c, share) in r.contributions.iter().zip(&r.shares) {
                if r.change.0 == 0.0 {
                    prop_assert!(share.0.is_nan());
                    continue;
                }
                prop_assert!((share.0 - c.0 / r.change.0).abs() <= 1e-12 * share.0.abs().max(1.0));
                prop_assert!(share.1 <= share.2, "{}: {share:?}", r.metric);
                if reps == 1 {
                    prop_assert!((share.1 - share.0).abs() <= 1e-12 * share.0.abs().max(1.0), "{share:?}");
                    prop_assert!((share.2 - share.0).abs() <= 1e-12 * share.0.abs().max(1.0), "{share:?}");
                }
            }
        }
    }
}

#[test]
fn one_group_is_the_paired_difference_compare_gives() {
    let s = small();
    let everything = Grouping {
        groups: vec![group("all", &SECTIONS)],
    };
    let a = Attribution::new(
        s.clone(),
        Some(120),
        everything,
        metrics(),
        Some(7),
        Some(3),
    )
    .unwrap();
    let results = a.run(&|_| {}).unwrap();
    // compare: the scenario with no event against the scenario, same seeds.
    let run = |plan: &Plan| {
        quotasim_request::Ensemble::new(plan.clone(), Some(7), Some(3), 10)
            .unwrap()
            .run_all(&|_| {})
    };
    let mut none = s.clone();
    none.events.clear();
    let base = run(&Plan::with_days(&none, Some(120)).unwrap());
    let full = run(&Plan::with_days(&s, Some(120)).unwrap());
    let diffs = quotasim::compare::differences(&base, &full);
    for r in &results {
        let d = diffs.iter().find(|d| d.key == r.metric).unwrap();
        assert!(
            (r.contributions[0].0 - d.diff).abs() <= 1e-9 * d.diff.abs().max(1.0),
            "{}: {:?} against {}",
            r.metric,
            r.contributions[0],
            d.diff
        );
        assert!((r.counterfactual.0 - d.a).abs() <= 1e-9 * d.a.abs().max(1.0));
        // One group makes the whole change in every replication.
        let (share, lo, hi) = r.shares[0];
        assert!(
            [share, lo, hi].iter().all(|x| (x - 1.0).abs() < 1e-9),
            "{}: {:?}",
            r.metric,
            r.shares[0]
        );
    }
}

#[test]
fn a_group_whose_events_change_nothing_before_the_end_gets_nothing() {
    // Over the first 60 days no event of the detention group happens (its first is
    // 2025-04-14; the pathways', from 2025-01-20, are the rest's here): it contributes
    // exactly 0; the quota (from 2025-01-26) does not.
    let g = Grouping {
        groups: vec![
            group("quota", &["quota", "channels.community.broadened"]),
            group("detention", &["detention", "budget"]),
            group(
                "rest",
                &[
                    "pathways",
                    "capacity",
                    "channels",
                    "offices",
                    "cooperation",
                    "removal",
                    "flows",
                    "costs",
                ],
            ),
        ],
    };
    let a = Attribution::new(small(), Some(60), g, metrics(), Some(3), Some(2)).unwrap();
    let r = a.run(&|_| {}).unwrap();
    assert_eq!(r[0].contributions[1], (0.0, 0.0, 0.0));
    assert!(r[0].contributions[0].0 > 0.0, "{:?}", r[0].contributions);
}

#[test]
fn the_result_is_the_same_whatever_the_threads() {
    let g = || Grouping {
        groups: vec![group("quota", &["quota"]), group("rest", &SECTIONS[1..])],
    };
    let go = |threads: usize| {
        let a = Attribution::new(small(), Some(90), g(), metrics(), Some(5), Some(2)).unwrap();
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| a.run(&|_| {}).unwrap())
    };
    assert_eq!(go(1), go(2));
}

/// The quota (with the order of 2025-05-21 that widens community operations) and the
/// rest, for attributions that run past that date.
fn quota_and_rest() -> Grouping {
    Grouping {
        groups: vec![
            group("quota", &["quota", "channels.community.broadened"]),
            group("rest", &SECTIONS[1..]),
        ],
    }
}

#[test]
fn draws_that_are_the_scenario_give_the_attribution_without_them() {
    let a = || {
        Attribution::new(
            small(),
            Some(90),
            quota_and_rest(),
            metrics(),
            Some(5),
            Some(2),
        )
        .unwrap()
    };
    let with = a().with_draws(vec![small(), small()]).unwrap();
    assert!(with.has_draws());
    assert_eq!(with.run(&|_| {}).unwrap(), a().run(&|_| {}).unwrap());
    // One draw a replication, no more and no fewer.
    assert!(matches!(
        a().with_draws(vec![small()]),
        Err(quotasim_request::attribute::AttributeError::Request(
            quotasim_request::RequestError::Draws { plans: 1, reps: 2 }
        ))
    ));
}

#[test]
fn a_posteriors_spread_in_the_widening_spreads_the_quotas_part() {
    // Two replications whose only difference (beside chance) is how far the order of
    // 2025-05-21 widens community operations: 0 in one, 1.5 in the other. The quota's
    // part of the arrests of people with no record then differs between them far more
    // than chance alone makes it differ.
    let gain = |x: f64| {
        let mut s = small();
        s.channels.community.broadened_reach_gain = x;
        s
    };
    let metric = vec!["arrests_other_per_day".to_string()];
    let a = || {
        Attribution::new(
            gain(0.75),
            Some(200),
            quota_and_rest(),
            metric.clone(),
            Some(9),
            Some(2),
        )
        .unwrap()
    };
    let width = |r: &[quotasim_request::attribute::MetricAttribution]| {
        r[0].contributions[0].2 - r[0].contributions[0].1
    };
    let chance = a().run(&|_| {}).unwrap();
    let drawn = a()
        .with_draws(vec![gain(0.0), gain(1.5)])
        .unwrap()
        .run(&|_| {})
        .unwrap();
    assert!(
        width(&drawn) > 3.0 * width(&chance),
        "the quota's band: {:?} with the draws, {:?} with chance alone",
        drawn[0].contributions[0],
        chance[0].contributions[0]
    );
    // The draws run their own values: the mean lies between what each gives alone.
    assert!(drawn[0].contributions[0].1 < chance[0].contributions[0].0);
    assert!(drawn[0].contributions[0].2 > chance[0].contributions[0].0);
}
