//! Local jails and prisons, and the custody of docket members in them (docs/model.md
//! 7.2, "Local jails and custody").
//!
//! Each day each person of class `c` in a jail is released with probability
//! `1 / jails.stay_days[c]`; a cooperating jail (probability `offices.X.jail_cooperation`)
//! hands them to ICE for the day, and those not taken by a custodial transfer go free.
//! People at large are booked with the probability that holds each class's share in
//! custody steady: `b = s / (1 - s) / stay`, with `s = docket.share_in_custody[c]`.
//!
//! People identified at booking: local jails also book people ICE did not know, who are
//! not on its docket. `jails.unknown_bookings_per_day` of them a day nationwide (split
//! by docket share; Poisson each office-day), of classes in the shares
//! `jails.unknown_class_share`, join the docket in jail with a pending case. Custodial
//! arrests draw from both: everyone in a jail is released and handed over alike.
//! The share handed over is the office's, 287(g) agreements included
//! ([`crate::mechanisms::cooperation`]).

use rand::RngExt;

use crate::mechanisms::docket::{Custody, List, OfficeDocket};
use crate::rng::{self, binomial};
use crate::setup::scenario::Scenario;
use crate::types::Class;

/// The jails' daily probabilities of one parameter segment, by class.
#[derive(Debug, Clone)]
pub struct Rates {
    /// Daily probability that a person in jail is released.
    pub release_p: [f64; Class::COUNT],
    /// Daily probability that a person at large is booked.
    pub booking_p: [f64; Class::COUNT],
    /// People ICE did not know booked each day, nationwide (mean).
    pub unknown_per_day: f64,
    /// Cumulative class shares of those people, for one uniform draw each.
    pub unknown_cumulative: [f64; Class::COUNT],
}

impl Rates {
    /// `s` is the segment in force; `start` the scenario at day 0, whose custody shares
    /// the bookings hold steady.
    pub fn of(s: &Scenario, start: &Scenario) -> Rates {
        let stay = s.jails.stay_days.to_array();
        let in_custody = start.docket.share_in_custody.to_array();
        Rates {
            release_p: std::array::from_fn(|c| 1.0 / stay[c]),
            // Bookings that hold each class's share in custody steady: b = s / (1 - s) / stay.
            booking_p: std::array::from_fn(|c| in_custody[c] / (1.0 - in_custody[c]) / stay[c]),
            unknown_per_day: s.jails.unknown_bookings_per_day,
            unknown_cumulative: rng::cumulative(s.jails.unknown_class_share.to_array()),
        }
    }
}

impl OfficeDocket {
    /// The day's releases from local jails and prisons: each person of class `c` leaves
    /// with probability `release_p[c]`; a cooperating jail (probability `cooperation`)
    /// hands them to ICE for today, otherwise they are at large. Returns (released,
    /// handed over).
    pub fn release_from_jails(
        &mut self,
        release_p: &[f64; Class::COUNT],
        cooperation: f64,
        rng: &mut rng::Rng,
    ) -> (u64, u64) {
        let (mut released, mut offered) = (0, 0);
        for (c, &p) in release_p.iter().enumerate() {
            let n = self.in_jail[c].len() as u64;
            let r = binomial(n, p, rng);
            let k = binomial(r, cooperation, rng);
            for i in 0..r {
                let n = self.in_jail[c].len();
                let person = self.take(List::InJail(c), rng.random_range(0..n));
                self.put(
                    person,
                    c,
                    if i < k {
                        Custody::Handover
                    } else {
                        Custody::AtLarge
                    },
                );
            }
            released += r;
            offered += k;
        }
        (released, offered)
    }

    /// People handed over but not taken today go free.
    pub fn end_handovers(&mut self) -> u64 {
        let mut n = 0;
        for c in 0..Class::COUNT {
            while let Some(last) = self.handover[c].len().checked_sub(1) {
                let person = self.take(List::Handover(c), last);
                self.put(person, c, Custody::AtLarge);
                n += 1;
            }
        }
        n
    }

    /// The day's bookings of people ICE did not know: a Poisson number of mean
    /// `per_day`, each of a class drawn from `cumulative`, joins the docket in jail.
    /// Returns how many joined.
    pub fn book_unknown(
        &mut self,
        per_day: f64,
        cumulative: &[f64; Class::COUNT],
        rng: &mut rng::Rng,
    ) -> u64 {
        if per_day <= 0.0 {
            return 0;
        }
        let n = rng::poisson(per_day, rng);
        for _ in 0..n {
            let c = rng::pick(cumulative, rng);
            self.admit_to(c, Custody::InJail, rng);
        }
        n
    }

    /// The day's bookings into local jails: each person at large of class `c` is booked
    /// with probability `booking_p[c]`. Returns the number booked.
    pub fn book_into_jails(&mut self, booking_p: &[f64; Class::COUNT], rng: &mut rng::Rng) -> u64 {
        let mut booked = 0;
        for (c, &p) in booking_p.iter().enumerate() {
            let b = binomial(self.at_large_count(c) as u64, p, rng);
            for _ in 0..b {
                if let Some((at, i)) = self.random_at_large(c, rng) {
                    let person = self.take(at, i);
                    self.put_known(self.taken(at, person), Custody::InJail);
                }
            }
            booked += b;
        }
        booked
    }
}
