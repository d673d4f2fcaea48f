//! Removal capacity and expedited removal (docs/model.md 7.13, "Removal").
//!
//! Removals leave the queue of [`crate::mechanisms::detention`] first come first served, up to the
//! day's transport capacity:
//!
//! ```text
//! capacity = removal.capacity_per_day                        (land removals, commercial flights)
//!          + removal.flights_per_day x removal.seats_per_flight   (removal charter flights)
//!          + removal.third_country_per_day                   (removals to third countries)
//! ```
//!
//! Each term is an input, and events move them (more flights, new third-country
//! agreements).
//!
//! Expedited removal: while `removal.expedited` is in force, a person arrested who has
//! been present under two years ([`crate::mechanisms::docket::Recent`]) and has no protection
//! claim is placed in expedited removal with probability `removal.expedited_share`.
//! They are booked in whatever `detention.bookin_share` says (expedited removal
//! requires detention), held for a stay of mean `removal.expedited_stay_days`, and
//! removed without a court case. Everyone else follows the ordinary book-in and stay.

use rand::RngExt;

use crate::mechanisms::docket::{CaseState, Taken};
use crate::rng;
use crate::setup::scenario::RemovalParams;

/// The most people removal transport can carry in a day.
pub fn capacity_per_day(p: &RemovalParams) -> f64 {
    p.capacity_per_day + p.flights_per_day * p.seats_per_flight + p.third_country_per_day
}

/// Whether the person `who`, present under two years when `recent`, is placed in
/// expedited removal today. Draws only where the rule can apply, so runs without it
/// keep their numbers.
pub fn expedited(p: &RemovalParams, who: Taken, recent: bool, rng: &mut rng::Rng) -> bool {
    p.expedited
        && recent
        && who.case != CaseState::Protected as u8
        && p.expedited_share > 0.0
        && rng.random_bool(p.expedited_share.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::scenario::Scenario;

    #[test]
    fn capacity_adds_ground_flights_and_third_countries() {
        let mut p = Scenario::national_default().removal;
        p.capacity_per_day = 400.0;
        p.flights_per_day = 5.0;
        p.seats_per_flight = 120.0;
        p.third_country_per_day = 3.0;
        assert_eq!(capacity_per_day(&p), 1_003.0);
    }

    #[test]
    fn expedited_removal_applies_to_recent_arrivals_without_a_claim_only() {
        let mut p = Scenario::national_default().removal;
        p.expedited = true;
        p.expedited_share = 1.0;
        let mut rng = rng::stream(1, 0, rng::Purpose::Detention, 0);
        let who = |case: CaseState| Taken {
            person: 0,
            class: 4,
            level: 0,
            case: case as u8,
        };
        assert!(expedited(&p, who(CaseState::Pending), true, &mut rng));
        assert!(!expedited(&p, who(CaseState::Pending), false, &mut rng));
        assert!(!expedited(&p, who(CaseState::Protected), true, &mut rng));
        p.expedited = false;
        assert!(!expedited(&p, who(CaseState::FinalOrder), true, &mut rng));
    }
}
