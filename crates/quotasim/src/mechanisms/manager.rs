//! The manager's choice (docs/model.md 7.6).
//!
//! Each office, each day, spends its working hours H one arrest at a time. Before each
//! arrest the manager prices every open choice i (see [`crate::mechanisms::channels`]) by its value
//! per hour,
//!
//! ```text
//! score_i = (v_i + lambda) / h_i
//! v_i     = w[c]                       for a custodial or targeted arrest of class c
//!         = sum_c share_c x w[c]       for a collateral or community arrest (the class
//!                                      mix of people at large, taken at the day's start)
//! lambda  = penalty_per_missed_arrest  while arrests today < the office's quota
//!         = 0                          once the quota is met (or with no quota)
//! ```
//!
//! and makes the arrest with the highest score among those whose hours h_i fit in the
//! hours left (ties go to the first in [`crate::mechanisms::channels::Choice::ALL`]), provided the
//! score exceeds `hour_value`, the value of an hour spent on other duties. The day ends
//! when no open choice fits or beats `hour_value`.
//!
//! This is a greedy solution of: maximise sum of w over arrests - penalty x max(0,
//! quota - arrests) + hour_value x hours left, subject to hours used <= H, with rising
//! marginal costs (the easiest are arrested first). With no quota, arrests follow the
//! priority weights per hour; as the quota binds and the penalty rises, lambda dominates
//! every weight and the cheapest arrests win.

use crate::mechanisms::channels::{Arrest, Choice, Market, Quote};
use crate::rng;
use crate::setup::scenario::ManagerParams;
use crate::types::{Channel, Class};

/// What one office did with one day's hours.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DayDecision {
    pub arrests: u32,
    pub hours_used: f64,
}

/// Spends up to `hours` on arrests in `market`, calling `record` for each arrest.
pub fn spend_day(
    market: &mut Market,
    hours: f64,
    quota: f64,
    penalty: f64,
    params: &ManagerParams,
    rng: &mut rng::Rng,
    mut record: impl FnMut(Arrest),
) -> DayDecision {
    let w = params.priority_weight.to_array();
    let mix = market.pool_composition();
    let pool_value: f64 = (0..Class::COUNT).map(|c| mix[c] * w[c]).sum();
    let mut d = DayDecision::default();
    // Each choice's price, kept between arrests. An arrest changes only the prices of
    // its own choice, of the list its person came from (their class, handed over or at
    // large), and of collateral and community arrests (which count the day's arrests and
    // everyone at large): those are quoted again, and the others kept. The prices are
    // those of quoting all twelve before each arrest, so the choices are the same.
    let mut quotes: [Option<Quote>; 12] = Choice::ALL.map(|c| market.quote(c));
    // Each choice's score, kept with its price: worked out again when the price is, and
    // for every choice when lambda changes (once, as the quota is met).
    let score = |q: &Option<Quote>, lambda: f64| {
        q.map_or(f64::NAN, |q| {
            let value = q.class.map_or(pool_value, |c| w[c as usize]);
            (value + lambda) / q.hours
        })
    };
    let lambda_now = |arrests: u32| {
        if f64::from(arrests) < quota {
            penalty
        } else {
            0.0
        }
    };
    let mut lambda = lambda_now(0);
    let mut scores: [f64; 12] = std::array::from_fn(|i| score(&quotes[i], lambda));
    loop {
        let left = hours - d.hours_used;
        if lambda_now(d.arrests) != lambda {
            lambda = lambda_now(d.arrests);
            scores = std::array::from_fn(|i| score(&quotes[i], lambda));
        }
        let mut best: Option<(usize, Quote, f64)> = None;
        for (i, q) in quotes.iter().enumerate() {
            let Some(q) = q else {
                continue;
            };
            if q.hours > left {
                continue;
            }
            if best.is_none_or(|(_, _, s)| scores[i] > s) {
                best = Some((i, *q, scores[i]));
            }
        }
        let Some((i, q, score_best)) = best else {
            break;
        };
        if score_best <= params.hour_value {
            break;
        }
        let choice = Choice::ALL[i];
        match market.execute(choice, q, rng) {
            Some(a) => {
                d.arrests += 1;
                d.hours_used += a.hours;
                let c = a.class as usize;
                let from = if a.channel == Channel::Custodial {
                    c
                } else {
                    Class::COUNT + c
                };
                for k in [i, from, 2 * Class::COUNT, 2 * Class::COUNT + 1] {
                    quotes[k] = market.quote(Choice::ALL[k]);
                    scores[k] = score(&quotes[k], lambda);
                }
                record(a);
            }
            None => break,
        }
    }
    d
}
