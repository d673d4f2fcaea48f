//! The docket's own flows: people who join it and people who leave it by other ways
//! than court or removal (docs/model.md 7.1, "Flows: inflow and departures").
//!
//! New people join at large with a pending case (a new notice to appear), at
//! `flows.inflow_per_day` nationwide split over offices by docket share, of classes in
//! the shares `flows.inflow_class_share`; their number each office-day is Poisson. Each
//! person at large leaves the docket in a year with probability
//! `flows.departure_share_per_year`, as a daily probability `1 - (1 - share)^(1/365.25)`.
//!
//! Departures respond to a self-deportation stipend and to enforcement (voluntary
//! departure through the stipend from 2025-05-05). In office `o` on a day,
//!
//! ```text
//! p_o = p x (1 + departure_gain_per_1000_usd x stipend_usd / 1000)
//!     + departure_response_to_arrest_risk x arrests_o(today) / at_large_o
//! ```
//!
//! (at most 1): the stipend scales the base rate; the arrest risk the office's people
//! faced that day (its arrests come before departures in the schedule) adds to it.

use rand::RngExt;

use crate::mechanisms::docket::{CaseState, Custody, LEVELS, OfficeDocket, Taken};
use crate::rng::{self, binomial};
use crate::setup::scenario::Scenario;
use crate::types::Class;

/// The flows of one parameter segment, worked out once.
#[derive(Debug, Clone)]
pub struct Rates {
    /// People joining each office a day (persons/day), by docket share.
    pub inflow_per_day: Vec<f64>,
    /// Cumulative class shares of the people who join, for one uniform draw each.
    pub inflow_cumulative: [f64; Class::COUNT],
    /// Daily probability that a person at large leaves the docket, stipend included,
    /// before the response to enforcement ([`Rates::departure_today`]).
    pub departure_p: f64,
    /// Extra daily probability per unit of daily arrest risk.
    pub response_to_risk: f64,
}

impl Rates {
    pub fn of(s: &Scenario, docket_share: &[f64]) -> Rates {
        Rates {
            inflow_per_day: docket_share
                .iter()
                .map(|w| s.flows.inflow_per_day * w)
                .collect(),
            inflow_cumulative: rng::cumulative(s.flows.inflow_class_share.to_array()),
            // A yearly share as a daily probability: 1 - (1 - share)^(1 / 365.25).
            departure_p: (1.0 - (1.0 - s.flows.departure_share_per_year).powf(1.0 / 365.25))
                * (1.0 + s.flows.departure_gain_per_1000_usd * s.flows.stipend_usd / 1000.0),
            response_to_risk: s.flows.departure_response_to_arrest_risk,
        }
    }

    /// Today's daily probability of leaving in an office whose `arrests` today came
    /// from `at_large` people at large.
    pub fn departure_today(&self, arrests: u64, at_large: u64) -> f64 {
        let risk = if at_large > 0 {
            arrests as f64 / at_large as f64
        } else {
            0.0
        };
        (self.departure_p + self.response_to_risk * risk).min(1.0)
    }
}

/// The day's newcomers to office `o`: a Poisson number, each of a class drawn from
/// the inflow shares. Returns how many joined.
pub fn join(doc: &mut OfficeDocket, rates: &Rates, o: usize, rng: &mut rng::Rng) -> u64 {
    let joining = rng::poisson(rates.inflow_per_day[o], rng);
    for _ in 0..joining {
        let c = rng::pick(&rates.inflow_cumulative, rng);
        doc.admit(c, rng);
    }
    joining
}

impl OfficeDocket {
    /// A new person joins the docket, at large with a pending case (a new notice to
    /// appear); their difficulty level is drawn uniformly. Returns them.
    pub fn admit(&mut self, c: usize, rng: &mut rng::Rng) -> u32 {
        self.admit_to(c, Custody::AtLarge, rng)
    }

    /// A new person joins the docket in state `to` (at large, or in a local jail when
    /// identified at booking), with a pending case and a uniform difficulty level.
    pub fn admit_to(&mut self, c: usize, to: Custody, rng: &mut rng::Rng) -> u32 {
        let person = self.class.len() as u32;
        let level = rng.random_range(0..LEVELS as u8);
        self.class.push(c as u8);
        self.case.push(CaseState::Pending as u8);
        self.level.push(level);
        self.custody.push(Custody::Left as u8);
        self.joined += 1;
        self.n_case_pending += 1;
        // Their attributes are known: nothing is read back from the columns.
        self.put_known(
            Taken {
                person,
                class: c as u8,
                level,
                case: CaseState::Pending as u8,
            },
            to,
        );
        person
    }

    /// Departures: each person at large of class `c` leaves the docket (emigrates,
    /// adjusts status outside court) with probability `p`. Returns how many left.
    pub fn depart(&mut self, p: f64, rng: &mut rng::Rng) -> u64 {
        let mut gone = 0;
        for c in 0..Class::COUNT {
            let k = binomial(self.at_large_count(c) as u64, p, rng);
            for _ in 0..k {
                if let Some((at, i)) = self.random_at_large(c, rng) {
                    let person = self.take(at, i);
                    self.put_known(self.taken(at, person), Custody::Left);
                    gone += 1;
                }
            }
        }
        gone
    }
}
