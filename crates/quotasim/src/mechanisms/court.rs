//! The immigration court for people at large with a pending case (docs/model.md 7.7,
//! "Immigration court").
//!
//! The court decides `court.decisions_per_day` cases nationwide (the fraction of a
//! case carried to the next day), split over offices by their backlog at the start of
//! the day (largest remainder). A decision is a removal order with probability
//! `court.share_removal_order` (the case becomes a final order and the person stays at
//! large), otherwise relief or closure (the person leaves the docket).

use rand::RngExt;

use crate::mechanisms::docket::{CaseState, Custody, LEVELS, List, OfficeDocket, Taken, slot};
use crate::mechanisms::population::apportion;
use crate::rng;
use crate::types::Class;

/// The court's decisions for the day (`decisions_per_day` plus the fraction carried
/// over), split over offices by their backlog at the start of the day.
pub fn decisions(dockets: &[OfficeDocket], per_day: f64, carry: &mut f64) -> Vec<u64> {
    let want = per_day + *carry;
    *carry = want - want.floor();
    let backlog: Vec<f64> = dockets.iter().map(|d| d.n_case_pending as f64).collect();
    if backlog.iter().sum::<f64>() > 0.0 {
        apportion(want.floor() as u64, &backlog)
    } else {
        vec![0; dockets.len()]
    }
}

/// Removal orders the court is expected to issue over the plan's days nationwide, for
/// reserving room in the final-order lists ([`crate::mechanisms::docket::Room`]).
pub fn expected_orders(plan: &crate::setup::plan::Plan) -> f64 {
    (0..plan.days)
        .map(|day| {
            let c = &plan.segments[plan.segment_index(day)].scenario.court;
            c.decisions_per_day * c.share_removal_order
        })
        .sum()
}

/// `n` distinct positions of `0..total`, sorted, uniform among the n-subsets.
///
/// Drawn n at a time, with repeats dropped and the shortfall drawn again: a few rounds
/// when n is a small part of `total`, as on every day of the shipped scenarios. When n
/// is over half of `total` the draw would need ever more rounds for the last few (and
/// a sort each), so the `total - n` positions left out are drawn instead and the rest
/// taken: the work stays linear in the people decided.
fn distinct_positions(n: usize, total: usize, rng: &mut rng::Rng) -> Vec<u32> {
    let draw = |k: usize, rng: &mut rng::Rng| {
        let mut picks: Vec<u32> = Vec::with_capacity(k);
        while picks.len() < k {
            let more = k - picks.len();
            picks.extend((0..more).map(|_| rng.random_range(0..total) as u32));
            picks.sort_unstable();
            picks.dedup();
        }
        picks
    };
    if n <= total / 2 {
        return draw(n, rng);
    }
    let left_out = draw(total - n, rng);
    let mut out = left_out.iter().peekable();
    (0..total as u32)
        .filter(|i| {
            if out.peek() == Some(&i) {
                out.next();
                false
            } else {
                true
            }
        })
        .collect()
}

impl OfficeDocket {
    /// The immigration court decides up to `n` pending cases of people at large: a
    /// removal order with probability `p_order` (the case becomes a final order),
    /// otherwise relief or closure (the person leaves the docket). Returns (orders,
    /// reliefs or closures).
    ///
    /// Deciding n cases one after another, each uniform among the pending cases left,
    /// picks a uniform random n-subset of them; so the subset is drawn at once, as n
    /// distinct positions over the pending-case lists laid end to end, and the lists are
    /// walked once to count how many fall in each. Everyone in a list is alike in every
    /// attribute the model reads, so the decided people are taken from the end of their
    /// list: no record is read at random (on a docket of millions each such read is a
    /// cache miss).
    pub fn decide_cases(&mut self, n: u64, p_order: f64, rng: &mut rng::Rng) -> (u64, u64) {
        let pend = CaseState::Pending as usize;
        let total = self.n_pending_at_large as usize;
        let n = (n as usize).min(total);
        if n == 0 {
            return (0, 0);
        }
        // Positions are drawn as usize (the stream's numbers) and kept as u32, which
        // sorts faster: a docket's pending cases at large number far below 2^32.
        debug_assert!(total <= u32::MAX as usize);
        let picks = distinct_positions(n, total, rng);
        let (mut orders, mut closed) = (0, 0);
        let (mut offset, mut p) = (0, 0);
        for k in 0..Class::COUNT * LEVELS {
            let at = List::AtLarge(k / LEVELS, slot(k % LEVELS, pend));
            let len = self.list_mut(at).len();
            let first = p;
            while p < n && (picks[p] as usize) < offset + len {
                p += 1;
            }
            offset += len;
            for _ in first..p {
                let last = self.list_mut(at).len() - 1;
                let person = self.take(at, last);
                let who = self.taken(at, person);
                if rng.random_bool(p_order.clamp(0.0, 1.0)) {
                    // Same class and level, now a final order: back at large in that list.
                    self.case[person as usize] = CaseState::FinalOrder as u8;
                    self.n_case_pending -= 1;
                    self.put_known(
                        Taken {
                            case: CaseState::FinalOrder as u8,
                            ..who
                        },
                        Custody::AtLarge,
                    );
                    orders += 1;
                } else {
                    self.put_known(who, Custody::Left);
                    closed += 1;
                }
            }
            if p == n {
                break;
            }
        }
        (orders, closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_court_draws_any_number_of_distinct_cases_up_to_all_of_them() {
        let mut rng = rng::stream(7, 0, rng::Purpose::Dynamics, 0);
        for total in [1usize, 2, 3, 10, 1_000] {
            for n in [0, 1, total / 2, total / 2 + 1, total - 1, total] {
                let picks = distinct_positions(n, total, &mut rng);
                assert_eq!(picks.len(), n, "n {n} of {total}");
                assert!(picks.windows(2).all(|w| w[0] < w[1]), "sorted, distinct");
                assert!(picks.iter().all(|&p| (p as usize) < total));
            }
        }
    }

    #[test]
    fn deciding_every_pending_case_takes_one_pass() {
        // A million of a million: drawn as the complement, so in one pass over the
        // positions (the repeated draw needed about 14 rounds of a million-item sort).
        let mut rng = rng::stream(7, 0, rng::Purpose::Dynamics, 0);
        let picks = distinct_positions(1_000_000, 1_000_000, &mut rng);
        assert_eq!(picks.len(), 1_000_000);
        assert_eq!(picks[999_999], 999_999);
        let picks = distinct_positions(999_000, 1_000_000, &mut rng);
        assert_eq!(picks.len(), 999_000);
    }
}
