//! Costs against the published build-ups (docs/costs.md): the American Immigration
//! Council's "Mass Deportation" (October 2024) and the Penn Wharton Budget Model (July
//! 2025), each under its own stated quantities, priced with quotasim's unit costs.

use quotasim::costs::{self, DayCounts, Factors};
use quotasim::scenario::Scenario;

/// AIC, one million removals a year: its four components, US dollars a year.
const AIC_ARRESTS: f64 = 7.0e9;
const AIC_DETENTION: f64 = 66.0e9;
const AIC_LEGAL: f64 = 12.6e9;
const AIC_REMOVAL: f64 = 2.1e9;
/// Penn Wharton Budget Model: cost per person deported.
const PWBM_PER_PERSON: f64 = 70_236.0;

#[test]
fn aic_components_add_up_to_its_88_billion_for_a_million_removals() {
    let total = AIC_ARRESTS + AIC_DETENTION + AIC_LEGAL + AIC_REMOVAL;
    assert!((total - 87.7e9).abs() < 1.0);
    // "About 88 billion": 87,700 a removal, a quarter above Penn Wharton's 70,236.
    let per_removal = total / 1e6;
    assert!((per_removal - 87_700.0).abs() < 1e-6);
    assert!((per_removal / PWBM_PER_PERSON - 1.249).abs() < 0.001);
}

#[test]
fn quotasim_unit_costs_price_aic_quantities_near_its_detention_and_removal() {
    // AIC's quantities: a million people held at a time (about half again the people
    // in U.S. jails and prisons), a million removals a year. Priced with the FY2024
    // baseline's unit costs and removal flights of 135 seats.
    let mut s = Scenario::national_default();
    s.capacity.around_the_clock = false;
    let seats = s.removal.seats_per_flight;
    s.removal.flights_per_day = 1e6 / 365.0 / seats;
    let day = costs::day(
        &s,
        &DayCounts {
            detained: 1_000_000,
            removals: (1e6_f64 / 365.0).round() as u64,
            ..DayCounts::default()
        },
        &Factors::ONE,
    );
    let detention = day.detention * 365.0;
    let removal = day.removal * 365.0;
    // 1 M x 365 x 187.48 = 68.4 B against AIC's 66 B (its rate is 181 a bed-day).
    assert!(
        (detention / AIC_DETENTION - 1.037).abs() < 0.01,
        "{detention}"
    );
    // Charters (7,407 flights x 6 h x 17,000 = 0.76 B) and 1,834 a removal beyond them
    // (1.83 B): 2.6 B against AIC's 2.1 B.
    assert!((removal / AIC_REMOVAL - 1.23).abs() < 0.02, "{removal}");
}
