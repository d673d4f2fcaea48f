//! The immigration court for people at large with a pending case (docs/model.md 7.7,
//! "Immigration court").
//!
//! The court decides `court.decisions_per_day` cases nationwide (the fraction of a
//! case carried to the next day), split over offices by their backlog at the start of
//! the day (largest remainder). A decision is a removal order with probability
//! `court.share_removal_order` (the case becomes a final order and the person stays at
//! large), otherwise relief or closure (the person leaves the docket).

use rand::RngExt;

use crate::docket::{CaseState, Custody, LEVELS, List, OfficeDocket, Taken, slot};
use crate::population::apportion;
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
/// reserving room in the final-order lists ([`crate::docket::Room`]).
pub fn expected_orders(plan: &crate::plan::Plan) -> f64 {
    (0..plan.days)
        .map(|day| {
            let c = &plan.segments[plan.segment_index(day)].scenario.court;
            c.decisions_per_day * c.share_removal_order
        })
        .sum()
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
        let mut picks: Vec<u32> = Vec::with_capacity(n);
        while picks.len() < n {
            let more = n - picks.len();
            picks.extend((0..more).map(|_| rng.random_range(0..total) as u32));
            picks.sort_unstable();
            picks.dedup();
        }
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
