//! Removal pathways: how a detained person leaves detention (docs/model.md 7.18).
//!
//! A person booked into detention leaves by one of several pathways, decided by their
//! immigration-case state ([`crate::mechanisms::docket::CaseState`]):
//!
//! - **a final order in hand** (an earlier order, or one reinstated): removed without a
//!   new court case once travel is arranged, a stay of mean `stay_days[class] x
//!   stay_factor.final_order`, exits by `detention.outcome_final_order`;
//! - **expedited removal** ([`crate::mechanisms::removal::expedited`]), while in force;
//! - **an open case on the detained docket** (a case pending, or protection or a claim
//!   pending): three clocks run at once, and the first to ring ends the stay
//!   (competing risks). For case state c (pending or protected):
//!
//! ```text
//! judge     rate j = 1 / pathways.case_days             -> a removal order with probability
//!                                                          pathways.order_share.c, relief otherwise
//! release   rate r = b / pathways.release_days.c,
//!           b = bond_share + (1 - bond_share) x no_bond_release_factor
//! accept    rate a = g / pathways.acceptance_days.c     -> removal (stipulated removal,
//!           g = bond_share + (1 - bond_share)              voluntary departure, a claim withdrawn)
//!               x no_bond_acceptance_factor
//!
//! R = j + r + a;  P(removal) = (j x order_share.c + a) / R;  P(release) = r / R;
//! P(relief) = j x (1 - order_share.c) / R
//! mean stay = stay_days[class] x stay_factor.c x R_bond / R
//! ```
//!
//! where `R_bond` is `R` with bond hearings for everyone (`b = g = 1`): with bond, the
//! mean stay is the class's stay times the case's factor, as before pathways; without
//! it, release is slow, and a person facing months held without a hearing accepts
//! removal sooner (`no_bond_acceptance_factor` >= 1): more of those held leave by
//! removal, and the stay lengthens unless acceptance makes up for the release lost. So
//! a longer detention (a slower docket, no bond) raises the share who accept removal.
//!
//! `bond_share` is the share of people held with an open case who can get a bond
//! hearing: 1 before the no-bond guidance of 2025-07-08, and what events make of the
//! rulings after it. For people with a conviction it is
//!
//! ```text
//! bond_share_convicted = bond_share + (1 - convicted_bond_reach) x (1 - bond_share)
//! ```
//!
//! so `convicted_bond_reach` = 1 applies the rule whatever a person's record (the
//! guidance held people who entered without admission, with or without a conviction),
//! and 0 spares people with a conviction, most of whom were held without bond before
//! 2025 (mandatory detention), so that FY2024's stays already are theirs without bond.
//! [`by_record`] gives the exits of both records.
//!
//! While ICE restricts releases (`release_restricted`: EO 14165 s. 5 of 2025-01-20,
//! "detain ... until their successful removal", the end of catch-and-release), both
//! clocks that depend on release see it:
//!
//! ```text
//! bond_share    -> bond_share x restricted_bond_factor   (ICE appeals a grant and keeps
//!                                                          the person; some judges find no
//!                                                          jurisdiction)
//! release rate  -> restricted_release_factor x r          (parole, release on recognizance,
//!                                                          alternatives to detention)
//! ```
//!
//! so a person denied a hearing's release accepts removal sooner, as without bond. Both
//! factors are 1 by default, and the restriction changes nothing then, bit for bit.
//!
//! People booked in by other agencies (Border Patrol, ports) have no case on the
//! detained docket: they leave by removal (a share `detention.others_removal_share`
//! with bond hearings for everyone) or release, at a constant daily rate. The bond
//! policy slows their release clock as it slows an open case's, and nothing else:
//!
//! ```text
//! removal rate  q / others_stay_days,  release rate  (1 - q) b / others_stay_days
//! P(removal) = q / (q + (1 - q) b);  mean stay = others_stay_days / (q + (1 - q) b)
//! ```
//!
//! with `q = others_removal_share` and `b` as above: without bond hearings few are
//! released and their stays lengthen (the guidance of 2025-07-08 held people who
//! entered without admission, the people Border Patrol arrests first among them).
//!
//! With `pathways.detained_docket = false`, open cases end as `detention.outcome_pending`
//! and `outcome_protected` say, for the class's stay times the case's factor (the model
//! before pathways).
//!
//! A change of these exits during a run reaches the people already held with an open
//! case: detention scales each such stay's days left by `stay_factor` after / before and
//! draws its way out again from the new `outcome` (the clocks have no memory).

use crate::setup::scenario::{Outcome, PathwayParams};
use crate::types::Class;

/// How stays of people with an open case end, and how long they last, under one
/// segment's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exits {
    /// Shares of stays ending in removal, release and relief (they sum to 1).
    pub outcome: [f64; 3],
    /// Of the stays ending in removal, the share where the person accepted it.
    pub accepted_share_of_removals: f64,
    /// Factor on the mean stay (1 with bond hearings for everyone).
    pub stay_factor: f64,
}

/// The exits of the two open case states, in the order of
/// [`crate::mechanisms::docket::CaseState`]'s pending and protected, and of the people
/// booked in by other agencies (`others`: outcome removal, release; its stay factor on
/// `detention.others_stay_days`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Open {
    pub pending: Exits,
    pub protected: Exits,
    pub others: Exits,
}

/// The exits of people with no conviction (`[0]`) and of people with one (`[1]`,
/// [`record`]): they differ only where `pathways.convicted_bond_reach` < 1 and some
/// are held without bond hearings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ByRecord(pub [Open; 2]);

/// The index of class `class`'s record in [`ByRecord`]: 1 with a conviction, 0 without.
pub fn record(class: Class) -> usize {
    usize::from(class.is_convicted())
}

impl ByRecord {
    /// The exits of a person of class `class`.
    pub fn of(&self, class: Class) -> &Open {
        &self.0[record(class)]
    }
}

/// One open case state's parameters.
struct Clocks {
    order_share: f64,
    release_days: f64,
    acceptance_days: f64,
}

/// The release clock's speed, relative to bond hearings for everyone and no
/// restriction, for a bond share `bond_share` and ICE's own releases at
/// `release_speed` of their speed: open cases' clock and others' alike.
fn release_clock(p: &PathwayParams, bond_share: f64, release_speed: f64) -> f64 {
    release_speed * (bond_share + (1.0 - bond_share) * p.no_bond_release_factor)
}

/// The rates of the three clocks: judge, release, acceptance (per day), for a bond
/// share `bond_share` and ICE's own releases at `release_speed` of their speed.
fn rates(p: &PathwayParams, c: &Clocks, bond_share: f64, release_speed: f64) -> [f64; 3] {
    let release = release_clock(p, bond_share, release_speed);
    let accept = bond_share + (1.0 - bond_share) * p.no_bond_acceptance_factor;
    [
        1.0 / p.case_days,
        release / c.release_days,
        accept / c.acceptance_days,
    ]
}

/// The restriction of releases (the module's doc): (the bond share left, the release
/// clock's speed); `(bond_share, 1)` while `release_restricted` does not hold.
fn restricted(p: &PathwayParams) -> (f64, f64) {
    if p.release_restricted {
        (
            p.bond_share * p.restricted_bond_factor,
            p.restricted_release_factor,
        )
    } else {
        (p.bond_share, 1.0)
    }
}

/// The exits of one open case state, for the bond share and release speed that
/// [`restricted`] gives.
fn exits(p: &PathwayParams, c: &Clocks, (bond_share, release_speed): (f64, f64)) -> Exits {
    let [j, r, a] = rates(p, c, bond_share, release_speed);
    let total = j + r + a;
    let with_bond: f64 = rates(p, c, 1.0, 1.0).iter().sum();
    let removal = j * c.order_share + a;
    Exits {
        outcome: [
            removal / total,
            r / total,
            j * (1.0 - c.order_share) / total,
        ],
        accepted_share_of_removals: if removal > 0.0 { a / removal } else { 0.0 },
        stay_factor: with_bond / total,
    }
}

/// The exits of people booked in by other agencies, a share `removal_share` of whom
/// are removed with bond hearings for everyone, when their release runs at `release`
/// times its speed with them (the module's doc; 1 leaves the share and stay as given,
/// bit for bit).
fn others(removal_share: f64, release: f64) -> Exits {
    let (removal, stay_factor) = if release == 1.0 {
        (removal_share, 1.0)
    } else {
        let total = removal_share + (1.0 - removal_share) * release;
        (removal_share / total, 1.0 / total)
    };
    Exits {
        outcome: [removal, 1.0 - removal, 0.0],
        accepted_share_of_removals: 0.0,
        stay_factor,
    }
}

/// The exits of open cases under `p`, and of the people booked in by other agencies
/// (`others_removal_share` of them removed with bond hearings for everyone); the
/// outcome tables where the detained docket is off.
pub fn open(
    p: &PathwayParams,
    outcome_pending: Outcome,
    outcome_protected: Outcome,
    others_removal_share: f64,
) -> Open {
    if !p.detained_docket {
        let table = |o: Outcome| Exits {
            outcome: o.to_array(),
            accepted_share_of_removals: 0.0,
            stay_factor: 1.0,
        };
        return Open {
            pending: table(outcome_pending),
            protected: table(outcome_protected),
            others: others(others_removal_share, 1.0),
        };
    }
    let clocks = |pending: bool| {
        let pick =
            |v: crate::setup::scenario::OpenCases| if pending { v.pending } else { v.protected };
        Clocks {
            order_share: pick(p.order_share),
            release_days: pick(p.release_days),
            acceptance_days: pick(p.acceptance_days),
        }
    };
    let (bond_share, release_speed) = restricted(p);
    Open {
        pending: exits(p, &clocks(true), (bond_share, release_speed)),
        protected: exits(p, &clocks(false), (bond_share, release_speed)),
        others: others(
            others_removal_share,
            release_clock(p, bond_share, release_speed),
        ),
    }
}

/// [`open`] for each record: people with a conviction see the bond share the module's
/// doc gives them (the same as everyone's where `convicted_bond_reach` = 1).
pub fn by_record(
    p: &PathwayParams,
    outcome_pending: Outcome,
    outcome_protected: Outcome,
    others_removal_share: f64,
) -> ByRecord {
    let convicted = PathwayParams {
        bond_share: p.bond_share + (1.0 - p.convicted_bond_reach) * (1.0 - p.bond_share),
        ..p.clone()
    };
    let exits =
        |p: &PathwayParams| open(p, outcome_pending, outcome_protected, others_removal_share);
    ByRecord([exits(p), exits(&convicted)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::scenario::Scenario;

    fn params(bond_share: f64) -> PathwayParams {
        PathwayParams {
            detained_docket: true,
            bond_share,
            ..Scenario::national_default().pathways
        }
    }

    fn open_with(p: &PathwayParams) -> Open {
        let d = Scenario::national_default().detention;
        open(
            p,
            d.outcome_pending,
            d.outcome_protected,
            d.others_removal_share,
        )
    }

    #[test]
    fn exits_add_up_to_one() {
        for bond in [0.0, 0.3, 1.0] {
            let x = open_with(&params(bond));
            for e in [x.pending, x.protected] {
                assert!((e.outcome.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn with_bond_hearings_the_clocks_give_the_outcome_tables_of_fy2024() {
        let d = Scenario::national_default().detention;
        let x = open_with(&params(1.0));
        for (e, table) in [
            (x.pending, d.outcome_pending),
            (x.protected, d.outcome_protected),
        ] {
            for (a, b) in e.outcome.iter().zip(table.to_array()) {
                assert!((a - b).abs() < 1e-3, "{:?} against {:?}", e.outcome, table);
            }
            assert_eq!(e.stay_factor, 1.0);
        }
    }

    #[test]
    fn without_bond_hearings_stays_lengthen_and_more_accept_removal() {
        let (with, without) = (open_with(&params(1.0)), open_with(&params(0.0)));
        for (w, wo) in [
            (with.pending, without.pending),
            (with.protected, without.protected),
        ] {
            assert!(wo.stay_factor > 1.05, "{}", wo.stay_factor);
            assert!(wo.outcome[0] > w.outcome[0] + 0.15, "{:?} {:?}", w, wo);
            assert!(wo.outcome[1] < w.outcome[1] * 0.7);
        }
    }

    #[test]
    fn without_bond_hearings_people_booked_in_by_others_are_rarely_released() {
        let d = Scenario::national_default().detention;
        let others =
            |p: &PathwayParams| open(p, d.outcome_pending, d.outcome_protected, 0.5).others;
        let with = others(&params(1.0));
        assert_eq!(with.outcome, [0.5, 0.5, 0.0]);
        assert_eq!(with.stay_factor, 1.0);
        // Release at 0.2 of its speed: removal 0.5 / (0.5 + 0.5 x 0.2), stays 1 / 0.6.
        let without = others(&PathwayParams {
            no_bond_release_factor: 0.2,
            ..params(0.0)
        });
        assert!(
            (without.outcome[0] - 0.5 / 0.6).abs() < 1e-12,
            "{without:?}"
        );
        assert!(
            (without.outcome[1] - 0.1 / 0.6).abs() < 1e-12,
            "{without:?}"
        );
        assert!(
            (without.stay_factor - 1.0 / 0.6).abs() < 1e-12,
            "{without:?}"
        );
    }

    #[test]
    fn a_rule_that_spares_people_with_a_conviction_leaves_them_their_bond_hearings() {
        let d = Scenario::national_default().detention;
        let of = |p: &PathwayParams| {
            by_record(
                p,
                d.outcome_pending,
                d.outcome_protected,
                d.others_removal_share,
            )
        };
        let with_bond = open_with(&params(1.0));
        let without = open_with(&params(0.0));
        // Reaching every record: both records leave as everyone does, bit for bit.
        let everyone = of(&params(0.0));
        assert_eq!(everyone.0, [without, without]);
        // Sparing them: people with a conviction keep the exits of bond hearings.
        let spared = of(&PathwayParams {
            convicted_bond_reach: 0.0,
            ..params(0.0)
        });
        assert_eq!(spared.0, [without, with_bond]);
        assert_eq!(*spared.of(Class::Violent), with_bond);
        assert_eq!(*spared.of(Class::Other), without);
        // Half way: a bond share of a half for them.
        let half = of(&PathwayParams {
            convicted_bond_reach: 0.5,
            ..params(0.0)
        });
        assert_eq!(*half.of(Class::Violent), open_with(&params(0.5)));
    }

    #[test]
    fn restricting_releases_cuts_bond_and_slows_release_as_the_factors_say() {
        let restricted = |bond: f64, bond_factor: f64, release_factor: f64| {
            open_with(&PathwayParams {
                release_restricted: true,
                restricted_bond_factor: bond_factor,
                restricted_release_factor: release_factor,
                no_bond_acceptance_factor: 4.0,
                ..params(bond)
            })
        };
        let plain = |bond: f64| {
            open_with(&PathwayParams {
                no_bond_acceptance_factor: 4.0,
                ..params(bond)
            })
        };
        // Factors of 1: nothing changes, bit for bit.
        assert_eq!(restricted(1.0, 1.0, 1.0), plain(1.0));
        assert_eq!(restricted(0.2, 1.0, 1.0), plain(0.2));
        // Bond hearings that still release for 60 % of those with bond: a bond share of 0.6.
        assert_eq!(restricted(1.0, 0.6, 1.0), plain(0.6));
        // The release clock at half speed: the release rate halves, the others stay.
        let p = params(1.0);
        let c = Clocks {
            order_share: p.order_share.pending,
            release_days: p.release_days.pending,
            acceptance_days: p.acceptance_days.pending,
        };
        let [j, r, a] = rates(&p, &c, 1.0, 0.5);
        assert_eq!([j, r * 2.0, a], rates(&p, &c, 1.0, 1.0));
        let half = restricted(1.0, 1.0, 0.5).pending;
        assert!(
            (half.outcome[1] - r / (j + r + a)).abs() < 1e-12,
            "{half:?}"
        );
        // Both at once: more of those held leave by removal, more of them accepting it.
        let (free, held) = (plain(1.0).pending, restricted(1.0, 0.5, 0.5).pending);
        assert!(held.outcome[0] > free.outcome[0] + 0.1, "{free:?} {held:?}");
        assert!(held.accepted_share_of_removals > free.accepted_share_of_removals);
        // People booked in by others: their release clock slows too.
        let others = restricted(1.0, 1.0, 0.5).others;
        let q = Scenario::national_default().detention.others_removal_share;
        assert!((others.outcome[0] - q / (q + (1.0 - q) * 0.5)).abs() < 1e-12);
    }

    #[test]
    fn a_readier_acceptance_without_bond_shortens_stays_and_raises_removals() {
        let at = |factor: f64| {
            open_with(&PathwayParams {
                no_bond_acceptance_factor: factor,
                ..params(0.0)
            })
            .pending
        };
        let (slow, ready) = (at(1.0), at(3.0));
        assert!(ready.stay_factor < slow.stay_factor);
        assert!(ready.outcome[0] > slow.outcome[0]);
        // With bond hearings for everyone it changes nothing.
        let bond = |factor: f64| {
            open_with(&PathwayParams {
                no_bond_acceptance_factor: factor,
                ..params(1.0)
            })
            .pending
        };
        assert_eq!(bond(1.0), bond(3.0));
    }

    #[test]
    fn a_slower_detained_docket_raises_acceptance_of_removal() {
        let accepted = |case_days: f64| {
            let x = open_with(&PathwayParams {
                case_days,
                ..params(0.0)
            })
            .pending;
            x.outcome[0] * x.accepted_share_of_removals
        };
        assert!(accepted(120.0) > accepted(30.0) + 0.05);
    }

    #[test]
    fn with_the_detained_docket_off_open_cases_end_by_their_outcome_tables() {
        let s = Scenario::national_default();
        let x = open_with(&PathwayParams {
            detained_docket: false,
            ..s.pathways.clone()
        });
        assert_eq!(x.pending.outcome, s.detention.outcome_pending.to_array());
        assert_eq!(
            x.protected.outcome,
            s.detention.outcome_protected.to_array()
        );
        assert_eq!(x.pending.stay_factor, 1.0);
    }
}
