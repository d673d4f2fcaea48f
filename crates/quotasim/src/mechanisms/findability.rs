//! Findability: how easily officers find a person, by priority class (docs/model.md
//! 7.12, "Findability").
//!
//! People ICE knows more about (a known address, check-ins, a prior contact, a record,
//! a final order) are found in fewer hours than people it knows little about. Each
//! class has a factor `f[c] = channels.findability[c]` and each case state one
//! `g[k] = channels.findability_case[k]` (final order, pending, protected; 1 = as
//! fitted for FY2024):
//!
//! ```text
//! hours of a targeted arrest of class c at level l = at_large.hours_per_arrest[c] x difficulty[l]
//!                                                    / (f[c] x mean of g over class c at level l)
//! whom it brings                                   = a person of class c at level l, case k
//!                                                    drawn in proportion to n[c,l,k] x g[k]
//! P(an indiscriminate arrest is of class c)        = f[c] x sum_k n[c,k] g[k]
//!                                                    / sum_c' f[c'] x sum_k n[c',k] g[k]
//! ```
//!
//! where `n` counts the office's people at large: community and collateral arrests draw
//! from the office's own mix, weighted by findability, not from the national make-up of
//! the docket. With every factor equal the draws are uniform over the people at large.

use crate::types::Class;

/// The class mix of an indiscriminate arrest among `at_large[c]` people at large of
/// each class (each counted with their case state's factor), with class findability
/// factors `f`. Zero everywhere when no one is at large.
pub fn arrest_mix(at_large: &[f64; Class::COUNT], f: &[f64; Class::COUNT]) -> [f64; Class::COUNT] {
    let mass: [f64; Class::COUNT] = std::array::from_fn(|c| at_large[c] * f[c]);
    let total: f64 = mass.iter().sum();
    std::array::from_fn(|c| if total > 0.0 { mass[c] / total } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_factors_give_the_mix_at_large() {
        let mix = arrest_mix(&[1.0, 1.0, 2.0, 0.0, 6.0], &[2.0; 5]);
        assert_eq!(mix, [0.1, 0.1, 0.2, 0.0, 0.6]);
    }

    #[test]
    fn people_with_a_final_order_are_found_more_often_when_more_findable() {
        use crate::mechanisms::docket::{CaseState, OfficeDocket};
        let s = crate::setup::scenario::Scenario::national_default();
        let mut rng = crate::rng::stream(3, 0, crate::rng::Purpose::Dynamics, 0);
        let mut doc =
            OfficeDocket::draw([0, 0, 0, 0, 2_000_000], &s, &Default::default(), &mut rng);
        let final_order =
            |t: crate::mechanisms::docket::Taken| t.case == CaseState::FinalOrder as u8;
        let weight = [10.0, 1.0, 1.0];
        let (mut anyone, mut targeted) = (0, 0);
        for _ in 0..4_000 {
            anyone += u32::from(final_order(
                doc.arrest_weighted(&[1.0; 5], &weight, &mut rng).unwrap(),
            ));
            targeted += u32::from(final_order(
                doc.arrest_easiest_weighted(4, &weight, &mut rng).unwrap(),
            ));
        }
        // 18 % have a final order; ten times as findable, 0.18 x 10 / (0.18 x 10 + 0.82) = 69 %.
        for (name, n) in [("community", anyone), ("targeted", targeted)] {
            let share = f64::from(n) / 4_000.0;
            assert!((0.64..0.74).contains(&share), "{name}: {share}");
        }
        doc.check_consistency().unwrap();
    }

    #[test]
    fn a_more_findable_class_is_drawn_more_often() {
        let mix = arrest_mix(&[0.0, 0.0, 1.0, 0.0, 1.0], &[1.0, 1.0, 3.0, 1.0, 1.0]);
        assert_eq!(mix[2], 0.75);
        assert_eq!(mix[4], 0.25);
    }
}
